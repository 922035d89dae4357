package awsapi

import (
	"encoding/xml"
	"errors"
	"gatehouse/awserr"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name     string
		rawQuery string
		body     string
		want     map[string]string
		wantCode string
	}{
		{name: "form body", body: "Action=GetUser&Version=2010-05-08&UserName=alice",
			want: map[string]string{"Action": "GetUser", "Version": "2010-05-08", "UserName": "alice"}},
		{name: "GET query", rawQuery: "Action=GetCallerIdentity&Version=2011-06-15",
			want: map[string]string{"Action": "GetCallerIdentity", "Version": "2011-06-15"}},
		{name: "query and body merged", rawQuery: "X-Amz-Date=20260101T000000Z", body: "Action=ListUsers",
			want: map[string]string{"X-Amz-Date": "20260101T000000Z", "Action": "ListUsers"}},
		{name: "form decoding", body: "PolicyDocument=%7B%22a%22%3A1%7D&Description=a+b&Empty=&Flag",
			want: map[string]string{"PolicyDocument": `{"a":1}`, "Description": "a b", "Empty": "", "Flag": ""}},
		{name: "empty pairs and keys skipped", body: "&&=x&Action=A&",
			want: map[string]string{"Action": "A"}},
		{name: "semicolon is data", body: "Path=/a;b/", want: map[string]string{"Path": "/a;b/"}},
		{name: "bad escape in key", body: "Act%ZZion=x", wantCode: "MalformedQueryString"},
		{name: "bad escape in value", body: "Action=%E", wantCode: "MalformedQueryString"},
		{name: "duplicate", body: "Action=A&Action=B", wantCode: "MalformedQueryString"},
		{name: "duplicate across query and body", rawQuery: "Action=A", body: "Action=A", wantCode: "MalformedQueryString"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseQuery(tt.rawQuery, []byte(tt.body))
			if tt.wantCode != "" {
				if e := awserr.As(err); e == nil || e.Code != tt.wantCode || e.Status != 404 {
					t.Errorf("err = %#v, want %s (404)", e, tt.wantCode)
				}
				return
			}
			if err != nil || !maps.Equal(p.m, tt.want) || p.Len() != len(tt.want) {
				t.Errorf("ParseQuery = %q, %v; want %q", p.m, err, tt.want)
			}
		})
	}
}

