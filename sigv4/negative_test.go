package sigv4_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"gatehouse/sigv4"
)

// orgCase is the baseline for negative tests: an SDK-signed Organizations call.
func orgCase() sdkCase {
	c := sdkCases()[0]
	c.token = true
	return c
}

// replaceAuth rewrites part of the Authorization header.
func replaceAuth(old, new string) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
	}
}

func setHeader(k, v string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set(k, v) }
}

func TestVerifyRejects(t *testing.T) {
	tests := []struct {
		name     string
		before   func(*http.Request) // applied before SDK signing
		tamper   func(*http.Request) // applied after signing, before sending
		body     string              // body actually sent, if different
		declared bool                // sign with an X-Amz-Content-Sha256 header
		secret   string              // secret the server holds; default testSecret
		now      time.Time           // server clock; default t0 + 1 min
		region   string              // expected region; default us-east-1
		service  string              // expected service; default organizations
		wantCode string
		wantMsg  string // substring of the message, optional
	}{
		{name: "wrong secret", secret: "not-the-secret", wantCode: sigv4.CodeSignatureDoesNotMatch,
			wantMsg: "The request signature we calculated does not match the signature you provided."},
		{name: "tampered body same length", body: `{"MaxResults":99}`, wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "tampered body with declared hash", declared: true, body: `{"MaxResults":99}`, wantCode: sigv4.CodeContentSHA256Mismatch},
		{name: "tampered signed header", tamper: setHeader("X-Amz-Target", "AWSOrganizationsV20161128.DeleteOrganization"),
			wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "tampered host", tamper: func(r *http.Request) { r.Host = "evil.example" }, wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "tampered method", tamper: func(r *http.Request) { r.Method = "PUT" }, wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "tampered path", tamper: func(r *http.Request) { r.URL.Path = "/x" }, wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "added query parameter", tamper: func(r *http.Request) { r.URL.RawQuery = "Action=Delete" },
			wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "tampered security token", tamper: setHeader("X-Amz-Security-Token", "other"), wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "tampered x-amz-date", tamper: setHeader("X-Amz-Date", "20261125T000001Z"), wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "tampered signature", tamper: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			last := a[len(a)-1]
			r.Header.Set("Authorization", a[:len(a)-1]+map[bool]string{true: "1", false: "0"}[last == '0'])
		}, wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "uppercase signature", tamper: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			i := strings.Index(a, "Signature=") + len("Signature=")
			r.Header.Set("Authorization", a[:i]+strings.ToUpper(a[i:]))
		}, wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "unsigned host", tamper: replaceAuth("SignedHeaders=content-length;content-type;host;", "SignedHeaders=content-length;content-type;"),
			wantCode: sigv4.CodeIncompleteSignature, wantMsg: "'Host'"},
		{name: "unsigned x-amz-date", tamper: replaceAuth(";x-amz-date", ""), wantCode: sigv4.CodeIncompleteSignature, wantMsg: "'X-Amz-Date'"},
		{name: "unsorted signed headers", tamper: replaceAuth("content-length;content-type", "content-type;content-length"),
			wantCode: sigv4.CodeIncompleteSignature},
		{name: "expired beyond 15 min", now: t0.Add(15*time.Minute + time.Second), wantCode: sigv4.CodeRequestExpired,
			wantMsg: "Signature expired: 20261125T000000Z is now earlier than 20261125T000001Z (20261125T001501Z - 15 min.)"},
		{name: "future beyond 15 min", now: t0.Add(-15*time.Minute - time.Second), wantCode: sigv4.CodeRequestExpired,
			wantMsg: "Signature not yet current"},
		{name: "scope date mismatch", tamper: replaceAuth("/20261125/", "/20261124/"), wantCode: sigv4.CodeSignatureDoesNotMatch,
			wantMsg: "Date in Credential scope does not match"},
		{name: "scope region differs from expected", region: "eu-west-1", wantCode: sigv4.CodeSignatureDoesNotMatch,
			wantMsg: "valid region"},
		{name: "scope service differs from expected", service: "iam", wantCode: sigv4.CodeSignatureDoesNotMatch,
			wantMsg: "correct service: 'iam'"},
		{name: "scope rewritten to expected region", tamper: replaceAuth("/us-east-1/", "/eu-west-1/"), region: "eu-west-1",
			wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "bad terminator", tamper: replaceAuth("aws4_request", "aws5_request"), wantCode: sigv4.CodeSignatureDoesNotMatch,
			wantMsg: "valid terminator"},
		{name: "unknown access key", tamper: replaceAuth("Credential="+testAKID, "Credential=AKIDUNKNOWN"),
			wantCode: sigv4.CodeInvalidClientTokenID, wantMsg: "security token included in the request is invalid"},
		{name: "empty secret held by server", secret: "-", wantCode: sigv4.CodeInvalidClientTokenID},
		{name: "missing Authorization", tamper: func(r *http.Request) { r.Header.Del("Authorization") },
			wantCode: sigv4.CodeMissingAuthenticationToken, wantMsg: "Missing Authentication Token"},
		{name: "blank Authorization", tamper: setHeader("Authorization", "  "), wantCode: sigv4.CodeMissingAuthenticationToken},
		{name: "missing Credential", tamper: replaceAuth("Credential=", "Credentials="), wantCode: sigv4.CodeIncompleteSignature},
		{name: "no Credential at all", tamper: setHeader("Authorization", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00"),
			wantCode: sigv4.CodeIncompleteSignature, wantMsg: "Authorization header requires 'Credential' parameter."},
		{name: "missing SignedHeaders", tamper: setHeader("Authorization",
			"AWS4-HMAC-SHA256 Credential="+testAKID+"/20261125/us-east-1/organizations/aws4_request, Signature=00"),
			wantCode: sigv4.CodeIncompleteSignature, wantMsg: "requires 'SignedHeaders' parameter"},
		{name: "missing Signature", tamper: setHeader("Authorization",
			"AWS4-HMAC-SHA256 Credential="+testAKID+"/20261125/us-east-1/organizations/aws4_request, SignedHeaders=host;x-amz-date"),
			wantCode: sigv4.CodeIncompleteSignature, wantMsg: "requires 'Signature' parameter"},
		{name: "missing date headers", tamper: func(r *http.Request) { r.Header.Del("X-Amz-Date") },
			wantCode: sigv4.CodeIncompleteSignature, wantMsg: "'X-Amz-Date' or a 'Date' header"},
		{name: "malformed x-amz-date", tamper: setHeader("X-Amz-Date", "2026-11-25T00:00:00Z"), wantCode: sigv4.CodeIncompleteSignature},
		{name: "credential with 4 elements", tamper: replaceAuth("/us-east-1/", "/"), wantCode: sigv4.CodeIncompleteSignature,
			wantMsg: "exactly 5 slash-delimited elements"},
		{name: "wrong algorithm", tamper: replaceAuth("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"), wantCode: sigv4.CodeIncompleteSignature,
			wantMsg: "Unsupported AWS 'algorithm'"},
		{name: "sigv2 style header", tamper: setHeader("Authorization", "AWS "+testAKID+":c2lnbmF0dXJl"),
			wantCode: sigv4.CodeIncompleteSignature},
		{name: "bearer token", tamper: setHeader("Authorization", "Bearer abc"), wantCode: sigv4.CodeIncompleteSignature},
		{name: "repeated parameter", tamper: replaceAuth(", Signature=", ", SignedHeaders=host, Signature="),
			wantCode: sigv4.CodeIncompleteSignature},
		{name: "two Authorization headers", tamper: func(r *http.Request) { r.Header.Add("Authorization", r.Header.Get("Authorization")) },
			wantCode: sigv4.CodeIncompleteSignature},
		{name: "Authorization plus presign query", tamper: func(r *http.Request) { r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256" },
			wantCode: sigv4.CodeIncompleteSignature},
		{name: "malformed query string", tamper: func(r *http.Request) { r.URL.RawQuery = "a=%zz" }, wantCode: sigv4.CodeMalformedQueryString},
		{name: "unsigned payload with body outside s3", before: setHeader("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"),
			wantCode: sigv4.CodeIncompleteSignature, wantMsg: "UNSIGNED-PAYLOAD"},
		{name: "streaming payload unsupported", tamper: setHeader("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
			wantCode: sigv4.CodeIncompleteSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := orgCase()
			c.declared = tc.declared
			r := c.request(t)
			if tc.before != nil {
				tc.before(r)
			}
			payload := c.payloadHash()
			if v := r.Header.Get("X-Amz-Content-Sha256"); v != "" {
				payload = v
			}
			if err := sdkSigner().SignHTTP(ctx(), c.creds(), r, payload, c.service, c.region, t0); err != nil {
				t.Fatal(err)
			}
			if tc.tamper != nil {
				tc.tamper(r)
			}
			sr, body := overTheWire(t, r)
			if tc.body != "" {
				body = []byte(tc.body)
			}
			v := verifier(or(tc.region, "us-east-1"), or(tc.service, "organizations"), t0.Add(time.Minute))
			if !tc.now.IsZero() {
				v.Now = func() time.Time { return tc.now }
			}
			if tc.secret != "" {
				secret := strings.TrimPrefix(tc.secret, "-")
				v.Secret = func(*sigv4.Signature) (string, error) { return secret, nil }
			}
			_, err := v.Verify(sr, body)
			assertErr(t, err, tc.wantCode, tc.wantMsg)
		})
	}
}

