package sigv4

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAWSDocumentationExample checks the worked example from the AWS
// "Create a signed AWS API request" guide (IAM ListUsers, 20150830T123600Z):
// the hashed canonical request, the signing key and the signature.
func TestAWSDocumentationExample(t *testing.T) {
	r, _ := http.NewRequest("GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", nil)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "+
		"SignedHeaders=content-type;host;x-amz-date, "+
		"Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
	const secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

	s, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	prefix, err := s.canonicalPrefix(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := hashHex([]byte(prefix + hashHex(nil))); got != "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59" {
		t.Errorf("canonical request hash = %s\n%s", got, prefix)
	}
	if got := hex.EncodeToString(deriveKey(secret, s.Scope())); got != "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9" {
		t.Errorf("signing key = %s", got)
	}
	now := time.Date(2015, 8, 30, 12, 40, 0, 0, time.UTC)
	if err := s.Verify(r, nil, secret, now); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestCanonicalURI(t *testing.T) {
	tests := []struct {
		name, path, service, want string
	}{
		{name: "empty", path: "", service: "iam", want: "/"},
		{name: "root", path: "/", service: "iam", want: "/"},
		{name: "aws doc example", path: "/documents%20and%20settings/", service: "iam", want: "/documents%2520and%2520settings/"},
		{name: "unreserved kept", path: "/a-b_c.d~e/F9", service: "lambda", want: "/a-b_c.d~e/F9"},
		{name: "sub-delims encoded", path: "/a:b@c!$&'()*+,;=", service: "lambda", want: "/a%3Ab%40c%21%24%26%27%28%29%2A%2B%2C%3B%3D"},
		{name: "encoded slash double", path: "/a%2Fb/c", service: "lambda", want: "/a%252Fb/c"},
		{name: "empty segments kept", path: "//a//", service: "lambda", want: "//a//"},
		{name: "s3 single encoding", path: "/bucket/my%20key!.txt", service: "s3", want: "/bucket/my%20key%21.txt"},
		{name: "s3 encoded slash", path: "/bucket/a%2Fb", service: "s3", want: "/bucket/a%2Fb"},
		{name: "s3 utf8", path: "/b/%C3%BC", service: "s3", want: "/b/%C3%BC"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := canonicalURI(tc.path, tc.service)
			if err != nil || got != tc.want {
				t.Errorf("canonicalURI(%q, %q) = %q, %v; want %q", tc.path, tc.service, got, err, tc.want)
			}
		})
	}
	if _, err := canonicalURI("/b/%zz", "s3"); err == nil {
		t.Error("invalid escape in S3 path accepted")
	}
}

func TestCanonicalQuery(t *testing.T) {
	tests := []struct {
		name, raw, want string
		presigned       bool
	}{
		{name: "empty", raw: "", want: ""},
		{name: "sorted by key then value", raw: "b=2&a=2&a=1", want: "a=1&a=2&b=2"},
		{name: "sort after encoding", raw: "k=a-b&k=a%2Fb", want: "k=a%2Fb&k=a-b"},
		{name: "space and plus", raw: "q=a+b&r=a%20b&s=a%2Bb", want: "q=a%20b&r=a%20b&s=a%2Bb"},
		{name: "no value", raw: "acl&x=", want: "acl=&x="},
		{name: "utf8 and reserved", raw: "%C3%BC=%E2%82%AC&t=%21%2A", want: "%C3%BC=%E2%82%AC&t=%21%2A"},
		{name: "lowercase escapes normalized", raw: "t=%7e%2f", want: "t=~%2F"},
		{name: "empty pairs skipped", raw: "&a=1&&", want: "a=1"},
		{name: "presigned drops signature", raw: "X-Amz-Signature=ab&X-Amz-Date=1", presigned: true, want: "X-Amz-Date=1"},
		{name: "header auth keeps it", raw: "X-Amz-Signature=ab", want: "X-Amz-Signature=ab"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := parseQuery(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if got := canonicalQuery(ps, tc.presigned); got != tc.want {
				t.Errorf("canonicalQuery(%q) = %q, want %q", tc.raw, got, tc.want)
			}
		})
	}
	for _, raw := range []string{"a=%zz", "a=1;b=2", "%=1", "a=%4"} {
		if _, err := parseQuery(raw); !errors.Is(err, &Error{Code: CodeMalformedQueryString}) {
			t.Errorf("parseQuery(%q) error = %v, want MalformedQueryString", raw, err)
		}
	}
}

func TestNormalizeSpace(t *testing.T) {
	tests := map[string]string{
		"":               "",
		"  a  ":          "a",
		"a   b    c":     "a b c",
		"\ta  b\t":       "a b",
		"already normal": "already normal",
	}
	for in, want := range tests {
		if got := normalizeSpace(in); got != want {
			t.Errorf("normalizeSpace(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRequestTarget(t *testing.T) {
	tests := []struct {
		name, requestURI, wantPath, wantQuery string
	}{
		{name: "origin form", requestURI: "/a%20b?x=1", wantPath: "/a%20b", wantQuery: "x=1"},
		{name: "absolute form", requestURI: "http://h.example/p?q", wantPath: "/p", wantQuery: "q"},
		{name: "absolute no path", requestURI: "http://h.example?q", wantPath: "", wantQuery: "q"},
		{name: "client request", requestURI: "", wantPath: "/c", wantQuery: "z=9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := http.NewRequest("GET", "https://h.example/c?z=9", nil)
			r.RequestURI = tc.requestURI
			p, q := requestTarget(r)
			if p != tc.wantPath || q != tc.wantQuery {
				t.Errorf("requestTarget = %q, %q; want %q, %q", p, q, tc.wantPath, tc.wantQuery)
			}
		})
	}
}

func TestKeyCacheBoundedAndCorrect(t *testing.T) {
	c := newKeyCache(8)
	sc := Scope{Date: "20261125", Region: "us-east-1", Service: "iam"}
	for i := range 100 {
		s := fmt.Sprintf("secret-%d", i)
		if got := c.get(s, sc); !equalBytes(got, deriveKey(s, sc)) {
			t.Fatalf("cached key for %s differs from derived key", s)
		}
		if n := c.len(); n > 16 {
			t.Fatalf("cache holds %d keys, bound is 16", n)
		}
	}
	// A hit returns the same key; a different secret or scope a different one.
	a := c.get("secret-99", sc)
	if !equalBytes(a, c.get("secret-99", sc)) {
		t.Error("repeated lookup returned a different key")
	}
	if equalBytes(a, c.get("secret-98", sc)) {
		t.Error("different secrets share a key")
	}
	other := sc
	other.Service = "sts"
	if equalBytes(a, c.get("secret-99", other)) {
		t.Error("different scopes share a key")
	}
	// Field boundaries are unambiguous.
	if c.id("ab", Scope{"c", "d", "e"}) == c.id("a", Scope{"bc", "d", "e"}) {
		t.Error("cache ids collide across field boundaries")
	}
}

func TestKeyCacheConcurrent(t *testing.T) {
	c := newKeyCache(4)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				s := fmt.Sprintf("s%d", (g+i)%11)
				sc := Scope{Date: "20261125", Region: "us-east-1", Service: "iam"}
				if !equalBytes(c.get(s, sc), deriveKey(s, sc)) {
					t.Errorf("wrong key for %s", s)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestCacheDoesNotHoldSecret(t *testing.T) {
	c := newKeyCache(4)
	const secret = "SECRETSECRETSECRETSECRETSECRETSECRET"
	c.get(secret, Scope{"20261125", "us-east-1", "iam"})
	for id := range c.cur {
		if strings.Contains(string(id[:]), "SECRET") {
			t.Error("cache key contains the secret")
		}
	}
}

func equalBytes(a, b []byte) bool { return string(a) == string(b) }
