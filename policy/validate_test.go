package policy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// validateCase is one case of testdata/validate/*.json (see
// testdata/README.md).
type validateCase struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Rule       string          `json:"rule"`
	Policy     json.RawMessage `json:"policy"`
	PolicyText *string         `json:"policyText"`
	Want       []wantFinding   `json:"want"`

	file string
}

type wantFinding struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (c *validateCase) text() []byte {
	if c.PolicyText != nil {
		return []byte(*c.PolicyText)
	}
	return c.Policy
}

func loadValidateCases(t testing.TB) []*validateCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "validate", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all []*validateCase
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cases []*validateCase
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, c := range cases {
			c.file = filepath.Base(file)
		}
		all = append(all, cases...)
	}
	return all
}

// errorsOf returns the error findings as the corpus writes them.
func errorsOf(fs []Finding) []wantFinding {
	out := []wantFinding{}
	for _, f := range fs {
		if f.Severity == Error {
			out = append(out, wantFinding{f.Code, f.Message})
		}
	}
	return out
}

func TestValidateCorpus(t *testing.T) {
	cases := loadValidateCases(t)
	if len(cases) < 60 {
		t.Errorf("the corpus has %d cases, want at least 60", len(cases))
	}
	types := map[string]int{}
	names := map[string]bool{}
	for _, c := range cases {
		t.Run(c.file+"/"+c.Name, func(t *testing.T) {
			if c.Name == "" || c.Rule == "" || c.Want == nil {
				t.Fatalf("case needs name, rule and want: %+v", c)
			}
			if names[c.file+"/"+c.Name] {
				t.Fatalf("duplicate case name")
			}
			names[c.file+"/"+c.Name] = true
			if (c.PolicyText == nil) == (c.Policy == nil) {
				t.Fatalf("case needs exactly one of policy and policyText")
			}
			typ, err := ParseType(c.Type)
			if err != nil {
				t.Fatal(err)
			}
			types[c.Type]++
			got := errorsOf(ValidateText(c.text(), typ))
			if !reflect.DeepEqual(got, c.Want) {
				t.Errorf("ValidateText:\n got  %q\n want %q", got, c.Want)
			}
			// Validate on the parsed document agrees, but for the checks
			// that need the text.
			if doc, err := Parse(c.text()); err == nil {
				var fromText []wantFinding
				for _, f := range got {
					if !strings.Contains(f.Message, "regular expression pattern") {
						fromText = append(fromText, f)
					}
				}
				fromDoc := errorsOf(Validate(doc, typ))
				if len(fromText) == 0 && len(fromDoc) == 0 {
					return
				}
				if !reflect.DeepEqual(fromDoc, fromText) {
					t.Errorf("Validate %q differs from ValidateText %q", fromDoc, fromText)
				}
			}
		})
	}
	for _, name := range typeNames {
		if types[name] < 3 {
			t.Errorf("the corpus has %d cases of type %s, want at least 3", types[name], name)
		}
	}
}

// TestValidateReferencePolicies checks the reference policies kept in
// testdata/reference: every seed SCP and every AWS managed policy is valid.
func TestValidateReferencePolicies(t *testing.T) {
	root := filepath.Join("testdata", "reference")
	seeds, _ := filepath.Glob(filepath.Join(root, "seed-policies", "*.json"))
	managed, _ := filepath.Glob(filepath.Join(root, "aws-managed-policies", "*.json"))
	if len(seeds) == 0 || len(managed) == 0 {
		t.Fatalf("found %d seed and %d managed policies", len(seeds), len(managed))
	}
	for _, file := range seeds {
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if fs := ValidateText(text, SCP); len(fs) != 0 {
			t.Errorf("%s: %v", file, fs)
		}
	}
	for _, file := range managed {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var wrapped struct {
			Document json.RawMessage `json:"document"`
		}
		if err := json.Unmarshal(data, &wrapped); err != nil || wrapped.Document == nil {
			t.Fatalf("%s: not a wrapped managed policy: %v", file, err)
		}
		if fs := ValidateText(wrapped.Document, Identity); len(fs) != 0 {
			t.Errorf("%s: %v", file, fs)
		}
	}
}

