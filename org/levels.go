package org

import (
	"context"

	"gatehouse/store"
)

// accountSession loads the organization of an account, for the policy
// pipeline; nil when the account is in no organization.
func accountSession(ctx context.Context, tx store.Tx, account string) (*session, *accountRec, error) {
	a, ok, err := get[accountRec](ctx, tx, kindAccount, account)
	if err != nil || !ok || a.OrgId == "" {
		return nil, nil, err
	}
	o, ok, err := get[orgRec](ctx, tx, kindOrganization, a.OrgId)
	if err != nil || !ok {
		return nil, nil, err
	}
	r, ok, err := get[rootRec](ctx, tx, kindRoot, o.RootId)
	if err != nil || !ok {
		return nil, nil, err
	}
	return &session{tx: tx, org: o, root: r}, &a, nil
}

// PolicyLevels returns the policies of type typ (such as
// "SERVICE_CONTROL_POLICY" or "RESOURCE_CONTROL_POLICY") that apply to an
// account, by level of its path: the root first, then each OU from the
// top down, the account last. Each level holds the policies attached
// directly there, sorted by id; a level may be empty (for an SCP that
// means nothing is allowed at that level). The result is nil when the
// account is in no organization, is unknown, or the type is not enabled
// in its root. The management account is not exempt here: whether SCPs
// and RCPs apply to it is the caller's decision. PolicyLevels runs in the
// caller's transaction and checks no permission.
func (s *Service) PolicyLevels(ctx context.Context, tx store.Tx, account string, typ string) ([][]PolicyDocument, error) {
	ss, a, err := accountSession(ctx, tx, account)
	if err != nil || ss == nil {
		return nil, err
	}
	t := PolicyType(typ)
	if !ss.root.enabled(t) {
		return nil, nil
	}
	ous, err := ss.chain(ctx, a.ParentId)
	if err != nil {
		return nil, err
	}
	targets := make([]string, 0, len(ous)+2)
	targets = append(targets, ss.root.Id)
	for _, o := range ous {
		targets = append(targets, o.Id)
	}
	targets = append(targets, a.Id)
	levels := make([][]PolicyDocument, 0, len(targets))
	for _, target := range targets {
		atts, err := attachmentsOf(ctx, tx, target, t)
		if err != nil {
			return nil, err
		}
		level := make([]PolicyDocument, 0, len(atts))
		for _, att := range atts {
			pol, _, found, err := ss.findPolicy(ctx, att.PolicyId)
			if err != nil {
				return nil, err
			}
			if found {
				level = append(level, PolicyDocument{Id: pol.PolicySummary.Id, Content: pol.Content})
			}
		}
		levels = append(levels, level)
	}
	return levels, nil
}

// AccountContext returns what the request context says about an
// account's organization: its id (aws:PrincipalOrgID, aws:ResourceOrgID),
// the account's path (aws:PrincipalOrgPaths, aws:ResourceOrgPaths:
// o-ORG/r-ROOT/ou-.../, the OUs from the top down to the one holding the
// account) and the management account. All are empty when the account is
// in no organization or unknown. AccountContext runs in the caller's
// transaction and checks no permission.
func (s *Service) AccountContext(ctx context.Context, tx store.Tx, account string) (orgID string, orgPaths []string, managementAccount string, err error) {
	ss, a, err := accountSession(ctx, tx, account)
	if err != nil || ss == nil {
		return "", nil, "", err
	}
	p, err := ss.path(ctx, a.ParentId)
	if err != nil {
		return "", nil, "", err
	}
	return ss.org.Id, []string{p}, ss.org.MasterAccountId, nil
}
