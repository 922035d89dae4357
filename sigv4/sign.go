package sigv4

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Credentials are the keys Sign and Presign sign with.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string // optional
}

// unsignedHeaders are never signed, as in the AWS SDKs: proxies and clients
// change them.
var unsignedHeaders = map[string]bool{
	"authorization": true, "user-agent": true, "x-amzn-trace-id": true,
	"expect": true, "transfer-encoding": true,
}

// Sign signs r in place for the given region and service at time t, as an
// AWS SDK would: it sets X-Amz-Date, X-Amz-Security-Token (when
// creds.SessionToken is set) and Authorization, signing host, content-length
// (when r.ContentLength > 0) and every other header present except
// Authorization, User-Agent, X-Amzn-Trace-Id, Expect and Transfer-Encoding.
// body must be the request body; the payload hash is the
// X-Amz-Content-Sha256 header if set, else SHA-256 of body. Header keys must
// be in canonical form (as http.Header.Set leaves them). Sign is meant for
// tests and tools; servers use Parse and Verify.
func Sign(r *http.Request, body []byte, creds Credentials, region, service string, t time.Time) error {
	t = t.UTC().Truncate(time.Second)
	r.Header.Del("Authorization")
	r.Header.Set("X-Amz-Date", t.Format(timeFormat))
	if creds.SessionToken != "" {
		r.Header.Set(qSecurityToken, creds.SessionToken)
	}
	s := newSignature(creds, region, service, t)
	s.signedHeaders = headersToSign(r)
	payload := r.Header.Get(qContentSHA256)
	if payload == "" {
		payload = hashHex(body)
	}
	sig, err := s.sign(r, creds.SecretAccessKey, payload)
	if err != nil {
		return err
	}
	r.Header.Set("Authorization", algorithm+" Credential="+creds.AccessKeyID+"/"+s.scope.String()+
		", SignedHeaders="+strings.Join(s.signedHeaders, ";")+", Signature="+sig)
	return nil
}

// Presign turns r into a presigned URL valid for expires (whole seconds,
// 1s..7 days) from t: it adds the X-Amz-* query parameters, including
// X-Amz-Signature, to r.URL.RawQuery, signing only the host header. The
// payload is UNSIGNED-PAYLOAD for service "s3" and the empty body otherwise.
// Like Sign, it is meant for tests and tools.
func Presign(r *http.Request, creds Credentials, region, service string, t time.Time, expires time.Duration) error {
	t = t.UTC().Truncate(time.Second)
	secs := int(expires / time.Second)
	if secs < 1 || secs > maxExpires {
		return incomplete("X-Amz-Expires must be between 1 and %d seconds.", maxExpires)
	}
	s := newSignature(creds, region, service, t)
	s.presigned, s.expires, s.signedHeaders = true, time.Duration(secs)*time.Second, []string{"host"}
	q := r.URL.Query()
	q.Set(qAlgorithm, algorithm)
	q.Set(qCredential, creds.AccessKeyID+"/"+s.scope.String())
	q.Set(qDate, t.Format(timeFormat))
	q.Set(qExpires, strconv.Itoa(secs))
	q.Set(qSignedHeaders, "host")
	if creds.SessionToken != "" {
		q.Set(qSecurityToken, creds.SessionToken)
	}
	r.URL.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	payload := hashHex(nil)
	if service == "s3" {
		payload = unsignedPayload
	}
	sig, err := s.sign(r, creds.SecretAccessKey, payload)
	if err != nil {
		return err
	}
	r.URL.RawQuery += "&" + qSignature + "=" + sig
	return nil
}

func newSignature(creds Credentials, region, service string, t time.Time) *Signature {
	return &Signature{
		accessKeyID: creds.AccessKeyID,
		scope:       Scope{Date: t.Format(dateFormat), Region: region, Service: service},
		date:        t,
		token:       creds.SessionToken,
	}
}

// sign returns the hex signature of r under s.
func (s *Signature) sign(r *http.Request, secret, payloadHash string) (string, error) {
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	prefix, err := s.canonicalPrefix(r)
	if err != nil {
		return "", err
	}
	return s.compute(deriveKey(secret, s.scope), prefix, payloadHash), nil
}

// headersToSign lists the lowercase names Sign signs, sorted.
func headersToSign(r *http.Request) []string {
	names := []string{"host"}
	if r.ContentLength > 0 {
		names = append(names, "content-length")
	}
	for k := range r.Header {
		lk := strings.ToLower(k)
		if !unsignedHeaders[lk] && !slices.Contains(names, lk) {
			names = append(names, lk)
		}
	}
	slices.Sort(names)
	return names
}