func mustParse(t *testing.T, text string) *Document {
	t.Helper()
	doc, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestValidateInlineVersion(t *testing.T) {
	text := `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`
	if got := errorsOf(ValidateText([]byte(text), Identity)); len(got) != 1 || got[0].Message != msgVersion {
		t.Errorf("managed policy without Version: %q", got)
	}
	inline := Options{Type: Identity, Inline: true}
	if got := inline.ValidateText([]byte(text)); len(got) != 0 {
		t.Errorf("inline policy without Version: %v", got)
	}
	v2008 := strings.Replace(text, `{"Statement"`, `{"Version":"2008-10-17","Statement"`, 1)
	if got := inline.ValidateText([]byte(v2008)); len(got) != 0 {
		t.Errorf("inline policy with 2008-10-17: %v", got)
	}
}

func TestQuotas(t *testing.T) {
	for typ, want := range map[Type]int{Identity: 6144, Boundary: 6144, Trust: 2048, Session: 2048, SCP: 5120, RCP: 5120, Resource: -1} {
		if got := DefaultQuota(typ).Max; got != want {
			t.Errorf("DefaultQuota(%v).Max = %d, want %d", typ, got, want)
		}
	}
	if q := TrustQuota(4096); q.Max != 4096 || q.Message != "Cannot exceed quota for ACLSizePerRole: 4096" {
		t.Errorf("TrustQuota(4096) = %+v", q)
	}
	if q := InlineQuota("role", "app"); q.Max != 10240 || q.Message != "Maximum policy size of 10240 bytes exceeded for role app" || q.Code != CodeLimitExceeded {
		t.Errorf("InlineQuota(role) = %+v", q)
	}
	if q := InlineQuota("group", "g"); q.Max != 5120 {
		t.Errorf("InlineQuota(group) = %+v", q)
	}
	if q := InlineQuota("user", "u"); q.Max != 2048 || q.Message != "Maximum policy size of 2048 bytes exceeded for user u" {
		t.Errorf("InlineQuota(user) = %+v", q)
	}
	if q := InlineQuota("policy", "p"); q.Max >= 0 {
		t.Errorf("InlineQuota(policy) = %+v, want no limit", q)
	}
	q := ManagedQuota(0)
	if _, over := q.Check(6144); over {
		t.Error("6144 is within the managed quota")
	}
	if f, over := q.Check(6145); !over || f.Code != CodeLimitExceeded || f.Message != "Cannot exceed quota for PolicySize: 6144" || f.Severity != Error {
		t.Errorf("Check(6145) = %+v, %v", f, over)
	}
	if _, over := (Quota{Max: -1}).Check(1 << 30); over {
		t.Error("a negative Max has no limit")
	}

	doc := mustParse(t, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n}")
	if ManagedQuota(0).Size(doc) != doc.SizeNoSpace || SessionQuota().Size(doc) != doc.Size || doc.Size <= doc.SizeNoSpace {
		t.Errorf("Size: %d/%d", doc.Size, doc.SizeNoSpace)
	}

	// An inline role policy is over the aggregate quota with the role's
	// other inline policies.
	o := Options{Type: Identity, Inline: true, Quota: InlineQuota("role", "app"), Used: 10240 - doc.SizeNoSpace}
	if fs := o.Validate(doc); len(fs) != 0 {
		t.Errorf("at the quota: %v", fs)
	}
	o.Used++
	if fs := o.Validate(doc); len(fs) != 1 || fs[0].Message != "Maximum policy size of 10240 bytes exceeded for role app" {
		t.Errorf("over the quota: %v", fs)
	}
	// A negative Max turns the check off; a managed quota replaces the
	// default.
	o = Options{Type: Trust, Quota: Quota{Max: -1}, Used: 1 << 20}
	if fs := o.Validate(mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}}`)); len(fs) != 0 {
		t.Errorf("no quota: %v", fs)
	}
}

func TestValidateHugeText(t *testing.T) {
	text := []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"` + strings.Repeat("a", MaxDocumentSize) + `"}}`)
	fs := ValidateText(text, Identity)
	if len(fs) != 1 || fs[0].Code != CodeLimitExceeded {
		t.Errorf("huge managed policy: %v", fs)
	}
	fs = ValidateText(text, Resource)
	if len(fs) != 1 || fs[0].Message != msgSyntax {
		t.Errorf("huge resource policy: %v", fs)
	}
}

