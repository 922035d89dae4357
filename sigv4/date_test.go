package sigv4

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

// TestDateHeaderFallback covers requests that carry their time in the HTTP
// Date header instead of X-Amz-Date: accepted when "date" is signed.
func TestDateHeaderFallback(t *testing.T) {
	at := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	sign := func(signed string) *http.Request {
		r, _ := http.NewRequest("GET", "https://iam.amazonaws.com/?Action=ListUsers", nil)
		r.Header.Set("Date", at.Format(http.TimeFormat))
		cred := "AKID/20261125/us-east-1/iam/aws4_request"
		s := &Signature{accessKeyID: "AKID", scope: Scope{"20261125", "us-east-1", "iam"}, date: at}
		s.signedHeaders = []string{"date", "host"}
		prefix, err := s.canonicalPrefix(r)
		if err != nil {
			t.Fatal(err)
		}
		sig := s.compute(deriveKey(fuzzSecret, s.scope), prefix, hashHex(nil))
		r.Header.Set("Authorization", algorithm+" Credential="+cred+", SignedHeaders="+signed+", Signature="+sig)
		return r
	}
	r := sign("date;host")
	s, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Time().Equal(at) {
		t.Errorf("Time() = %v", s.Time())
	}
	if err := s.Verify(r, nil, fuzzSecret, at.Add(time.Minute)); err != nil {
		t.Errorf("Verify: %v", err)
	}
	if _, err := Parse(sign("host")); !errors.Is(err, &Error{Code: CodeIncompleteSignature}) {
		t.Errorf("unsigned Date header: %v", err)
	}
}

func TestVerifierWithoutSecretRejects(t *testing.T) {
	r, _ := http.NewRequest("GET", "https://sts.amazonaws.com/", nil)
	at := time.Now()
	if err := Sign(r, nil, Credentials{AccessKeyID: "AKID", SecretAccessKey: fuzzSecret}, "us-east-1", "sts", at); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Verifier{}).Verify(r, nil); !errors.Is(err, &Error{Code: CodeInvalidClientTokenID}) {
		t.Errorf("zero Verifier: %v", err)
	}
	v := &Verifier{Secret: func(*Signature) (string, error) { return fuzzSecret, nil }}
	if _, err := v.Verify(r, nil); err != nil {
		t.Errorf("Verifier with default clock: %v", err)
	}
}
