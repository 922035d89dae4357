package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/smithy-go"
)

// trailRecord is the part of a CloudTrail record the tests read.
type trailRecord struct {
	EventVersion string `json:"eventVersion"`
	UserIdentity struct {
		Type        string `json:"type"`
		PrincipalID string `json:"principalId"`
		ARN         string `json:"arn"`
		AccountID   string `json:"accountId"`
		AccessKeyID string `json:"accessKeyId"`
	} `json:"userIdentity"`
	EventTime          string          `json:"eventTime"`
	EventSource        string          `json:"eventSource"`
	EventName          string          `json:"eventName"`
	AWSRegion          string          `json:"awsRegion"`
	SourceIPAddress    string          `json:"sourceIPAddress"`
	UserAgent          string          `json:"userAgent"`
	ErrorCode          string          `json:"errorCode"`
	ErrorMessage       string          `json:"errorMessage"`
	RequestParameters  json.RawMessage `json:"requestParameters"`
	ResponseElements   json.RawMessage `json:"responseElements"`
	RequestID          string          `json:"requestID"`
	EventID            string          `json:"eventID"`
	ReadOnly           bool            `json:"readOnly"`
	EventType          string          `json:"eventType"`
	ManagementEvent    bool            `json:"managementEvent"`
	RecipientAccountID string          `json:"recipientAccountId"`
}

func parseRecord(t *testing.T, e cttypes.Event) trailRecord {
	t.Helper()
	var r trailRecord
	if err := json.Unmarshal([]byte(aws.ToString(e.CloudTrailEvent)), &r); err != nil {
		t.Fatalf("CloudTrailEvent of %s is not JSON: %v", aws.ToString(e.EventId), err)
	}
	return r
}

// lookup returns every event matching one lookup attribute ("" for
// none), reading all pages of size pageSize.
func lookup(t *testing.T, ct *cloudtrail.Client, key cttypes.LookupAttributeKey, value string, pageSize int32) ([]cttypes.Event, int) {
	t.Helper()
	in := &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(pageSize)}
	if key != "" {
		in.LookupAttributes = []cttypes.LookupAttribute{{AttributeKey: key, AttributeValue: aws.String(value)}}
	}
	p := cloudtrail.NewLookupEventsPaginator(ct, in)
	ctx := ctxFor(t)
	var all []cttypes.Event
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		must(t, err, "LookupEvents")
		pages++
		all = append(all, out.Events...)
	}
	return all, pages
}

