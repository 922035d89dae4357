package org

import (
	"context"
	"time"

	"gatehouse/principal"
	"gatehouse/store"
)

// CreateOrganizationInput is the input of CreateOrganization.
type CreateOrganizationInput struct {
	// FeatureSet is ALL (the default) or CONSOLIDATED_BILLING.
	FeatureSet OrganizationFeatureSet
}

// CreateOrganizationOutput is the output of CreateOrganization.
type CreateOrganizationOutput struct {
	Organization Organization
}

// CreateOrganization creates an organization whose management account is
// the caller's account, with a root named Root. With all features (the
// default) SCPs are enabled in the root, as the API reference says, and
// FullAWSAccess is attached to the root and the management account.
// The caller's account must be in the account registry and in no
// organization (AlreadyInOrganizationException).
func (s *Service) CreateOrganization(ctx context.Context, caller *principal.Caller, in CreateOrganizationInput) (CreateOrganizationOutput, error) {
	var out CreateOrganizationOutput
	fs := in.FeatureSet
	if fs == "" {
		fs = FeatureSetAll
	}
	if fs != FeatureSetAll && fs != FeatureSetConsolidatedBilling {
		return out, errInput(reasonEnum)
	}
	if caller == nil || caller.Account == "" {
		return out, errAccessDenied()
	}
	err := s.update(ctx, func(tx store.Tx) error {
		acct, ok, err := get[accountRec](ctx, tx, kindAccount, caller.Account)
		if err != nil {
			return err
		}
		if !ok {
			return errAccessDenied()
		}
		if acct.OrgId != "" {
			return errAlreadyInOrganization()
		}
		orgID, err := s.newOrgID()
		if err != nil {
			return err
		}
		rootID, err := s.newRootID()
		if err != nil {
			return err
		}
		now := s.now()
		ss := &session{
			tx:     tx,
			org:    orgRec{Id: orgID, FeatureSet: fs, MasterAccountId: acct.Id, RootId: rootID, CreatedAt: now},
			root:   rootRec{Id: rootID, OrgId: orgID, Name: "Root"},
			caller: acct,
		}
		ss.caller.OrgId, ss.caller.ParentId = orgID, rootID
		ss.caller.JoinedMethod, ss.caller.JoinedTimestamp = AccountJoinedMethodInvited, now
		if err := putOrg(ctx, tx, &ss.org); err != nil {
			return err
		}
		if err := putRoot(ctx, tx, &ss.root); err != nil {
			return err
		}
		if err := putAccount(ctx, tx, &ss.caller); err != nil {
			return err
		}
		if fs == FeatureSetAll {
			if err := s.enableType(ctx, ss, PolicyTypeServiceControlPolicy); err != nil {
				return err
			}
		}
		if err := changed(ctx, tx); err != nil {
			return err
		}
		out.Organization = ss.organizationView()
		return nil
	})
	return out, err
}

// organizationView returns the session's organization as the API
// describes it.
func (ss *session) organizationView() Organization {
	mgmt := ss.org.MasterAccountId
	email := ""
	if ss.caller.Id == mgmt {
		email = ss.caller.Email
	}
	return Organization{
		Id:                   ss.org.Id,
		Arn:                  organizationARN(mgmt, ss.org.Id),
		FeatureSet:           ss.org.FeatureSet,
		MasterAccountArn:     accountARN(mgmt, ss.org.Id, mgmt),
		MasterAccountId:      mgmt,
		MasterAccountEmail:   email,
		AvailablePolicyTypes: append([]PolicyTypeSummary{}, ss.root.PolicyTypes...),
	}
}

// rootView returns the session's root as the API describes it.
func (ss *session) rootView() Root {
	return Root{
		Id:          ss.root.Id,
		Arn:         rootARN(ss.org.MasterAccountId, ss.org.Id, ss.root.Id),
		Name:        ss.root.Name,
		PolicyTypes: append([]PolicyTypeSummary{}, ss.root.PolicyTypes...),
	}
}

// DescribeOrganizationInput is the input of DescribeOrganization.
type DescribeOrganizationInput struct{}

// DescribeOrganizationOutput is the output of DescribeOrganization.
type DescribeOrganizationOutput struct {
	Organization Organization
}