func TestValidateSpans(t *testing.T) {
	text := `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Effect": "Allow", "Action": ["GetObject", "PutObject"], "Resource": "*"}
  ]
}`
	fs := ValidateText([]byte(text), Identity)
	if len(fs) != 1 {
		t.Fatalf("want one finding for two bad actions in one statement: %v", fs)
	}
	if got, want := fs[0].String(), "5:5: MalformedPolicyDocument: "+msgVendor; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if fs[0].Span.End.Line != 5 {
		t.Errorf("span %+v", fs[0].Span)
	}

	fs = ValidateText([]byte("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [}\n"), Identity)
	if len(fs) != 1 || fs[0].Message != msgSyntax || fs[0].Span.Start.Line != 3 {
		t.Errorf("syntax error: %+v", fs)
	}
	fs = ValidateText([]byte("{"), SCP)
	if len(fs) != 1 || fs[0].Code != CodeMalformedPolicyDocumentException || fs[0].Message != msgOrgsMalformed {
		t.Errorf("SCP syntax error: %+v", fs)
	}
}

func TestValidateOrder(t *testing.T) {
	// Document-level findings come first, then each statement's in
	// element order.
	text := `{"Version":"2008-10-17","Extra":1,"Statement":[
		{"Sid":"a-b","Effect":"allow","Principal":"*","Action":"x","Resource":"y","Bogus":1},
		{"Sid":"a-b","Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	got := errorsOf(ValidateText([]byte(text), Identity))
	want := []wantFinding{
		{CodeMalformedPolicyDocument, msgVersion},
		{CodeMalformedPolicyDocument, msgSyntax},
		{CodeMalformedPolicyDocument, msgSidAlnum},
		{CodeMalformedPolicyDocument, msgLegacy},
		{CodeMalformedPolicyDocument, msgNoPrincipal},
		{CodeMalformedPolicyDocument, msgVendor},
		{CodeMalformedPolicyDocument, `Resource y must be in ARN format or "*".`},
		{CodeMalformedPolicyDocument, msgSyntax},
		{CodeMalformedPolicyDocument, msgSidAlnum},
		{CodeMalformedPolicyDocument, msgSidUnique},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestValidateOrganizationsCodes(t *testing.T) {
	text := `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ec2","Resource":"arn:aws:s3::b"}]}`
	for _, typ := range []Type{SCP, RCP} {
		fs := ValidateText([]byte(text), typ)
		if len(fs) == 0 {
			t.Fatalf("%v: no findings", typ)
		}
		for _, f := range fs {
			if f.Code != CodeMalformedPolicyDocumentException || f.Message != msgOrgsMalformed {
				t.Errorf("%v: %v", typ, f)
			}
		}
	}
}

