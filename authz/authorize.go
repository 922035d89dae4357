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
	pctx := req.Context
	if pctx == nil {
		pctx = &policy.Context{}
	}
	addPrincipalKeys(pctx, req.Caller, ce)
	set := &policy.Set{Identity: ce.identity, Boundary: ce.boundary, SCP: ce.scp, RCP: ae.rcp}
	if set.Session, err = a.sessionPolicies(req.Caller); err != nil {
		return Result{}, err
	}
	if req.Trust != nil {
		if set.Trust, err = a.trustPolicy(*req.Trust); err != nil {
			return Result{}, err
		}
	}
	preq := &policy.Request{
		Principal:        req.Caller.ARN,
		PrincipalAccount: req.Caller.Account,
		Action:           req.Action,
		Resource:         req.Resource,
		ResourceAccount:  req.ResourceAccount,
		Context:          pctx,
	}
	if d := policy.Decide(set, preq); d == policy.Allowed {
		return Result{Decision: d}, nil
	}
	ex := policy.Explain(set, preq)
	return Result{Decision: ex.Decision, Message: ex.Reason}, nil
}

func addPrincipalKeys(c *policy.Context, caller *principal.Caller, ce *callerEntry) {
	principalARN := caller.PrincipalARN
	if principalARN == "" {
		principalARN = caller.ARN
	}
	c.Set("aws:PrincipalArn", principalARN)
	c.Set("aws:PrincipalAccount", caller.Account)
	c.Set("aws:PrincipalType", principalType(caller.Type))
	c.Set("aws:userid", caller.UserID)
	if caller.Type == principal.IAMUser && caller.Name != "" {
		c.Set("aws:username", caller.Name)
	}
	if sess := caller.Session; sess != nil {
		if sess.SourceIdentity != "" {
			c.Set("aws:SourceIdentity", sess.SourceIdentity)
		}
		if !sess.Issued.IsZero() {
			c.Set("aws:TokenIssueTime", sess.Issued.UTC().Format(time.RFC3339))
		}
	}
	if ce.orgID != "" {
		c.Set("aws:PrincipalOrgID", ce.orgID)
		c.Set("aws:PrincipalOrgPaths", ce.orgPaths...)
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
		if ce.identity, err = compileAll(policy.Identity, identity); err != nil {
			return err
		}
		if boundary != nil {
			if ce.boundary, err = compileDoc(policy.Boundary, *boundary); err != nil {
				return err
			}
		}
		orgID, paths, management, err := a.orgs.Organization(ctx, tx, caller.Account)
		if err != nil {
			return err
		}
		ce.orgID, ce.orgPaths = orgID, paths
		if orgID == "" || caller.Account == management {
			return nil // SCPs never apply to the management account
		}
		levels, err := a.orgs.OrganizationPolicies(ctx, tx, caller.Account, SCPType)
		if err != nil {
			return err
		}
		ce.scp, err = compileLevels(policy.SCP, levels)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("authz: load policies of %s: %w", caller.ARN, err)
	}
	return ce, nil
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
		orgID, _, management, err := a.orgs.Organization(ctx, tx, account)
		if err != nil || orgID == "" || account == management {
			return err // RCPs never apply to the management account's resources
		}
		levels, err := a.orgs.OrganizationPolicies(ctx, tx, account, RCPType)
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
