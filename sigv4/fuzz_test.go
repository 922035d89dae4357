package sigv4

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"
)

const fuzzSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

var fuzzTime = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// checkParsed asserts the invariants of Parse's result on arbitrary input:
// errors are well-formed *Error values, successes are consistent, and no
// input verifies without the secret having been used to sign it.
func checkParsed(t *testing.T, r *http.Request, s *Signature, err error) {
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Code == "" || e.Message == "" || e.StatusCode < 400 || e.StatusCode > 499 {
			t.Fatalf("bad error %#v", err)
		}
		return
	}
	sc := s.Scope()
	if s.AccessKeyID() == "" || sc.Region == "" || sc.Service == "" || sc.Date != s.Time().Format(dateFormat) || !s.signs("host") {
		t.Fatalf("inconsistent signature %+v", s)
	}
	if s.Verify(r, nil, "a-different-secret", s.Time()) == nil {
		t.Fatalf("forged signature verified: %+v", s)
	}
}

func FuzzParseAuthorization(f *testing.F) {
	valid, _ := http.NewRequest("POST", "https://organizations.us-east-1.amazonaws.com/", nil)
	valid.Header.Set("X-Amz-Target", "AWSOrganizationsV20161128.ListAccounts")
	if err := Sign(valid, nil, Credentials{AccessKeyID: "AKID", SecretAccessKey: fuzzSecret}, "us-east-1", "organizations", fuzzTime); err != nil {
		f.Fatal(err)
	}
	date := fuzzTime.Format(timeFormat)
	f.Add(valid.Header.Get("Authorization"), date)
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/organizations/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", date)
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/organizations/aws4_request,SignedHeaders=host;x-amz-date,Signature=", date)
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, SignedHeaders=, Signature=x", "2026")
	f.Add("AWS4-HMAC-SHA256 Credential=//////, SignedHeaders=;;, Signature==,=,", date)
	f.Add("AWS4-HMAC-SHA256 SignedHeaders=host", "")
	f.Add("AWS4-HMAC-SHA256", date)
	f.Add("AWS AKID:sig", date)
	f.Add("Bearer x", "20261125T000000.5Z")
	f.Add("AWS4-HMAC-SHA256 Credential=AKID/20261125/us-east-1/organizations/aws4_request, SignedHeaders=Host;x-amz-date, Signature=00", date)
	f.Fuzz(func(t *testing.T, auth, amzDate string) {
		r, _ := http.NewRequest("POST", "https://organizations.us-east-1.amazonaws.com/", nil)
		r.Header["Authorization"] = []string{auth}
		r.Header["X-Amz-Date"] = []string{amzDate}
		r.Header["X-Amz-Target"] = []string{"AWSOrganizationsV20161128.ListAccounts"}
		s, err := Parse(r)
		checkParsed(t, r, s, err)
	})
}

func FuzzParsePresignedQuery(f *testing.F) {
	valid, _ := http.NewRequest("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	if err := Presign(valid, Credentials{AccessKeyID: "AKID", SecretAccessKey: fuzzSecret, SessionToken: "tok"}, "us-east-1", "sts", fuzzTime, time.Minute); err != nil {
		f.Fatal(err)
	}
	f.Add(valid.URL.RawQuery)
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261125%2Fus-east-1%2Fs3%2Faws4_request" +
		"&X-Amz-Date=20261125T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=00")
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604801")
	f.Add("X-Amz-Signature=1&X-Amz-Signature=2")
	f.Add("X-Amz-Credential=%zz")
	f.Add("a=1;b=2&X-Amz-Algorithm")
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a/b/c/d/aws4_request&X-Amz-Date=20261125T000000Z" +
		"&X-Amz-Expires=1e3&X-Amz-SignedHeaders=host&X-Amz-Signature=x")
	f.Fuzz(func(t *testing.T, rawQuery string) {
		u := &url.URL{Scheme: "https", Host: "sts.amazonaws.com", Path: "/", RawQuery: rawQuery}
		r := &http.Request{Method: "GET", URL: u, Host: u.Host, Header: http.Header{}, RequestURI: "/?" + rawQuery}
		s, err := Parse(r)
		checkParsed(t, r, s, err)
	})
}
