package sigv4

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// requestTarget returns the escaped path and raw query the client sent. For
// server requests it reads r.RequestURI, which routers do not rewrite; for
// client requests (RequestURI empty) it uses r.URL.
func requestTarget(r *http.Request) (path, query string) {
	uri := r.RequestURI
	if uri == "" || uri == "*" {
		return r.URL.EscapedPath(), r.URL.RawQuery
	}
	if !strings.HasPrefix(uri, "/") {
		uri = stripAuthority(uri)
	}
	path, query, _ = strings.Cut(uri, "?")
	return path, query
}

// stripAuthority turns an absolute-form target "http://host/p?q" into "/p?q".
func stripAuthority(uri string) string {
	_, rest, ok := strings.Cut(uri, "://")
	if !ok {
		return uri
	}
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		return rest[i:]
	}
	return ""
}

// param is one decoded query parameter.
type param struct{ key, value string }

// params is a decoded query string in the order it was sent.
type params []param

func (ps params) get(key string) []string {
	var out []string
	for _, p := range ps {
		if p.key == key {
			out = append(out, p.value)
		}
	}
	return out
}

func (ps params) has(key string) bool {
	return len(ps.get(key)) > 0
}

// parseQuery decodes raw the way net/url does ('+' is a space), but fails on
// invalid escapes and ';' separators instead of silently dropping pairs, so
// the signed query is exactly what the handler will see.
func parseQuery(raw string) (params, error) {
	var ps params
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		if strings.Contains(part, ";") {
			return nil, malformedQuery()
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return nil, malformedQuery()
		}
		ps = append(ps, param{dk, dv})
	}
	return ps, nil
}

// canonicalQuery URI-encodes every name and value, then sorts by encoded
// name and encoded value, as AWS requires (sorting happens after encoding).
// skipSignature drops X-Amz-Signature, for presigned URLs.
func canonicalQuery(ps params, skipSignature bool) string {
	enc := make([]param, 0, len(ps))
	for _, p := range ps {
		if skipSignature && p.key == qSignature {
			continue
		}
		enc = append(enc, param{uriEncode(p.key, false), uriEncode(p.value, false)})
	}
	slices.SortFunc(enc, func(a, b param) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.value, b.value)
	})
	var b strings.Builder
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

// canonicalURI returns the canonical path. For every service but S3 the path
// as sent (already escaped once) is URI-encoded again, so each segment ends
// up double-encoded. For S3 each segment is decoded and encoded once.
func canonicalURI(escapedPath, service string) (string, error) {
	if escapedPath == "" {
		return "/", nil
	}
	if service != "s3" {
		return uriEncode(escapedPath, true), nil
	}
	segs := strings.Split(escapedPath, "/")
	for i, seg := range segs {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return "", mismatchMsg("The request path is not validly escaped.")
		}
		segs[i] = uriEncode(dec, false)
	}
	return strings.Join(segs, "/"), nil
}

// uriEncode percent-encodes every byte except the RFC 3986 unreserved
// characters (and '/', when keepSlash), with uppercase hex digits.
func uriEncode(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (keepSlash && c == '/') {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// canonicalHeaders writes "name:value\n" for every signed header: values
// trimmed, runs of spaces collapsed, repeated headers joined with ",".
func canonicalHeaders(b *strings.Builder, r *http.Request, names []string) {
	for _, name := range names {
		b.WriteString(name)
		b.WriteByte(':')
		for i, v := range headerValues(r, name) {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(normalizeSpace(v))
		}
		b.WriteByte('\n')
	}
}

// headerValues returns the values of a lowercase header name, including the
// ones net/http keeps outside r.Header.
func headerValues(r *http.Request, name string) []string {
	switch name {
	case "host":
		if r.Host != "" {
			return []string{r.Host}
		}
		return []string{r.URL.Host}
	case "content-length":
		if v := r.Header.Values(name); len(v) > 0 || r.ContentLength < 0 {
			return v
		}
		return []string{strconv.FormatInt(r.ContentLength, 10)}
	}
	return r.Header.Values(name)
}

// normalizeSpace collapses runs of spaces into one and trims the ends.
func normalizeSpace(v string) string {
	if !strings.Contains(v, "  ") {
		return strings.TrimSpace(v)
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' && i > 0 && v[i-1] == ' ' {
			continue
		}
		b.WriteByte(v[i])
	}
	return strings.TrimSpace(b.String())
}

// canonicalPrefix builds the canonical request without its last line, the
// payload hash, so several payload hashes can be tried cheaply.
func (s *Signature) canonicalPrefix(r *http.Request) (string, error) {
	rawPath, rawQuery := requestTarget(r)
	path, err := canonicalURI(rawPath, s.scope.Service)
	if err != nil {
		return "", err
	}
	query, err := parseQuery(rawQuery)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(query, s.presigned))
	b.WriteByte('\n')
	canonicalHeaders(&b, r, s.signedHeaders)
	b.WriteByte('\n')
	b.WriteString(strings.Join(s.signedHeaders, ";"))
	b.WriteByte('\n')
	return b.String(), nil
}

// stringToSign hashes the full canonical request into the string to sign.
func (s *Signature) stringToSign(canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return algorithm + "\n" + s.date.Format(timeFormat) + "\n" + s.scope.String() + "\n" + hex.EncodeToString(sum[:])
}

// compute returns the hex signature over the canonical prefix plus payloadHash.
func (s *Signature) compute(key []byte, prefix, payloadHash string) string {
	return hex.EncodeToString(hmacSHA256(key, s.stringToSign(prefix+payloadHash)))
}

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
