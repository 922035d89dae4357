package org

import (
	"context"
	"fmt"
	"strings"

	"gatehouse/store"
)

// kindMeta holds the service's singletons; metaManagement names the
// account registered at first start.
const (
	kindMeta       = "org.meta"
	metaManagement = "management-account"
)

// managementMeta records the account EnsureManagementAccount registered.
type managementMeta struct {
	AccountId string
}

// EnsureManagementAccount registers the account that exists before any
// organization, the one Gatehouse's root credentials belong to at first
// start, so that it can call CreateOrganization. When such an account was
// registered already it changes nothing and returns that account's id,
// whatever accountID says; otherwise it registers accountID (ACTIVE, in
// no organization) and returns it. The email address must be unique in
// the account registry.
func (s *Service) EnsureManagementAccount(ctx context.Context, accountID, email, name string) (string, error) {
	var out string
	err := s.update(ctx, func(tx store.Tx) error {
		m, ok, err := get[managementMeta](ctx, tx, kindMeta, metaManagement)
		if err != nil {
			return err
		}
		if ok {
			out = m.AccountId
			return nil
		}
		if !reAccountID.MatchString(accountID) {
			return fmt.Errorf("org: invalid account id %q", accountID)
		}
		if len(email) < 6 || len(email) > 64 || !reEmail.MatchString(email) {
			return fmt.Errorf("org: invalid email address %q", email)
		}
		if name == "" || len(name) > 50 || !reAccountName.MatchString(name) {
			return fmt.Errorf("org: invalid account name %q", name)
		}
		_, exists, err := get[accountRec](ctx, tx, kindAccount, accountID)
		if err != nil {
			return err
		}
		if !exists {
			taken, err := emailTaken(ctx, tx, email)
			if err != nil {
				return err
			}
			if taken {
				return fmt.Errorf("org: email address %q belongs to another account", email)
			}
			a := accountRec{Id: accountID, Email: email, Name: name, Status: AccountStatusActive, State: AccountStateActive}
			if err := putAccount(ctx, tx, &a); err != nil {
				return err
			}
		}
		out = accountID
		return store.Put(ctx, tx, store.Record{Kind: kindMeta, ID: metaManagement}, &managementMeta{AccountId: accountID})
	})
	return out, err
}

// emailTaken reports whether an account of the registry has the email
// address, compared without regard to case.
func emailTaken(ctx context.Context, tx store.Tx, email string) (bool, error) {
	recs, err := tx.List(ctx, store.Query{Kind: kindAccount, Name: strings.ToLower(email), Limit: 1})
	return len(recs) > 0, err
}

// LookupAccount returns an account of the registry as DescribeAccount
// would describe it (Arn, Paths and JoinedMethod are empty while the
// account is in no organization), and whether it exists. It runs in the
// caller's transaction and checks no permission: it is for the other
// services, such as IAM and STS deciding whether an account exists or is
// suspended.
func (s *Service) LookupAccount(ctx context.Context, tx store.Tx, accountID string) (Account, bool, error) {
	a, ok, err := get[accountRec](ctx, tx, kindAccount, accountID)
	if err != nil || !ok {
		return Account{}, false, err
	}
	if a.OrgId == "" {
		return Account{Id: a.Id, Email: a.Email, Name: a.Name, Status: a.Status, State: a.State}, true, nil
	}
	o, ok, err := get[orgRec](ctx, tx, kindOrganization, a.OrgId)
	if err != nil || !ok {
		return Account{}, false, err
	}
	r, _, err := get[rootRec](ctx, tx, kindRoot, o.RootId)
	if err != nil {
		return Account{}, false, err
	}
	ss := &session{tx: tx, org: o, root: r}
	v, err := ss.accountView(ctx, a)
	return v, err == nil, err
}
