package org

import (
	"context"
	"io"
	"sync"
	"time"

	"gatehouse/principal"
	"gatehouse/store"
)

// AccountProvisioner sets up a new account inside the transaction that
// creates it; the IAM service implements it to create the account's
// OrganizationAccountAccessRole trusting the management account.
type AccountProvisioner interface {
	// ProvisionAccount prepares the new account accountID of the
	// organization whose management account is managementAccountID. It
	// runs in tx, the transaction of CreateAccount: an error aborts the
	// account's creation. It must not have effects outside tx.
	ProvisionAccount(ctx context.Context, tx store.Tx, accountID, managementAccountID string) error
}

// AccountRoleProvisioner is an AccountProvisioner that also honours
// CreateAccount's RoleName; CreateAccount calls ProvisionAccountRole
// instead of ProvisionAccount when the Provisioner implements it.
type AccountRoleProvisioner interface {
	AccountProvisioner
	// ProvisionAccountRole is ProvisionAccount with the name of the role
	// to create: the request's RoleName, or OrganizationAccountAccessRole
	// when it gave none.
	ProvisionAccountRole(ctx context.Context, tx store.Tx, accountID, managementAccountID, roleName string) error
}

// DefaultAccessRoleName is the role CreateAccount has provisioned in a new
// account when the request names none.
const DefaultAccessRoleName = "OrganizationAccountAccessRole"

// Service is the AWS Organizations service. Set its fields before first
// use; it is then safe for concurrent use.
type Service struct {
	// Store holds the service's records.
	Store store.Store
	// Now returns the current time; tests set it to a fixed clock.
	Now func() time.Time
	// Rand is the source of random ids; nil means crypto/rand.
	Rand io.Reader
	// Provisioner, when not nil, is called for every account CreateAccount
	// creates.
	Provisioner AccountProvisioner

	once      sync.Once
	described *store.Cache[string, DescribeOrganizationOutput] // by caller account
}

// maxCached bounds the service's caches.
const maxCached = 10000

// describeCache returns the cache of DescribeOrganization answers.
func (s *Service) describeCache() *store.Cache[string, DescribeOrganizationOutput] {
	s.once.Do(func() {
		s.described = store.NewCache[string, DescribeOrganizationOutput](s.Store, maxCached)
	})
	return s.described
}

// New returns a Service over st with the system clock.
func New(st store.Store) *Service {
	return &Service{Store: st, Now: time.Now}
}

// now returns the current time in UTC, to the millisecond as AWS reports
// timestamps.
func (s *Service) now() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return now().UTC().Truncate(time.Millisecond)
}

// changed records that policies, attachments, memberships, the OU tree or
// the enabled policy types changed in tx, for the caches of compiled
// policy sets.
func changed(ctx context.Context, tx store.Tx) error { return tx.BumpGeneration(ctx) }

// session is the caller's organization as one transaction sees it.
type session struct {
	tx     store.Tx
	caller accountRec
	org    orgRec
	root   rootRec
}

// isManagement reports whether the caller is the management account.
func (ss *session) isManagement() bool { return ss.caller.Id == ss.org.MasterAccountId }

// join loads the organization of the caller's account, or fails with
// AWSOrganizationsNotInUseException when it belongs to none.
func (s *Service) join(ctx context.Context, tx store.Tx, caller *principal.Caller) (*session, error) {
	if caller == nil || caller.Account == "" {
		return nil, errAccessDenied()
	}
	acct, ok, err := get[accountRec](ctx, tx, kindAccount, caller.Account)
	if err != nil {
		return nil, err
	}
	if !ok || acct.OrgId == "" {
		return nil, errNotInUse()
	}
	o, ok, err := get[orgRec](ctx, tx, kindOrganization, acct.OrgId)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotInUse()
	}
	r, ok, err := get[rootRec](ctx, tx, kindRoot, o.RootId)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNotInUse()
	}
	return &session{tx: tx, caller: acct, org: o, root: r}, nil
}

// management loads the caller's organization and requires the caller to
// be its management account: "This operation can be called only from the
// organization's management account."
func (s *Service) management(ctx context.Context, tx store.Tx, caller *principal.Caller) (*session, error) {
	ss, err := s.join(ctx, tx, caller)
	if err != nil {
		return nil, err
	}
	if !ss.isManagement() {
		return nil, errAccessDenied()
	}
	return ss, nil
}

// reader loads the caller's organization and requires the caller to be
// its management account or a delegated administrator: "This operation
// can be called only from the organization's management account or by a
// member account that is a delegated administrator."
func (s *Service) reader(ctx context.Context, tx store.Tx, caller *principal.Caller) (*session, error) {
	ss, err := s.join(ctx, tx, caller)
	if err != nil {
		return nil, err
	}
	if ss.isManagement() {
		return ss, nil
	}
	recs, err := tx.List(ctx, store.Query{Kind: kindDelegated, Parent: ss.org.Id, Name: ss.caller.Id, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errAccessDenied()
	}
	return ss, nil
}

// update runs fn in a read-write transaction: the caller's, when ctx
// carries one (see store.WithTx), else a new one.
func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	return store.Update(ctx, s.Store, fn)
}

// view runs fn in the caller's transaction or a new read-only one.
func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return store.View(ctx, s.Store, fn)
}