// waitEvents polls the lookup until it finds at least n events (reads
// and failures are written in batches).
func waitEvents(t *testing.T, ct *cloudtrail.Client, key cttypes.LookupAttributeKey, value string, n int) []cttypes.Event {
	t.Helper()
	var evs []cttypes.Event
	deadline := time.Now().Add(10 * time.Second)
	for {
		evs, _ = lookup(t, ct, key, value, 50)
		if len(evs) >= n {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("LookupEvents %s=%s: %d events after 10s, want at least %d", key, value, len(evs), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestAuditTrail reads the trail back with CloudTrail's LookupEvents:
// writes, reads, failures and failed authentications, by every lookup
// attribute, with paging; no record carries a secret.
func TestAuditTrail(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		testAuditTrail(t, srv)
	})
}

func testAuditTrail(t *testing.T, srv *server) {
	ctx := ctxFor(t)
	c, ct := srv.org(), srv.trail()
	began := time.Now().Add(-time.Second)

	_, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantErr(t, err, errNotInUse, "")
	_, err = c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	must(t, err, "CreateOrganization")
	_, err = c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	wantErr(t, err, errAlreadyInOrg, "")
	roots, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
	must(t, err, "ListRoots")
	root := aws.ToString(roots.Roots[0].Id)
	ou, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String("audited-ou")})
	must(t, err, "CreateOrganizationalUnit")
	ouID, ouARN := aws.ToString(ou.OrganizationalUnit.Id), aws.ToString(ou.OrganizationalUnit.Arn)
	_, err = c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(ouID), Tags: []types.Tag{{Key: aws.String("audit"), Value: aws.String("yes")}}})
	must(t, err, "TagResource")
	_, err = c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must(t, err, "DescribeOrganization")
	// A failed authentication with the management root's key id.
	wrong := srv.orgAs(aws.Credentials{AccessKeyID: srv.Key.AccessKeyID, SecretAccessKey: "wrong-" + srv.Key.SecretAccessKey})
	_, err = wrong.ListAccounts(ctx, &organizations.ListAccountsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidSignatureException" {
		t.Fatalf("ListAccounts with a wrong secret: %v, want InvalidSignatureException", err)
	}

	// Reads and failures are written in batches, in order: once this
	// last read is in the trail, every earlier event is too.
	_, err = c.ListAWSServiceAccessForOrganization(ctx, &organizations.ListAWSServiceAccessForOrganizationInput{})
	must(t, err, "ListAWSServiceAccessForOrganization")
	waitEvents(t, ct, cttypes.LookupAttributeKeyEventName, "ListAWSServiceAccessForOrganization", 1)
	orgEvents, _ := lookup(t, ct, cttypes.LookupAttributeKeyEventSource, "organizations.amazonaws.com", 50)
	if len(orgEvents) < 8 {
		t.Fatalf("%d Organizations events, want at least the 8 authenticated calls", len(orgEvents))
	}

	t.Run("WriteRecord", func(t *testing.T) {
		evs, _ := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "CreateOrganizationalUnit", 50)
		if len(evs) != 1 {
			t.Fatalf("EventName=CreateOrganizationalUnit: %d events, want 1", len(evs))
		}
		e := evs[0]
		r := parseRecord(t, e)
		checks := []struct{ name, got, want string }{
			{"EventName", aws.ToString(e.EventName), "CreateOrganizationalUnit"},
			{"EventSource", aws.ToString(e.EventSource), "organizations.amazonaws.com"},
			{"Username", aws.ToString(e.Username), "root"},
			{"AccessKeyId", aws.ToString(e.AccessKeyId), srv.Key.AccessKeyID},
			{"ReadOnly", aws.ToString(e.ReadOnly), "false"},
			{"eventID", r.EventID, aws.ToString(e.EventId)},
			{"eventName", r.EventName, "CreateOrganizationalUnit"},
			{"eventSource", r.EventSource, "organizations.amazonaws.com"},
			{"eventType", r.EventType, "AwsApiCall"},
			{"awsRegion", r.AWSRegion, Region},
			{"sourceIPAddress", r.SourceIPAddress, "127.0.0.1"},
			{"userIdentity.type", r.UserIdentity.Type, "Root"},
			{"userIdentity.arn", r.UserIdentity.ARN, "arn:aws:iam::" + ManagementAccount + ":root"},
			{"userIdentity.accountId", r.UserIdentity.AccountID, ManagementAccount},
			{"userIdentity.principalId", r.UserIdentity.PrincipalID, ManagementAccount},
			{"userIdentity.accessKeyId", r.UserIdentity.AccessKeyID, srv.Key.AccessKeyID},
			{"recipientAccountId", r.RecipientAccountID, ManagementAccount},
			{"errorCode", r.ErrorCode, ""},
		}
		for _, ck := range checks {
			if ck.got != ck.want {
				t.Errorf("%s = %q, want %q", ck.name, ck.got, ck.want)
			}
		}
		if r.EventVersion == "" || r.RequestID == "" || r.ReadOnly || !r.ManagementEvent || e.EventTime == nil {
			t.Errorf("record = %+v", r)
		}
		if !strings.Contains(r.UserAgent, "aws-sdk-go-v2") {
			t.Errorf("userAgent = %q, want the SDK's", r.UserAgent)
		}
		var params struct{ Name, ParentId string }
		var resp struct {
			OrganizationalUnit struct{ Id, Arn, Name string } `json:"organizationalUnit"`
		}
		json.Unmarshal(r.RequestParameters, &params)
		json.Unmarshal(r.ResponseElements, &resp)
		if params.Name != "audited-ou" || params.ParentId != root {
			t.Errorf("requestParameters = %s", r.RequestParameters)
		}
		if resp.OrganizationalUnit.Id != ouID || resp.OrganizationalUnit.Arn != ouARN {
			t.Errorf("responseElements = %s, want the OU %s", r.ResponseElements, ouID)
		}
		byID, _ := lookup(t, ct, cttypes.LookupAttributeKeyEventId, aws.ToString(e.EventId), 50)
		if len(byID) != 1 || aws.ToString(byID[0].EventId) != aws.ToString(e.EventId) {
			t.Errorf("EventId=%s: %d events", aws.ToString(e.EventId), len(byID))
		}
	})

	t.Run("FailedCalls", func(t *testing.T) {
		evs, _ := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "CreateOrganization", 50)
		codes := map[string]string{}
		for _, e := range evs {
			r := parseRecord(t, e)
			codes[r.ErrorCode] = r.ErrorMessage
		}
		if _, ok := codes[""]; !ok || len(evs) != 2 {
			t.Errorf("CreateOrganization events: %v, want one success and one failure", codes)
		}
		if msg := codes["AlreadyInOrganizationException"]; msg == "" {
			t.Errorf("no CreateOrganization event with errorCode AlreadyInOrganizationException and a message: %v", codes)
		}
		evs, _ = lookup(t, ct, cttypes.LookupAttributeKeyEventName, "DescribeOrganization", 50)
		notInUse := 0
		for _, e := range evs {
			if r := parseRecord(t, e); r.ErrorCode == "AWSOrganizationsNotInUseException" && r.ReadOnly {
				notInUse++
			}
		}
		if notInUse != 1 {
			t.Errorf("DescribeOrganization events with AWSOrganizationsNotInUseException: %d, want 1", notInUse)
		}
	})

	t.Run("FailedAuthentication", func(t *testing.T) {
		// The failed call used the management root's key id: the event
		// belongs to the management account's trail.
		var found []trailRecord
		evs, _ := lookup(t, ct, cttypes.LookupAttributeKeyEventName, "ListAccounts", 50)
		for _, e := range evs {
			found = append(found, parseRecord(t, e))
		}
		if len(found) == 0 {
			t.Errorf("ListAccounts signed with the management root's key id and a wrong secret is not in the management account's trail")
			return
		}
		r := found[0]
		if r.ErrorCode != "InvalidSignatureException" && r.ErrorCode != "SignatureDoesNotMatch" {
			t.Errorf("failed authentication errorCode = %q", r.ErrorCode)
		}
		if r.UserIdentity.AccessKeyID != srv.Key.AccessKeyID {
			t.Errorf("failed authentication accessKeyId = %q", r.UserIdentity.AccessKeyID)
		}
	})

	t.Run("LookupAttributes", func(t *testing.T) {
		all, _ := lookup(t, ct, "", "", 50)
		cases := []struct {
			key   cttypes.LookupAttributeKey
			value string
			// every event found must satisfy ok; at least min are found.
			ok  func(e cttypes.Event, r trailRecord) bool
			min int
		}{
			{key: cttypes.LookupAttributeKeyUsername, value: "root", min: len(orgEvents),
				ok: func(e cttypes.Event, r trailRecord) bool { return aws.ToString(e.Username) == "root" }},
			{key: cttypes.LookupAttributeKeyReadOnly, value: "true", min: 3,
				ok: func(e cttypes.Event, r trailRecord) bool { return r.ReadOnly && aws.ToString(e.ReadOnly) == "true" }},
			{key: cttypes.LookupAttributeKeyReadOnly, value: "false", min: 4,
				ok: func(e cttypes.Event, r trailRecord) bool {
					return !r.ReadOnly && (strings.HasPrefix(r.EventName, "Create") || r.EventName == "TagResource")
				}},
			{key: cttypes.LookupAttributeKeyEventSource, value: "cloudtrail.amazonaws.com", min: 1,
				ok: func(e cttypes.Event, r trailRecord) bool { return r.EventName == "LookupEvents" }},
			{key: cttypes.LookupAttributeKeyAccessKeyId, value: srv.Key.AccessKeyID, min: len(orgEvents),
				ok: func(e cttypes.Event, r trailRecord) bool { return r.UserIdentity.AccessKeyID == srv.Key.AccessKeyID }},
			{key: cttypes.LookupAttributeKeyEventName, value: "ListRoots", min: 1,
				ok: func(e cttypes.Event, r trailRecord) bool { return r.EventName == "ListRoots" }},
		}
		for _, tc := range cases {
			t.Run(string(tc.key)+"="+tc.value, func(t *testing.T) {
				// The trail is written after each answer, LookupEvents
				// calls' own events included: wait for the minimum.
				var evs []cttypes.Event
				eventually(t, fmt.Sprintf("at least %d events", tc.min), func() bool {
					evs, _ = lookup(t, ct, tc.key, tc.value, 50)
					return len(evs) >= tc.min
				})
				for _, e := range evs {
					if !tc.ok(e, parseRecord(t, e)) {
						t.Errorf("event %s %s does not match", aws.ToString(e.EventName), aws.ToString(e.EventId))
					}
				}
			})
		}
		if len(all) < len(orgEvents) {
			t.Errorf("lookup without attributes: %d events, fewer than the %d of Organizations", len(all), len(orgEvents))
		}
		t.Run("ResourceName", func(t *testing.T) {
			// TagResource named the OU.
			evs, _ := lookup(t, ct, cttypes.LookupAttributeKeyResourceName, ouARN, 50)
			var names []string
			for _, e := range evs {
				names = append(names, aws.ToString(e.EventName))
			}
			if !slices.Contains(names, "TagResource") {
				t.Errorf("ResourceName=%s finds %v, not TagResource", ouARN, names)
			}
			for _, e := range evs {
				found := false
				for _, r := range e.Resources {
					found = found || aws.ToString(r.ResourceName) == ouARN
				}
				if !found {
					t.Errorf("event %s found by ResourceName does not list %s in Resources: %+v", aws.ToString(e.EventName), ouARN, e.Resources)
				}
			}
		})
	})

	t.Run("TimeRange", func(t *testing.T) {
		out, err := ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{StartTime: aws.Time(time.Now().Add(time.Hour)), EndTime: aws.Time(time.Now().Add(2 * time.Hour))})
		must(t, err, "LookupEvents in the future")
		if len(out.Events) != 0 {
			t.Errorf("%d events in the next hour", len(out.Events))
		}
		out, err = ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{StartTime: aws.Time(began.Add(-time.Hour)), EndTime: aws.Time(began.Add(-time.Minute))})
		must(t, err, "LookupEvents before the server started")
		if len(out.Events) != 0 {
			t.Errorf("%d events before the server started", len(out.Events))
		}
		out, err = ct.LookupEvents(ctx, &cloudtrail.LookupEventsInput{StartTime: aws.Time(began), EndTime: aws.Time(time.Now().Add(time.Minute))})
		must(t, err, "LookupEvents since the server started")
		if len(out.Events) < len(orgEvents) {
			t.Errorf("%d events since the server started, want at least %d", len(out.Events), len(orgEvents))
		}
	})

	t.Run("Paging", func(t *testing.T) {
		// The Organizations events are settled: page through them three
		// at a time.
		whole, _ := lookup(t, ct, cttypes.LookupAttributeKeyEventSource, "organizations.amazonaws.com", 50)
		paged, pages := lookup(t, ct, cttypes.LookupAttributeKeyEventSource, "organizations.amazonaws.com", 3)
		wantPages(t, "LookupEvents", len(paged), 3, pages)
		if len(paged) != len(whole) {
			t.Fatalf("paged lookup found %d events, unpaged %d", len(paged), len(whole))
		}
		seen := map[string]bool{}
		for i, e := range paged {
			id := aws.ToString(e.EventId)
			if seen[id] {
				t.Errorf("event %s on two pages", id)
			}
			seen[id] = true
			if aws.ToString(whole[i].EventId) != id {
				t.Errorf("event %d: paged %s, unpaged %s", i, id, aws.ToString(whole[i].EventId))
			}
			if i > 0 && e.EventTime.After(*paged[i-1].EventTime) {
				t.Errorf("events are not newest first at %d", i)
			}
		}
	})

	t.Run("Errors", func(t *testing.T) {
		attr := func(k cttypes.LookupAttributeKey, v string) cttypes.LookupAttribute {
			return cttypes.LookupAttribute{AttributeKey: k, AttributeValue: aws.String(v)}
		}
		cases := []struct {
			name string
			in   cloudtrail.LookupEventsInput
			code string
		}{
			{name: "TwoAttributes", in: cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{attr("EventName", "ListRoots"), attr("Username", "root")}}, code: "InvalidLookupAttributesException"},
			{name: "BadReadOnly", in: cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{attr("ReadOnly", "maybe")}}, code: "InvalidLookupAttributesException"},
			{name: "MaxResultsTooLarge", in: cloudtrail.LookupEventsInput{MaxResults: aws.Int32(51)}, code: "InvalidMaxResultsException"},
			{name: "GarbageNextToken", in: cloudtrail.LookupEventsInput{NextToken: aws.String("garbage!")}, code: "InvalidNextTokenException"},
			{name: "StartAfterEnd", in: cloudtrail.LookupEventsInput{StartTime: aws.Time(time.Now()), EndTime: aws.Time(time.Now().Add(-time.Hour))}, code: "InvalidTimeRangeException"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := ct.LookupEvents(ctx, &tc.in)
				var ae smithy.APIError
				if !errors.As(err, &ae) || ae.ErrorCode() != tc.code {
					t.Errorf("got %v, want %s", err, tc.code)
				}
			})
		}
	})

	t.Run("NoSecrets", func(t *testing.T) {
		all, _ := lookup(t, ct, "", "", 50)
		for _, e := range all {
			if strings.Contains(aws.ToString(e.CloudTrailEvent), srv.Key.SecretAccessKey) {
				t.Errorf("event %s %s contains the root secret", aws.ToString(e.EventName), aws.ToString(e.EventId))
			}
		}
	})
}

