package sigv4_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"gatehouse/sigv4"
)

const (
	testAKID   = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testToken  = "FQoGZXIvYXdzEXAMPLETOKEN//+=="
)

var (
	t0      = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	sdkCred = aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}
)

// sdkCase is a request signed by the AWS SDK signer.
type sdkCase struct {
	name     string
	method   string
	url      string
	rawPath  string // optional: escaped path to force, e.g. with %2F
	body     string
	headers  map[string][]string
	service  string
	region   string
	token    bool
	optFns   []func(*v4.SignerOptions)
	payload  string // payload hash to sign with; default SHA-256 of body
	declared bool   // also send the payload hash as X-Amz-Content-Sha256
}

func sdkCases() []sdkCase {
	return []sdkCase{
		{
			name: "organizations JSON POST", method: "POST", service: "organizations", region: "us-east-1",
			url:  "https://organizations.us-east-1.amazonaws.com/",
			body: `{"MaxResults":20}`,
			headers: map[string][]string{
				"Content-Type": {"application/x-amz-json-1.1"},
				"X-Amz-Target": {"AWSOrganizationsV20161128.ListAccounts"},
			},
		},
		{
			name: "iam form POST", method: "POST", service: "iam", region: "us-east-1",
			url:     "https://iam.amazonaws.com/",
			body:    "Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fdivision_abc%2F",
			headers: map[string][]string{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}},
		},
		{
			name: "GET with query and special path", method: "GET", service: "lambda", region: "eu-west-1",
			url: "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/my%20fn+%C3%BC:x@y!$&'()*,;=/invocations" +
				"?Qualifier=a%20b&sort=a-b&sort=a%2Fb&empty=&%C3%BC=%E2%82%AC&tilde=~&star=%2A&b=2&a=1",
			headers: map[string][]string{
				"X-Amz-Meta-Multi":  {"one", "  two   spaced  "},
				"X-Custom-Spaces":   {"  a    b  c "},
				"X-Amz-Invocation":  {"Event"},
				"X-Amzn-Trace-Id":   {"Root=1-unsigned"},
				"Accept":            {"application/json"},
				"X-Amz-Client-Name": {"gatehouse tests"},
			},
		},
		{
			name: "encoded slash in path", method: "GET", service: "apigateway", region: "us-west-2",
			url: "https://apigateway.us-west-2.amazonaws.com/restapis/a%2Fb/stages", rawPath: "/restapis/a%2Fb/stages",
		},
		{
			name: "sts with session token", method: "POST", service: "sts", region: "us-east-1", token: true,
			url:     "https://sts.amazonaws.com/",
			body:    "Action=GetCallerIdentity&Version=2011-06-15",
			headers: map[string][]string{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}},
		},
		{
			name: "declared payload hash", method: "POST", service: "organizations", region: "us-east-1", declared: true,
			url:  "https://organizations.us-east-1.amazonaws.com/",
			body: `{}`, headers: map[string][]string{"X-Amz-Target": {"AWSOrganizationsV20161128.DescribeOrganization"}},
		},
		{
			name: "s3 PUT single-encoded path", method: "PUT", service: "s3", region: "us-east-1", declared: true,
			url: "https://bucket.s3.us-east-1.amazonaws.com/photos/my%20photo%21.jpg", rawPath: "/photos/my%20photo%21.jpg",
			body:   "binary-ish body",
			optFns: []func(*v4.SignerOptions){func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }},
		},
		{
			name: "s3 GET unsigned payload", method: "GET", service: "s3", region: "us-east-1", declared: true,
			url:     "https://bucket.s3.us-east-1.amazonaws.com/key.txt",
			payload: "UNSIGNED-PAYLOAD",
			optFns:  []func(*v4.SignerOptions){func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }},
		},
	}
}

