package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"gatehouse/sigv4"
)

const (
	orgTarget   = "AWSOrganizationsV20161128"
	trailTarget = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"
)

// rawCall is one hand-made request to the server.
type rawCall struct {
	target string // X-Amz-Target; "" sends none
	body   string
	header map[string]string // more headers, signed
	// Signing: creds (zero means the server's root key), region and
	// service of the scope ("" means us-east-1 and organizations), and
	// the signing time's offset from now.
	creds           aws.Credentials
	region, service string
	skew            time.Duration
	unsigned        bool
	// tamper changes the signed request before it is sent; it may
	// replace the body.
	tamper func(r *http.Request, body *[]byte)
}

// rawResult is the server's answer.
type rawResult struct {
	status int
	code   string // the JSON error body's __type
	msg    string
	header http.Header
	body   []byte
}

// do signs and sends c with sigv4.Sign, the signer the SDKs are checked
// against.
func (s *server) do(t *testing.T, c rawCall) rawResult {
	t.Helper()
	body := []byte(c.body)
	r, err := http.NewRequest(http.MethodPost, s.URL+"/", bytes.NewReader(body))
	must(t, err, "NewRequest")
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	if c.target != "" {
		r.Header.Set("X-Amz-Target", c.target)
	}
	for k, v := range c.header {
		r.Header.Set(k, v)
	}
	if !c.unsigned {
		creds := c.creds
		if creds.AccessKeyID == "" {
			creds = s.Key
		}
		region, service := c.region, c.service
		if region == "" {
			region = Region
		}
		if service == "" {
			service = "organizations"
		}
		err := sigv4.Sign(r, body, sigv4.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken}, region, service, time.Now().Add(c.skew))
		must(t, err, "sigv4.Sign")
	}
	if c.tamper != nil {
		c.tamper(r, &body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	}
	return send(t, r)
}

func send(t *testing.T, r *http.Request) rawResult {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	must(t, err, "send")
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err, "read response")
	res := rawResult{status: resp.StatusCode, header: resp.Header, body: b}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Type    string `json:"__type"`
			Message string
		}
		if err := json.Unmarshal(b, &e); err != nil {
			t.Errorf("error body %q is not JSON: %v", b, err)
		}
		res.code, res.msg = e.Type, e.Message
	}
	return res
}

