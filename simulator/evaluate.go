package simulator

import (
	"strings"

	"gatehouse/arn"
	"gatehouse/authz"
	"gatehouse/policy"
)

// maxEvaluations bounds the evaluations (actions times resources) of one
// simulation request: Gatehouse's own limit.
const maxEvaluations = 10000

// The limits of the request members (ActionNameType, ResourceNameType).
const (
	minAction, maxAction     = 3, 128
	minResource, maxResource = 1, 2048
)

// common are the members both simulations share.
type common struct {
	actions, resources []string
	resourcePolicy     string
	resourceOwner      string
	entries            []ContextEntry
	maxItems           *int32
	marker             string
}

// checkCommon checks the actions, resources and resource handling option
// of a simulation.
func checkCommon(actions, resources []string, option string) error {
	if len(actions) == 0 {
		return errInput("ActionNames must contain at least one action.")
	}
	for _, a := range actions {
		if len(a) < minAction || len(a) > maxAction {
			return errInput("Action name %s must be %d to %d characters long.", quote(a), minAction, maxAction)
		}
		// "This operation does not support using wildcards (*) in an
		// action name."
		if strings.ContainsAny(a, "*?") {
			return errInput("Action name %s must not contain wildcards.", quote(a))
		}
		if svc, name, ok := strings.Cut(a, ":"); !ok || svc == "" || name == "" || strings.Contains(name, ":") {
			return errInput("Action name %s must be of the form service:action.", quote(a))
		}
	}
	for _, r := range resources {
		if len(r) < minResource || len(r) > maxResource {
			return errInput("Resource ARN %s must be %d to %d characters long.", quote(r), minResource, maxResource)
		}
		if _, ok := arn.Parse(r); !ok && r != "*" {
			return errResourceARN(r)
		}
	}
	if n := len(actions) * max(1, len(resources)); n > maxEvaluations {
		return errInput("The simulation asks for %d evaluations (actions times resources); at most %d are allowed.", n, maxEvaluations)
	}
	return checkScenario(option, resources)
}

// simulate evaluates every action of the page on every resource.
func (s *Simulator) simulate(sim *simulation, c common) (SimulatePolicyOutput, error) {
	if _, err := Context(c.entries); err != nil {
		return SimulatePolicyOutput{}, err
	}
	var resPolicies []*policy.Policy
	if c.resourcePolicy != "" {
		p, err := sim.compile(policy.Resource, source{id: "ResourcePolicy", typ: SourceResource}, c.resourcePolicy, false)
		if err != nil {
			return SimulatePolicyOutput{}, err
		}
		resPolicies = []*policy.Policy{p}
	}
	owner, err := ownerAccount(c.resourceOwner, sim.account)
	if err != nil {
		return SimulatePolicyOutput{}, err
	}
	start, end, next, err := page(c.actions, c.maxItems, c.marker)
	if err != nil {
		return SimulatePolicyOutput{}, err
	}
	out := SimulatePolicyOutput{EvaluationResults: []EvaluationResult{}, IsTruncated: next != "", Marker: next}
	for _, action := range c.actions[start:end] {
		out.EvaluationResults = append(out.EvaluationResults, sim.action(action, c, owner, resPolicies))
	}
	return out, nil
}

// named reports whether a simulation names resources; none, or only "*",
// simulates "*".
func named(resources []string) bool {
	for _, r := range resources {
		if r != "*" {
			return true
		}
	}
	return false
}

// action simulates one action on each resource and aggregates the results.
func (sim *simulation) action(action string, c common, owner string, resPolicies []*policy.Policy) EvaluationResult {
	if !named(c.resources) {
		r := sim.evaluate(action, "*", owner, c.entries, resPolicies)
		res := EvaluationResult{
			EvalActionName: action, EvalResourceName: "*", EvalDecision: r.EvalResourceDecision,
			MatchedStatements: r.MatchedStatements, MissingContextValues: r.MissingContextValues,
			OrganizationsDecisionDetail: r.orgs, PermissionsBoundaryDecisionDetail: r.PermissionsBoundaryDecisionDetail,
		}
		if r.crossAccount {
			res.EvalDecisionDetails = r.EvalDecisionDetails
		}
		return res
	}
	res := EvaluationResult{EvalActionName: action, EvalResourceName: "*", ResourceSpecificResults: []ResourceSpecificResult{}}
	var all []evaluated
	for _, resource := range c.resources {
		r := sim.evaluate(action, resource, owner, c.entries, resPolicies)
		all = append(all, r)
		res.ResourceSpecificResults = append(res.ResourceSpecificResults, r.ResourceSpecificResult)
	}
	aggregate(&res, all)
	return res
}

