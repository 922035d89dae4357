package simulator

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gatehouse/arn"
	"gatehouse/authz"
	"gatehouse/awserr"
	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
)

// Document is a stored policy document and how simulation results name it.
type Document struct {
	// ID is the SourcePolicyId: the policy's name.
	ID string
	// Type is the SourcePolicyType.
	Type    SourceType
	Content string
}

// Entity is an IAM user, group or role as the simulator sees it.
type Entity struct {
	// Caller is how the entity acts: for a user, the user (Type IAMUser);
	// for a role, the role itself (Type AssumedRole, ARN and PrincipalARN
	// the role ARN, UserID the role's unique id). Nil for a group, which
	// cannot act.
	Caller *principal.Caller
	// Account is the entity's account.
	Account string
	// Policies are the entity's inline and attached policies and, for a
	// user, those of its groups.
	Policies []Document
	// Boundary is the entity's permissions boundary, nil for none.
	Boundary *Document
}

// Entities finds the IAM users, groups and roles whose policies
// SimulatePrincipalPolicy simulates. Its method runs inside a read
// transaction.
type Entities interface {
	// Entity returns the user, group or role arn names, or an error
	// wrapping ErrNoSuchEntity.
	Entity(ctx context.Context, tx store.Tx, arn string) (Entity, error)
}

// Simulator answers the IAM policy simulator's operations. It is safe for
// concurrent use.
type Simulator struct {
	store    store.Store
	entities Entities
	orgs     authz.Organizations
}

// New returns a Simulator that finds principals in entities and the
// organization's policies in orgs.
func New(s store.Store, entities Entities, orgs authz.Organizations) *Simulator {
	return &Simulator{store: s, entities: entities, orgs: orgs}
}

// SimulateCustomPolicy simulates the policies given in the request. The
// caller's own account owns the simulated principal and resources unless
// CallerArn or ResourceOwner say otherwise.
func (s *Simulator) SimulateCustomPolicy(ctx context.Context, caller *principal.Caller, in SimulateCustomPolicyInput) (SimulatePolicyOutput, error) {
	if err := checkCommon(in.ActionNames, in.ResourceArns, in.ResourceHandlingOption); err != nil {
		return SimulatePolicyOutput{}, err
	}
	if len(in.PolicyInputList) == 0 {
		return SimulatePolicyOutput{}, errInput("PolicyInputList must contain at least one policy.")
	}
	sim := &simulation{account: caller.Account}
	if err := sim.inputs("PolicyInputList", in.PolicyInputList); err != nil {
		return SimulatePolicyOutput{}, err
	}
	if err := sim.boundary(in.PermissionsBoundaryPolicyInputList); err != nil {
		return SimulatePolicyOutput{}, err
	}
	if err := sim.scpLevels(in.OrderedOrganizationPolicyInputList); err != nil {
		return SimulatePolicyOutput{}, err
	}
	c, err := callerFromARN(in.CallerArn, caller.Account)
	if err != nil {
		return SimulatePolicyOutput{}, err
	}
	sim.caller, sim.account = c, c.Account
	if in.ResourcePolicy != "" && in.CallerArn == "" {
		return SimulatePolicyOutput{}, errInput("CallerArn is required when a ResourcePolicy is given.")
	}
	return s.simulate(sim, common{
		actions: in.ActionNames, resources: in.ResourceArns, resourcePolicy: in.ResourcePolicy,
		resourceOwner: in.ResourceOwner, entries: in.ContextEntries, maxItems: in.MaxItems, marker: in.Marker,
	})
}

// SimulatePrincipalPolicy simulates the policies of the user, group or
// role PolicySourceArn names (a user's include its groups'), its
// permissions boundary and the SCPs of its account, with the policies the
// request adds. A boundary given in the request replaces the entity's.
func (s *Simulator) SimulatePrincipalPolicy(ctx context.Context, caller *principal.Caller, in SimulatePrincipalPolicyInput) (SimulatePolicyOutput, error) {
	if err := checkCommon(in.ActionNames, in.ResourceArns, in.ResourceHandlingOption); err != nil {
		return SimulatePolicyOutput{}, err
	}
	sim := &simulation{}
	err := store.View(ctx, s.store, func(tx store.Tx) error {
		ent, err := s.entity(ctx, tx, caller, in.PolicySourceArn)
		if err != nil {
			return err
		}
		if err := sim.principal(ent, in.PolicyInputList, in.PermissionsBoundaryPolicyInputList, in.CallerArn); err != nil {
			return err
		}
		if in.ResourcePolicy != "" && in.CallerArn == "" && sim.caller.Type != principal.IAMUser {
			return errInput("CallerArn is required when a ResourcePolicy is given and PolicySourceArn is not a user.")
		}
		return s.organization(ctx, tx, sim, in.ResourceOwner, in.ResourceArns)
	})
	if err != nil {
		return SimulatePolicyOutput{}, err
	}
	return s.simulate(sim, common{
		actions: in.ActionNames, resources: in.ResourceArns, resourcePolicy: in.ResourcePolicy,
		resourceOwner: in.ResourceOwner, entries: in.ContextEntries, maxItems: in.MaxItems, marker: in.Marker,
	})
}

