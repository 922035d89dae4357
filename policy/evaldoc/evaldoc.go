// Package evaldoc reads the request documents of `gatehouse policy eval`
// and writes its results: a request, the policies that apply to it by
// type, and the decision with its explanation, all as JSON.
package evaldoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"gatehouse/policy"
)

// Document is one request document.
type Document struct {
	Request  Request  `json:"request"`
	Policies Policies `json:"policies"`
}

// Request is the request part of a Document.
type Request struct {
	PrincipalArn     string                     `json:"principalArn"`
	PrincipalAccount string                     `json:"principalAccount"`
	Action           string                     `json:"action"`
	Resource         string                     `json:"resource"`
	ResourceAccount  string                     `json:"resourceAccount"`
	Context          map[string]json.RawMessage `json:"context"`
}

// Policies holds the policies of a Document as JSON texts. Absent keys
// mean no policy of that type applies; SCP and RCP list levels from the
// organization root to the account.
type Policies struct {
	Identity            []json.RawMessage   `json:"identity"`
	PermissionsBoundary json.RawMessage     `json:"permissionsBoundary"`
	Session             []json.RawMessage   `json:"session"`
	Resource            []json.RawMessage   `json:"resource"`
	Trust               json.RawMessage     `json:"trust"`
	SCP                 [][]json.RawMessage `json:"scp"`
	RCP                 [][]json.RawMessage `json:"rcp"`
}

// Result is the answer to one Document. Error is set, and nothing else,
// when the document could not be evaluated.
type Result struct {
	Decision                     string      `json:"decision,omitempty"`
	MatchedStatements            []Statement `json:"matchedStatements"`
	AllowedByOrganizations       bool        `json:"allowedByOrganizations"`
	AllowedByPermissionsBoundary bool        `json:"allowedByPermissionsBoundary"`
	// MissingContextValues are the context keys that statements applying
	// to the request reference but the request lacks, sorted.
	MissingContextValues []string `json:"missingContextValues,omitempty"`
	Reason               string   `json:"reason,omitempty"`
	Error                string   `json:"error,omitempty"`
}

// Statement is a matched statement in a Result.
type Statement struct {
	PolicyID   string          `json:"policyId"`
	PolicyType string          `json:"policyType"`
	Sid        string          `json:"sid,omitempty"`
	Index      int             `json:"index"`
	Effect     string          `json:"effect"`
	Start      policy.Position `json:"start"`
	End        policy.Position `json:"end"`
}

// Key returns the statement as POLICYID#SID, or POLICYID#INDEX for a
// statement without a Sid.
func (s Statement) Key() string {
	if s.Sid != "" {
		return s.PolicyID + "#" + s.Sid
	}
	return fmt.Sprintf("%s#%d", s.PolicyID, s.Index)
}

// Evaluate decodes one request document and evaluates it. It never fails:
// a bad document yields a Result with Error set.
func Evaluate(text []byte) Result {
	var doc Document
	if err := decodeStrict(text, &doc); err != nil {
		return Result{Error: "malformed request document: " + err.Error()}
	}
	set, req, err := doc.Compile()
	if err != nil {
		return Result{Error: err.Error()}
	}
	return NewResult(policy.Explain(set, req))
}

func decodeStrict(text []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(text))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the document")
	}
	return nil
}

// NewResult converts an explanation into a Result.
func NewResult(ex *policy.Explanation) Result {
	r := Result{
		Decision:                     ex.Decision.String(),
		MatchedStatements:            []Statement{},
		AllowedByOrganizations:       ex.AllowedByOrganizations,
		AllowedByPermissionsBoundary: ex.AllowedByPermissionsBoundary,
		Reason:                       ex.Reason,
	}
	for _, m := range ex.Matched {
		r.MatchedStatements = append(r.MatchedStatements, Statement{
			PolicyID: m.PolicyID, PolicyType: m.PolicyType.String(), Sid: m.Sid, Index: m.Index,
			Effect: m.Effect, Start: m.Span.Start, End: m.Span.End,
		})
	}
	seen := map[string]bool{}
	for _, m := range ex.Missing {
		if !seen[m.Key] {
			seen[m.Key] = true
			r.MissingContextValues = append(r.MissingContextValues, m.Key)
		}
	}
	sort.Strings(r.MissingContextValues)
	sort.SliceStable(r.MatchedStatements, func(i, j int) bool {
		return r.MatchedStatements[i].PolicyID < r.MatchedStatements[j].PolicyID
	})
	return r
}

