package cxml

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"
)

// Secret is a SharedSecret. It prints as "[redacted]" so that logging a
// Document or Credential never reveals it; use string(s) to read it.
type Secret string

// String redacts the secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString redacts the secret for %#v.
func (s Secret) GoString() string {
	return `cxml.Secret("` + s.String() + `")`
}

// SecretEqual reports whether got equals want, in time independent of their
// contents and lengths. An empty secret on either side never matches, so an
// unconfigured secret fails closed.
func SecretEqual(got, want string) bool {
	if got == "" || want == "" {
		return false
	}
	g := sha256.Sum256([]byte(got))
	w := sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// Matches reports whether the credential names identity in domain. Domains
// compare case-insensitively ("NetworkID" and "NetworkId" are both seen);
// identities compare exactly, after trimming surrounding white space.
func (c Credential) Matches(domain, identity string) bool {
	return strings.EqualFold(strings.TrimSpace(c.Domain), strings.TrimSpace(domain)) &&
		strings.TrimSpace(c.Identity) == strings.TrimSpace(identity) && identity != ""
}

// Find returns the first of creds that matches domain and identity.
func Find(creds []Credential, domain, identity string) (Credential, bool) {
	for _, c := range creds {
		if c.Matches(domain, identity) {
			return c, true
		}
	}
	return Credential{}, false
}
