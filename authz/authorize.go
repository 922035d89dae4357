package authz

import (
	"context"
	"fmt"
	"time"

	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
)

// Policy types as Organizations names them.
const (
	SCPType = "SERVICE_CONTROL_POLICY"
	RCPType = "RESOURCE_CONTROL_POLICY"
)

// Request is one authorization question.
type Request struct {
	Caller *principal.Caller
	// Action is the IAM action, such as "organizations:CreateAccount".
	Action string
	// Resource is the resource ARN, or "*".
	Resource string
	// ResourceAccount owns the resource; "" means the caller's account.
	ResourceAccount string
	// Context holds the request's context keys other than the principal's
	// (aws:SourceIp, aws:CurrentTime, service keys ...). Authorize adds the
	// principal keys: aws:PrincipalArn, aws:PrincipalAccount,
	// aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalType,
	// aws:userid, aws:username (IAM users) and aws:PrincipalTag/KEY; for
	// temporary credentials also aws:SourceIdentity and
	// aws:TokenIssueTime.
	Context *policy.Context
	// Trust is the trust policy of the role an sts:AssumeRole request
	// assumes (NoTrust for a role that does not exist); it must allow the
	// caller too. Nil for other requests.
	Trust *Document
}

// Result is the answer to a Request.
type Result struct {
	Decision policy.Decision
	// Message is AWS's access denied message for a denial.
	Message string
}

// Allowed reports whether the request is allowed.
func (r Result) Allowed() bool { return r.Decision == policy.Allowed }

// maxCached bounds each cache of compiled policy sets; past it, the cache
// starts over.
const maxCached = 10000

// Authorize decides req.
func (a *Authorizer) Authorize(ctx context.Context, req Request) (Result, error) {
	ce, err := a.callerEntry(ctx, req.Caller)
	if err != nil {
		return Result{}, err
	}
	resourceAccount := req.ResourceAccount
	if resourceAccount == "" {
		resourceAccount = req.Caller.Account
	}
	ae, err := a.accountEntry(ctx, resourceAccount)
	if err != nil {
		return Result{}, err
	}
	p := ce.PrincipalPolicies // a copy: the session's policies are the request's own
	if p.Session, err = a.sessionPolicies(req.Caller); err != nil {
		return Result{}, err
	}
	r := ResourcePolicies{RCP: ae.rcp}
	if req.Trust != nil {
		if r.Trust, err = a.trustPolicy(*req.Trust); err != nil {
			return Result{}, err
		}
	}
	set, preq := Prepare(req, &p, r)
	if d := policy.Decide(set, preq); d == policy.Allowed {
		return Result{Decision: d}, nil
	}
	ex := policy.Explain(set, preq)
	return Result{Decision: ex.Decision, Message: ex.Reason}, nil
}

// PrincipalPolicies is the compiled principal side of a request: the
// caller's identity-based policies and permissions boundary, its session
// policies, the SCPs of its account by level (nil when none apply), and
// its organization.
type PrincipalPolicies struct {
	Identity []*policy.Policy
	Boundary *policy.Policy
	// Session are the policies of the caller's temporary credentials; none
	// for long-term credentials or a session without any.
	Session []*policy.Policy
	SCP     [][]*policy.Policy
	// OrgID and OrgPaths are aws:PrincipalOrgID and aws:PrincipalOrgPaths;
	// empty outside an organization.
	OrgID    string
	OrgPaths []string
}

// ResourcePolicies is the compiled resource side of a request: the
// resource's resource-based policies and the RCPs of its account by level
// (nil when none apply).
type ResourcePolicies struct {
	Policies []*policy.Policy
	// Trust is the trust policy of the role an sts:AssumeRole request
	// assumes; nil for other requests.
	Trust *policy.Policy
	RCP   [][]*policy.Policy
}

// Prepare builds the policy set and the engine request of req, adding the
// principal context keys to req.Context (a new Context when nil). It is
// how Authorize asks the engine, so that anything else that asks the same
// question (the IAM policy simulator) gets the same answer.
func Prepare(req Request, p *PrincipalPolicies, r ResourcePolicies) (*policy.Set, *policy.Request) {
	pctx := req.Context
	if pctx == nil {
		pctx = &policy.Context{}
	}
	AddPrincipalKeys(pctx, req.Caller, p.OrgID, p.OrgPaths)
	set := &policy.Set{Identity: p.Identity, Boundary: p.Boundary, Session: p.Session, SCP: p.SCP, Resource: r.Policies, Trust: r.Trust, RCP: r.RCP}
	preq := &policy.Request{
		Principal:        req.Caller.ARN,
		PrincipalAccount: req.Caller.Account,
		Action:           req.Action,
		Resource:         req.Resource,
		ResourceAccount:  req.ResourceAccount,
		Context:          pctx,
	}
	return set, preq
}

// AddPrincipalKeys sets the principal context keys of caller in c:
// aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid,
// aws:username (IAM users), aws:PrincipalOrgID and aws:PrincipalOrgPaths
// (when orgID is set), aws:PrincipalTag/KEY, and for temporary
// credentials aws:SourceIdentity and aws:TokenIssueTime. Keys whose value
// the caller lacks are left out.
func AddPrincipalKeys(c *policy.Context, caller *principal.Caller, orgID string, orgPaths []string) {
	principalARN := caller.PrincipalARN
	if principalARN == "" {
		principalARN = caller.ARN
	}
	set := func(key, value string) {
		if value != "" { // a principal the simulator leaves unnamed has no keys
			c.Set(key, value)
		}
	}
	set("aws:PrincipalArn", principalARN)
	set("aws:PrincipalAccount", caller.Account)
	set("aws:PrincipalType", principalType(caller.Type))
	set("aws:userid", caller.UserID)
	if caller.Type == principal.IAMUser {
		set("aws:username", caller.Name)
	}
	if sess := caller.Session; sess != nil {
		set("aws:SourceIdentity", sess.SourceIdentity)
		if !sess.Issued.IsZero() {
			c.Set("aws:TokenIssueTime", sess.Issued.UTC().Format(time.RFC3339))
		}
	}
	if orgID != "" {
		c.Set("aws:PrincipalOrgID", orgID)
		c.Set("aws:PrincipalOrgPaths", orgPaths...)
	}
	for k, v := range caller.Tags {
		c.Set("aws:PrincipalTag/"+k, v)
	}
}

