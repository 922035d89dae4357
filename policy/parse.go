package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"
)

// MaxDocumentSize is the largest policy text Parse accepts, in bytes. It is
// well above every IAM and Organizations limit, so that validation reports
// the limit with the right text while a hostile input stays bounded.
const MaxDocumentSize = 1 << 20

// SyntaxError reports policy text that is not a well-formed policy: bad
// JSON, or an element of the wrong JSON type.
type SyntaxError struct {
	Pos Position
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("policy syntax error at line %d, column %d: %s", e.Pos.Line, e.Pos.Column, e.Msg)
}

// Parse parses policy text into a Document. It fails with a *SyntaxError
// when the text is not JSON, is not an object, repeats a key, or gives an
// element a JSON type IAM does not accept. Unknown element names are
// recorded, not rejected: Validate reports them.
func Parse(text []byte) (*Document, error) {
	if len(text) > MaxDocumentSize {
		return nil, &SyntaxError{Pos: Position{1, 1}, Msg: "policy document is too large"}
	}
	p := &parser{src: text, lines: lineStarts(text)}
	root, err := p.parseRoot()
	if err != nil {
		return nil, err
	}
	doc, err := p.document(root)
	if err != nil {
		return nil, err
	}
	doc.Size = utf8.RuneCount(text)
	doc.SizeNoSpace = countNonSpace(text)
	return doc, nil
}

// node is a JSON value with its source offsets.
type node struct {
	kind  nodeKind
	str   string // string value, or the source text of a number or boolean
	keys  []string
	vals  []*node // object values (parallel to keys) or array elements
	start int     // offset of the first byte
	end   int     // offset just past the last byte
}

type nodeKind int

const (
	kindString nodeKind = iota
	kindNumber
	kindBool
	kindNull
	kindObject
	kindArray
)

func (k nodeKind) String() string {
	return [...]string{"string", "number", "boolean", "null", "object", "array"}[k]
}

type parser struct {
	src   []byte
	lines []int
	dec   *json.Decoder
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// pos converts a byte offset into a Position.
func (p *parser) pos(off int) Position {
	lo, hi := 0, len(p.lines)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if p.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return Position{Line: lo + 1, Column: off - p.lines[lo] + 1}
}

func (p *parser) errorAt(off int, format string, args ...any) error {
	return &SyntaxError{Pos: p.pos(off), Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) parseRoot() (*node, error) {
	p.dec = json.NewDecoder(bytes.NewReader(p.src))
	p.dec.UseNumber()
	n, err := p.value()
	if err != nil {
		return nil, err
	}
	if rest := bytes.TrimLeft(p.src[p.dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		off := len(p.src) - len(rest)
		return nil, p.errorAt(off, "unexpected data after the policy object")
	}
	if n.kind != kindObject {
		return nil, p.errorAt(n.start, "a policy must be a JSON object")
	}
	return n, nil
}

// value reads one JSON value. The decoder's InputOffset is the end of the
// previous token; the value's first byte is found by skipping separators.
func (p *parser) value() (*node, error) {
	before := int(p.dec.InputOffset())
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.jsonError(err, before)
	}
	end := int(p.dec.InputOffset())
	start := p.skipSeparators(before)
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return p.object(start)
		}
		if t == '[' {
			return p.array(start)
		}
		return nil, p.errorAt(start, "unexpected %q", rune(t))
	case string:
		return &node{kind: kindString, str: t, start: start, end: end}, nil
	case json.Number:
		return &node{kind: kindNumber, str: t.String(), start: start, end: end}, nil
	case bool:
		return &node{kind: kindBool, str: fmt.Sprint(t), start: start, end: end}, nil
	default:
		return &node{kind: kindNull, str: "null", start: start, end: end}, nil
	}
}

func (p *parser) skipSeparators(off int) int {
	for off < len(p.src) {
		switch p.src[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

func (p *parser) jsonError(err error, off int) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return p.errorAt(int(se.Offset), "%s", se.Error())
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.errorAt(len(p.src), "unexpected end of policy text")
	}
	return p.errorAt(off, "%s", err.Error())
}

func (p *parser) object(start int) (*node, error) {
	n := &node{kind: kindObject, start: start}
	seen := map[string]bool{}
	for p.dec.More() {
		keyOff := p.skipSeparators(int(p.dec.InputOffset()))
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.jsonError(err, keyOff)
		}
		key, _ := tok.(string)
		if seen[key] {
			return nil, p.errorAt(keyOff, "duplicate key %q", key)
		}
		seen[key] = true
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.vals = append(n.vals, v)
	}
	if _, err := p.dec.Token(); err != nil {
		return nil, p.jsonError(err, int(p.dec.InputOffset()))
	}
	n.end = int(p.dec.InputOffset())
	return n, nil
}

func (p *parser) array(start int) (*node, error) {
	n := &node{kind: kindArray, start: start}
	for p.dec.More() {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.vals = append(n.vals, v)
	}
	if _, err := p.dec.Token(); err != nil {
		return nil, p.jsonError(err, int(p.dec.InputOffset()))
	}
	n.end = int(p.dec.InputOffset())
	return n, nil
}

func (p *parser) span(n *node) Span {
	return Span{Start: p.pos(n.start), End: p.pos(n.end - 1)}
}

