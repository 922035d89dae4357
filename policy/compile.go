package policy

import (
	"errors"
	"fmt"
	"strings"
)

// CompileError reports a policy that cannot be evaluated: a statement
// whose Effect, operators or values have no meaning. Validate reports the
// same problems with IAM's texts; Compile refuses them so that an
// unvalidated policy can never be evaluated in a surprising way.
type CompileError struct {
	Msg  string
	Span Span
}

func (e *CompileError) Error() string {
	if e.Span.Start.Line == 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Span.Start.Line, e.Span.Start.Column, e.Msg)
}

func errorf(format string, args ...any) error {
	return &CompileError{Msg: fmt.Sprintf(format, args...)}
}

// Policy is a compiled policy, ready to evaluate. It is immutable and safe
// for concurrent use.
type Policy struct {
	id    string
	typ   Type
	doc   *Document
	stmts []statement
	// exact indexes statements by lower-case action without wildcards.
	exact map[string][]int32
	// byService indexes statements whose action has a wildcard in its name
	// part only, by lower-case service prefix.
	byService map[string][]int32
	// always lists statements that must be checked for every action.
	always []int32
}

// statement is a compiled Statement.
type statement struct {
	src          *Statement
	index        int
	deny         bool
	notAction    bool
	actions      []string // lower case glob patterns
	notResource  bool
	anyResource  bool // Resource "*" (or no Resource element)
	resources    []template
	principal    *principalSet
	notPrincipal bool
	conds        []condition
	// keys are the context keys the statement references, as written;
	// resourceVars reports policy variables in its resources. Only
	// explanations use them.
	keys         []string
	resourceVars bool
}

// ID returns the policy's identifier as given to Compile.
func (p *Policy) ID() string { return p.id }

// Type returns the policy's type.
func (p *Policy) Type() Type { return p.typ }

// Document returns the parsed policy the Policy was compiled from. It must
// not be modified.
func (p *Policy) Document() *Document { return p.doc }

// Compile compiles a parsed policy of type t. The id names the policy in
// explanations. Compile checks only what evaluation depends on (Effect
// values, condition operators and their values); use Validate for IAM's
// full grammar.
func Compile(id string, t Type, doc *Document) (*Policy, error) {
	if doc == nil {
		return nil, errors.New("policy: Compile of a nil Document")
	}
	vars := doc.Version == "2012-10-17"
	p := &Policy{id: id, typ: t, doc: doc, exact: map[string][]int32{}, byService: map[string][]int32{}}
	for i, src := range doc.Statements {
		st, err := compileStatement(src, i, vars)
		if err != nil {
			var ce *CompileError
			if errors.As(err, &ce) && ce.Span.Start.Line == 0 {
				ce.Span = src.Span
			}
			return nil, err
		}
		p.stmts = append(p.stmts, st)
		p.index(int32(i), &p.stmts[len(p.stmts)-1])
	}
	return p, nil
}

// CompileText parses and compiles policy text.
func CompileText(id string, t Type, text []byte) (*Policy, error) {
	doc, err := Parse(text)
	if err != nil {
		return nil, err
	}
	return Compile(id, t, doc)
}

func compileStatement(src *Statement, index int, vars bool) (statement, error) {
	st := statement{src: src, index: index}
	switch src.Effect {
	case "Allow":
	case "Deny":
		st.deny = true
	default:
		return st, errorf("Invalid effect: %q", src.Effect)
	}
	actions := src.Action
	if src.NotAction != nil {
		st.notAction, actions = true, src.NotAction
	}
	for _, a := range actions {
		st.actions = append(st.actions, strings.ToLower(a))
	}
	resources := src.Resource
	if src.NotResource != nil {
		st.notResource, resources = true, src.NotResource
	}
	st.anyResource = resources == nil && !st.notResource
	for _, r := range resources {
		if r == "*" && !st.notResource {
			st.anyResource = true
		}
		t := newTemplate(r, vars)
		st.resourceVars = st.resourceVars || t.parts != nil
		st.resources = append(st.resources, t)
	}
	st.keys = statementKeys(src, vars)
	if src.Principal != nil {
		st.principal = compilePrincipal(src.Principal)
	} else if src.NotPrincipal != nil {
		st.principal, st.notPrincipal = compilePrincipal(src.NotPrincipal), true
	}
	for _, c := range src.Conditions {
		cc, err := compileCondition(c, vars)
		if err != nil {
			return st, err
		}
		st.conds = append(st.conds, cc)
	}
	return st, nil
}

// index files a statement under the actions it can match.
func (p *Policy) index(i int32, st *statement) {
	if st.notAction {
		p.always = append(p.always, i)
		return
	}
	for _, a := range st.actions {
		svc, name, ok := strings.Cut(a, ":")
		switch {
		case !ok || hasWildcard(svc):
			p.always = appendOnce(p.always, i)
		case hasWildcard(name):
			p.byService[svc] = appendOnce(p.byService[svc], i)
		default:
			p.exact[a] = appendOnce(p.exact[a], i)
		}
	}
}

func appendOnce(list []int32, i int32) []int32 {
	if n := len(list); n > 0 && list[n-1] == i {
		return list
	}
	return append(list, i)
}