func TestValidateWarnings(t *testing.T) {
	tests := []struct {
		name, typ, text, want string
	}{
		{"variable in 2008-10-17", "trust",
			`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:username":"${aws:username}"}}}}`,
			"literal text"},
		{"variable without Version", "resource",
			`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`,
			"literal text"},
		{"variable in an action", "identity",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:${x}","Resource":"*"}}`,
			"not expanded in Action"},
		{"variable before the fifth colon", "identity",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:sqs:${region}:*:q"}}`,
			"after the fifth colon"},
		{"variable with a numeric operator", "identity",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"${aws:x}"}}}}`,
			"only with String and Arn operators"},
		{"condition key without a vendor", "identity",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"SourceIp":"1"}}}}`,
			"no vendor prefix"},
		{"Bool value", "identity",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"yes"}}}}`,
			"neither true nor false"},
		{"numeric value", "scp",
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Condition":{"NumericGreaterThan":{"s3:max-keys":"ten"}}}}`,
			"not a number"},
		{"IP value", "identity",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}}`,
			"not an IP address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ, _ := ParseType(tt.typ)
			fs := ValidateText([]byte(tt.text), typ)
			if errs := errorsOf(fs); len(errs) != 0 {
				t.Errorf("errors: %q", errs)
			}
			if len(fs) != 1 || fs[0].Severity != Warning || fs[0].Code != CodeWarning || !strings.Contains(fs[0].Message, tt.want) {
				t.Errorf("got %v, want one warning with %q", fs, tt.want)
			}
		})
	}
	// In a 2012-10-17 policy variables in resources and string conditions
	// are fine.
	text := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"StringLike":{"s3:prefix":"${aws:username}/*"},"IpAddress":{"aws:SourceIp":["10.0.0.1","2001:db8::/32"]},"Bool":{"aws:SecureTransport":true}}}}`
	if fs := ValidateText([]byte(text), Identity); len(fs) != 0 {
		t.Errorf("got %v", fs)
	}
}

func TestValidatePrincipals(t *testing.T) {
	valid := []string{
		`"*"`, `{"AWS":"*"}`, `{"AWS":"123456789012"}`, `{"AWS":["arn:aws:iam::123456789012:root"]}`,
		`{"AWS":"arn:aws-cn:iam::123456789012:role/path/to/role"}`,
		`{"AWS":"arn:aws:sts::123456789012:assumed-role/r/session@example.com"}`,
		`{"AWS":"arn:aws:sts::123456789012:federated-user/bob"}`,
		`{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE"}`,
		`{"Service":["logs.us-east-1.amazonaws.com","alexa-appkit.amazon.com"]}`,
		`{"Federated":"accounts.google.com"}`,
		`{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`,
	}
	invalid := []string{
		`{"AWS":"arn:aws:iam::123456789012:role/*"}`, `{"AWS":"12345678901"}`, `{"AWS":"arn:aws:iam::123456789012:group/g"}`,
		`{"AWS":"arn:aws:s3:::bucket"}`, `{"AWS":"alice"}`, `{"Service":"*"}`, `{"Service":"EC2.amazonaws.com"}`,
		`{"Federated":"*"}`, `{"CanonicalUser":"*"}`,
	}
	for _, p := range valid {
		text := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":` + p + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
		if fs := ValidateText([]byte(text), Resource); len(fs) != 0 {
			t.Errorf("%s: %v", p, fs)
		}
	}
	for _, p := range invalid {
		text := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":` + p + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
		fs := errorsOf(ValidateText([]byte(text), Resource))
		if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "Invalid principal in policy: ") {
			t.Errorf("%s: %q", p, fs)
		}
	}
	// Unknown principal types and Principal with NotPrincipal are syntax
	// errors.
	for _, st := range []string{
		`"Principal":{"Services":"ec2.amazonaws.com"}`,
		`"Principal":"*","NotPrincipal":{"AWS":"123456789012"}`,
	} {
		text := `{"Version":"2012-10-17","Statement":{"Effect":"Deny",` + st + `,"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`
		if fs := errorsOf(ValidateText([]byte(text), Resource)); !reflect.DeepEqual(fs, []wantFinding{{CodeMalformedPolicyDocument, msgSyntax}}) {
			t.Errorf("%s: %q", st, fs)
		}
	}
}