// GetContextKeysForCustomPolicy lists the context keys the policies
// reference, as written, each once.
func (s *Simulator) GetContextKeysForCustomPolicy(ctx context.Context, caller *principal.Caller, in GetContextKeysForCustomPolicyInput) (GetContextKeysForPolicyOutput, error) {
	if len(in.PolicyInputList) == 0 {
		return GetContextKeysForPolicyOutput{}, errInput("PolicyInputList must contain at least one policy.")
	}
	return contextKeys(nil, in.PolicyInputList)
}

// GetContextKeysForPrincipalPolicy lists the context keys referenced by
// the identity-based policies of the user (with its groups'), group or
// role PolicySourceArn names and by the policies of the request, as
// written, each once.
func (s *Simulator) GetContextKeysForPrincipalPolicy(ctx context.Context, caller *principal.Caller, in GetContextKeysForPrincipalPolicyInput) (GetContextKeysForPolicyOutput, error) {
	var ent Entity
	err := store.View(ctx, s.store, func(tx store.Tx) error {
		var err error
		ent, err = s.entity(ctx, tx, caller, in.PolicySourceArn)
		return err
	})
	if err != nil {
		return GetContextKeysForPolicyOutput{}, err
	}
	stored := make([]string, len(ent.Policies))
	for i, d := range ent.Policies {
		stored[i] = d.Content
	}
	return contextKeys(stored, in.PolicyInputList)
}

func contextKeys(stored, inputs []string) (GetContextKeysForPolicyOutput, error) {
	for i, text := range inputs {
		if err := validate(policy.Identity, fmt.Sprintf("PolicyInputList.%d", i+1), text, awserr.ErrInvalidInput); err != nil {
			return GetContextKeysForPolicyOutput{}, err
		}
	}
	keys := []string{}
	seen := map[string]bool{}
	for _, text := range append(stored, inputs...) {
		doc, err := policy.Parse([]byte(text))
		if err != nil {
			return GetContextKeysForPolicyOutput{}, fmt.Errorf("simulator: stored policy: %w", err)
		}
		for _, k := range doc.ContextKeys() {
			if lower := strings.ToLower(k); !seen[lower] {
				seen[lower] = true
				keys = append(keys, k)
			}
		}
	}
	return GetContextKeysForPolicyOutput{ContextKeyNames: keys}, nil
}

// entity finds the entity a PolicySourceArn names. Only entities of the
// caller's own account can be simulated.
func (s *Simulator) entity(ctx context.Context, tx store.Tx, caller *principal.Caller, arn string) (Entity, error) {
	kind, account, ok := entityARN(arn)
	if !ok || kind == "" {
		return Entity{}, errEntityARN(arn)
	}
	if account != caller.Account || s.entities == nil {
		return Entity{}, errNoSuchEntity(arn)
	}
	ent, err := s.entities.Entity(ctx, tx, arn)
	if errors.Is(err, ErrNoSuchEntity) {
		return Entity{}, errNoSuchEntity(arn)
	}
	if err != nil {
		return Entity{}, fmt.Errorf("simulator: find %s: %w", arn, err)
	}
	return ent, nil
}

// organization loads the organization side of a principal simulation: the
// SCPs that bind the entity's account, its organization keys, and the RCPs
// of the resources' owner.
func (s *Simulator) organization(ctx context.Context, tx store.Tx, sim *simulation, resourceOwner string, resources []string) error {
	if s.orgs == nil {
		return nil
	}
	orgID, paths, levels, err := authz.PrincipalOrganization(ctx, tx, s.orgs, sim.account)
	if err != nil {
		return fmt.Errorf("simulator: organization of %s: %w", sim.account, err)
	}
	sim.pp.OrgID, sim.pp.OrgPaths = orgID, paths
	if sim.pp.SCP, err = sim.stored(policy.SCP, levels); err != nil {
		return err
	}
	sim.rcps = map[string][][]*policy.Policy{}
	owner, err := ownerAccount(resourceOwner, sim.account)
	if err != nil {
		return err
	}
	accounts := []string{owner}
	for _, r := range resources {
		if a := arn.AccountOf(r); a != "" {
			accounts = append(accounts, a)
		}
	}
	for _, a := range accounts {
		if _, done := sim.rcps[a]; done {
			continue
		}
		levels, err := authz.ResourceControlPolicies(ctx, tx, s.orgs, a)
		if err != nil {
			return fmt.Errorf("simulator: resource control policies of %s: %w", a, err)
		}
		if sim.rcps[a], err = sim.stored(policy.RCP, levels); err != nil {
			return err
		}
	}
	return nil
}

// stored compiles organization policies read from the store, which were
// validated when they were stored.
func (sim *simulation) stored(t policy.Type, levels [][]authz.Document) ([][]*policy.Policy, error) {
	if levels == nil {
		return nil, nil
	}
	out := make([][]*policy.Policy, len(levels))
	for i, level := range levels {
		out[i] = []*policy.Policy{}
		for _, d := range level {
			p, err := sim.compile(t, source{id: d.ID}, d.Content, true)
			if err != nil {
				return nil, err
			}
			out[i] = append(out[i], p)
		}
	}
	return out, nil
}