// Compile compiles the document's policies and builds its request.
func (d *Document) Compile() (*policy.Set, *policy.Request, error) {
	ctx, err := decodeContext(d.Request.Context)
	if err != nil {
		return nil, nil, err
	}
	req := &policy.Request{
		Principal:        d.Request.PrincipalArn,
		PrincipalAccount: d.Request.PrincipalAccount,
		Action:           d.Request.Action,
		Resource:         d.Request.Resource,
		ResourceAccount:  d.Request.ResourceAccount,
		Context:          ctx,
	}
	if req.Action == "" {
		return nil, nil, fmt.Errorf("request.action is required")
	}
	if req.Resource == "" {
		req.Resource = "*"
	}
	c := compiler{}
	set := &policy.Set{
		Identity: c.list("identity", policy.Identity, d.Policies.Identity),
		Boundary: c.one("permissionsBoundary", policy.Boundary, d.Policies.PermissionsBoundary),
		Session:  c.list("session", policy.Session, d.Policies.Session),
		Resource: c.list("resource", policy.Resource, d.Policies.Resource),
		Trust:    c.one("trust", policy.Trust, d.Policies.Trust),
		SCP:      c.levels("scp", policy.SCP, d.Policies.SCP),
		RCP:      c.levels("rcp", policy.RCP, d.Policies.RCP),
	}
	if c.err != nil {
		return nil, nil, c.err
	}
	return set, req, nil
}

// compiler compiles the policies of a document, keeping the first error.
type compiler struct{ err error }

func (c *compiler) one(id string, t policy.Type, text json.RawMessage) *policy.Policy {
	if c.err != nil || len(text) == 0 || string(text) == "null" {
		return nil
	}
	p, err := policy.CompileText(id, t, text)
	if err != nil {
		c.err = fmt.Errorf("policies.%s: %w", id, err)
	}
	return p
}

func (c *compiler) list(id string, t policy.Type, texts []json.RawMessage) []*policy.Policy {
	var out []*policy.Policy
	for i, text := range texts {
		if p := c.one(fmt.Sprintf("%s[%d]", id, i), t, text); p != nil {
			out = append(out, p)
		}
	}
	return out
}

func (c *compiler) levels(id string, t policy.Type, levels [][]json.RawMessage) [][]*policy.Policy {
	if levels == nil {
		return nil
	}
	out := make([][]*policy.Policy, len(levels))
	for i, level := range levels {
		out[i] = c.list(fmt.Sprintf("%s[%d]", id, i), t, level)
		if out[i] == nil {
			out[i] = []*policy.Policy{}
		}
	}
	return out
}

// decodeContext reads context values: strings or arrays of strings, with
// numbers and booleans taken as their text.
func decodeContext(raw map[string]json.RawMessage) (*policy.Context, error) {
	ctx := &policy.Context{}
	for k, v := range raw {
		values, err := contextValues(v)
		if err != nil {
			return nil, fmt.Errorf("request.context[%q]: %w", k, err)
		}
		ctx.Set(k, values...)
	}
	return ctx, nil
}

func contextValues(v json.RawMessage) ([]string, error) {
	v = bytes.TrimSpace(v)
	if len(v) > 0 && v[0] == '[' {
		var elems []json.RawMessage
		if err := json.Unmarshal(v, &elems); err != nil {
			return nil, err
		}
		out := make([]string, 0, len(elems))
		for _, e := range elems {
			s, err := scalar(e)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, err := scalar(v)
	if err != nil {
		return nil, err
	}
	return []string{s}, nil
}

func scalar(v json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err == nil {
		return n.String(), nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err == nil {
		return fmt.Sprint(b), nil
	}
	return "", fmt.Errorf("a context value must be a string or an array of strings, not %s", v)
}
