package server

import (
	"context"
	"unicode"
	"unicode/utf8"

	"gatehouse/awsapi"
	"gatehouse/awserr"
	"gatehouse/principal"
	"gatehouse/simulator"
)

// simulatorOperations declares the IAM policy simulator. Following the
// Service Authorization Reference for IAM, SimulatePrincipalPolicy and
// GetContextKeysForPrincipalPolicy are authorized on the user, group or
// role PolicySourceArn names; the custom-policy operations on "*".
func (s *Server) simulatorOperations() []*Operation {
	sim := s.deps.Simulator
	if sim == nil {
		return nil
	}
	custom := simulatorOp("SimulateCustomPolicy", func(ctx context.Context, c *principal.Caller, in *simulateCustomPolicyInput) (*simulatePolicyResult, error) {
		out, err := sim.SimulateCustomPolicy(ctx, c, in.SimulateCustomPolicyInput)
		return newSimulatePolicyResult(out), err
	})
	custom.audit = func(in any) any { return in.(*simulateCustomPolicyInput).SimulateCustomPolicyInput }
	principalOp := simulatorOp("SimulatePrincipalPolicy", func(ctx context.Context, c *principal.Caller, in *simulatePrincipalPolicyInput) (*simulatePolicyResult, error) {
		out, err := sim.SimulatePrincipalPolicy(ctx, c, in.SimulatePrincipalPolicyInput)
		return newSimulatePolicyResult(out), err
	})
	principalOp.audit = func(in any) any { return in.(*simulatePrincipalPolicyInput).SimulatePrincipalPolicyInput }
	customKeys := simulatorOp("GetContextKeysForCustomPolicy", func(ctx context.Context, c *principal.Caller, in *getContextKeysForCustomPolicyInput) (*contextKeysResult, error) {
		out, err := sim.GetContextKeysForCustomPolicy(ctx, c, in.GetContextKeysForCustomPolicyInput)
		return &contextKeysResult{ContextKeyNames: out.ContextKeyNames}, err
	})
	customKeys.audit = func(in any) any { return in.(*getContextKeysForCustomPolicyInput).GetContextKeysForCustomPolicyInput }
	principalKeys := simulatorOp("GetContextKeysForPrincipalPolicy", func(ctx context.Context, c *principal.Caller, in *getContextKeysForPrincipalPolicyInput) (*contextKeysResult, error) {
		out, err := sim.GetContextKeysForPrincipalPolicy(ctx, c, in.GetContextKeysForPrincipalPolicyInput)
		return &contextKeysResult{ContextKeyNames: out.ContextKeyNames}, err
	})
	principalKeys.audit = func(in any) any {
		return in.(*getContextKeysForPrincipalPolicyInput).GetContextKeysForPrincipalPolicyInput
	}
	return []*Operation{
		custom.readOnly(),
		on(principalOp.readOnly(), func(_ context.Context, _ *Call, in *simulatePrincipalPolicyInput) (target, error) {
			return target{ARNs: []string{in.PolicySourceArn}}, nil
		}),
		customKeys.readOnly(),
		on(principalKeys.readOnly(), func(_ context.Context, _ *Call, in *getContextKeysForPrincipalPolicyInput) (target, error) {
			return target{ARNs: []string{in.PolicySourceArn}}, nil
		}),
	}
}

// simulatorOp declares an IAM operation; its IAM action is iam:NAME.
func simulatorOp[In, Out any](name string, f func(context.Context, *principal.Caller, *In) (*Out, error)) *Operation {
	return op("iam", name, "iam:"+name, func(ctx context.Context, c *Call, in *In) (*Out, error) {
		out, err := f(ctx, c.Caller, in)
		if err != nil {
			return nil, err
		}
		return out, nil
	})
}

// The inputs read their members from the query parameters.
type (
	simulateCustomPolicyInput struct {
		simulator.SimulateCustomPolicyInput
	}
	simulatePrincipalPolicyInput struct {
		simulator.SimulatePrincipalPolicyInput
	}
	getContextKeysForCustomPolicyInput struct {
		simulator.GetContextKeysForCustomPolicyInput
	}
	getContextKeysForPrincipalPolicyInput struct {
		simulator.GetContextKeysForPrincipalPolicyInput
	}
)

func (in *simulateCustomPolicyInput) decodeQuery(p awsapi.Params) error {
	var d simulatorQuery
	in.PolicyInputList = d.requiredList(p, "PolicyInputList")
	in.PermissionsBoundaryPolicyInputList = d.list(p, "PermissionsBoundaryPolicyInputList")
	in.OrderedOrganizationPolicyInputList = d.scpLevels(p, "OrderedOrganizationPolicyInputList")
	d.simulation(p, &simulationMembers{
		actions: &in.ActionNames, resources: &in.ResourceArns, resourcePolicy: &in.ResourcePolicy,
		resourceOwner: &in.ResourceOwner, callerArn: &in.CallerArn, entries: &in.ContextEntries,
		option: &in.ResourceHandlingOption, maxItems: &in.MaxItems, marker: &in.Marker,
	})
	return d.err
}