// principalType maps a caller type to the values of aws:PrincipalType.
func principalType(t principal.Type) string {
	switch t {
	case principal.Root:
		return "Account"
	case principal.IAMUser:
		return "User"
	case principal.Federated:
		return "FederatedUser"
	}
	return string(t)
}

func (a *Authorizer) callerEntry(ctx context.Context, caller *principal.Caller) (*callerEntry, error) {
	gen, err := a.currentGeneration(ctx)
	if err != nil {
		return nil, err
	}
	key := caller.ARN
	a.mu.Lock()
	ce, ok := a.callers[key]
	a.mu.Unlock()
	if ok && ce.generation == gen {
		return ce, nil
	}
	ce, err = a.loadCaller(ctx, caller, gen)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	if a.generation.Load() == gen {
		if len(a.callers) >= maxCached {
			clear(a.callers) // every role session is a caller: bound the cache
		}
		a.callers[key] = ce
	}
	a.mu.Unlock()
	return ce, nil
}

func (a *Authorizer) loadCaller(ctx context.Context, caller *principal.Caller, gen int64) (*callerEntry, error) {
	ce := &callerEntry{generation: gen}
	err := a.store.View(ctx, func(tx store.Tx) error {
		identity, boundary, err := a.identities.IdentityPolicies(ctx, tx, caller)
		if err != nil {
			return err
		}
		if ce.Identity, err = compileAll(policy.Identity, identity); err != nil {
			return err
		}
		if boundary != nil {
			if ce.Boundary, err = compileDoc(policy.Boundary, *boundary); err != nil {
				return err
			}
		}
		var levels [][]Document
		ce.OrgID, ce.OrgPaths, levels, err = PrincipalOrganization(ctx, tx, a.orgs, caller.Account)
		if err != nil {
			return err
		}
		ce.SCP, err = compileLevels(policy.SCP, levels)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("authz: load policies of %s: %w", caller.ARN, err)
	}
	return ce, nil
}

// PrincipalOrganization returns what the organization says of a principal
// in account: its organization id and paths (aws:PrincipalOrgID,
// aws:PrincipalOrgPaths) and the SCPs that bind it by level from the root
// to the account, nil when none do (no organization, or the management
// account, which SCPs never bind). It runs in tx.
func PrincipalOrganization(ctx context.Context, tx store.Tx, orgs Organizations, account string) (orgID string, paths []string, scp [][]Document, err error) {
	orgID, paths, management, err := orgs.Organization(ctx, tx, account)
	if err != nil || orgID == "" || account == management {
		return orgID, paths, nil, err // SCPs never apply to the management account
	}
	scp, err = orgs.OrganizationPolicies(ctx, tx, account, SCPType)
	return orgID, paths, scp, err
}

func (a *Authorizer) accountEntry(ctx context.Context, account string) (*accountEntry, error) {
	gen, err := a.currentGeneration(ctx)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	ae, ok := a.accounts[account]
	a.mu.Unlock()
	if ok && ae.generation == gen {
		return ae, nil
	}
	ae = &accountEntry{generation: gen}
	err = a.store.View(ctx, func(tx store.Tx) error {
		levels, err := ResourceControlPolicies(ctx, tx, a.orgs, account)
		if err != nil {
			return err
		}
		ae.rcp, err = compileLevels(policy.RCP, levels)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("authz: load resource control policies of %s: %w", account, err)
	}
	a.mu.Lock()
	if a.generation.Load() == gen {
		if len(a.accounts) >= maxCached {
			clear(a.accounts)
		}
		a.accounts[account] = ae
	}
	a.mu.Unlock()
	return ae, nil
}

// ResourceControlPolicies returns the RCPs that bind the resources of
// account, by level from the root to the account; nil when none do (no
// organization, or the management account, whose resources RCPs never
// bind). It runs in tx.
func ResourceControlPolicies(ctx context.Context, tx store.Tx, orgs Organizations, account string) ([][]Document, error) {
	orgID, _, management, err := orgs.Organization(ctx, tx, account)
	if err != nil || orgID == "" || account == management {
		return nil, err // RCPs never apply to the management account's resources
	}
	return orgs.OrganizationPolicies(ctx, tx, account, RCPType)
}

func compileDoc(t policy.Type, d Document) (*policy.Policy, error) {
	p, err := policy.CompileText(d.ID, t, []byte(d.Content))
	if err != nil {
		return nil, fmt.Errorf("compile %s policy %s: %w", t, d.ID, err)
	}
	return p, nil
}

func compileAll(t policy.Type, docs []Document) ([]*policy.Policy, error) {
	out := make([]*policy.Policy, 0, len(docs))
	for _, d := range docs {
		p, err := compileDoc(t, d)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func compileLevels(t policy.Type, levels [][]Document) ([][]*policy.Policy, error) {
	if levels == nil {
		return nil, nil
	}
	out := make([][]*policy.Policy, len(levels))
	for i, level := range levels {
		ps, err := compileAll(t, level)
		if err != nil {
			return nil, err
		}
		out[i] = ps
	}
	return out, nil
}
