package arn

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    ARN
		wantOK  bool
		account string
	}{
		{name: "IAM role with path", in: "arn:aws:iam::111122223333:role/ops/admin", want: ARN{"aws", "iam", "", "111122223333", "role/ops/admin"}, wantOK: true, account: "111122223333"},
		{name: "session", in: "arn:aws:sts::111122223333:assumed-role/admin/s1", want: ARN{"aws", "sts", "", "111122223333", "assumed-role/admin/s1"}, wantOK: true, account: "111122223333"},
		{name: "regional, colons in the resource", in: "arn:aws:aws-marketplace:us-east-1:111122223333:AWSMarketplace/Experience/exp-1:x", want: ARN{"aws", "aws-marketplace", "us-east-1", "111122223333", "AWSMarketplace/Experience/exp-1:x"}, wantOK: true, account: "111122223333"},
		{name: "no account", in: "arn:aws:s3:::bucket/key", want: ARN{"aws", "s3", "", "", "bucket/key"}, wantOK: true},
		{name: "AWS managed policy", in: "arn:aws:iam::aws:policy/AdministratorAccess", want: ARN{"aws", "iam", "", "aws", "policy/AdministratorAccess"}, wantOK: true},
		{name: "short account", in: "arn:aws:iam::1111:root", want: ARN{"aws", "iam", "", "1111", "root"}, wantOK: true},
		{name: "too few fields", in: "arn:aws:iam::111122223333"},
		{name: "no resource", in: "arn:aws:iam::111122223333:"},
		{name: "no service", in: "arn:aws:::111122223333:x"},
		{name: "not an ARN", in: "*"},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Parse(tt.in)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
			if ok && got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
			if a := AccountOf(tt.in); a != tt.account {
				t.Errorf("AccountOf = %q, want %q", a, tt.account)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"arn:aws:iam::111122223333:role/x", "arn:aws:s3:::b", "arn::::", "arn:a:b:c:d:e:f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := Parse(s)
		if ok && a.String() != s {
			t.Errorf("Parse(%q).String() = %q", s, a.String())
		}
	})
}
