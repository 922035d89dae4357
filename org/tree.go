package org

import (
	"context"
	"strings"
)

// maxOUDepth is how deep OUs nest under the root: "You can nest OUs up to
// five levels deep under the root."
const maxOUDepth = 5

// findParent resolves a root or OU id of the session's organization;
// found is false when the organization has no such root or OU.
func (ss *session) findParent(ctx context.Context, id string) (ou *ouRec, found bool, err error) {
	if id == ss.root.Id {
		return nil, true, nil
	}
	if !reOUID.MatchString(id) {
		return nil, false, nil
	}
	o, ok, err := get[ouRec](ctx, ss.tx, kindOU, id)
	if err != nil || !ok || o.OrgId != ss.org.Id {
		return nil, false, err
	}
	return &o, true, nil
}

// findOU returns an OU of the session's organization.
func (ss *session) findOU(ctx context.Context, id string) (ouRec, bool, error) {
	o, ok, err := get[ouRec](ctx, ss.tx, kindOU, id)
	if err != nil || !ok || o.OrgId != ss.org.Id {
		return ouRec{}, false, err
	}
	return o, true, nil
}

// findAccount returns an account of the session's organization.
func (ss *session) findAccount(ctx context.Context, id string) (accountRec, bool, error) {
	a, ok, err := get[accountRec](ctx, ss.tx, kindAccount, id)
	if err != nil || !ok || a.OrgId != ss.org.Id {
		return accountRec{}, false, err
	}
	return a, true, nil
}

// account returns an account of the session's organization, or
// AccountNotFoundException.
func (ss *session) account(ctx context.Context, id string) (accountRec, error) {
	a, ok, err := ss.findAccount(ctx, id)
	if err != nil || !ok {
		return accountRec{}, orNotFound(err, errAccountNotFound)
	}
	return a, nil
}

// chain returns the OUs from the root down to parentID inclusive; empty
// for the root.
func (ss *session) chain(ctx context.Context, parentID string) ([]ouRec, error) {
	var rev []ouRec
	for id := parentID; id != ss.root.Id && id != ""; {
		o, ok, err := get[ouRec](ctx, ss.tx, kindOU, id)
		if err != nil {
			return nil, err
		}
		if !ok || len(rev) > maxOUDepth+1 {
			break
		}
		rev = append(rev, o)
		id = o.ParentId
	}
	out := make([]ouRec, len(rev))
	for i, o := range rev {
		out[len(rev)-1-i] = o
	}
	return out, nil
}

// path returns the path of a root or OU: o-ORG/r-ROOT/ou-.../.
func (ss *session) path(ctx context.Context, parentID string) (string, error) {
	ous, err := ss.chain(ctx, parentID)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(ss.org.Id + "/" + ss.root.Id + "/")
	for _, o := range ous {
		b.WriteString(o.Id + "/")
	}
	return b.String(), nil
}

// ouView returns an OU as the API describes it.
func (ss *session) ouView(ctx context.Context, o ouRec) (OrganizationalUnit, error) {
	p, err := ss.path(ctx, o.Id)
	if err != nil {
		return OrganizationalUnit{}, err
	}
	return OrganizationalUnit{Id: o.Id, Arn: ouARN(ss.org.MasterAccountId, ss.org.Id, o.Id), Name: o.Name, Path: p}, nil
}

// accountView returns an account of the organization as the API
// describes it.
func (ss *session) accountView(ctx context.Context, a accountRec) (Account, error) {
	p, err := ss.path(ctx, a.ParentId)
	if err != nil {
		return Account{}, err
	}
	return Account{
		Id:              a.Id,
		Arn:             accountARN(ss.org.MasterAccountId, ss.org.Id, a.Id),
		Email:           a.Email,
		Name:            a.Name,
		Status:          a.Status,
		State:           a.State,
		Paths:           []string{p + a.Id + "/"},
		JoinedMethod:    a.JoinedMethod,
		JoinedTimestamp: a.JoinedTimestamp,
	}, nil
}