// DescribeOrganization describes the caller's organization; any account
// of the organization may call it.
func (s *Service) DescribeOrganization(ctx context.Context, caller *principal.Caller, in DescribeOrganizationInput) (DescribeOrganizationOutput, error) {
	if caller == nil || store.InTx(ctx) {
		return s.describe(ctx, caller)
	}
	// Outside a transaction the answer may come from memory: it is made of
	// account, organization and root records, whose writes all bump the
	// generation that empties the cache.
	cache := s.describeCache()
	out, ok, epoch := cache.Get(caller.Account)
	if ok {
		return out, nil
	}
	out, err := s.describe(ctx, caller)
	if err != nil {
		return out, err
	}
	cache.Add(epoch, caller.Account, out)
	return out, nil
}

// describe reads DescribeOrganization's answer from the store.
func (s *Service) describe(ctx context.Context, caller *principal.Caller) (DescribeOrganizationOutput, error) {
	var out DescribeOrganizationOutput
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.join(ctx, tx, caller)
		if err != nil {
			return err
		}
		out.Organization = ss.organizationView()
		if !ss.isManagement() {
			mgmt, _, err := get[accountRec](ctx, tx, kindAccount, ss.org.MasterAccountId)
			if err != nil {
				return err
			}
			out.Organization.MasterAccountEmail = mgmt.Email
		}
		return nil
	})
	return out, err
}

// DeleteOrganizationInput is the input of DeleteOrganization.
type DeleteOrganizationInput struct{}

// DeleteOrganizationOutput is the output of DeleteOrganization.
type DeleteOrganizationOutput struct{}

// DeleteOrganization deletes the caller's organization with its root,
// OUs, policies, attachments, trusted services, delegated administrators
// and tags. The organization must have no member accounts
// (OrganizationNotEmptyException); the management account stays in the
// account registry, in no organization. Management account only.
func (s *Service) DeleteOrganization(ctx context.Context, caller *principal.Caller, in DeleteOrganizationInput) (DeleteOrganizationOutput, error) {
	var out DeleteOrganizationOutput
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		accts, err := accountsOf(ctx, tx, ss.org.Id)
		if err != nil {
			return err
		}
		for _, a := range accts {
			if a.Id != ss.org.MasterAccountId {
				return errOrganizationNotEmpty()
			}
		}
		orgID := ss.org.Id
		ous, err := ousOf(ctx, tx, orgID)
		if err != nil {
			return err
		}
		targets := []string{ss.root.Id, ss.caller.Id}
		for _, o := range ous {
			targets = append(targets, o.Id)
			if err := del(ctx, tx, kindOU, o.Id); err != nil {
				return err
			}
		}
		for _, t := range targets {
			if err := detachAll(ctx, tx, t); err != nil {
				return err
			}
			if err := del(ctx, tx, kindTags, t); err != nil {
				return err
			}
		}
		for _, kind := range []string{kindPolicy, kindCreateStatus, kindService, kindDelegated, kindTags} {
			recs, err := tx.List(ctx, store.Query{Kind: kind, Parent: orgID})
			if err != nil {
				return err
			}
			for _, r := range recs {
				if err := del(ctx, tx, kind, r.ID); err != nil {
					return err
				}
			}
		}
		if err := del(ctx, tx, kindRoot, ss.root.Id); err != nil {
			return err
		}
		if err := del(ctx, tx, kindOrganization, orgID); err != nil {
			return err
		}
		mgmt := ss.caller
		mgmt.OrgId, mgmt.ParentId, mgmt.JoinedMethod = "", "", ""
		mgmt.JoinedTimestamp = time.Time{}
		if err := putAccount(ctx, tx, &mgmt); err != nil {
			return err
		}
		return changed(ctx, tx)
	})
	return out, err
}

// ListRootsInput is the input of ListRoots.
type ListRootsInput struct {
	NextToken  string
	MaxResults *int32
}

// ListRootsOutput is the output of ListRoots.
type ListRootsOutput struct {
	Roots     []Root
	NextToken string
}

// ListRoots lists the organization's root. Management account or
// delegated administrator.
func (s *Service) ListRoots(ctx context.Context, caller *principal.Caller, in ListRootsInput) (ListRootsOutput, error) {
	var out ListRootsOutput
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		out.Roots, out.NextToken, err = page([]Root{ss.rootView()}, func(r Root) string { return r.Id }, "ListRoots", in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}