func (in *simulatePrincipalPolicyInput) decodeQuery(p awsapi.Params) error {
	var d simulatorQuery
	in.PolicySourceArn = d.required(p, "PolicySourceArn")
	in.PolicyInputList = d.list(p, "PolicyInputList")
	in.PermissionsBoundaryPolicyInputList = d.list(p, "PermissionsBoundaryPolicyInputList")
	d.simulation(p, &simulationMembers{
		actions: &in.ActionNames, resources: &in.ResourceArns, resourcePolicy: &in.ResourcePolicy,
		resourceOwner: &in.ResourceOwner, callerArn: &in.CallerArn, entries: &in.ContextEntries,
		option: &in.ResourceHandlingOption, maxItems: &in.MaxItems, marker: &in.Marker,
	})
	return d.err
}

func (in *getContextKeysForCustomPolicyInput) decodeQuery(p awsapi.Params) error {
	var d simulatorQuery
	in.PolicyInputList = d.requiredList(p, "PolicyInputList")
	return d.err
}

func (in *getContextKeysForPrincipalPolicyInput) decodeQuery(p awsapi.Params) error {
	var d simulatorQuery
	in.PolicySourceArn = d.required(p, "PolicySourceArn")
	in.PolicyInputList = d.list(p, "PolicyInputList")
	return d.err
}

// simulationMembers points at the members both simulations share.
type simulationMembers struct {
	actions, resources                               *[]string
	resourcePolicy, resourceOwner, callerArn, option *string
	entries                                          *[]simulator.ContextEntry
	maxItems                                         **int32
	marker                                           *string
}

// simulatorQuery reads query members, keeping the first error.
type simulatorQuery struct{ err error }

func (d *simulatorQuery) simulation(p awsapi.Params, m *simulationMembers) {
	*m.actions = d.requiredList(p, "ActionNames")
	*m.resources = d.list(p, "ResourceArns")
	*m.resourcePolicy = p.Get("ResourcePolicy")
	*m.resourceOwner = p.Get("ResourceOwner")
	*m.callerArn = p.Get("CallerArn")
	*m.option = p.Get("ResourceHandlingOption")
	*m.marker = p.Get("Marker")
	*m.entries = d.contextEntries(p, "ContextEntries")
	if _, ok := p.Lookup("MaxItems"); ok && d.err == nil {
		n, err := p.Int("MaxItems", 0)
		if err != nil {
			d.err = err
			return
		}
		v := int32(n)
		*m.maxItems = &v
	}
}

func (d *simulatorQuery) required(p awsapi.Params, name string) string {
	v, err := p.Required(name)
	if d.err == nil {
		d.err = err
	}
	return v
}

// list reads Name.member.N; an empty list is sent as "Name=".
func (d *simulatorQuery) list(p awsapi.Params, name string) []string {
	if d.err != nil {
		return nil
	}
	v, err := p.List(name)
	d.err = err
	return v
}

func (d *simulatorQuery) requiredList(p awsapi.Params, name string) []string {
	v := d.list(p, name)
	if _, empty := p.Lookup(name); v == nil && !empty && d.err == nil {
		d.err = missingMember(name)
	}
	return v
}

// contextEntries reads ContextEntries.member.N.{ContextKeyName,
// ContextKeyValues.member.M, ContextKeyType}.
func (d *simulatorQuery) contextEntries(p awsapi.Params, name string) []simulator.ContextEntry {
	if d.err != nil {
		return nil
	}
	members, err := p.Members(name)
	if err != nil {
		d.err = err
		return nil
	}
	var out []simulator.ContextEntry
	for _, m := range members {
		values := d.list(m, "ContextKeyValues")
		out = append(out, simulator.ContextEntry{ContextKeyName: m.Get("ContextKeyName"), ContextKeyValues: values, ContextKeyType: m.Get("ContextKeyType")})
	}
	return out
}

// scpLevels reads OrderedOrganizationPolicyInputList.member.N.ServiceControlPolicyInputList.member.M.
func (d *simulatorQuery) scpLevels(p awsapi.Params, name string) [][]string {
	if d.err != nil {
		return nil
	}
	members, err := p.Members(name)
	if err != nil {
		d.err = err
		return nil
	}
	var out [][]string
	for _, m := range members {
		level := d.list(m, "ServiceControlPolicyInputList")
		if level == nil {
			level = []string{}
		}
		out = append(out, level)
	}
	return out
}

// missingMember is the query protocol's answer to a required member that is
// absent.
func missingMember(name string) error {
	r, size := utf8.DecodeRuneInString(name)
	return awserr.ErrValidationError.Newf("1 validation error detected: Value null at '%c%s' failed to satisfy constraint: Member must not be null", unicode.ToLower(r), name[size:])
}