// wantResult checks the status, the __type and the error headers.
func wantResult(t *testing.T, got rawResult, status int, code string) {
	t.Helper()
	if got.status >= 500 {
		t.Errorf("HTTP %d (%s: %s): a client error must never be a server error", got.status, got.code, got.msg)
	}
	if got.status != status || got.code != code {
		t.Errorf("got HTTP %d %q (%s), want HTTP %d %q", got.status, got.code, got.msg, status, code)
	}
	if got.header.Get("X-Amzn-Requestid") == "" {
		t.Error("no x-amzn-RequestId header")
	}
	if code != "" && got.header.Get("X-Amzn-Errortype") != code {
		t.Errorf("x-amzn-ErrorType = %q, want %q", got.header.Get("X-Amzn-Errortype"), code)
	}
	if ct := got.header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// TestSigV4Negative sends requests whose signature is wrong in one way
// each: none gets through, each gets AWS's error and status.
func TestSigV4Negative(t *testing.T) {
	t.Parallel()
	srv := start(t, opts{})
	ctx := ctxFor(t)
	c := srv.org()
	org, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	must(t, err, "CreateOrganization")
	roots, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
	must(t, err, "ListRoots")
	root := aws.ToString(roots.Roots[0].Id)

	describe := orgTarget + ".DescribeOrganization"
	createOU := func(name string) string { return `{"ParentId":"` + root + `","Name":"` + name + `"}` }
	setHeader := func(k, v string) func(*http.Request, *[]byte) {
		return func(r *http.Request, _ *[]byte) { r.Header.Set(k, v) }
	}
	unknownKey := newRootKey()
	cases := []struct {
		name   string
		call   rawCall
		status int
		code   string
	}{
		{name: "Valid", status: 200, call: rawCall{target: describe, body: "{}"}},
		{name: "ValidTenMinutesSkew", status: 200, call: rawCall{target: describe, body: "{}", skew: -10 * time.Minute}},
		{name: "WrongSecret", status: 403, code: "InvalidSignatureException",
			call: rawCall{target: describe, body: "{}", creds: aws.Credentials{AccessKeyID: srv.Key.AccessKeyID, SecretAccessKey: "not-" + srv.Key.SecretAccessKey}}},
		{name: "UnknownKey", status: 403, code: "UnrecognizedClientException", call: rawCall{target: describe, body: "{}", creds: unknownKey}},
		{name: "TamperedBody", status: 403, code: "InvalidSignatureException",
			call: rawCall{target: orgTarget + ".CreateOrganizationalUnit", body: createOU("aaaaaaaa"), tamper: func(_ *http.Request, b *[]byte) {
				*b = []byte(createOU("bbbbbbbb"))
			}}},
		{name: "TamperedSignedTarget", status: 403, code: "InvalidSignatureException",
			call: rawCall{target: describe, body: "{}", tamper: setHeader("X-Amz-Target", orgTarget+".DeleteOrganization")}},
		{name: "TamperedSignedDate", status: 403, code: "InvalidSignatureException",
			call: rawCall{target: describe, body: "{}", tamper: func(r *http.Request, _ *[]byte) {
				d, _ := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
				r.Header.Set("X-Amz-Date", d.Add(-time.Second).Format("20060102T150405Z"))
			}}},
		{name: "TamperedSignature", status: 403, code: "InvalidSignatureException",
			call: rawCall{target: describe, body: "{}", tamper: func(r *http.Request, _ *[]byte) {
				a := r.Header.Get("Authorization")
				last := a[len(a)-1]
				flip := byte('0')
				if last == '0' {
					flip = '1'
				}
				r.Header.Set("Authorization", a[:len(a)-1]+string(flip))
			}}},
		{name: "TamperedHost", status: 403, code: "InvalidSignatureException",
			call: rawCall{target: describe, body: "{}", tamper: func(r *http.Request, _ *[]byte) {
				r.Host = strings.Replace(r.Host, "127.0.0.1", "localhost", 1)
			}}},
		{name: "TamperedQuery", status: 403, code: "InvalidSignatureException",
			call: rawCall{target: describe, body: "{}", tamper: func(r *http.Request, _ *[]byte) { r.URL.RawQuery = "Action=DeleteOrganization" }}},
		{name: "TamperedPath", status: 403, code: "InvalidSignatureException",
			call: rawCall{target: describe, body: "{}", tamper: func(r *http.Request, _ *[]byte) { r.URL.Path = "/other" }}},
		{name: "TamperedMethod", status: 403, code: "InvalidSignatureException",
			call: rawCall{target: describe, body: "{}", tamper: func(r *http.Request, _ *[]byte) { r.Method = http.MethodPut }}},
		{name: "PayloadHashMismatch", status: 400, code: "XAmzContentSHA256Mismatch",
			call: rawCall{target: describe, body: "{}", header: map[string]string{"X-Amz-Content-Sha256": sha256Hex("something else")}}},
		{name: "Expired", status: 400, code: "RequestExpired", call: rawCall{target: describe, body: "{}", skew: -20 * time.Minute}},
		{name: "FutureDate", status: 400, code: "RequestExpired", call: rawCall{target: describe, body: "{}", skew: 20 * time.Minute}},
		{name: "WrongRegion", status: 403, code: "InvalidSignatureException", call: rawCall{target: describe, body: "{}", region: "eu-west-3"}},
		// The scope's service routes the request: signed for CloudTrail,
		// an Organizations target is an operation CloudTrail lacks.
		{name: "WrongService", status: 400, code: "UnknownOperationException", call: rawCall{target: describe, body: "{}", service: "cloudtrail"}},
		{name: "UnservedService", status: 400, code: "UnknownOperationException", call: rawCall{target: describe, body: "{}", service: "s3"}},
		{name: "MissingAuthorization", status: 403, code: "MissingAuthenticationTokenException", call: rawCall{target: describe, body: "{}", unsigned: true}},
		{name: "MissingSignature", status: 400, code: "IncompleteSignatureException",
			call: rawCall{target: describe, body: "{}", tamper: func(r *http.Request, _ *[]byte) {
				a := r.Header.Get("Authorization")
				r.Header.Set("Authorization", a[:strings.Index(a, ", Signature=")])
			}}},
		{name: "MissingDateHeader", status: 400, code: "IncompleteSignatureException",
			call: rawCall{target: describe, body: "{}", tamper: func(r *http.Request, _ *[]byte) { r.Header.Del("X-Amz-Date") }}},
		{name: "GarbageAuthorization", status: 400, code: "IncompleteSignatureException",
			call: rawCall{target: describe, body: "{}", tamper: setHeader("Authorization", "AWS4-HMAC-SHA256 garbage")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantResult(t, srv.do(t, tc.call), tc.status, tc.code)
		})
	}

	t.Run("SessionTokenWithLongTermKey", func(t *testing.T) {
		// An access key AKIA... is a long-term key: a request carrying a
		// security token with it is not authentic (AWS:
		// UnrecognizedClientException, "The security token included in the
		// request is invalid.").
		got := srv.do(t, rawCall{target: describe, body: "{}", creds: aws.Credentials{AccessKeyID: srv.Key.AccessKeyID, SecretAccessKey: srv.Key.SecretAccessKey, SessionToken: "bogus-session-token"}})
		if got.status == http.StatusOK {
			t.Errorf("a request signed with the root's long-term key and a bogus X-Amz-Security-Token was served")
			return
		}
		wantResult(t, got, 403, "UnrecognizedClientException")
	})

	// None got through: the organization is there, unchanged, and no OU
	// was created by the tampered body.
	d, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must(t, err, "DescribeOrganization after the attacks")
	if aws.ToString(d.Organization.Id) != aws.ToString(org.Organization.Id) {
		t.Errorf("organization changed: %s", aws.ToString(d.Organization.Id))
	}
	ous, err := c.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(root)})
	must(t, err, "ListOrganizationalUnitsForParent")
	if len(ous.OrganizationalUnits) != 0 {
		t.Errorf("a rejected request created OUs: %+v", ous.OrganizationalUnits)
	}
}

