package audit

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"gatehouse/store"
)

var eventTime = time.Date(2026, 3, 14, 15, 9, 26, 535897932, time.FixedZone("CET", 3600))

func TestNewRecord(t *testing.T) {
	r := NewRecord("evt-1", eventTime)
	want := &Record{
		EventVersion:    EventVersion,
		EventTime:       time.Date(2026, 3, 14, 14, 9, 26, 0, time.UTC),
		EventID:         "evt-1",
		EventType:       "AwsApiCall",
		ManagementEvent: true,
		EventCategory:   "Management",
	}
	if !reflect.DeepEqual(r, want) {
		t.Fatalf("NewRecord = %+v, want %+v", r, want)
	}
	if r.EventTime.Location() != time.UTC {
		t.Fatalf("event time zone = %v, want UTC", r.EventTime.Location())
	}
}

func TestRecordEvent(t *testing.T) {
	tests := []struct {
		name         string
		identity     UserIdentity
		wantUsername string
	}{
		{
			name:         "root",
			identity:     UserIdentity{Type: "Root", PrincipalID: "111122223333", ARN: "arn:aws:iam::111122223333:root", AccountID: "111122223333", AccessKeyID: "AKIAROOTROOTROOTROOT"},
			wantUsername: "root",
		},
		{
			name:         "IAM user",
			identity:     UserIdentity{Type: "IAMUser", PrincipalID: "AIDAALICE", ARN: "arn:aws:iam::111122223333:user/dev/alice", AccountID: "111122223333", AccessKeyID: "AKIAALICEALICEALICE2", UserName: "alice"},
			wantUsername: "alice",
		},
		{
			name: "assumed role",
			identity: UserIdentity{
				Type: "AssumedRole", PrincipalID: "AROAROLE:build-42", ARN: "arn:aws:sts::111122223333:assumed-role/Deployer/build-42", AccountID: "111122223333", AccessKeyID: "ASIASESSIONSESSIONSE",
				SessionContext: &SessionContext{SessionIssuer: SessionIssuer{Type: "Role", PrincipalID: "AROAROLE", ARN: "arn:aws:iam::111122223333:role/Deployer", AccountID: "111122223333", UserName: "Deployer"}},
			},
			wantUsername: "build-42",
		},
		{
			name:         "anonymous",
			identity:     UserIdentity{AccessKeyID: "AKIAUNKNOWNUNKNOWNUN"},
			wantUsername: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRecord("evt-"+tt.name, eventTime)
			r.UserIdentity = tt.identity
			r.EventSource = "organizations.amazonaws.com"
			r.EventName = "DescribeOrganization"
			r.RecipientAccountID = "111122223333"
			r.ReadOnly = true
			r.Resources = []Resource{
				{Type: "AWS::Organizations::Organization", ARN: "arn:aws:organizations::111122223333:organization/o-abc"},
				{ARN: "arn:aws:organizations::111122223333:account/o-abc/444455556666"},
			}
			e, err := r.Event()
			if err != nil {
				t.Fatalf("Event: %v", err)
			}
			want := store.Event{
				ID:          "evt-" + tt.name,
				Time:        r.EventTime,
				Account:     "111122223333",
				Name:        "DescribeOrganization",
				Source:      "organizations.amazonaws.com",
				Username:    tt.wantUsername,
				AccessKeyID: tt.identity.AccessKeyID,
				ReadOnly:    true,
				Resources:   []string{"arn:aws:organizations::111122223333:organization/o-abc", "arn:aws:organizations::111122223333:account/o-abc/444455556666"},
			}
			body := e.Body
			e.Body = nil
			if !reflect.DeepEqual(e, want) {
				t.Errorf("Event =\n%+v\nwant\n%+v", e, want)
			}
			var back Record
			if err := json.Unmarshal(body, &back); err != nil {
				t.Fatalf("event body is not a record: %v\n%s", err, body)
			}
			if !back.EventTime.Equal(r.EventTime) || back.EventID != r.EventID || back.UserIdentity.ARN != tt.identity.ARN {
				t.Errorf("event body does not round-trip: %s", body)
			}
		})
	}
}

