package simulator

import (
	"fmt"
	"strconv"

	"gatehouse/authz"
	"gatehouse/awserr"
	"gatehouse/policy"
	"gatehouse/principal"
)

// maxDocument is the longest policy document a simulation takes, white
// space included (policyDocumentType).
const maxDocument = 131072

// source is how results name a policy of the simulation.
type source struct {
	id  string
	typ SourceType
}

// simulation is the principal side of one simulation, compiled.
type simulation struct {
	// caller is the simulated principal; one with only an Account when the
	// simulation names none, so that no principal keys are set.
	caller *principal.Caller
	// account is the principal's account.
	account string
	pp      authz.PrincipalPolicies
	// rcps are the RCPs that bind resources, by owning account; nil when
	// none are known.
	rcps map[string][][]*policy.Policy
	// sources names the compiled policies: a policy's id is its index.
	sources []source
}

// compile validates (unless stored) and compiles a policy of the
// simulation, registering its source.
func (sim *simulation) compile(t policy.Type, src source, text string, stored bool) (*policy.Policy, error) {
	if !stored {
		if err := validate(t, src.id, text, awserr.ErrMalformedPolicyDocument); err != nil {
			return nil, err
		}
	}
	id := strconv.Itoa(len(sim.sources))
	p, err := policy.CompileText(id, t, []byte(text))
	if err != nil {
		if stored {
			return nil, fmt.Errorf("simulator: compile stored policy %s: %w", src.id, err)
		}
		return nil, awserr.ErrMalformedPolicyDocument.Newf("%s: %s", src.id, err.Error())
	}
	sim.sources = append(sim.sources, src)
	return p, nil
}

// source returns how results name the policy compiled with id.
func (sim *simulation) source(id string) source {
	i, err := strconv.Atoi(id)
	if err != nil || i < 0 || i >= len(sim.sources) {
		return source{id: id}
	}
	return sim.sources[i]
}

// validate checks a policy given in a request as IAM would, answering the
// first error as kind.
func validate(t policy.Type, name, text string, kind *awserr.Kind) error {
	if len(text) < 1 || len(text) > maxDocument {
		return errInput("%s must be 1 to %d characters long.", name, maxDocument)
	}
	opts := policy.Options{Type: t, Inline: true, Quota: policy.Quota{Max: -1}}
	for _, f := range opts.ValidateText([]byte(text)) {
		if f.Severity == policy.Error {
			return kind.Newf("%s: %s", name, f.Message)
		}
	}
	return nil
}

// inputs compiles the identity-based policies of a request.
func (sim *simulation) inputs(name string, texts []string) error {
	for i, text := range texts {
		p, err := sim.compile(policy.Identity, source{id: name + "." + strconv.Itoa(i+1)}, text, false)
		if err != nil {
			return err
		}
		sim.pp.Identity = append(sim.pp.Identity, p)
	}
	return nil
}

// boundary compiles the permissions boundary of a request; IAM takes one.
func (sim *simulation) boundary(texts []string) error {
	switch len(texts) {
	case 0:
		return nil
	case 1:
	default:
		return errInput("PermissionsBoundaryPolicyInputList takes at most one policy.")
	}
	p, err := sim.compile(policy.Boundary, source{id: "PermissionsBoundaryPolicyInputList.1"}, texts[0], false)
	sim.pp.Boundary = p
	return err
}

// scpLevels compiles OrderedOrganizationPolicyInputList.
func (sim *simulation) scpLevels(levels [][]string) error {
	if len(levels) == 0 {
		return nil
	}
	sim.pp.SCP = make([][]*policy.Policy, len(levels))
	for i, level := range levels {
		sim.pp.SCP[i] = []*policy.Policy{}
		for j, text := range level {
			name := fmt.Sprintf("OrderedOrganizationPolicyInputList.%d.ServiceControlPolicyInputList.%d", i+1, j+1)
			p, err := sim.compile(policy.SCP, source{id: name}, text, false)
			if err != nil {
				return err
			}
			sim.pp.SCP[i] = append(sim.pp.SCP[i], p)
		}
	}
	return nil
}

// principal sets up the principal side of SimulatePrincipalPolicy from
// the entity and the request's own policies.
func (sim *simulation) principal(ent Entity, inputs, boundaries []string, callerARN string) error {
	sim.account = ent.Account
	sim.caller = ent.Caller
	if sim.caller == nil {
		sim.caller = &principal.Caller{Account: ent.Account}
	}
	for _, d := range ent.Policies {
		p, err := sim.compile(policy.Identity, source{id: d.ID, typ: d.Type}, d.Content, true)
		if err != nil {
			return err
		}
		sim.pp.Identity = append(sim.pp.Identity, p)
	}
	if err := sim.inputs("PolicyInputList", inputs); err != nil {
		return err
	}
	if len(boundaries) > 0 {
		if err := sim.boundary(boundaries); err != nil {
			return err
		}
	} else if ent.Boundary != nil {
		p, err := sim.compile(policy.Boundary, source{id: ent.Boundary.ID, typ: ent.Boundary.Type}, ent.Boundary.Content, true)
		if err != nil {
			return err
		}
		sim.pp.Boundary = p
	}
	if callerARN != "" {
		c, err := callerFromARN(callerARN, ent.Account)
		if err != nil {
			return err
		}
		sim.caller, sim.account = c, c.Account
	}
	return nil
}