// TestAuditDenied: a request an SCP denies is in the trail of the
// account that made it, with AWS's message.
func TestAuditDenied(t *testing.T) {
	t.Parallel()
	srv := start(t, opts{Dev: true})
	ctx := ctxFor(t)
	d := buildDevOrg(t, srv)
	deny := d.createPolicy(t, "deny-describe-organization", denySCP("organizations:DescribeOrganization"))
	d.attach(t, deny, d.retail)
	_, err := srv.orgAs(devKey(d.member)).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantDenied(t, err, d.member, "organizations:DescribeOrganization", explicitSCPDeny)

	memberTrail := srv.trailAs(devKey(d.member))
	evs := waitEvents(t, memberTrail, cttypes.LookupAttributeKeyEventName, "DescribeOrganization", 1)
	r := parseRecord(t, evs[0])
	if r.ErrorCode != "AccessDeniedException" || !strings.Contains(r.ErrorMessage, explicitSCPDeny) {
		t.Errorf("denied event errorCode %q errorMessage %q", r.ErrorCode, r.ErrorMessage)
	}
	if r.UserIdentity.AccountID != d.member || r.UserIdentity.ARN != "arn:aws:iam::"+d.member+":root" || r.RecipientAccountID != d.member {
		t.Errorf("denied event userIdentity = %+v, recipient %s", r.UserIdentity, r.RecipientAccountID)
	}
	if aws.ToString(evs[0].AccessKeyId) != d.member || aws.ToString(evs[0].Username) != "root" {
		t.Errorf("denied event AccessKeyId %q Username %q", aws.ToString(evs[0].AccessKeyId), aws.ToString(evs[0].Username))
	}
	// The management account's trail has its own calls only.
	mine, _ := lookup(t, srv.trailAs(anyKey), cttypes.LookupAttributeKeyAccessKeyId, d.member, 50)
	if len(mine) != 0 {
		t.Errorf("the member's %d events are in the management account's trail", len(mine))
	}
}
