package policy

import "strings"

// Context holds the request context keys of one request. Key names are
// case-insensitive, as in IAM; each key has one value (single-valued) or
// any number of values (multivalued). Values are strings: numbers,
// booleans and times are written as IAM writes them ("42", "true",
// "2026-11-25T12:00:00Z").
//
// The zero Context is empty and ready to use.
type Context struct {
	m map[string][]string
}

// NewContext returns a Context holding the given keys and values.
func NewContext(kv map[string][]string) *Context {
	c := &Context{m: make(map[string][]string, len(kv))}
	for k, v := range kv {
		c.Set(k, v...)
	}
	return c
}

// NewContextSize returns an empty Context with room for n keys.
func NewContextSize(n int) *Context {
	return &Context{m: make(map[string][]string, n)}
}

// Set gives key the values, replacing any earlier ones. A key set with no
// values is present but empty, which conditions treat as absent.
func (c *Context) Set(key string, values ...string) {
	if c.m == nil {
		c.m = make(map[string][]string)
	}
	if values == nil {
		values = []string{}
	}
	c.m[lowerKey(key)] = values
}

// lowerKeys are the lower-case forms of the global keys set on every
// request, so that setting them does not allocate.
var lowerKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{
		"aws:CurrentTime", "aws:EpochTime", "aws:RequestedRegion", "aws:SecureTransport",
		"aws:SourceIp", "aws:UserAgent", "aws:PrincipalArn", "aws:PrincipalAccount",
		"aws:PrincipalType", "aws:userid", "aws:username", "aws:PrincipalOrgID",
		"aws:PrincipalOrgPaths", "aws:PrincipalIsAWSService", "aws:ViaAWSService",
		"aws:MultiFactorAuthPresent", "aws:TokenIssueTime", "aws:SourceIdentity",
	} {
		m[k] = strings.ToLower(k)
	}
	return m
}()

// lowerKey returns key in lower case.
func lowerKey(key string) string {
	if l, ok := lowerKeys[key]; ok {
		return l
	}
	return strings.ToLower(key)
}

// Get returns the values of key and whether the key is present.
func (c *Context) Get(key string) ([]string, bool) {
	return c.lookup(lowerKey(key))
}

// Len returns the number of keys.
func (c *Context) Len() int {
	if c == nil {
		return 0
	}
	return len(c.m)
}

// lookup finds a key that is already lower case; it never allocates.
func (c *Context) lookup(lowerKey string) ([]string, bool) {
	if c == nil {
		return nil, false
	}
	v, ok := c.m[lowerKey]
	return v, ok
}

// single returns the value of a single-valued key, for policy variables.
func (c *Context) single(lowerKey string) (string, bool) {
	v, ok := c.lookup(lowerKey)
	if !ok || len(v) != 1 {
		return "", false
	}
	return v[0], true
}
