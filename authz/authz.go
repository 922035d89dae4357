// Package authz decides whether a caller may perform an action: it builds
// the caller's policy set (identity policies, permissions boundary, the
// SCPs of its account and the RCPs of the resource's account) from the
// store, adds the session policies of temporary credentials and the trust
// policy of a role being assumed, compiles it once, caches it, and asks
// the policy engine.
//
// The cache is invalidated by the store's generation counter, which every
// change to policies, attachments or memberships bumps in the same
// transaction: a warm decision never touches the database.
package authz

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
)

// Document is a policy document as stored, with the id explanations name
// it by.
type Document struct {
	ID      string
	Content string
}

// Identities supplies the identity-based policies of callers. Its method
// runs inside a read transaction.
type Identities interface {
	// IdentityPolicies returns the identity-based policies and the
	// permissions boundary (nil for none) of the caller.
	IdentityPolicies(ctx context.Context, tx store.Tx, caller *principal.Caller) (identity []Document, boundary *Document, err error)
}

// Organizations supplies the organization facts and the SCPs and RCPs of
// accounts. Its methods run inside a read transaction.
type Organizations interface {
	// OrganizationPolicies returns the policies of type typ
	// ("SERVICE_CONTROL_POLICY" or "RESOURCE_CONTROL_POLICY") that apply to
	// the account, by level from the root to the account; nil when none
	// apply.
	OrganizationPolicies(ctx context.Context, tx store.Tx, account, typ string) ([][]Document, error)
	// Organization returns the account's organization id, its paths
	// (aws:PrincipalOrgPaths) and the organization's management account;
	// all empty when the account is in no organization.
	Organization(ctx context.Context, tx store.Tx, account string) (orgID string, paths []string, management string, err error)
}

// Authorizer answers authorization questions. It is safe for concurrent
// use.
type Authorizer struct {
	store      store.Store
	identities Identities
	orgs       Organizations

	generation atomic.Int64
	mu         sync.Mutex
	callers    map[string]*callerEntry
	accounts   map[string]*accountEntry
	sessions   map[string]*sessionEntry  // by access key id
	trusts     map[string]*policy.Policy // by document
	cancel     func()
}

// callerEntry is the compiled principal side of a caller.
type callerEntry struct {
	generation int64
	PrincipalPolicies
}

// accountEntry is the compiled resource side of an account.
type accountEntry struct {
	generation int64
	rcp        [][]*policy.Policy
}

// New returns an Authorizer over s. Close stops its subscription to the
// store.
func New(s store.Store, identities Identities, orgs Organizations) *Authorizer {
	a := &Authorizer{store: s, identities: identities, orgs: orgs, callers: map[string]*callerEntry{}, accounts: map[string]*accountEntry{},
		sessions: map[string]*sessionEntry{}, trusts: map[string]*policy.Policy{}}
	a.generation.Store(-1)
	a.cancel = s.Subscribe(func(gen int64) { a.invalidate(gen) })
	return a
}

// Close stops the Authorizer's subscription to store changes.
func (a *Authorizer) Close() { a.cancel() }

// invalidate drops every cached entry older than gen.
func (a *Authorizer) invalidate(gen int64) {
	for {
		cur := a.generation.Load()
		if gen <= cur || a.generation.CompareAndSwap(cur, gen) {
			break
		}
	}
	a.mu.Lock()
	clear(a.callers)
	clear(a.accounts)
	a.mu.Unlock()
}

// currentGeneration returns the generation the cache is at, reading it
// from the store the first time.
func (a *Authorizer) currentGeneration(ctx context.Context) (int64, error) {
	if g := a.generation.Load(); g >= 0 {
		return g, nil
	}
	g, err := a.store.Generation(ctx)
	if err != nil {
		return 0, fmt.Errorf("authz: read generation: %w", err)
	}
	a.generation.CompareAndSwap(-1, g)
	return a.generation.Load(), nil
}

// RootOnly is the Identities of a Gatehouse without IAM users and roles:
// account root users have no identity-based policies (they are allowed
// everything that SCPs and RCPs do not deny).
type RootOnly struct{}

// IdentityPolicies returns no policies.
func (RootOnly) IdentityPolicies(context.Context, store.Tx, *principal.Caller) ([]Document, *Document, error) {
	return nil, nil, nil
}