func TestVerifyRejectsPresigned(t *testing.T) {
	base := presignCases()[0] // sts, expires 60
	tests := []struct {
		name     string
		tamper   func(*http.Request)
		body     string
		now      time.Time
		wantCode string
		wantMsg  string
	}{
		{name: "expired presigned URL", now: t0.Add(61 * time.Second), wantCode: sigv4.CodeRequestExpired, wantMsg: "Request has expired"},
		{name: "presigned not yet valid", now: t0.Add(-16 * time.Minute), wantCode: sigv4.CodeRequestExpired},
		{name: "tampered query parameter", tamper: editQuery("Action=GetCallerIdentity", "Action=AssumeRole"),
			wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "extended expiry", tamper: editQuery("X-Amz-Expires=60", "X-Amz-Expires=3600"), wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "tampered signed header", tamper: setHeader("X-K8s-Aws-Id", "other-cluster"), wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "body added to presigned GET", body: "Action=DeleteUser", wantCode: sigv4.CodeSignatureDoesNotMatch},
		{name: "missing expires", tamper: editQuery("X-Amz-Expires=60&", ""), wantCode: sigv4.CodeIncompleteSignature,
			wantMsg: "must include 'X-Amz-Expires'"},
		{name: "expires too long", tamper: editQuery("X-Amz-Expires=60", "X-Amz-Expires=604801"), wantCode: sigv4.CodeIncompleteSignature},
		{name: "expires zero", tamper: editQuery("X-Amz-Expires=60", "X-Amz-Expires=0"), wantCode: sigv4.CodeIncompleteSignature},
		{name: "expires negative", tamper: editQuery("X-Amz-Expires=60", "X-Amz-Expires=-5"), wantCode: sigv4.CodeIncompleteSignature},
		{name: "wrong algorithm", tamper: editQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1"),
			wantCode: sigv4.CodeIncompleteSignature},
		{name: "missing signature", tamper: func(r *http.Request) {
			q := r.URL.Query()
			q.Del("X-Amz-Signature")
			r.URL.RawQuery = q.Encode()
		}, wantCode: sigv4.CodeIncompleteSignature},
		{name: "repeated signature", tamper: func(r *http.Request) { r.URL.RawQuery += "&X-Amz-Signature=00" },
			wantCode: sigv4.CodeIncompleteSignature},
		{name: "unsigned host", tamper: editQuery("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id", "X-Amz-SignedHeaders=x-k8s-aws-id"),
			wantCode: sigv4.CodeIncompleteSignature},
		{name: "with Authorization header too", tamper: setHeader("Authorization", "AWS4-HMAC-SHA256 x"),
			wantCode: sigv4.CodeIncompleteSignature},
		{name: "scope date mismatch", tamper: editQuery("%2F20261125%2F", "%2F20261126%2F"), wantCode: sigv4.CodeSignatureDoesNotMatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := base.sdkPresign(t, t0)
			if tc.tamper != nil {
				tc.tamper(r)
			}
			sr, body := overTheWire(t, r)
			if tc.body != "" {
				body = []byte(tc.body)
			}
			v := verifier(base.region, base.service, or(tc.now, t0.Add(time.Minute)))
			_, err := v.Verify(sr, body)
			assertErr(t, err, tc.wantCode, tc.wantMsg)
		})
	}
}

