package policy

import (
	"encoding/base64"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// opKind is a condition operator without qualifiers.
type opKind uint8

const (
	opStringEquals opKind = iota
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opArnLike
	opNull
)

// operators maps each operator name IAM defines to its positive form and
// whether it is negated.
var operators = map[string]struct {
	kind    opKind
	negated bool
}{
	"StringEquals":              {opStringEquals, false},
	"StringNotEquals":           {opStringEquals, true},
	"StringEqualsIgnoreCase":    {opStringEqualsIgnoreCase, false},
	"StringNotEqualsIgnoreCase": {opStringEqualsIgnoreCase, true},
	"StringLike":                {opStringLike, false},
	"StringNotLike":             {opStringLike, true},
	"NumericEquals":             {opNumericEquals, false},
	"NumericNotEquals":          {opNumericEquals, true},
	"NumericLessThan":           {opNumericLessThan, false},
	"NumericLessThanEquals":     {opNumericLessThanEquals, false},
	"NumericGreaterThan":        {opNumericGreaterThan, false},
	"NumericGreaterThanEquals":  {opNumericGreaterThanEquals, false},
	"DateEquals":                {opDateEquals, false},
	"DateNotEquals":             {opDateEquals, true},
	"DateLessThan":              {opDateLessThan, false},
	"DateLessThanEquals":        {opDateLessThanEquals, false},
	"DateGreaterThan":           {opDateGreaterThan, false},
	"DateGreaterThanEquals":     {opDateGreaterThanEquals, false},
	"Bool":                      {opBool, false},
	"BinaryEquals":              {opBinaryEquals, false},
	"IpAddress":                 {opIPAddress, false},
	"NotIpAddress":              {opIPAddress, true},
	"ArnEquals":                 {opArnLike, false},
	"ArnLike":                   {opArnLike, false},
	"ArnNotEquals":              {opArnLike, true},
	"ArnNotLike":                {opArnLike, true},
	"Null":                      {opNull, false},
}

// setQualifier is the ForAllValues: or ForAnyValue: prefix of an operator.
type setQualifier uint8

const (
	setNone setQualifier = iota
	setForAll
	setForAny
)

// OperatorInfo describes a condition operator name as IAM reads it.
type OperatorInfo struct {
	// Base is the operator without qualifiers, such as "StringLike".
	Base string
	// ForAllValues and ForAnyValue report the set qualifier.
	ForAllValues, ForAnyValue bool
	// IfExists reports the IfExists suffix.
	IfExists bool
	// Negated reports a negated operator such as StringNotEquals.
	Negated bool
	// Variables reports whether values of this operator expand policy
	// variables (the String and Arn operators).
	Variables bool
}

// ParseOperator splits a condition operator name into its parts. It
// reports false for a name IAM does not define; operator names are
// case-sensitive.
func ParseOperator(name string) (OperatorInfo, bool) {
	var info OperatorInfo
	rest := name
	if r, ok := strings.CutPrefix(rest, "ForAllValues:"); ok {
		info.ForAllValues, rest = true, r
	} else if r, ok := strings.CutPrefix(rest, "ForAnyValue:"); ok {
		info.ForAnyValue, rest = true, r
	}
	if r, ok := strings.CutSuffix(rest, "IfExists"); ok && r != "" {
		info.IfExists, rest = true, r
	}
	op, ok := operators[rest]
	if !ok || (op.kind == opNull && info.IfExists) {
		return OperatorInfo{}, false
	}
	info.Base, info.Negated = rest, op.negated
	info.Variables = op.kind <= opStringLike || op.kind == opArnLike
	return info, true
}

// condition is a compiled Condition entry.
type condition struct {
	kind     opKind
	negated  bool
	set      setQualifier
	ifExists bool
	key      string // lower case
	strs     []template
	nums     []float64
	times    []int64 // Unix nanoseconds
	prefixes []netip.Prefix
	bins     [][]byte
	bools    []bool
	nulls    []bool // Null: true means "key absent"
}

func compileCondition(c Condition, vars bool) (condition, error) {
	info, ok := ParseOperator(c.Operator)
	if !ok {
		return condition{}, errorf("Invalid Condition type : %s", c.Operator)
	}
	op := operators[info.Base]
	out := condition{kind: op.kind, negated: op.negated, ifExists: info.IfExists, key: strings.ToLower(c.Key)}
	switch {
	case info.ForAllValues:
		out.set = setForAll
	case info.ForAnyValue:
		out.set = setForAny
	}
	for _, v := range c.Values {
		if err := out.addValue(v, vars && info.Variables); err != nil {
			return condition{}, err
		}
	}
	return out, nil
}

func (c *condition) addValue(v string, vars bool) error {
	switch {
	case c.kind <= opStringLike || c.kind == opArnLike:
		c.strs = append(c.strs, newTemplate(v, vars))
	case c.kind <= opNumericGreaterThanEquals:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) {
			return errorf("Invalid numeric value %q for condition key %s", v, c.key)
		}
		c.nums = append(c.nums, f)
	case c.kind <= opDateGreaterThanEquals:
		t, ok := parseTime(v)
		if !ok {
			return errorf("Invalid date value %q for condition key %s", v, c.key)
		}
		c.times = append(c.times, t)
	case c.kind == opBool:
		b, err := strconv.ParseBool(strings.ToLower(v))
		if err != nil {
			return errorf("Invalid boolean value %q for condition key %s", v, c.key)
		}
		c.bools = append(c.bools, b)
	case c.kind == opBinaryEquals:
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return errorf("Invalid base64 value %q for condition key %s", v, c.key)
		}
		c.bins = append(c.bins, b)
	case c.kind == opIPAddress:
		p, ok := parsePrefix(v)
		if !ok {
			return errorf("Invalid IP address or CIDR %q for condition key %s", v, c.key)
		}
		c.prefixes = append(c.prefixes, p)
	case c.kind == opNull:
		b, err := strconv.ParseBool(strings.ToLower(v))
		if err != nil {
			return errorf("Invalid boolean value %q for condition key %s", v, c.key)
		}
		c.nulls = append(c.nulls, b)
	}
	return nil
}

