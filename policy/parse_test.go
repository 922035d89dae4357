package policy

import (
	"errors"
	"slices"
	"testing"
)

func TestParsePositions(t *testing.T) {
	text := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "First",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*"
    },
    {"Sid": "Second", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}
  ]
}`
	doc, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Statements) != 2 || !doc.StatementIsArray {
		t.Fatalf("got %d statements, array=%v", len(doc.Statements), doc.StatementIsArray)
	}
	tests := []struct {
		name string
		got  Span
		want Span
	}{
		{"first", doc.Statements[0].Span, Span{Position{4, 5}, Position{9, 5}}},
		{"second", doc.Statements[1].Span, Span{Position{10, 5}, Position{10, 89}}},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s statement span = %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
	if got := doc.Statements[1].NotAction; !slices.Equal(got, []string{"iam:*", "sts:*"}) {
		t.Errorf("NotAction = %q", got)
	}
}

func TestParseElements(t *testing.T) {
	text := `{"Version":"2012-10-17","Id":"x","Statement":{"Effect":"Allow",
	"Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:role/R"],"Service":"ec2.amazonaws.com"},
	"Action":"s3:*","Resource":"arn:aws:s3:::b/*",
	"Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true},
	"StringEquals":{"aws:PrincipalTag/team":["a","b"]}},"Extra":1}}`
	doc, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	st := doc.Statements[0]
	if doc.StatementIsArray || doc.ID != "x" {
		t.Errorf("StatementIsArray=%v ID=%q", doc.StatementIsArray, doc.ID)
	}
	if !slices.Equal(st.Principal.AWS, []string{"111122223333", "arn:aws:iam::444455556666:role/R"}) ||
		!slices.Equal(st.Principal.Service, []string{"ec2.amazonaws.com"}) {
		t.Errorf("Principal = %+v", st.Principal)
	}
	want := []Condition{
		{Operator: "NumericLessThan", Key: "s3:max-keys", Values: []string{"10"}, NonString: true},
		{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"true"}, NonString: true},
		{Operator: "StringEquals", Key: "aws:PrincipalTag/team", Values: []string{"a", "b"}},
	}
	if len(st.Conditions) != len(want) {
		t.Fatalf("conditions = %+v", st.Conditions)
	}
	for i := range want {
		got := st.Conditions[i]
		if got.Operator != want[i].Operator || got.Key != want[i].Key || !slices.Equal(got.Values, want[i].Values) || got.NonString != want[i].NonString {
			t.Errorf("condition %d = %+v, want %+v", i, got, want[i])
		}
	}
	if !slices.Equal(st.Unknown, []string{"Extra"}) {
		t.Errorf("Unknown = %q", st.Unknown)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		pos  Position
	}{
		{"not json", `{"Version": }`, Position{1, 13}},
		{"not an object", `["Statement"]`, Position{1, 1}},
		{"trailing data", `{} {}`, Position{1, 4}},
		{"trailing comma", `{},`, Position{1, 3}},
		{"duplicate key", "{\"Version\":\"2012-10-17\",\n \"Version\":\"2012-10-17\"}", Position{2, 2}},
		{"action number", `{"Statement":{"Effect":"Allow","Action":5}}`, Position{1, 41}},
		{"principal string", `{"Statement":{"Effect":"Allow","Principal":"me"}}`, Position{1, 44}},
		{"condition null", `{"Statement":{"Condition":{"Bool":{"k":null}}}}`, Position{1, 40}},
		{"truncated", `{"Statement":[`, Position{1, 15}},
		{"empty", ``, Position{1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.text))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *SyntaxError", err)
			}
			if se.Pos != tt.pos {
				t.Errorf("position = %+v, want %+v (%v)", se.Pos, tt.pos, err)
			}
		})
	}
}

func TestParseSizes(t *testing.T) {
	doc, err := Parse([]byte("{ \"Id\" : \"a b\" }\n"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Size != 17 || doc.SizeNoSpace != 11 {
		t.Errorf("Size=%d SizeNoSpace=%d, want 17 and 11", doc.Size, doc.SizeNoSpace)
	}
}
