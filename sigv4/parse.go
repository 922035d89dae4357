package sigv4

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	algorithm       = "AWS4-HMAC-SHA256"
	terminator      = "aws4_request"
	timeFormat      = "20060102T150405Z"
	dateFormat      = "20060102"
	maxExpires      = 604800 // seconds: 7 days
	unsignedPayload = "UNSIGNED-PAYLOAD"
)

// Query-string authentication parameters.
const (
	qAlgorithm     = "X-Amz-Algorithm"
	qCredential    = "X-Amz-Credential"
	qDate          = "X-Amz-Date"
	qExpires       = "X-Amz-Expires"
	qSignedHeaders = "X-Amz-SignedHeaders"
	qSignature     = "X-Amz-Signature"
	qSecurityToken = "X-Amz-Security-Token"
	qContentSHA256 = "X-Amz-Content-Sha256"
)

// Scope is the credential scope of a signature: the date, region and service
// the signing key was derived for.
type Scope struct {
	Date    string // YYYYMMDD
	Region  string
	Service string
}

// String returns the scope as it appears in the string to sign:
// "date/region/service/aws4_request".
func (s Scope) String() string {
	return s.Date + "/" + s.Region + "/" + s.Service + "/" + terminator
}

// Signature is a parsed, not yet verified, SigV4 signature. It is created by
// Parse and is immutable afterwards; it is safe for concurrent use.
type Signature struct {
	accessKeyID   string
	scope         Scope
	date          time.Time // request time (X-Amz-Date or Date), UTC
	signedHeaders []string  // lowercase, sorted
	signature     string    // hex, as sent
	token         string
	presigned     bool
	expires       time.Duration // presigned only
}

// AccessKeyID returns the access key ID from the credential.
func (s *Signature) AccessKeyID() string { return s.accessKeyID }

// Scope returns the credential scope (date, region, service).
func (s *Signature) Scope() Scope { return s.scope }

// Time returns the signing time from X-Amz-Date (or the Date header), in UTC.
func (s *Signature) Time() time.Time { return s.date }

// SignedHeaders returns a copy of the lowercase, sorted signed header names.
func (s *Signature) SignedHeaders() []string {
	return append([]string(nil), s.signedHeaders...)
}

// SecurityToken returns the session token sent in X-Amz-Security-Token (query
// parameter for presigned URLs, else header), or "" if none. It is not
// validated here: the caller must check it belongs to AccessKeyID.
func (s *Signature) SecurityToken() string { return s.token }

// Presigned reports whether the request uses query-string authentication.
func (s *Signature) Presigned() bool { return s.presigned }

// Expires returns the X-Amz-Expires lifetime of a presigned URL, or 0 for
// Authorization-header requests.
func (s *Signature) Expires() time.Duration { return s.expires }

// Parse extracts the SigV4 signature from r, from either the Authorization
// header or the X-Amz-* query parameters. It checks syntax and static
// consistency only: the algorithm, a five-element credential ending in
// aws4_request, a scope date equal to the request date, well-formed sorted
// SignedHeaders including host (and x-amz-date or date when that header
// carries the time), and for presigned URLs an X-Amz-Expires of 1..604800
// seconds. A nil error says nothing about authenticity; call Verify.
//
// Requests with neither form yield MissingAuthenticationToken; malformed ones
// IncompleteSignature (or MalformedQueryString for an unparsable query), and a
// scope inconsistent with the request SignatureDoesNotMatch.
func Parse(r *http.Request) (*Signature, error) {
	if r == nil || r.URL == nil {
		return nil, missingToken()
	}
	_, rawQuery := requestTarget(r)
	query, err := parseQuery(rawQuery)
	if err != nil {
		return nil, err
	}
	auth := r.Header.Values("Authorization")
	presigned := query.has(qAlgorithm) || query.has(qCredential) || query.has(qSignature)
	switch {
	case presigned && len(auth) > 0:
		return nil, incomplete("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter " +
			"or the Authorization header should be specified.")
	case presigned:
		return parsePresigned(r, query)
	case len(auth) == 0 || (len(auth) == 1 && strings.TrimSpace(auth[0]) == ""):
		return nil, missingToken()
	case len(auth) > 1:
		return nil, incomplete("Only one Authorization header is allowed.")
	}
	return parseAuthorization(r, auth[0])
}