func parsePrefix(v string) (netip.Prefix, bool) {
	if strings.Contains(v, "/") {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()).Masked(), true
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// timeLayouts are the ISO 8601 forms IAM accepts for dates.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseTime reads an ISO 8601 date or time, or epoch seconds, as Unix
// nanoseconds. Times without a zone are UTC.
func parseTime(v string) (int64, bool) {
	if v == "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "-:") {
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 9e9 {
			return 0, false
		}
		return int64(f * 1e9), true
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

// eval reports whether the condition holds in ctx.
func (c *condition) eval(ctx *Context) bool {
	values, _ := ctx.lookup(c.key)
	if c.kind == opNull {
		return c.evalNull(len(values) == 0)
	}
	if len(values) == 0 {
		switch c.set {
		case setForAll:
			return true
		case setForAny:
			return false
		}
		return c.ifExists || c.negated
	}
	switch c.set {
	case setForAll:
		for _, v := range values {
			if !c.matchValue(ctx, v) {
				return false
			}
		}
		return true
	case setForAny:
		for _, v := range values {
			if c.matchValue(ctx, v) {
				return true
			}
		}
		return false
	}
	for _, v := range values {
		if c.matchAny(ctx, v) {
			return !c.negated
		}
	}
	return c.negated
}

// matchValue applies the operator, negation included, to one context value.
func (c *condition) matchValue(ctx *Context, v string) bool {
	return c.matchAny(ctx, v) != c.negated
}

func (c *condition) evalNull(absent bool) bool {
	for _, want := range c.nulls {
		if want == absent {
			return true
		}
	}
	return false
}

// matchAny reports whether context value v matches any policy value under
// the positive form of the operator.
func (c *condition) matchAny(ctx *Context, v string) bool {
	switch {
	case c.kind <= opStringLike:
		wild, fold := c.kind == opStringLike, c.kind == opStringEqualsIgnoreCase
		for i := range c.strs {
			if c.strs[i].match(ctx, v, wild, fold) {
				return true
			}
		}
	case c.kind == opArnLike:
		for i := range c.strs {
			if matchARN(&c.strs[i], ctx, v) {
				return true
			}
		}
	case c.kind <= opNumericGreaterThanEquals:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		for _, n := range c.nums {
			if compare(c.kind-opNumericEquals, cmp3(f, n)) {
				return true
			}
		}
	case c.kind <= opDateGreaterThanEquals:
		t, ok := parseTime(v)
		if !ok {
			return false
		}
		for _, n := range c.times {
			if compare(c.kind-opDateEquals, cmp3(t, n)) {
				return true
			}
		}
	case c.kind == opBool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			b, err = strconv.ParseBool(strings.ToLower(v))
		}
		if err != nil {
			return false
		}
		for _, want := range c.bools {
			if b == want {
				return true
			}
		}
	case c.kind == opBinaryEquals:
		return c.matchBinary(v)
	case c.kind == opIPAddress:
		a, err := netip.ParseAddr(v)
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range c.prefixes {
			if p.Contains(a) {
				return true
			}
		}
	}
	return false
}

func (c *condition) matchBinary(v string) bool {
	var arr [256]byte
	buf := arr[:]
	if n := base64.StdEncoding.DecodedLen(len(v)); n > len(buf) {
		buf = make([]byte, n)
	}
	n, err := base64.StdEncoding.Decode(buf, []byte(v))
	if err != nil {
		return false
	}
	for _, b := range c.bins {
		if string(b) == string(buf[:n]) {
			return true
		}
	}
	return false
}

func cmp3[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compare applies the comparison at offset rel from the Equals operator of
// its family (Equals, LessThan, LessThanEquals, GreaterThan,
// GreaterThanEquals) to the result of cmp3.
func compare(rel opKind, c int) bool {
	switch rel {
	case 0:
		return c == 0
	case 1:
		return c < 0
	case 2:
		return c <= 0
	case 3:
		return c > 0
	default:
		return c >= 0
	}
}

// matchARN matches an ARN the way ArnLike does: each of the six
// colon-separated parts separately, the sixth taking the rest of the ARN.
func matchARN(t *template, ctx *Context, v string) bool {
	if t.parts == nil {
		return matchARNParts(t.raw, nil, v)
	}
	var bufArr [maxExpanded]byte
	var litArr [maxExpanded]bool
	buf, lit, ok := t.expand(ctx, bufArr[:0], litArr[:0])
	if !ok {
		return false
	}
	return matchARNParts(buf, lit, v)
}

func matchARNParts[P string | []byte](p P, lit []bool, v string) bool {
	for i := 0; i < 5; i++ {
		pc := indexColon(p, lit)
		vc := strings.IndexByte(v, ':')
		if pc < 0 || vc < 0 {
			return pc < 0 && i == 0 && globMatch(p, lit, v, true, false)
		}
		var partLit []bool
		if lit != nil {
			partLit = lit[:pc]
		}
		if !globMatch(p[:pc], partLit, v[:vc], true, false) {
			return false
		}
		p, v = p[pc+1:], v[vc+1:]
		if lit != nil {
			lit = lit[pc+1:]
		}
	}
	return globMatch(p, lit, v, true, false)
}

// indexColon finds the first colon of p that is not from a variable.
func indexColon[P string | []byte](p P, lit []bool) int {
	for i := 0; i < len(p); i++ {
		if p[i] == ':' && (lit == nil || !lit[i]) {
			return i
		}
	}
	return -1
}

// ValidDate reports whether v is a date the Date condition operators can
// compare with: an ISO 8601 date or time, or epoch seconds.
func ValidDate(v string) bool {
	_, ok := parseTime(v)
	return ok
}