func mustParse(t *testing.T, body string) Params {
	t.Helper()
	p, err := ParseQuery("", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParamsScalars(t *testing.T) {
	p := mustParse(t, "Action=CreateRole&Version=2010-05-08&RoleName=r&MaxItems=50&Bad=x&Yes=TRUE&No=false&Empty=")
	if p.Action() != "CreateRole" || p.Version() != "2010-05-08" || p.Get("RoleName") != "r" || p.Get("Missing") != "" {
		t.Errorf("scalars: %q", p.m)
	}
	if v, ok := p.Lookup("Empty"); !ok || v != "" {
		t.Errorf("Lookup(Empty) = %q, %v", v, ok)
	}
	tests := []struct {
		name    string
		call    func() (any, error)
		want    any
		wantMsg string
	}{
		{name: "required present", call: func() (any, error) { return p.Required("RoleName") }, want: "r"},
		{name: "required empty is present", call: func() (any, error) { return p.Required("Empty") }, want: ""},
		{name: "required missing", call: func() (any, error) { return p.Required("UserName") },
			wantMsg: "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"},
		{name: "int", call: func() (any, error) { return p.Int("MaxItems", 100) }, want: 50},
		{name: "int default", call: func() (any, error) { return p.Int("Missing", 100) }, want: 100},
		{name: "int malformed", call: func() (any, error) { return p.Int("Bad", 100) },
			wantMsg: "1 validation error detected: Value 'x' at 'bad' failed to satisfy constraint: Member must be a 32-bit integer"},
		{name: "bool any case", call: func() (any, error) { return p.Bool("Yes", false) }, want: true},
		{name: "bool false", call: func() (any, error) { return p.Bool("No", true) }, want: false},
		{name: "bool default", call: func() (any, error) { return p.Bool("Missing", true) }, want: true},
		{name: "bool malformed", call: func() (any, error) { return p.Bool("Bad", false) },
			wantMsg: "1 validation error detected: Value 'x' at 'bad' failed to satisfy constraint: Member must be a boolean (true or false)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.call()
			if tt.wantMsg != "" {
				e := awserr.As(err)
				if e == nil || e.Code != "ValidationError" || e.Status != 400 || e.Message != tt.wantMsg {
					t.Errorf("err = %#v\nwant ValidationError %q", e, tt.wantMsg)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestParamsList(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    []string
		wantErr bool
	}{
		{name: "absent", body: "Action=A", want: nil},
		{name: "in index order", body: "Filter.member.2=Role&Filter.member.1=User&Filter.member.10=Group", want: []string{"User", "Role", "Group"}},
		{name: "gaps closed", body: "Filter.member.1=a&Filter.member.3=c", want: []string{"a", "c"}},
		{name: "other prefixes ignored", body: "Filter.member.1=a&FilterX.member.1=b&Filter=c", want: []string{"a"}},
		{name: "nested keys ignored", body: "Filter.member.1=a&Filter.member.2.X=b", want: []string{"a"}},
		{name: "zero index", body: "Filter.member.0=a", wantErr: true},
		{name: "leading zero", body: "Filter.member.01=a", wantErr: true},
		{name: "not a number", body: "Filter.member.x=a", wantErr: true},
		{name: "too long", body: "Filter.member.1234567890=a", wantErr: true},
		{name: "empty index", body: "Filter.member.=a", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mustParse(t, tt.body).List("Filter")
			if tt.wantErr {
				if !errors.Is(err, awserr.ErrValidationError) {
					t.Errorf("err = %v, want ValidationError", err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("List = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestParamsMembers(t *testing.T) {
	p := mustParse(t, "PolicyArns.member.2.arn=B&PolicyArns.member.1.arn=A&PolicyArns.member.1.extra.deep=x&PolicyArns.member.3=scalar")
	got, err := p.Members("PolicyArns")
	if err != nil || len(got) != 2 {
		t.Fatalf("Members = %v, %v", got, err)
	}
	if got[0].Get("arn") != "A" || got[0].Get("extra.deep") != "x" || got[1].Get("arn") != "B" {
		t.Errorf("Members = %q, %q", got[0].m, got[1].m)
	}
	if none, err := p.Members("Tags"); err != nil || none != nil {
		t.Errorf("absent Members = %v, %v", none, err)
	}
}

func TestParamsMaps(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		get     func(Params) (map[string]string, error)
		want    map[string]string
		wantErr bool
	}{
		{name: "entry map", body: "Attrs.entry.1.key=a&Attrs.entry.1.value=1&Attrs.entry.2.key=b&Attrs.entry.2.value=2",
			get: func(p Params) (map[string]string, error) { return p.Map("Attrs") }, want: map[string]string{"a": "1", "b": "2"}},
		{name: "entry without value", body: "Attrs.entry.1.key=a",
			get: func(p Params) (map[string]string, error) { return p.Map("Attrs") }, want: map[string]string{"a": ""}},
		{name: "entry without key", body: "Attrs.entry.1.value=1",
			get: func(p Params) (map[string]string, error) { return p.Map("Attrs") }, wantErr: true},
		{name: "absent map", body: "Action=A",
			get: func(p Params) (map[string]string, error) { return p.Map("Attrs") }, want: nil},
		{name: "tags", body: "Tags.member.1.Key=team&Tags.member.1.Value=platform&Tags.member.2.Key=env&Tags.member.2.Value=",
			get:  func(p Params) (map[string]string, error) { return p.MemberMap("Tags", "Key", "Value") },
			want: map[string]string{"team": "platform", "env": ""}},
		{name: "duplicate tag keys", body: "Tags.member.1.Key=a&Tags.member.2.Key=a",
			get: func(p Params) (map[string]string, error) { return p.MemberMap("Tags", "Key", "Value") }, wantErr: true},
		{name: "scalar member is not a pair", body: "Tags.member.1=a",
			get: func(p Params) (map[string]string, error) { return p.MemberMap("Tags", "Key", "Value") }, wantErr: true},
		{name: "bad index", body: "Tags.member.first.Key=a",
			get: func(p Params) (map[string]string, error) { return p.MemberMap("Tags", "Key", "Value") }, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.get(mustParse(t, tt.body))
			if tt.wantErr {
				if !errors.Is(err, awserr.ErrValidationError) {
					t.Errorf("err = %v, want ValidationError", err)
				}
				return
			}
			if err != nil || !maps.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestQueryWrite(t *testing.T) {
	type role struct {
		RoleName string
		Tags     Members[string]
	}
	tests := []struct {
		name       string
		action     string
		result     any
		wantStatus int
		wantBody   []string // substrings, in order
		wantErr    bool
	}{
		{name: "no output", action: "DeleteUser", result: nil, wantStatus: 200, wantBody: []string{
			`<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">`, "<ResponseMetadata>",
			"<RequestId>rid</RequestId>", "</DeleteUserResponse>"}},
		{name: "empty list kept", action: "GetRole", result: struct{ Role role }{role{RoleName: "r"}}, wantStatus: 200,
			wantBody: []string{"<GetRoleResult>", "<RoleName>r</RoleName>", "<Tags></Tags>", "</GetRoleResult>"}},
		{name: "result element name wins over XMLName", action: "GetRole", result: struct {
			XMLName xml.Name `xml:"Other"`
			A       int
		}{A: 1}, wantStatus: 200, wantBody: []string{"<GetRoleResult>", "<A>1</A>", "</GetRoleResult>"}},
		{name: "entries in key order", action: "GetAccountSummary", result: struct{ SummaryMap Entries[int] }{Entries[int]{"b": 2, "a": 1}},
			wantStatus: 200, wantBody: []string{"<SummaryMap>", "<entry>", "<key>a</key>", "<value>1</value>", "<key>b</key>", "<value>2</value>", "</SummaryMap>"}},
		{name: "bad action name", action: "Get<User>", result: nil, wantStatus: 500, wantErr: true,
			wantBody: []string{"<Code>InternalFailure</Code>"}},
		{name: "unmarshalable result", action: "GetUser", result: struct{ F func() }{}, wantStatus: 500, wantErr: true,
			wantBody: []string{"<Type>Receiver</Type>", "<Code>InternalFailure</Code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := IAM.Write(rec, "rid", tt.action, tt.result)
			if (err != nil) != tt.wantErr {
				t.Errorf("Write error = %v", err)
			}
			if rec.Code != tt.wantStatus || rec.Header().Get("Content-Type") != "text/xml" || rec.Header().Get("X-Amzn-RequestId") != "rid" {
				t.Errorf("status %d headers %v", rec.Code, rec.Header())
			}
			checkInOrder(t, rec.Body.String(), tt.wantBody)
			checkWellFormed(t, rec)
		})
	}
}

func TestQueryWriteError(t *testing.T) {
	tests := []struct {
		name       string
		proto      QueryProtocol
		err        error
		wantStatus int
		wantBody   []string
		wantErr    bool
	}{
		{name: "sts namespace", proto: STS, err: awserr.ErrExpiredTokenException.New("expired"), wantStatus: 400, wantBody: []string{
			`<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`, "<Error>", "<Type>Sender</Type>",
			"<Code>ExpiredTokenException</Code>", "<Message>expired</Message>", "</Error>", "<RequestId>rid</RequestId>"}},
		{name: "JSON-family code respelled", proto: IAM, err: awserr.ErrAccessDeniedException.New("denied"), wantStatus: 403,
			wantBody: []string{"<Code>AccessDenied</Code>"}},
		{name: "receiver fault", proto: IAM, err: awserr.ErrServiceFailure.New("boom"), wantStatus: 500,
			wantBody: []string{"<Type>Receiver</Type>", "<Code>ServiceFailure</Code>"}},
		{name: "extra members after message, escaped", proto: IAM, err: awserr.ErrLimitExceeded.New("a<b").With("Limit", 10).With("Detail", "x&y"),
			wantStatus: 409, wantBody: []string{"<Message>a&lt;b</Message>", "<Limit>10</Limit>", "<Detail>x&amp;y</Detail>", "</Error>"}},
		{name: "bad fields left out", proto: IAM, err: awserr.ErrInvalidInput.New("m").With("Code", "X").With("bad name", 1).With("F", func() {}),
			wantStatus: 400, wantErr: true, wantBody: []string{"<Code>InvalidInput</Code>", "<Message>m</Message>", "</Error>"}},
		{name: "plain error hidden", proto: IAM, err: errors.New("secret"), wantStatus: 500,
			wantBody: []string{"<Code>InternalFailure</Code>", "<Message>" + awserr.InternalMessage + "</Message>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := tt.proto.WriteError(rec, "rid", tt.err)
			if (err != nil) != tt.wantErr {
				t.Errorf("WriteError error = %v", err)
			}
			body := rec.Body.String()
			if rec.Code != tt.wantStatus || strings.Contains(body, "secret") || strings.Count(body, "<Code>") != 1 {
				t.Errorf("status %d body %s", rec.Code, body)
			}
			checkInOrder(t, body, tt.wantBody)
			var doc struct {
				Code string `xml:"Error>Code"`
			}
			if err := xml.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.Code == "" {
				t.Errorf("body is not a well-formed ErrorResponse: %v\n%s", err, body)
			}
		})
	}
}

// checkInOrder asserts that body contains each of parts, in order.
func checkInOrder(t *testing.T, body string, parts []string) {
	t.Helper()
	rest := body
	for _, p := range parts {
		i := strings.Index(rest, p)
		if i < 0 {
			t.Errorf("body lacks %q (in order)\n%s", p, body)
			return
		}
		rest = rest[i+len(p):]
	}
}
