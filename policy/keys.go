package policy

import "strings"

// ContextKeys returns the context keys the policy references, as written
// in it: the keys of its Condition elements and, in a policy of version
// 2012-10-17, the keys of the policy variables in its Resource,
// NotResource and condition values. A key is listed once (keys are
// case-insensitive; the first spelling wins), in the order of first use.
// It is what IAM's GetContextKeysForCustomPolicy reports.
func (d *Document) ContextKeys() []string {
	if d == nil {
		return nil
	}
	var ks keySet
	vars := d.Version == "2012-10-17"
	for _, st := range d.Statements {
		ks.statement(st, vars)
	}
	return ks.keys
}

// keySet collects keys once each, case-insensitively.
type keySet struct {
	keys []string
	seen map[string]bool
}

func (ks *keySet) add(key string) {
	lower := strings.ToLower(key)
	if key == "" || ks.seen[lower] {
		return
	}
	if ks.seen == nil {
		ks.seen = map[string]bool{}
	}
	ks.seen[lower] = true
	ks.keys = append(ks.keys, key)
}

// statement adds the keys one statement references.
func (ks *keySet) statement(st *Statement, vars bool) {
	if vars {
		for _, r := range st.Resource {
			ks.variables(r)
		}
		for _, r := range st.NotResource {
			ks.variables(r)
		}
	}
	for _, c := range st.Conditions {
		ks.add(c.Key)
		if !vars {
			continue
		}
		if info, ok := ParseOperator(c.Operator); ok && info.Variables {
			for _, v := range c.Values {
				ks.variables(v)
			}
		}
	}
}

// variables adds the keys of the policy variables in s, such as aws:username
// in "arn:aws:s3:::b/${aws:username}/*". The special variables ${*}, ${?}
// and ${$} name no key.
func (ks *keySet) variables(s string) {
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return
		}
		in := s[i+2 : i+j]
		s = s[i+j+1:]
		switch in {
		case "*", "?", "$":
			continue
		}
		key, _, _ := strings.Cut(in, ",")
		ks.add(strings.TrimSpace(key))
	}
}

// statementKeys returns the keys a statement references, as written.
func statementKeys(st *Statement, vars bool) []string {
	var ks keySet
	ks.statement(st, vars)
	return ks.keys
}
