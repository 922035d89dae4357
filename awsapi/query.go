package awsapi

import (
	"cmp"
	"fmt"
	"gatehouse/awserr"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Params are the parameters of an AWS query protocol request: the
// application/x-www-form-urlencoded body merged with the URL query. Keys
// are case-sensitive. Scalars are read with Get, Lookup, Required, Bool and
// Int; lists (Name.member.N) with List and Members; maps with Map
// (Name.entry.N.key/value) and MemberMap (Name.member.N.Key/Value, as IAM
// and STS send tags). The helpers report bad input as ValidationError.
type Params struct {
	m map[string]string
}

// ParseQuery parses a query request's parameters from the raw URL query
// (GET, presigned URLs) and the form body (POST). The caller checks method
// and Content-Type. Bad percent-encoding, or a parameter given twice, is
// MalformedQueryString.
func ParseQuery(rawQuery string, body []byte) (Params, error) {
	p := Params{m: make(map[string]string)}
	if err := p.parseForm(rawQuery); err != nil {
		return Params{}, err
	}
	if err := p.parseForm(string(body)); err != nil {
		return Params{}, err
	}
	return p, nil
}

func (p Params) parseForm(s string) error {
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return awserr.ErrMalformedQueryString.Wrap(err, "The query string contains a malformed percent-encoding.")
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return awserr.ErrMalformedQueryString.Wrap(err, fmt.Sprintf("The value of parameter %.100q contains a malformed percent-encoding.", key))
		}
		if key == "" {
			continue
		}
		if _, dup := p.m[key]; dup {
			return awserr.ErrMalformedQueryString.Newf("Parameter %.100q is given more than once.", key)
		}
		p.m[key] = val
	}
	return nil
}

// Action returns the Action parameter: the operation name.
func (p Params) Action() string { return p.m["Action"] }

// Version returns the Version parameter: the API version, such as
// "2010-05-08".
func (p Params) Version() string { return p.m["Version"] }

// Get returns the parameter's value, or "" if it is absent.
func (p Params) Get(name string) string { return p.m[name] }

// Lookup returns the parameter's value and whether it is present.
func (p Params) Lookup(name string) (string, bool) {
	v, ok := p.m[name]
	return v, ok
}

// Len returns the number of parameters.
func (p Params) Len() int { return len(p.m) }

// Required returns the parameter's value, or a ValidationError if it is
// absent. An empty value is present; length limits are the operation's
// to check.
func (p Params) Required(name string) (string, error) {
	v, ok := p.m[name]
	if !ok {
		return "", validation("null", name, "Member must not be null")
	}
	return v, nil
}

// Bool returns the boolean parameter ("true" or "false", any case), or def
// if it is absent.
func (p Params) Bool(name string, def bool) (bool, error) {
	v, ok := p.m[name]
	switch {
	case !ok:
		return def, nil
	case strings.EqualFold(v, "true"):
		return true, nil
	case strings.EqualFold(v, "false"):
		return false, nil
	}
	return false, validation(quote(v), name, "Member must be a boolean (true or false)")
}

// Int returns the 32-bit integer parameter, or def if it is absent. Range
// limits are the operation's to check.
func (p Params) Int(name string, def int) (int, error) {
	v, ok := p.m[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, validation(quote(v), name, "Member must be a 32-bit integer")
	}
	return int(n), nil
}

// List returns the string list Name.member.1, Name.member.2, ... in index
// order; gaps are closed. An absent list is nil.
func (p Params) List(name string) ([]string, error) {
	items, err := p.indexed(name + ".member.")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, it := range items {
		if it.hasScalar {
			out = append(out, it.scalar)
		}
	}
	return out, nil
}

// Members returns the structure list Name.member.N.*, in index order, each
// element as Params keyed by the rest of the name: Tags.member.1.Key is
// Members("Tags")[0].Get("Key").
func (p Params) Members(name string) ([]Params, error) {
	items, err := p.indexed(name + ".member.")
	if err != nil {
		return nil, err
	}
	var out []Params
	for _, it := range items {
		if it.sub != nil {
			out = append(out, Params{m: it.sub})
		}
	}
	return out, nil
}

// Map returns the map Name.entry.N.key / Name.entry.N.value. An entry
// without a key, or a key given twice, is a ValidationError; a missing
// value is "".
func (p Params) Map(name string) (map[string]string, error) {
	items, err := p.indexed(name + ".entry.")
	if err != nil {
		return nil, err
	}
	return pairs(name, items, "key", "value")
}

// MemberMap returns the list of key/value structures Name.member.N.<key>
// / Name.member.N.<value> as a map, e.g. MemberMap("Tags", "Key", "Value")
// for IAM and STS tags. Errors are as for Map; use Members when order
// matters.
func (p Params) MemberMap(name, key, value string) (map[string]string, error) {
	items, err := p.indexed(name + ".member.")
	if err != nil {
		return nil, err
	}
	return pairs(name, items, key, value)
}

func pairs(name string, items []item, key, value string) (map[string]string, error) {
	if len(items) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(items))
	for _, it := range items {
		k, ok := it.sub[key]
		if !ok {
			return nil, validation("null", fmt.Sprintf("%s.%d.%s", name, it.n, key), "Member must not be null")
		}
		if _, dup := out[k]; dup {
			return nil, awserr.ErrValidationError.Newf("Duplicate key %s in %s.", quote(k), lowerFirst(name))
		}
		out[k] = it.sub[value]
	}
	return out, nil
}

// item is one element of an indexed parameter group: the value of
// prefix+"N" (scalar) and those of prefix+"N.rest" (sub, keyed by rest).
type item struct {
	n         int
	scalar    string
	hasScalar bool
	sub       map[string]string
}

// indexed groups the parameters under prefix by index, in index order.
func (p Params) indexed(prefix string) ([]item, error) {
	byIndex := make(map[int]*item)
	for k, v := range p.m {
		rest, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		idx, sub, nested := strings.Cut(rest, ".")
		n, ok := listIndex(idx)
		if !ok {
			return nil, awserr.ErrValidationError.Newf("Parameter %.100q has an invalid list index; want 1, 2, 3 ...", k)
		}
		it := byIndex[n]
		if it == nil {
			it = &item{n: n}
			byIndex[n] = it
		}
		if !nested {
			it.scalar, it.hasScalar = v, true
			continue
		}
		if it.sub == nil {
			it.sub = make(map[string]string)
		}
		it.sub[sub] = v
	}
	items := make([]item, 0, len(byIndex))
	for _, it := range byIndex {
		items = append(items, *it)
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Compare(a.n, b.n) })
	return items, nil
}

// listIndex parses a canonical positive list index of at most 9 digits.
func listIndex(s string) (int, bool) {
	if s == "" || len(s) > 9 || s[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// validation returns a ValidationError in AWS's words: "1 validation error
// detected: Value 'x' at 'userName' failed to satisfy constraint: ...".
func validation(value, name, constraint string) *awserr.Error {
	return awserr.ErrValidationError.Newf("1 validation error detected: Value %s at '%s' failed to satisfy constraint: %s",
		value, lowerFirst(name), constraint)
}

// quote renders a client value for a message: single-quoted and cut to
// 100 bytes.
func quote(v string) string {
	if len(v) > 100 {
		v = strings.ToValidUTF8(v[:100], "") + "..."
	}
	return "'" + v + "'"
}

// lowerFirst lower-cases the first letter, as AWS names members in
// validation messages ("UserName" → "userName").
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}