func TestValidateTrustActions(t *testing.T) {
	for action, ok := range map[string]bool{
		`"sts:AssumeRole"`: true, `"sts:AssumeRoleWithSAML"`: true, `"STS:TagSession"`: true, `"sts:*"`: true, `"*"`: true,
		`"iam:PassRole"`: false, `["sts:AssumeRole","s3:*"]`: false,
	} {
		text := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":` + action + `}}`
		fs := errorsOf(ValidateText([]byte(text), Trust))
		if ok != (len(fs) == 0) || !ok && fs[0].Message != msgTrustActions {
			t.Errorf("%s: %q", action, fs)
		}
	}
	text := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"NotAction":"s3:*","NotResource":"*"}}`
	want := []wantFinding{{CodeMalformedPolicyDocument, msgTrustActions}, {CodeMalformedPolicyDocument, "Has prohibited field NotResource"}}
	if fs := errorsOf(ValidateText([]byte(text), Trust)); !reflect.DeepEqual(fs, want) {
		t.Errorf("NotAction and NotResource: %q", fs)
	}
}

func TestValidateNil(t *testing.T) {
	if fs := Validate(nil, Identity); len(fs) != 1 || fs[0].Message != msgSyntax {
		t.Errorf("Validate(nil) = %v", fs)
	}
	// Validate does not modify the document.
	doc := mustParse(t, `{"Version":"2012-10-17","Statement":{"Sid":"x","Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	before := fmt.Sprintf("%+v", *doc.Statements[0])
	Validate(doc, Identity)
	Validate(doc, SCP)
	if after := fmt.Sprintf("%+v", *doc.Statements[0]); after != before {
		t.Errorf("Validate changed the statement: %s", after)
	}
}

func TestLegacyDate(t *testing.T) {
	for v, want := range map[string]bool{
		"2019-07-01T13:20:15Z":                true,
		"2016-12-13T21:20:37.593194+00:00":    true,
		"2016-12-13t2:00:00.593194+23":        true,
		"2020-01-01T00:00:00-05:00":           true,
		"2020-01-01":                          true,
		"01T":                                 true,
		"-292275054":                          true,
		"1700000000":                          true,
		"0":                                   true,
		"9223372036854775807":                 true,
		"9223372036854775808":                 false,
		"sdfdsf":                              false,
		"234-13":                              false,
		"2016-12-13t2:00:00.593194+1":         false,
		"2016-12-13t2:00:00.1999999999+10:59": false,
		"2020-01-01T24:00:00Z":                false,
		"2020-01-01T00:60:00Z":                false,
		"2020-01-01T00:00:60Z":                false,
		"2020-01-01T00:00:00Zx":               false,
		"2020-01-01-01":                       false,
		"${aws:CurrentTime}":                  false,
		"":                                    false,
		"true":                                false,
	} {
		if got := vdLegacyDate(v); got != want {
			t.Errorf("vdLegacyDate(%q) = %v, want %v", v, got, want)
		}
	}
}

func FuzzValidateText(f *testing.F) {
	for _, c := range loadValidateCases(f) {
		typ, err := ParseType(c.Type)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c.text(), uint8(typ))
	}
	f.Fuzz(func(t *testing.T, text []byte, typ uint8) {
		pt := Type(typ % uint8(len(typeNames)))
		fs := ValidateText(text, pt)
		for _, f := range fs {
			if f.Code == "" || f.Message == "" || f.Severity > Warning || (f.Severity == Warning) != (f.Code == CodeWarning) {
				t.Fatalf("bad finding %+v", f)
			}
		}
		if doc, err := Parse(text); err == nil {
			fd := Validate(doc, pt)
			if len(fd) > len(fs) {
				t.Fatalf("Validate found more than ValidateText: %v / %v", fd, fs)
			}
		} else if len(fs) != 1 || fs[0].Severity != Error {
			t.Fatalf("unparsable text: %v", fs)
		}
	})
}

func ExampleValidateText() {
	policy := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReports",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "s3:GetObject",
      "Resource": "reports/*"
    }
  ]
}`
	for _, f := range ValidateText([]byte(policy), Identity) {
		fmt.Println(f)
	}
	// Output:
	// 4:5: MalformedPolicyDocument: Policy document should not specify a principal.
	// 4:5: MalformedPolicyDocument: Resource reports/* must be in ARN format or "*".
}