func TestRecordJSONFieldNames(t *testing.T) {
	r := NewRecord("6b3c0ff1-0000-4000-8000-000000000001", eventTime)
	r.UserIdentity = UserIdentity{
		Type: "AssumedRole", PrincipalID: "AROAROLE:s", ARN: "arn:aws:sts::111122223333:assumed-role/R/s", AccountID: "111122223333", AccessKeyID: "ASIAXXXXXXXXXXXXXXXX",
		SessionContext: &SessionContext{
			SessionIssuer: SessionIssuer{Type: "Role", PrincipalID: "AROAROLE", ARN: "arn:aws:iam::111122223333:role/R", AccountID: "111122223333", UserName: "R"},
			Attributes:    SessionAttributes{CreationDate: eventTime.UTC(), MFAAuthenticated: "false"},
		},
	}
	r.EventSource = "organizations.amazonaws.com"
	r.EventName = "CreateAccount"
	r.AWSRegion = "us-east-1"
	r.SourceIPAddress = "192.0.2.1"
	r.UserAgent = "aws-cli/2.15"
	r.RequestID = "req-1"
	r.RecipientAccountID = "111122223333"
	r.Resources = []Resource{{Type: "AWS::Organizations::Account", ARN: "arn:aws:organizations::111122223333:account/o-abc/444455556666", AccountID: "111122223333"}}
	if err := r.SetRequestParameters(map[string]string{"AccountName": "dev"}); err != nil {
		t.Fatal(err)
	}
	if err := r.SetResponseElements(map[string]any{"CreateAccountStatus": map[string]string{"State": "IN_PROGRESS"}}); err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path []string
		want any
	}{
		{name: "eventVersion", path: []string{"eventVersion"}, want: EventVersion},
		{name: "userIdentity.type", path: []string{"userIdentity", "type"}, want: "AssumedRole"},
		{name: "userIdentity.principalId", path: []string{"userIdentity", "principalId"}, want: "AROAROLE:s"},
		{name: "userIdentity.arn", path: []string{"userIdentity", "arn"}, want: "arn:aws:sts::111122223333:assumed-role/R/s"},
		{name: "userIdentity.accountId", path: []string{"userIdentity", "accountId"}, want: "111122223333"},
		{name: "userIdentity.accessKeyId", path: []string{"userIdentity", "accessKeyId"}, want: "ASIAXXXXXXXXXXXXXXXX"},
		{name: "sessionIssuer.userName", path: []string{"userIdentity", "sessionContext", "sessionIssuer", "userName"}, want: "R"},
		{name: "attributes.mfaAuthenticated", path: []string{"userIdentity", "sessionContext", "attributes", "mfaAuthenticated"}, want: "false"},
		{name: "attributes.creationDate", path: []string{"userIdentity", "sessionContext", "attributes", "creationDate"}, want: "2026-03-14T14:09:26.535897932Z"},
		{name: "eventTime", path: []string{"eventTime"}, want: "2026-03-14T14:09:26Z"},
		{name: "eventSource", path: []string{"eventSource"}, want: "organizations.amazonaws.com"},
		{name: "eventName", path: []string{"eventName"}, want: "CreateAccount"},
		{name: "awsRegion", path: []string{"awsRegion"}, want: "us-east-1"},
		{name: "sourceIPAddress", path: []string{"sourceIPAddress"}, want: "192.0.2.1"},
		{name: "userAgent", path: []string{"userAgent"}, want: "aws-cli/2.15"},
		{name: "requestParameters", path: []string{"requestParameters", "AccountName"}, want: "dev"},
		{name: "responseElements", path: []string{"responseElements", "CreateAccountStatus", "State"}, want: "IN_PROGRESS"},
		{name: "requestID", path: []string{"requestID"}, want: "req-1"},
		{name: "eventID", path: []string{"eventID"}, want: "6b3c0ff1-0000-4000-8000-000000000001"},
		{name: "readOnly", path: []string{"readOnly"}, want: false},
		{name: "eventType", path: []string{"eventType"}, want: "AwsApiCall"},
		{name: "managementEvent", path: []string{"managementEvent"}, want: true},
		{name: "recipientAccountId", path: []string{"recipientAccountId"}, want: "111122223333"},
		{name: "eventCategory", path: []string{"eventCategory"}, want: "Management"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any = m
			for _, k := range tt.path {
				obj, ok := v.(map[string]any)
				if !ok {
					t.Fatalf("%s: %v is not an object", strings.Join(tt.path, "."), v)
				}
				if v, ok = obj[k]; !ok {
					t.Fatalf("record JSON lacks %s:\n%s", strings.Join(tt.path, "."), body)
				}
			}
			if !reflect.DeepEqual(v, tt.want) {
				t.Fatalf("%s = %#v, want %#v", strings.Join(tt.path, "."), v, tt.want)
			}
		})
	}
	res := m["resources"].([]any)[0].(map[string]any)
	for _, k := range []string{"type", "ARN", "accountId"} {
		if _, ok := res[k]; !ok {
			t.Errorf("resource lacks %q: %v", k, res)
		}
	}
}

func TestRecordJSONOmitsErrorWhenNone(t *testing.T) {
	r := NewRecord("evt", eventTime)
	body, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"errorCode", "errorMessage", "resources"} {
		if _, ok := m[k]; ok {
			t.Errorf("record without %s has it in JSON: %s", k, body)
		}
	}
	// CloudTrail writes null, not an absent member, for a request without
	// parameters.
	for _, k := range []string{"requestParameters", "responseElements"} {
		if v, ok := m[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}

	r.ErrorCode, r.ErrorMessage = "AccessDeniedException", "denied"
	body, _ = json.Marshal(r)
	if !strings.Contains(string(body), `"errorCode":"AccessDeniedException"`) || !strings.Contains(string(body), `"errorMessage":"denied"`) {
		t.Errorf("record with an error lacks errorCode/errorMessage: %s", body)
	}
}