// aggregate fills the top-level result of an action from its resources:
// "The top-level EvalDecision reflects the most restrictive decision
// across all resources", MatchedStatements the statements behind that
// decision, MissingContextValues the union (IAM API Reference,
// EvaluationResult).
func aggregate(res *EvaluationResult, all []evaluated) {
	decision := policy.Allowed.String()
	for _, r := range all {
		if rank(r.EvalResourceDecision) > rank(decision) {
			decision = r.EvalResourceDecision
		}
	}
	res.EvalDecision = decision
	res.MatchedStatements = []Statement{}
	res.MissingContextValues = []string{}
	res.EvalDecisionDetails = map[string]string{}
	var seenKeys keys
	seenStmt := map[Statement]bool{}
	for _, r := range all {
		if r.EvalResourceDecision == decision {
			for _, st := range r.MatchedStatements {
				if !seenStmt[st] {
					seenStmt[st] = true
					res.MatchedStatements = append(res.MatchedStatements, st)
				}
			}
		}
		for _, k := range r.MissingContextValues {
			res.MissingContextValues = seenKeys.add(res.MissingContextValues, k)
		}
		for kind, d := range r.EvalDecisionDetails {
			if cur, ok := res.EvalDecisionDetails[kind]; !ok || rank(d) > rank(cur) {
				res.EvalDecisionDetails[kind] = d
			}
		}
		if r.orgs != nil {
			if res.OrganizationsDecisionDetail == nil {
				res.OrganizationsDecisionDetail = &OrganizationsDecisionDetail{AllowedByOrganizations: true}
			}
			res.OrganizationsDecisionDetail.AllowedByOrganizations = res.OrganizationsDecisionDetail.AllowedByOrganizations && r.orgs.AllowedByOrganizations
		}
		if b := r.PermissionsBoundaryDecisionDetail; b != nil {
			if res.PermissionsBoundaryDecisionDetail == nil {
				res.PermissionsBoundaryDecisionDetail = &PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: true}
			}
			res.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary = res.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary && b.AllowedByPermissionsBoundary
		}
	}
}

// rank orders decisions from the least to the most restrictive.
func rank(decision string) int {
	switch decision {
	case policy.ExplicitDeny.String():
		return 2
	case policy.ImplicitDeny.String():
		return 1
	}
	return 0
}

// evaluated is the simulation of one action on one resource.
type evaluated struct {
	ResourceSpecificResult
	orgs         *OrganizationsDecisionDetail
	crossAccount bool
}

// The kinds of EvalDecisionDetails. IAM does not document its keys; these
// name the two sides of a cross-account request.
const (
	detailIdentity = "IAM Policy"
	detailResource = "Resource Policy"
)

// evaluate asks the policy engine about one action on one resource,
// building the question with authz.Prepare exactly as enforcement does.
func (sim *simulation) evaluate(action, resource, owner string, entries []ContextEntry, resPolicies []*policy.Policy) evaluated {
	account := arn.AccountOf(resource)
	if account == "" {
		account = owner
	}
	req := authz.Request{Caller: sim.caller, Action: action, Resource: resource, ResourceAccount: account, Context: &policy.Context{}}
	set, preq := authz.Prepare(req, &sim.pp, authz.ResourcePolicies{Policies: resPolicies, RCP: sim.rcps[account]})
	for _, e := range entries { // validated by Context; they win over derived keys
		values, _ := entryValues(e)
		preq.Context.Set(e.ContextKeyName, values...)
	}
	ex := policy.Explain(set, preq)
	r := evaluated{ResourceSpecificResult: ResourceSpecificResult{
		EvalResourceName:     resource,
		EvalResourceDecision: ex.Decision.String(),
		MatchedStatements:    []Statement{},
		MissingContextValues: []string{},
		EvalDecisionDetails:  map[string]string{},
	}}
	for _, m := range ex.Matched {
		// No statement determines an implicit deny (the AWS CLI's
		// simulate-custom-policy example answers "MatchedStatements": []),
		// and SCP statements are never reported.
		if ex.Decision == policy.ImplicitDeny || m.PolicyType == policy.SCP || m.PolicyType == policy.RCP {
			continue
		}
		src := sim.source(m.PolicyID)
		r.MatchedStatements = append(r.MatchedStatements, Statement{
			SourcePolicyId: src.id, SourcePolicyType: src.typ,
			StartPosition: position(m.Span.Start), EndPosition: position(m.Span.End),
		})
	}
	var seen keys
	for _, m := range ex.Missing {
		if m.PolicyType != policy.SCP && m.PolicyType != policy.RCP {
			r.MissingContextValues = seen.add(r.MissingContextValues, m.Key)
		}
	}
	if sim.pp.SCP != nil || sim.rcps[account] != nil {
		r.orgs = &OrganizationsDecisionDetail{AllowedByOrganizations: ex.AllowedByOrganizations}
	}
	if sim.pp.Boundary != nil {
		r.PermissionsBoundaryDecisionDetail = &PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: ex.AllowedByPermissionsBoundary}
	}
	// "If an Organizations SCP included in the evaluation denies access,
	// the simulation ends ... and this parameter is not returned."
	r.crossAccount = account != sim.account
	if r.crossAccount && ex.AllowedByOrganizations {
		r.EvalDecisionDetails[detailIdentity] = ex.IdentityDecision.String()
		r.EvalDecisionDetails[detailResource] = ex.ResourceDecision.String()
	}
	return r
}

// position converts a policy source position to IAM's: the column just
// after the brace. (The AWS CLI's simulate-custom-policy example reports
// StartPosition column 38 and EndPosition column 167 for a statement whose
// braces are the 37th and 166th characters of its line.)
func position(p policy.Position) Position {
	return Position{Line: p.Line, Column: p.Column + 1}
}

// keys collects context key names once each, case-insensitively.
type keys map[string]bool

func (k *keys) add(list []string, key string) []string {
	if *k == nil {
		*k = keys{}
	}
	lower := strings.ToLower(key)
	if (*k)[lower] {
		return list
	}
	(*k)[lower] = true
	return append(list, key)
}
