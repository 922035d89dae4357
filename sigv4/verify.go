package sigv4

import (
	"crypto/hmac"
	"net/http"
	"strings"
	"time"
)

// MaxClockSkew is how far the signing time may lie from the server clock, in
// either direction, as on AWS.
const MaxClockSkew = 15 * time.Minute

// Verify checks s against r: the signing time against now (within
// MaxClockSkew; for presigned URLs also not after X-Amz-Date + X-Amz-Expires),
// the payload hash against body, and the signature, recomputed with secret,
// in constant time. r must be the request s was parsed from, and body its
// complete body (nil for none); Verify does not read r.Body.
//
// The payload hash is the x-amz-content-sha256 header when present (it must
// then match body, or be UNSIGNED-PAYLOAD), else SHA-256 of body. Presigned
// URLs may also be signed with UNSIGNED-PAYLOAD. UNSIGNED-PAYLOAD is accepted
// only for service "s3" or an empty body, so a body is never unauthenticated
// for other services.
//
// Verify does not check the region or service (see CheckScope) nor the
// session token (see SecurityToken). An empty secret yields
// InvalidClientTokenId. A nil error means the request is authentic.
func (s *Signature) Verify(r *http.Request, body []byte, secret string, now time.Time) error {
	if secret == "" {
		return InvalidClientTokenID()
	}
	if err := s.checkTime(now.UTC()); err != nil {
		return err
	}
	hashes, err := s.payloadHashes(r, body)
	if err != nil {
		return err
	}
	prefix, err := s.canonicalPrefix(r)
	if err != nil {
		return err
	}
	key := signingKey(secret, s.scope)
	for _, h := range hashes {
		if hmac.Equal([]byte(s.compute(key, prefix, h)), []byte(s.signature)) {
			return nil
		}
	}
	return mismatch()
}

// CheckScope reports, as SignatureDoesNotMatch, whether the credential scope
// names a region or service other than the expected ones. An empty expected
// value matches anything.
func (s *Signature) CheckScope(region, service string) error {
	if region != "" && s.scope.Region != region {
		return mismatchMsg("Credential should be scoped to a valid region, not '%s'.", clip(s.scope.Region))
	}
	if service != "" && s.scope.Service != service {
		return mismatchMsg("Credential should be scoped to correct service: '%s'.", service)
	}
	return nil
}

func (s *Signature) checkTime(now time.Time) error {
	if s.date.Sub(now) > MaxClockSkew {
		return expired("Signature not yet current: %s is still later than %s (%s + 15 min.)",
			s.date.Format(timeFormat), now.Add(MaxClockSkew).Format(timeFormat), now.Format(timeFormat))
	}
	if s.presigned {
		if now.After(s.date.Add(s.expires)) {
			return expired("Request has expired: X-Amz-Date %s plus X-Amz-Expires %d is earlier than %s.",
				s.date.Format(timeFormat), int(s.expires/time.Second), now.Format(timeFormat))
		}
		return nil
	}
	if now.Sub(s.date) > MaxClockSkew {
		return expired("Signature expired: %s is now earlier than %s (%s - 15 min.)",
			s.date.Format(timeFormat), now.Add(-MaxClockSkew).Format(timeFormat), now.Format(timeFormat))
	}
	return nil
}

// payloadHashes returns the payload hashes the client may have signed with,
// most likely first.
func (s *Signature) payloadHashes(r *http.Request, body []byte) ([]string, error) {
	declared, err := s.declaredPayloadHash(r)
	if err != nil {
		return nil, err
	}
	unsignedOK := s.scope.Service == "s3" || len(body) == 0
	switch {
	case declared == unsignedPayload && unsignedOK:
		return []string{unsignedPayload}, nil
	case declared == unsignedPayload:
		return nil, incomplete("UNSIGNED-PAYLOAD is only accepted for service 's3' or an empty body.")
	case declared != "":
		return s.checkDeclared(declared, body)
	case s.presigned && s.scope.Service == "s3":
		return []string{unsignedPayload, hashHex(body)}, nil
	case s.presigned && unsignedOK:
		return []string{hashHex(body), unsignedPayload}, nil
	}
	return []string{hashHex(body)}, nil
}

// declaredPayloadHash returns x-amz-content-sha256 from the header or, for
// presigned URLs, the query.
func (s *Signature) declaredPayloadHash(r *http.Request) (string, error) {
	v := r.Header.Values(qContentSHA256)
	if len(v) == 0 && s.presigned {
		_, rawQuery := requestTarget(r)
		q, err := parseQuery(rawQuery)
		if err != nil {
			return "", err
		}
		v = q.get(qContentSHA256)
	}
	if len(v) > 1 {
		return "", incomplete("Only one x-amz-content-sha256 value is allowed.")
	}
	if len(v) == 0 {
		return "", nil
	}
	return v[0], nil
}

func (s *Signature) checkDeclared(declared string, body []byte) ([]string, error) {
	if len(declared) != 64 || strings.Trim(strings.ToLower(declared), "0123456789abcdef") != "" {
		return nil, incomplete("x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a hex SHA-256 digest, got '%s'.", clip(declared))
	}
	if !strings.EqualFold(declared, hashHex(body)) {
		return nil, contentMismatch()
	}
	return []string{declared}, nil
}

// Verifier authenticates requests in one call: Parse, CheckScope, secret
// lookup, then Verify. The zero value accepts any scope and has no keys. A
// Verifier must not be modified while in use; it is then safe for concurrent
// use.
type Verifier struct {
	// Region and Service are the expected credential scope; "" accepts any.
	Region, Service string

	// Secret returns the secret access key for a parsed (unverified)
	// signature. It should return InvalidClientTokenID() for an unknown key,
	// and may inspect SecurityToken. A nil Secret rejects every request.
	Secret func(s *Signature) (string, error)

	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Verify authenticates r with body (its complete body) and returns the
// verified signature. Errors are *Error, except that an error from Secret is
// returned unchanged.
func (v *Verifier) Verify(r *http.Request, body []byte) (*Signature, error) {
	s, err := Parse(r)
	if err != nil {
		return nil, err
	}
	if err := s.CheckScope(v.Region, v.Service); err != nil {
		return nil, err
	}
	secret, err := v.secret(s)
	if err != nil {
		return nil, err
	}
	if err := s.Verify(r, body, secret, v.now()); err != nil {
		return nil, err
	}
	return s, nil
}

func (v *Verifier) secret(s *Signature) (string, error) {
	if v.Secret == nil {
		return "", InvalidClientTokenID()
	}
	return v.Secret(s)
}

func (v *Verifier) now() time.Time {
	if v.Now == nil {
		return time.Now()
	}
	return v.Now()
}
