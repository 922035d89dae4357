package policy

import (
	"fmt"
	"strings"
)

// MatchedStatement is a statement that applied to a request.
type MatchedStatement struct {
	// PolicyID is the id the policy was compiled with.
	PolicyID string
	// PolicyType is the policy's type.
	PolicyType Type
	// Sid is the statement's Sid, "" when it has none.
	Sid string
	// Index is the statement's position in the policy, from 0.
	Index int
	// Effect is "Allow" or "Deny".
	Effect string
	// Span is the statement's place in the policy source.
	Span Span
}

// Explanation is a decision with the statements and layers behind it.
type Explanation struct {
	Decision Decision
	// Matched lists the statements that decided the result: the matching
	// Deny statements for ExplicitDeny, otherwise the matching Allow
	// statements of every policy (none of which were enough for an
	// ImplicitDeny).
	Matched []MatchedStatement
	// AllowedByOrganizations reports whether the SCPs and RCPs that apply
	// allow the request; true when none apply.
	AllowedByOrganizations bool
	// AllowedByPermissionsBoundary reports whether the permissions
	// boundary allows the request; true when there is none.
	AllowedByPermissionsBoundary bool
	// Reason says in one line, in AWS's words, why.
	Reason string

	allows, denies []MatchedStatement
	seen           map[*statement]bool
}

// Explain evaluates req against set like Decide and explains the result.
func Explain(set *Set, req *Request) *Explanation {
	ex := &Explanation{seen: map[*statement]bool{}}
	e := evaluator{req: req, ex: ex}
	e.prepare()
	v := e.run(set)
	ex.Decision = v.decision
	ex.AllowedByOrganizations = v.orgs
	ex.AllowedByPermissionsBoundary = v.boundary
	ex.Matched = ex.allows
	if v.decision == ExplicitDeny {
		ex.Matched = ex.denies
	}
	ex.Reason = reason(req, v)
	ex.allows, ex.denies, ex.seen = nil, nil, nil
	return ex
}

func (ex *Explanation) record(p *Policy, st *statement) {
	if ex.seen[st] {
		return
	}
	ex.seen[st] = true
	m := MatchedStatement{
		PolicyID:   p.id,
		PolicyType: p.typ,
		Sid:        st.src.Sid,
		Index:      st.index,
		Effect:     st.src.Effect,
		Span:       st.src.Span,
	}
	if st.deny {
		ex.denies = append(ex.denies, m)
	} else {
		ex.allows = append(ex.allows, m)
	}
}

// layerNames are the policy kinds as AWS's access denied messages name them.
var layerNames = [...]string{
	layerSCP:      "service control policy",
	layerRCP:      "resource control policy",
	layerResource: "resource-based policy",
	layerIdentity: "identity-based policy",
	layerBoundary: "permissions boundary",
	layerSession:  "session policy",
	layerTrust:    "role trust policy",
}

func article(s string) string {
	if strings.IndexByte("aeiou", s[0]) >= 0 {
		return "an " + s
	}
	return "a " + s
}

// reason words a verdict like AWS's access denied messages.
func reason(req *Request, v verdict) string {
	principal := req.Principal
	if principal == "" {
		principal = "anonymous"
	}
	resource := req.Resource
	if resource == "" {
		resource = "*"
	}
	head := fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s", principal, req.Action, resource)
	switch v.decision {
	case ExplicitDeny:
		return head + " with an explicit deny in " + article(layerNames[v.layer])
	case ImplicitDeny:
		return fmt.Sprintf("%s because no %s allows the %s action", head, layerNames[v.layer], req.Action)
	}
	return fmt.Sprintf("User: %s is authorized to perform: %s on resource: %s by %s", principal, req.Action, resource, article(layerNames[v.layer]))
}