// authParams are the components of an Authorization header.
type authParams struct {
	credential, signedHeaders, signature string
}

func parseAuthorization(r *http.Request, value string) (*Signature, error) {
	alg, rest, _ := strings.Cut(strings.TrimSpace(value), " ")
	if alg != algorithm {
		return nil, incomplete("Unsupported AWS 'algorithm': '%s'. Expected '%s'.", clip(alg), algorithm)
	}
	p, err := splitAuthParams(rest)
	if err != nil {
		return nil, err
	}
	date, dateHeader, err := headerDate(r)
	if msg := missingAuthParts(p, dateHeader != ""); msg != "" {
		return nil, incomplete("%s", msg)
	}
	if err != nil {
		return nil, err
	}
	s := &Signature{date: date, signature: p.signature, token: r.Header.Get(qSecurityToken)}
	if err := s.fill(p.credential, p.signedHeaders); err != nil {
		return nil, err
	}
	if !s.signs(dateHeader) {
		return nil, incomplete("'%s' must be a 'SignedHeader' in the AWS Authorization.", http.CanonicalHeaderKey(dateHeader))
	}
	return s, nil
}

// splitAuthParams splits "Credential=..., SignedHeaders=..., Signature=...".
func splitAuthParams(rest string) (authParams, error) {
	var p authParams
	seen := map[string]bool{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok || seen[k] {
			return p, incomplete("Authorization header has a malformed or repeated parameter: '%s'.", clip(part))
		}
		seen[k] = true
		if err := p.set(k, v); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (p *authParams) set(k, v string) error {
	switch k {
	case "Credential":
		p.credential = v
	case "SignedHeaders":
		p.signedHeaders = v
	case "Signature":
		p.signature = v
	default:
		return incomplete("Authorization header has an unknown parameter: '%s'.", clip(k))
	}
	return nil
}

// missingAuthParts lists what AWS reports as missing, in AWS's order.
func missingAuthParts(p authParams, hasDate bool) string {
	var msgs []string
	for _, m := range []struct{ name, value string }{
		{"Credential", p.credential}, {"Signature", p.signature}, {"SignedHeaders", p.signedHeaders},
	} {
		if m.value == "" {
			msgs = append(msgs, "Authorization header requires '"+m.name+"' parameter.")
		}
	}
	if !hasDate {
		msgs = append(msgs, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	return strings.Join(msgs, " ")
}

// headerDate returns the request time from X-Amz-Date, falling back to Date,
// and the lowercase name of the header it came from ("" if neither exists).
func headerDate(r *http.Request) (time.Time, string, error) {
	if v := r.Header.Values("X-Amz-Date"); len(v) > 0 {
		if len(v) > 1 {
			return time.Time{}, "x-amz-date", incomplete("Only one X-Amz-Date header is allowed.")
		}
		t, err := parseAmzDate(v[0])
		return t, "x-amz-date", err
	}
	v := r.Header.Values("Date")
	if len(v) == 0 {
		return time.Time{}, "", nil
	}
	t, err := http.ParseTime(v[0])
	if len(v) > 1 || err != nil {
		return time.Time{}, "date", incomplete("Date header must be a single HTTP date, got '%s'.", clip(v[0]))
	}
	return t.UTC(), "date", nil
}

func parseAmzDate(v string) (time.Time, error) {
	t, err := time.Parse(timeFormat, v)
	if err != nil || len(v) != len(timeFormat) {
		return time.Time{}, incomplete("Date must be in ISO-8601 'basic format'. Got '%s'. "+
			"See http://en.wikipedia.org/wiki/ISO_8601", clip(v))
	}
	return t, nil
}

func parsePresigned(r *http.Request, q params) (*Signature, error) {
	v, err := presignedParams(q)
	if err != nil {
		return nil, err
	}
	if v[qAlgorithm] != algorithm {
		return nil, incomplete("X-Amz-Algorithm only supports '%s', got '%s'.", algorithm, clip(v[qAlgorithm]))
	}
	date, err := parseAmzDate(v[qDate])
	if err != nil {
		return nil, err
	}
	secs, err := strconv.Atoi(v[qExpires])
	if err != nil || secs < 1 || secs > maxExpires {
		return nil, incomplete("X-Amz-Expires must be an integer between 1 and %d seconds, got '%s'.", maxExpires, clip(v[qExpires]))
	}
	s := &Signature{date: date, signature: v[qSignature], presigned: true, expires: time.Duration(secs) * time.Second}
	s.token = v[qSecurityToken]
	if s.token == "" {
		s.token = r.Header.Get(qSecurityToken)
	}
	return s, s.fill(v[qCredential], v[qSignedHeaders])
}

// presignedParams returns the single-valued X-Amz-* authentication
// parameters, failing if a required one is missing or any is repeated.
func presignedParams(q params) (map[string]string, error) {
	out := map[string]string{}
	required := []string{qAlgorithm, qCredential, qSignature, qDate, qSignedHeaders, qExpires}
	for _, name := range append(required, qSecurityToken) {
		vals := q.get(name)
		if len(vals) > 1 {
			return nil, incomplete("AWS query-string parameter '%s' must not be repeated.", name)
		}
		if len(vals) == 1 {
			out[name] = vals[0]
		}
	}
	for _, name := range required {
		if out[name] == "" {
			return nil, incomplete("AWS query-string parameters must include '%s'. Re-examine the query-string parameters.", name)
		}
	}
	return out, nil
}

// fill parses the credential and signed headers into s and checks them
// against the request date already in s.
func (s *Signature) fill(credential, signedHeaders string) error {
	if err := s.parseCredential(credential); err != nil {
		return err
	}
	if err := s.parseSignedHeaders(signedHeaders); err != nil {
		return err
	}
	if !s.signs("host") {
		return incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if got := s.date.Format(dateFormat); s.scope.Date != got {
		return mismatchMsg("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "+
			"'%s' != '%s', from '%s'.", clip(s.scope.Date), got, s.date.Format(timeFormat))
	}
	return nil
}

func (s *Signature) parseCredential(c string) error {
	parts := strings.Split(c, "/")
	if len(parts) != 5 {
		return incomplete("Credential must have exactly 5 slash-delimited elements, "+
			"e.g. keyid/date/region/service/term, got '%s'", clip(c))
	}
	for _, p := range parts {
		if p == "" {
			return incomplete("Credential has an empty element, got '%s'", clip(c))
		}
	}
	if _, err := time.Parse(dateFormat, parts[1]); err != nil || len(parts[1]) != len(dateFormat) {
		return incomplete("Credential date must be in the format YYYYMMDD, got '%s'.", clip(parts[1]))
	}
	if parts[4] != terminator {
		return mismatchMsg("Credential should be scoped with a valid terminator: '%s', not '%s'.", terminator, clip(parts[4]))
	}
	s.accessKeyID = parts[0]
	s.scope = Scope{Date: parts[1], Region: parts[2], Service: parts[3]}
	return nil
}

// parseSignedHeaders accepts only lowercase header names in strictly
// ascending order, which keeps the canonical form unique.
func (s *Signature) parseSignedHeaders(v string) error {
	names := strings.Split(v, ";")
	for i, n := range names {
		if !isLowerToken(n) || (i > 0 && names[i-1] >= n) {
			return incomplete("SignedHeaders must be lowercase header names, sorted and separated by ';', got '%s'.", clip(v))
		}
	}
	s.signedHeaders = names
	return nil
}

func isLowerToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || !isTokenChar(c) {
			return false
		}
	}
	return true
}

// isTokenChar reports whether c may appear in an HTTP header name (RFC 9110 tchar).
func isTokenChar(c byte) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, rune(c))
}

func (s *Signature) signs(name string) bool {
	for _, h := range s.signedHeaders {
		if h == name {
			return true
		}
	}
	return false
}