// TestPresignedURL: query-string authentication expires, and cannot be
// turned into another operation.
func TestPresignedURL(t *testing.T) {
	t.Parallel()
	srv := start(t, opts{})
	ctx := ctxFor(t)
	presigned := func(at time.Time, expires time.Duration, op string) *http.Request {
		r, err := http.NewRequest(http.MethodPost, srv.URL+"/", nil)
		must(t, err, "NewRequest")
		must(t, sigv4.Presign(r, sigv4.Credentials{AccessKeyID: srv.Key.AccessKeyID, SecretAccessKey: srv.Key.SecretAccessKey}, Region, "organizations", at, expires), "Presign")
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		r.Header.Set("X-Amz-Target", orgTarget+"."+op)
		return r
	}
	wantResult(t, send(t, presigned(time.Now().Add(-10*time.Minute), time.Minute, "DescribeOrganization")), 400, "RequestExpired")

	// A presigned URL signs the host only: the operation (X-Amz-Target)
	// is not part of the signature, so whoever holds a URL handed out for
	// a read could run any operation without input with it.
	_, err := srv.org().CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	must(t, err, "CreateOrganization")
	got := send(t, presigned(time.Now(), time.Hour, "DeleteOrganization"))
	_, err = srv.org().DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if got.status == http.StatusOK || err != nil {
		t.Errorf("DeleteOrganization through a presigned URL that does not sign X-Amz-Target: HTTP %d, organization afterwards: %v", got.status, err)
		return
	}
	if got.status < 400 || got.status >= 500 {
		t.Errorf("presigned DeleteOrganization: HTTP %d %s", got.status, got.code)
	}
}

// TestProtocolErrors: requests that are authentic but not well-formed get
// the protocol's errors, never a 500.
func TestProtocolErrors(t *testing.T) {
	t.Parallel()
	srv := start(t, opts{})
	createOU := orgTarget + ".CreateOrganizationalUnit"
	cases := []struct {
		name   string
		call   rawCall
		status int
		code   string
	}{
		{name: "MalformedJSON", status: 400, code: "SerializationException", call: rawCall{target: createOU, body: `{"ParentId":`}},
		{name: "NotAnObject", status: 400, code: "SerializationException", call: rawCall{target: createOU, body: `["r-abcd"]`}},
		{name: "WrongMemberType", status: 400, code: "SerializationException", call: rawCall{target: createOU, body: `{"ParentId":5,"Name":"x"}`}},
		{name: "TrailingData", status: 400, code: "SerializationException", call: rawCall{target: createOU, body: `{"ParentId":"r-abcd","Name":"x"} {}`}},
		{name: "UnknownOperation", status: 400, code: "UnknownOperationException", call: rawCall{target: orgTarget + ".FlyToTheMoon", body: "{}"}},
		// Operations of the AWS API that Gatehouse does not serve are
		// refused, not guessed at.
		{name: "UnservedOperation", status: 400, code: "UnknownOperationException", call: rawCall{target: orgTarget + ".InviteAccountToOrganization", body: `{"Target":{"Id":"222222222222","Type":"ACCOUNT"}}`}},
		{name: "UnknownTargetPrefix", status: 400, code: "UnknownOperationException", call: rawCall{target: "AWSOrganizationsV20991231.DescribeOrganization", body: "{}"}},
		{name: "MissingTarget", status: 400, code: "UnknownOperationException", call: rawCall{body: "{}"}},
		{name: "OversizedBody", status: 413, code: "RequestEntityTooLargeException",
			call: rawCall{target: createOU, body: `{"ParentId":"r-abcd","Name":"` + strings.Repeat("x", 4<<20) + `"}`}},
		// Both spellings of CloudTrail's target: the CLI's (botocore's
		// targetPrefix) and aws-sdk-go-v2's.
		{name: "CloudTrailLongTarget", status: 200, call: rawCall{target: trailTarget + ".LookupEvents", body: `{"MaxResults":1}`, service: "cloudtrail"}},
		{name: "CloudTrailShortTarget", status: 200, call: rawCall{target: "CloudTrail_20131101.LookupEvents", body: `{"MaxResults":1}`, service: "cloudtrail"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantResult(t, srv.do(t, tc.call), tc.status, tc.code)
		})
	}
}