// simulatePolicyResult is SimulatePolicyResponse in the query protocol's
// XML shape.
type simulatePolicyResult struct {
	EvaluationResults awsapi.Members[evaluationResultXML] `xml:"EvaluationResults"`
	IsTruncated       bool                                `xml:"IsTruncated"`
	Marker            string                              `xml:"Marker,omitempty"`
}

type evaluationResultXML struct {
	EvalActionName                    string                                       `xml:"EvalActionName"`
	EvalResourceName                  string                                       `xml:"EvalResourceName,omitempty"`
	EvalDecision                      string                                       `xml:"EvalDecision"`
	MatchedStatements                 awsapi.Members[statementXML]                 `xml:"MatchedStatements"`
	MissingContextValues              awsapi.Members[string]                       `xml:"MissingContextValues"`
	OrganizationsDecisionDetail       *simulator.OrganizationsDecisionDetail       `xml:"OrganizationsDecisionDetail,omitempty"`
	PermissionsBoundaryDecisionDetail *simulator.PermissionsBoundaryDecisionDetail `xml:"PermissionsBoundaryDecisionDetail,omitempty"`
	EvalDecisionDetails               *awsapi.Entries[string]                      `xml:"EvalDecisionDetails,omitempty"`
	ResourceSpecificResults           awsapi.Members[resourceResultXML]            `xml:"ResourceSpecificResults,omitempty"`
}

type resourceResultXML struct {
	EvalResourceName                  string                                       `xml:"EvalResourceName"`
	EvalResourceDecision              string                                       `xml:"EvalResourceDecision"`
	MatchedStatements                 awsapi.Members[statementXML]                 `xml:"MatchedStatements"`
	MissingContextValues              awsapi.Members[string]                       `xml:"MissingContextValues"`
	EvalDecisionDetails               *awsapi.Entries[string]                      `xml:"EvalDecisionDetails,omitempty"`
	PermissionsBoundaryDecisionDetail *simulator.PermissionsBoundaryDecisionDetail `xml:"PermissionsBoundaryDecisionDetail,omitempty"`
}

type statementXML struct {
	SourcePolicyId   string             `xml:"SourcePolicyId"`
	SourcePolicyType string             `xml:"SourcePolicyType,omitempty"`
	StartPosition    simulator.Position `xml:"StartPosition"`
	EndPosition      simulator.Position `xml:"EndPosition"`
}

// contextKeysResult is GetContextKeysForPolicyResponse.
type contextKeysResult struct {
	ContextKeyNames awsapi.Members[string] `xml:"ContextKeyNames"`
}

func newSimulatePolicyResult(out simulator.SimulatePolicyOutput) *simulatePolicyResult {
	r := &simulatePolicyResult{EvaluationResults: awsapi.Members[evaluationResultXML]{}, IsTruncated: out.IsTruncated, Marker: out.Marker}
	for _, e := range out.EvaluationResults {
		x := evaluationResultXML{
			EvalActionName: e.EvalActionName, EvalResourceName: e.EvalResourceName, EvalDecision: e.EvalDecision,
			MatchedStatements: statementsXML(e.MatchedStatements), MissingContextValues: awsapi.Members[string](e.MissingContextValues),
			OrganizationsDecisionDetail: e.OrganizationsDecisionDetail, PermissionsBoundaryDecisionDetail: e.PermissionsBoundaryDecisionDetail,
			EvalDecisionDetails: decisionDetails(e.EvalDecisionDetails),
		}
		for _, rs := range e.ResourceSpecificResults {
			x.ResourceSpecificResults = append(x.ResourceSpecificResults, resourceResultXML{
				EvalResourceName: rs.EvalResourceName, EvalResourceDecision: rs.EvalResourceDecision,
				MatchedStatements: statementsXML(rs.MatchedStatements), MissingContextValues: awsapi.Members[string](rs.MissingContextValues),
				EvalDecisionDetails: decisionDetails(rs.EvalDecisionDetails), PermissionsBoundaryDecisionDetail: rs.PermissionsBoundaryDecisionDetail,
			})
		}
		r.EvaluationResults = append(r.EvaluationResults, x)
	}
	return r
}

func statementsXML(sts []simulator.Statement) awsapi.Members[statementXML] {
	out := awsapi.Members[statementXML]{}
	for _, s := range sts {
		out = append(out, statementXML{SourcePolicyId: s.SourcePolicyId, SourcePolicyType: string(s.SourcePolicyType), StartPosition: s.StartPosition, EndPosition: s.EndPosition})
	}
	return out
}

// decisionDetails keeps a map absent (nil) or present, even when empty.
func decisionDetails(m map[string]string) *awsapi.Entries[string] {
	if m == nil {
		return nil
	}
	e := awsapi.Entries[string](m)
	return &e
}