func (c sdkCase) request(t testing.TB) *http.Request {
	t.Helper()
	r, err := http.NewRequest(c.method, c.url, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.body == "" {
		r.Body, r.ContentLength = http.NoBody, 0
	}
	if c.rawPath != "" {
		r.URL.RawPath = c.rawPath
	}
	for k, vs := range c.headers {
		r.Header[k] = append([]string(nil), vs...)
	}
	if c.declared {
		r.Header.Set("X-Amz-Content-Sha256", c.payloadHash())
	}
	return r
}

func (c sdkCase) payloadHash() string {
	if c.payload != "" {
		return c.payload
	}
	return sha256Hex(c.body)
}

func (c sdkCase) creds() aws.Credentials {
	cr := sdkCred
	if c.token {
		cr.SessionToken = testToken
	}
	return cr
}

// sdkSign signs a fresh request for c with the AWS SDK signer at time at.
func (c sdkCase) sdkSign(t testing.TB, at time.Time) *http.Request {
	t.Helper()
	r := c.request(t)
	err := v4.NewSigner().SignHTTP(context.Background(), c.creds(), r, c.payloadHash(), c.service, c.region, at, c.optFns...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// overTheWire sends r through HTTP/1.1 serialization and parses it back, as
// a server would receive it (Host moved to r.Host, RequestURI set, ...).
func overTheWire(t testing.TB, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(sr.Body)
	if err != nil {
		t.Fatal(err)
	}
	return sr, body
}

func verifier(region, service string, at time.Time) *sigv4.Verifier {
	return &sigv4.Verifier{
		Region: region, Service: service,
		Secret: func(s *sigv4.Signature) (string, error) {
			if s.AccessKeyID() != testAKID {
				return "", sigv4.InvalidClientTokenID()
			}
			return testSecret, nil
		},
		Now: func() time.Time { return at },
	}
}

func TestVerifySDKSignedRequests(t *testing.T) {
	for _, c := range sdkCases() {
		t.Run(c.name, func(t *testing.T) {
			sr, body := overTheWire(t, c.sdkSign(t, t0))
			sig, err := verifier(c.region, c.service, t0.Add(time.Minute)).Verify(sr, body)
			if err != nil {
				t.Fatalf("Verify: %v\nAuthorization: %s", err, sr.Header.Get("Authorization"))
			}
			want := sigv4.Scope{Date: "20261125", Region: c.region, Service: c.service}
			if sig.AccessKeyID() != testAKID || sig.Scope() != want || !sig.Time().Equal(t0) || sig.Presigned() {
				t.Errorf("parsed %q %+v %v presigned=%v", sig.AccessKeyID(), sig.Scope(), sig.Time(), sig.Presigned())
			}
			if c.token != (sig.SecurityToken() == testToken) {
				t.Errorf("SecurityToken() = %q", sig.SecurityToken())
			}
		})
	}
}

// TestSignMatchesSDK checks that Sign, the helper for Gatehouse's own tests,
// produces byte-identical Authorization headers to the SDK signer.
func TestSignMatchesSDK(t *testing.T) {
	for _, c := range sdkCases() {
		t.Run(c.name, func(t *testing.T) {
			want := c.sdkSign(t, t0).Header.Get("Authorization")
			r := c.request(t)
			if c.rawPath == "" {
				r.URL.RawQuery = c.sdkSign(t, t0).URL.RawQuery // the SDK re-encodes the query
			}
			cr := sigv4.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}
			if c.token {
				cr.SessionToken = testToken
			}
			if err := sigv4.Sign(r, []byte(c.body), cr, c.region, c.service, t0); err != nil {
				t.Fatal(err)
			}
			if got := r.Header.Get("Authorization"); got != want {
				t.Errorf("Sign:\n got %s\nwant %s", got, want)
			}
		})
	}
}

type presignCase struct {
	name    string
	url     string
	service string
	region  string
	payload string
	token   bool
	headers map[string]string
	expires int
}

func presignCases() []presignCase {
	return []presignCase{
		{
			name: "sts GetCallerIdentity (EKS-style token)", service: "sts", region: "us-east-1", expires: 60,
			url:     "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
			payload: sha256Hex(""), headers: map[string]string{"X-K8s-Aws-Id": "my-cluster"},
		},
		{
			name: "s3 GET unsigned payload with token", service: "s3", region: "eu-central-1", expires: 3600, token: true,
			url: "https://bucket.s3.eu-central-1.amazonaws.com/dir/file%20name.txt", payload: "UNSIGNED-PAYLOAD",
		},
		{
			name: "organizations GET query", service: "organizations", region: "us-east-1", expires: 604800,
			url:     "https://organizations.us-east-1.amazonaws.com/?a=x%20y&b=%2F",
			payload: sha256Hex(""),
		},
	}
}

// sdkPresign presigns c with the SDK and returns the request a client would
// send to the URL (with the headers the SDK says must accompany it).
func (c presignCase) sdkPresign(t testing.TB, at time.Time) *http.Request {
	t.Helper()
	u, err := url.Parse(c.url)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("X-Amz-Expires", strconv.Itoa(c.expires))
	u.RawQuery = q.Encode()
	r, _ := http.NewRequest("GET", u.String(), nil)
	for k, v := range c.headers {
		r.Header.Set(k, v)
	}
	cr := sdkCred
	if c.token {
		cr.SessionToken = testToken
	}
	var opts []func(*v4.SignerOptions)
	if c.service == "s3" {
		opts = append(opts, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	}
	signed, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), cr, r, c.payload, c.service, c.region, at, opts...)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := http.NewRequest("GET", signed, nil)
	for k, vs := range hdr {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	return out
}

func TestVerifySDKPresignedURLs(t *testing.T) {
	for _, c := range presignCases() {
		t.Run(c.name, func(t *testing.T) {
			sr, body := overTheWire(t, c.sdkPresign(t, t0))
			now := t0.Add(time.Duration(c.expires)*time.Second - time.Second)
			sig, err := verifier(c.region, c.service, now).Verify(sr, body)
			if err != nil {
				t.Fatalf("Verify: %v\nURL: %s", err, sr.RequestURI)
			}
			if !sig.Presigned() || sig.Expires() != time.Duration(c.expires)*time.Second {
				t.Errorf("Presigned() = %v, Expires() = %v", sig.Presigned(), sig.Expires())
			}
			if c.token != (sig.SecurityToken() == testToken) {
				t.Errorf("SecurityToken() = %q", sig.SecurityToken())
			}
		})
	}
}

// TestPresignHelper checks that Presign produces URLs Verify accepts.
func TestPresignHelper(t *testing.T) {
	for _, service := range []string{"s3", "sts"} {
		r, _ := http.NewRequest("GET", "https://h.example/a%20b?Action=X&v=1%2B1", nil)
		cr := sigv4.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret, SessionToken: testToken}
		if err := sigv4.Presign(r, cr, "us-east-1", service, t0, 5*time.Minute); err != nil {
			t.Fatal(err)
		}
		sr, body := overTheWire(t, r)
		if _, err := verifier("us-east-1", service, t0.Add(4*time.Minute)).Verify(sr, body); err != nil {
			t.Errorf("%s: Verify(Presign) = %v", service, err)
		}
		if _, err := verifier("us-east-1", service, t0.Add(6*time.Minute)).Verify(sr, body); !isCode(err, sigv4.CodeRequestExpired) {
			t.Errorf("%s: expired Presign URL: %v", service, err)
		}
	}
}

func isCode(err error, code string) bool {
	var e *sigv4.Error
	return errors.As(err, &e) && e.Code == code
}

func sdkSigner() *v4.Signer                        { return v4.NewSigner() }
func ctx() context.Context                         { return context.Background() }
func asError(err error, target **sigv4.Error) bool { return errors.As(err, target) }
func errorsIs(err, target error) bool              { return errors.Is(err, target) }
func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
