package policy

import "testing"

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		wild, fold bool
		want       bool
	}{
		{"*", "", true, false, true},
		{"*", "arn:aws:s3:::b/k", true, false, true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c", true, false, true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::c/a", true, false, false},
		{"a?c", "abc", true, false, true},
		{"a?c", "ac", true, false, false},
		{"a?c", "aéc", true, false, true},
		{"*a*b*c", "xxaxxbxxcxc", true, false, true},
		{"*a*b*c", "xxaxxbxxcx", true, false, false},
		{"s3:get*", "s3:getobject", true, false, true},
		{"S3:Get*", "s3:getobject", true, true, true},
		{"S3:Get*", "s3:getobject", true, false, false},
		{"a*", "a*", false, false, true},
		{"a*", "ab", false, false, false},
		{"**", "x", true, false, true},
		{"", "", true, false, true},
		{"", "x", true, false, false},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, nil, tt.s, tt.wild, tt.fold); got != tt.want {
			t.Errorf("globMatch(%q, %q, wild=%v, fold=%v) = %v, want %v", tt.pattern, tt.s, tt.wild, tt.fold, got, tt.want)
		}
	}
}

func TestGlobLiteralMask(t *testing.T) {
	// "a*" where the star came from a variable's value is literal.
	if globMatch("a*", []bool{false, true}, "abc", true, false) {
		t.Error("a literal star matched as a wildcard")
	}
	if !globMatch("a*", []bool{false, true}, "a*", true, false) {
		t.Error("a literal star did not match itself")
	}
}
