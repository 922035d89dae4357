package policy

import "strings"

// template is a string from a policy that may contain policy variables
// such as ${aws:username} or ${aws:PrincipalTag/team, 'none'}.
type template struct {
	raw   string // the text itself when it has no variables
	parts []part // the text split into literals and variables, or nil
}

type part struct {
	lit    string
	key    string // lower-case context key; "" for a literal
	def    string
	hasDef bool
}

// maxExpanded bounds the expansion done on the stack; longer expansions
// are done on the heap.
const maxExpanded = 512

// newTemplate parses s. With vars false (Version 2008-10-17 or a place
// where IAM does not expand variables) s is kept literally.
func newTemplate(s string, vars bool) template {
	if !vars || !strings.Contains(s, "${") {
		return template{raw: s}
	}
	var parts []part
	rest := s
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			break
		}
		if i > 0 {
			parts = append(parts, part{lit: rest[:i]})
		}
		parts = append(parts, parseVariable(rest[i+2:i+j]))
		rest = rest[i+j+1:]
	}
	if rest != "" {
		parts = append(parts, part{lit: rest})
	}
	return template{raw: s, parts: parts}
}

// parseVariable parses the inside of ${...}. The special variables ${*},
// ${?} and ${$} stand for the literal characters.
func parseVariable(in string) part {
	switch in {
	case "*", "?", "$":
		return part{key: "\x00" + in} // marker: literal special character
	}
	key, def, hasDef := strings.Cut(in, ",")
	p := part{key: strings.ToLower(strings.TrimSpace(key))}
	if hasDef {
		def = strings.TrimSpace(def)
		if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
			def = def[1 : len(def)-1]
		}
		p.def, p.hasDef = def, true
	}
	return p
}

// variableValue resolves a variable part; ok is false when the variable
// has no value and no default.
func (p part) variableValue(ctx *Context) (string, bool) {
	if p.key[0] == 0 {
		return p.key[1:], true
	}
	if v, ok := ctx.single(p.key); ok {
		return v, true
	}
	return p.def, p.hasDef
}

// match reports whether s matches the template. Text from variables is
// always literal; literal text honours wildcards when wild is set. A
// variable without a value matches nothing.
func (t *template) match(ctx *Context, s string, wild, fold bool) bool {
	if t.parts == nil {
		return globMatch(t.raw, nil, s, wild, fold)
	}
	var bufArr [maxExpanded]byte
	var litArr [maxExpanded]bool
	buf, lit, ok := t.expand(ctx, bufArr[:0], litArr[:0])
	if !ok {
		return false
	}
	return globMatch(buf, lit, s, wild, fold)
}

// expand appends the template's text to buf, marking in lit which bytes
// came from variables.
func (t *template) expand(ctx *Context, buf []byte, lit []bool) ([]byte, []bool, bool) {
	for _, p := range t.parts {
		if p.key == "" {
			buf = append(buf, p.lit...)
			for range len(p.lit) {
				lit = append(lit, false)
			}
			continue
		}
		v, ok := p.variableValue(ctx)
		if !ok {
			return nil, nil, false
		}
		buf = append(buf, v...)
		for range len(v) {
			lit = append(lit, true)
		}
	}
	return buf, lit, true
}