// TestClockSkewBoundaries accepts exactly ±15 minutes.
func TestClockSkewBoundaries(t *testing.T) {
	c := orgCase()
	for _, skew := range []time.Duration{-sigv4.MaxClockSkew, 0, sigv4.MaxClockSkew} {
		sr, body := overTheWire(t, c.sdkSign(t, t0))
		if _, err := verifier("us-east-1", "organizations", t0.Add(skew)).Verify(sr, body); err != nil {
			t.Errorf("skew %v: %v", skew, err)
		}
	}
}

// TestParseExposesScopeBeforeVerify shows the routing use: Parse alone
// reveals key and scope, and Verify then needs the right secret.
func TestParseExposesScopeBeforeVerify(t *testing.T) {
	sr, body := overTheWire(t, orgCase().sdkSign(t, t0))
	sig, err := sigv4.Parse(sr)
	if err != nil {
		t.Fatal(err)
	}
	if sig.Scope().Service != "organizations" || sig.AccessKeyID() != testAKID || sig.SecurityToken() != testToken {
		t.Fatalf("Parse: %+v %q %q", sig.Scope(), sig.AccessKeyID(), sig.SecurityToken())
	}
	want := []string{"content-length", "content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"}
	if got := strings.Join(sig.SignedHeaders(), ";"); got != strings.Join(want, ";") {
		t.Errorf("SignedHeaders() = %s", got)
	}
	if err := sig.CheckScope("us-east-1", "organizations"); err != nil {
		t.Error(err)
	}
	if err := sig.Verify(sr, body, testSecret, t0); err != nil {
		t.Error(err)
	}
	if err := sig.Verify(sr, body, "", t0); !isCode(err, sigv4.CodeInvalidClientTokenID) {
		t.Errorf("empty secret: %v", err)
	}
}

