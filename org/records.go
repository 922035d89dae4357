package org

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"gatehouse/store"
)

// The record kinds the service stores. Ids of roots, OUs, accounts and
// policies are unique across organizations, so they key their records
// directly; the other kinds are keyed under their organization.
const (
	kindOrganization = "org.organization" // id org; Name management account
	kindRoot         = "org.root"         // id root; Parent org
	kindOU           = "org.ou"           // id OU; Parent parent id; Name OU name
	kindAccount      = "org.account"      // id account; Parent parent id ("" outside an organization); Name lower-case email
	kindPolicy       = "org.policy"       // id policy; Parent org; Name policy name
	kindAttachment   = "org.attachment"   // id target/policy; Parent target; Name policy
	kindCreateStatus = "org.car"          // id request; Parent org
	kindService      = "org.service"      // id org/principal; Parent org; Name principal
	kindDelegated    = "org.delegated"    // id org/account/principal; Parent org; Name account
	kindTags         = "org.tags"         // id resource; Parent org
)

// orgRec is an organization.
type orgRec struct {
	Id              string
	FeatureSet      OrganizationFeatureSet
	MasterAccountId string
	RootId          string
	CreatedAt       time.Time
}

// rootRec is the root of an organization.
type rootRec struct {
	Id          string
	OrgId       string
	Name        string
	PolicyTypes []PolicyTypeSummary
}

// enabled reports whether the policy type is enabled in the root.
func (r *rootRec) enabled(t PolicyType) bool {
	for _, p := range r.PolicyTypes {
		if p.Type == t {
			return true
		}
	}
	return false
}

// ouRec is an organizational unit.
type ouRec struct {
	Id       string
	OrgId    string
	ParentId string
	Name     string
}

// accountRec is an account of the registry; OrgId and ParentId are empty
// while it belongs to no organization.
type accountRec struct {
	Id              string
	Email           string
	Name            string
	Status          AccountStatus
	State           AccountState
	OrgId           string
	ParentId        string
	JoinedMethod    AccountJoinedMethod
	JoinedTimestamp time.Time
}

// policyRec is a customer managed policy.
type policyRec struct {
	Id          string
	OrgId       string
	Name        string
	Description string
	Type        PolicyType
	Content     string
}

// attachmentRec attaches a policy to a root, OU or account.
type attachmentRec struct {
	OrgId    string
	TargetId string
	PolicyId string
	Type     PolicyType
}

// createStatusRec is a CreateAccount request as it completed.
type createStatusRec struct {
	OrgId  string
	Status CreateAccountStatus
}

// serviceRec is a service with trusted access.
type serviceRec struct {
	OrgId            string
	ServicePrincipal string
	DateEnabled      time.Time
}

// delegatedRec registers an account as delegated administrator for a
// service.
type delegatedRec struct {
	OrgId                 string
	AccountId             string
	ServicePrincipal      string
	DelegationEnabledDate time.Time
}

// tagsRec holds the tags of a resource, sorted by key.
type tagsRec struct {
	OrgId string
	Tags  []Tag
}

func attachmentID(target, policyID string) string { return target + "/" + policyID }
func serviceID(orgID, principal string) string    { return orgID + "/" + principal }
func delegatedID(orgID, account, principal string) string {
	return orgID + "/" + account + "/" + principal
}

// get reads a record of kind and id into a T; found is false when there
// is none.
func get[T any](ctx context.Context, tx store.Tx, kind, id string) (T, bool, error) {
	v, err := store.Get[T](ctx, tx, kind, id)
	if errors.Is(err, store.ErrNotFound) {
		return v, false, nil
	}
	return v, err == nil, err
}

// del removes a record, ignoring one that is already gone.
func del(ctx context.Context, tx store.Tx, kind, id string) error {
	if err := tx.Delete(ctx, kind, id); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// The writes of organization, root and account records bump the store
// generation, for the caches of those records (see Service.describe) as
// much as for the caches of compiled policy sets.

func putOrg(ctx context.Context, tx store.Tx, o *orgRec) error {
	if err := store.Put(ctx, tx, store.Record{Kind: kindOrganization, ID: o.Id, Name: o.MasterAccountId}, o); err != nil {
		return err
	}
	return changed(ctx, tx)
}

func putRoot(ctx context.Context, tx store.Tx, r *rootRec) error {
	if err := store.Put(ctx, tx, store.Record{Kind: kindRoot, ID: r.Id, Parent: r.OrgId}, r); err != nil {
		return err
	}
	return changed(ctx, tx)
}

func putOU(ctx context.Context, tx store.Tx, o *ouRec) error {
	return store.Put(ctx, tx, store.Record{Kind: kindOU, ID: o.Id, Parent: o.ParentId, Name: o.Name}, o)
}

func putAccount(ctx context.Context, tx store.Tx, a *accountRec) error {
	if err := store.Put(ctx, tx, store.Record{Kind: kindAccount, ID: a.Id, Parent: a.ParentId, Name: strings.ToLower(a.Email)}, a); err != nil {
		return err
	}
	return changed(ctx, tx)
}

func putPolicy(ctx context.Context, tx store.Tx, p *policyRec) error {
	return store.Put(ctx, tx, store.Record{Kind: kindPolicy, ID: p.Id, Parent: p.OrgId, Name: p.Name}, p)
}

func putAttachment(ctx context.Context, tx store.Tx, a *attachmentRec) error {
	return store.Put(ctx, tx, store.Record{Kind: kindAttachment, ID: attachmentID(a.TargetId, a.PolicyId), Parent: a.TargetId, Name: a.PolicyId}, a)
}

// attachmentsOf returns the attachments on a target, of type t or of
// every type when t is "", sorted by policy id.
func attachmentsOf(ctx context.Context, tx store.Tx, target string, t PolicyType) ([]attachmentRec, error) {
	all, err := store.List[attachmentRec](ctx, tx, store.Query{Kind: kindAttachment, Parent: target})
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, a := range all {
		if t == "" || a.Type == t {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PolicyId < out[j].PolicyId })
	return out, nil
}

// attachmentsOfPolicy returns the attachments of a policy in an
// organization (AWS managed policies are attached in many).
func attachmentsOfPolicy(ctx context.Context, tx store.Tx, orgID, policyID string) ([]attachmentRec, error) {
	all, err := store.List[attachmentRec](ctx, tx, store.Query{Kind: kindAttachment, Name: policyID})
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, a := range all {
		if a.OrgId == orgID {
			out = append(out, a)
		}
	}
	return out, nil
}

// detachAll deletes every attachment on a target.
func detachAll(ctx context.Context, tx store.Tx, target string) error {
	atts, err := attachmentsOf(ctx, tx, target, "")
	if err != nil {
		return err
	}
	for _, a := range atts {
		if err := del(ctx, tx, kindAttachment, attachmentID(a.TargetId, a.PolicyId)); err != nil {
			return err
		}
	}
	return nil
}

// ousOf returns the OUs of an organization.
func ousOf(ctx context.Context, tx store.Tx, orgID string) ([]ouRec, error) {
	all, err := store.List[ouRec](ctx, tx, store.Query{Kind: kindOU})
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, o := range all {
		if o.OrgId == orgID {
			out = append(out, o)
		}
	}
	return out, nil
}

// accountsOf returns the accounts of an organization.
func accountsOf(ctx context.Context, tx store.Tx, orgID string) ([]accountRec, error) {
	all, err := store.List[accountRec](ctx, tx, store.Query{Kind: kindAccount})
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, a := range all {
		if a.OrgId == orgID {
			out = append(out, a)
		}
	}
	return out, nil
}
