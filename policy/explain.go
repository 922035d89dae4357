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
	// IdentityDecision is what the identity-based policies say on their
	// own: ExplicitDeny if one of their statements denies, Allowed if one
	// allows, ImplicitDeny otherwise. Account root users, which need no
	// identity-based policy, are Allowed.
	IdentityDecision Decision
	// ResourceDecision is what the resource-based policies say on their
	// own, likewise.
	ResourceDecision Decision
	// Missing lists the context keys that statements applying to the
	// action and resource reference but the request context lacks (or
	// holds without a value), once per policy and key, as the policy
	// writes them. A statement whose resource names a policy variable
	// counts whether or not its resource matched, since the variable's
	// absence alone can make it not match.
	Missing []MissingKey
	// Reason says in one line, in AWS's words, why.
	Reason string

	allows, denies []MatchedStatement
	seen           map[*statement]bool
	missing        map[MissingKey]bool
}

// MissingKey is a context key a policy references that the request lacks.
type MissingKey struct {
	PolicyID   string
	PolicyType Type
	// Key is the key as the policy writes it.
	Key string
}

// Explain evaluates req against set like Decide and explains the result.
func Explain(set *Set, req *Request) *Explanation {
	ex := &Explanation{seen: map[*statement]bool{}, missing: map[MissingKey]bool{}}
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
	ex.IdentityDecision = v.id.decision()
	ex.ResourceDecision = v.res.decision()
	ex.Reason = reason(req, v)
	ex.allows, ex.denies, ex.seen, ex.missing = nil, nil, nil, nil
	return ex
}

// decision is what one group of policies says on its own.
func (r result) decision() Decision {
	switch {
	case r.deny:
		return ExplicitDeny
	case r.allow:
		return Allowed
	}
	return ImplicitDeny
}

// noteMissing records the keys st references that the request lacks, if
// st applies to the request's action and resource (or its resource
// depends on a policy variable).
func (e *evaluator) noteMissing(p *Policy, st *statement, actionMatched bool) {
	if len(st.keys) == 0 || (!actionMatched && !e.matchAction(st)) {
		return
	}
	if !st.resourceVars && !e.matchResource(st) {
		return
	}
	for _, k := range st.keys {
		if v, ok := e.req.Context.Get(k); ok && len(v) > 0 {
			continue
		}
		m := MissingKey{PolicyID: p.id, PolicyType: p.typ, Key: k}
		if !e.ex.missing[m] {
			e.ex.missing[m] = true
			e.ex.Missing = append(e.ex.Missing, m)
		}
	}
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