func (p *parser) document(root *node) (*Document, error) {
	doc := &Document{}
	for i, key := range root.keys {
		v := root.vals[i]
		var err error
		switch key {
		case "Version":
			doc.HasVersion = true
			doc.Version, err = p.str(key, v)
		case "Id":
			doc.ID, err = p.str(key, v)
		case "Statement":
			doc.StatementIsArray = v.kind == kindArray
			doc.Statements, err = p.statements(v)
		default:
			doc.Unknown = append(doc.Unknown, key)
		}
		if err != nil {
			return nil, err
		}
	}
	return doc, nil
}

func (p *parser) str(name string, v *node) (string, error) {
	if v.kind != kindString {
		return "", p.errorAt(v.start, "%s must be a string, not %s", name, v.kind)
	}
	return v.str, nil
}

// strings reads an element that IAM accepts as a string or an array of
// strings. The result is never nil.
func (p *parser) strings(name string, v *node) ([]string, error) {
	if v.kind == kindString {
		return []string{v.str}, nil
	}
	if v.kind != kindArray {
		return nil, p.errorAt(v.start, "%s must be a string or an array of strings, not %s", name, v.kind)
	}
	out := make([]string, 0, len(v.vals))
	for _, e := range v.vals {
		if e.kind != kindString {
			return nil, p.errorAt(e.start, "%s must contain only strings, not %s", name, e.kind)
		}
		out = append(out, e.str)
	}
	return out, nil
}

func (p *parser) statements(v *node) ([]*Statement, error) {
	if v.kind == kindObject {
		st, err := p.statement(v)
		if err != nil {
			return nil, err
		}
		return []*Statement{st}, nil
	}
	if v.kind != kindArray {
		return nil, p.errorAt(v.start, "Statement must be an object or an array of objects, not %s", v.kind)
	}
	out := make([]*Statement, 0, len(v.vals))
	for _, e := range v.vals {
		if e.kind != kindObject {
			return nil, p.errorAt(e.start, "Statement must contain only objects, not %s", e.kind)
		}
		st, err := p.statement(e)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (p *parser) statement(v *node) (*Statement, error) {
	st := &Statement{Span: p.span(v)}
	for i, key := range v.keys {
		val := v.vals[i]
		var err error
		switch key {
		case "Sid":
			st.HasSid = true
			st.Sid, err = p.str(key, val)
		case "Effect":
			st.Effect, err = p.str(key, val)
		case "Action":
			st.Action, err = p.strings(key, val)
		case "NotAction":
			st.NotAction, err = p.strings(key, val)
		case "Resource":
			st.Resource, err = p.strings(key, val)
		case "NotResource":
			st.NotResource, err = p.strings(key, val)
		case "Principal":
			st.Principal, err = p.principal(key, val)
		case "NotPrincipal":
			st.NotPrincipal, err = p.principal(key, val)
		case "Condition":
			st.HasCondition = true
			st.Conditions, err = p.conditions(val)
		default:
			st.Unknown = append(st.Unknown, key)
		}
		if err != nil {
			return nil, err
		}
	}
	return st, nil
}

func (p *parser) principal(name string, v *node) (*Principal, error) {
	if v.kind == kindString {
		if v.str != "*" {
			return nil, p.errorAt(v.start, "%s must be \"*\" or an object", name)
		}
		return &Principal{Wildcard: true}, nil
	}
	if v.kind != kindObject {
		return nil, p.errorAt(v.start, "%s must be \"*\" or an object, not %s", name, v.kind)
	}
	pr := &Principal{}
	for i, key := range v.keys {
		vals, err := p.strings(name+" "+key, v.vals[i])
		if err != nil {
			return nil, err
		}
		switch key {
		case "AWS":
			pr.AWS = vals
		case "Service":
			pr.Service = vals
		case "Federated":
			pr.Federated = vals
		case "CanonicalUser":
			pr.CanonicalUser = vals
		default:
			pr.Unknown = append(pr.Unknown, key)
		}
	}
	return pr, nil
}

func (p *parser) conditions(v *node) ([]Condition, error) {
	if v.kind != kindObject {
		return nil, p.errorAt(v.start, "Condition must be an object, not %s", v.kind)
	}
	var out []Condition
	for i, op := range v.keys {
		block := v.vals[i]
		if block.kind != kindObject {
			return nil, p.errorAt(block.start, "Condition operator %s must map to an object, not %s", op, block.kind)
		}
		for j, key := range block.keys {
			c := Condition{Operator: op, Key: key}
			if err := p.conditionValues(&c, block.vals[j]); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func (p *parser) conditionValues(c *Condition, v *node) error {
	elems := []*node{v}
	if v.kind == kindArray {
		elems = v.vals
	}
	c.Values = make([]string, 0, len(elems))
	for _, e := range elems {
		switch e.kind {
		case kindString:
		case kindNumber, kindBool:
			c.NonString = true
		default:
			return p.errorAt(e.start, "condition value for %s must be a string, number or boolean, not %s", c.Key, e.kind)
		}
		c.Values = append(c.Values, e.str)
	}
	return nil
}

func countNonSpace(text []byte) int {
	n := 0
	for _, r := range string(text) {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}
