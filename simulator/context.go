package simulator

import (
	"encoding/base64"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"gatehouse/policy"
)

// The limits of a context entry (ContextKeyNameType).
const (
	minKeyName = 5
	maxKeyName = 256
)

// contextTypes maps each ContextKeyType to its element type and whether it
// is a list.
var contextTypes = map[string]struct {
	elem string
	list bool
}{
	"string": {"string", false}, "stringList": {"string", true},
	"numeric": {"numeric", false}, "numericList": {"numeric", true},
	"boolean": {"boolean", false}, "booleanList": {"boolean", true},
	"ip": {"ip", false}, "ipList": {"ip", true},
	"binary": {"binary", false}, "binaryList": {"binary", true},
	"date": {"date", false}, "dateList": {"date", true},
}

// Context turns context entries into the request context of a simulation.
// Each value must read as its type does in the condition operators of
// that type (numeric as a number, boolean as true or false, ip as an IP
// address, binary as base64, date as ISO 8601 or epoch seconds); a single
// type takes exactly one value; a key may be given once. Booleans are
// written in lower case. Errors are InvalidInput.
func Context(entries []ContextEntry) (*policy.Context, error) {
	ctx := &policy.Context{}
	seen := map[string]bool{}
	for i, e := range entries {
		values, err := entryValues(e)
		if err != nil {
			return nil, errInput("ContextEntries.member.%d: %s", i+1, err.Error())
		}
		lower := strings.ToLower(e.ContextKeyName)
		if seen[lower] {
			return nil, errInput("Context key %s is given more than once.", e.ContextKeyName)
		}
		seen[lower] = true
		ctx.Set(e.ContextKeyName, values...)
	}
	return ctx, nil
}

// entryError is a problem with one context entry.
type entryError string

func (e entryError) Error() string { return string(e) }

func entryValues(e ContextEntry) ([]string, error) {
	if n := len(e.ContextKeyName); n < minKeyName || n > maxKeyName {
		return nil, entryError("ContextKeyName must be " + strconv.Itoa(minKeyName) + " to " + strconv.Itoa(maxKeyName) + " characters long.")
	}
	t, ok := contextTypes[e.ContextKeyType]
	if !ok {
		return nil, entryError("ContextKeyType " + quote(e.ContextKeyType) + " is not one of string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList.")
	}
	if !t.list && len(e.ContextKeyValues) != 1 {
		return nil, entryError("Context key " + e.ContextKeyName + " of type " + e.ContextKeyType + " takes exactly one value.")
	}
	out := make([]string, len(e.ContextKeyValues))
	for i, v := range e.ContextKeyValues {
		norm, ok := typedValue(t.elem, v)
		if !ok {
			return nil, entryError("Value " + quote(v) + " of context key " + e.ContextKeyName + " is not a valid " + t.elem + ".")
		}
		out[i] = norm
	}
	return out, nil
}

// typedValue checks v as a value of type elem the way the condition
// operators of that type read it, and returns it as the engine holds it.
func typedValue(elem, v string) (string, bool) {
	switch elem {
	case "numeric":
		f, err := strconv.ParseFloat(v, 64)
		return v, err == nil && !math.IsNaN(f)
	case "boolean":
		lv := strings.ToLower(v)
		return lv, lv == "true" || lv == "false"
	case "ip":
		_, err := netip.ParseAddr(v)
		return v, err == nil
	case "binary":
		_, err := base64.StdEncoding.DecodeString(v)
		return v, err == nil
	case "date":
		return v, policy.ValidDate(v)
	}
	return v, true
}

// quote renders a client value in a message, single-quoted and cut to 100
// bytes.
func quote(v string) string {
	if len(v) > 100 {
		v = strings.ToValidUTF8(v[:100], "") + "..."
	}
	return "'" + v + "'"
}