func TestErrorShape(t *testing.T) {
	tests := []struct {
		code   string
		status int
		make   func() error
	}{
		{sigv4.CodeMissingAuthenticationToken, 403, func() error {
			_, err := sigv4.Parse(&http.Request{Header: http.Header{}, URL: mustURL("https://h/")})
			return err
		}},
		{sigv4.CodeInvalidClientTokenID, 403, func() error { return sigv4.InvalidClientTokenID() }},
		{sigv4.CodeIncompleteSignature, 400, func() error {
			_, err := sigv4.Parse(&http.Request{Header: http.Header{"Authorization": {"AWS4-HMAC-SHA256 "}}, URL: mustURL("https://h/")})
			return err
		}},
	}
	for _, tc := range tests {
		err := tc.make()
		var e *sigv4.Error
		if !asError(err, &e) || e.Code != tc.code || e.StatusCode != tc.status || e.Message == "" {
			t.Errorf("%s: got %#v", tc.code, err)
			continue
		}
		if e.Error() != e.Code+": "+e.Message {
			t.Errorf("Error() = %q", e.Error())
		}
		if !errorsIs(err, &sigv4.Error{Code: tc.code}) || errorsIs(err, &sigv4.Error{Code: "Other"}) {
			t.Errorf("%s: errors.Is by code broken", tc.code)
		}
	}
}

func assertErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *sigv4.Error
	if !asError(err, &e) {
		t.Fatalf("error = %v, want *sigv4.Error %s", err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%s), want %s", e.Code, e.Message, code)
	}
	if msg != "" && !strings.Contains(e.Message, msg) {
		t.Errorf("message %q does not contain %q", e.Message, msg)
	}
	wantStatus := map[string]int{
		sigv4.CodeMissingAuthenticationToken: 403, sigv4.CodeIncompleteSignature: 400,
		sigv4.CodeInvalidClientTokenID: 403, sigv4.CodeSignatureDoesNotMatch: 403,
		sigv4.CodeRequestExpired: 400, sigv4.CodeMalformedQueryString: 404, sigv4.CodeContentSHA256Mismatch: 400,
	}[code]
	if e.StatusCode != wantStatus {
		t.Errorf("status = %d, want %d", e.StatusCode, wantStatus)
	}
}

func editQuery(old, new string) func(*http.Request) {
	return func(r *http.Request) {
		if !strings.Contains(r.URL.RawQuery, old) {
			panic("editQuery: " + old + " not in " + r.URL.RawQuery)
		}
		r.URL.RawQuery = strings.Replace(r.URL.RawQuery, old, new, 1)
	}
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
