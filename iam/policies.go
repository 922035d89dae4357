package iam

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gatehouse/awserr"
	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
)

// IAM's quotas on managed policies (IAM User Guide, "IAM and AWS STS
// quotas"): 1,500 customer managed policies per account, five versions
// per policy.
const (
	maxPoliciesPerAccount = 1500
	maxPolicyVersions     = 5
)

// managedPolicy is a managed policy resolved from its ARN: a customer
// managed one (rec not nil) or an AWS managed one.
type managedPolicy struct {
	Policy
	rec      *policyRec
	document string // the default version's
}

// managedPolicy finds the managed policy arn names for callers in
// account: an AWS managed policy, or a customer managed one of the
// account. notFound makes the error for a policy that does not exist.
func (s *Service) managedPolicy(ctx context.Context, tx store.Tx, account, arn string, notFound func(string) error) (*managedPolicy, error) {
	if p, ok := awsPolicies[arn]; ok {
		return &managedPolicy{Policy: p.Policy, document: p.Document}, nil
	}
	acct, typ, _, name, ok := parseARN(arn)
	if !ok || typ != "policy" || acct != account {
		return nil, notFound(arn)
	}
	rec, ok, err := get[policyRec](ctx, tx, kindPolicy, nameKey(account, name))
	if err != nil {
		return nil, err
	}
	if !ok || rec.Arn != arn {
		return nil, notFound(arn)
	}
	mp := &managedPolicy{Policy: rec.Policy, rec: &rec}
	for _, v := range rec.Versions {
		if v.VersionId == rec.DefaultVersionId {
			mp.document = v.Document
		}
	}
	return mp, nil
}

// customerPolicy finds a customer managed policy of the account; an AWS
// managed policy is not one the account can change.
func (s *Service) customerPolicy(ctx context.Context, tx store.Tx, account, arn string) (*managedPolicy, error) {
	if err := cArn.check("policyArn", arn); err != nil {
		return nil, err
	}
	if isAWSPolicy(arn) {
		if _, ok := awsPolicies[arn]; ok {
			return nil, awserr.ErrInvalidInput.Newf("Policy %s is an AWS managed policy and cannot be changed.", arn)
		}
	}
	return s.managedPolicy(ctx, tx, account, arn, errNoSuchPolicy)
}

// attachments returns the attachments of a managed policy in account.
func attachments(ctx context.Context, tx store.Tx, account, arn string) ([]attachRec, error) {
	recs, err := store.List[attachRec](ctx, tx, store.Query{Kind: kindAttach, Name: arn})
	if err != nil {
		return nil, err
	}
	out := recs[:0]
	for _, r := range recs {
		if r.Account == account {
			out = append(out, r)
		}
	}
	return out, nil
}

// withCounts returns p with its attachment and boundary usage counts in
// account.
func (s *Service) withCounts(ctx context.Context, tx store.Tx, account string, p Policy) (Policy, error) {
	att, err := attachments(ctx, tx, account, p.Arn)
	if err != nil {
		return p, err
	}
	p.AttachmentCount = int32p(len(att))
	n, err := s.boundaryUsage(ctx, tx, account, p.Arn)
	p.PermissionsBoundaryUsageCount = int32p(n)
	return p, err
}

// boundaryUsage counts the users and roles of the account whose
// permissions boundary is arn.
func (s *Service) boundaryUsage(ctx context.Context, tx store.Tx, account, arn string) (int, error) {
	n := 0
	users, err := store.List[User](ctx, tx, store.Query{Kind: kindUser, Parent: account})
	if err != nil {
		return 0, err
	}
	for _, u := range users {
		if u.PermissionsBoundary != nil && u.PermissionsBoundary.PermissionsBoundaryArn == arn {
			n++
		}
	}
	roles, err := store.List[Role](ctx, tx, store.Query{Kind: kindRole, Parent: account})
	for _, r := range roles {
		if r.PermissionsBoundary != nil && r.PermissionsBoundary.PermissionsBoundaryArn == arn {
			n++
		}
	}
	return n, err
}

func checkManagedDocument(member, doc string) error {
	return checkDocument(member, doc, policy.Options{Type: policy.Identity})
}

// CreatePolicyInput is the input of CreatePolicy.
type CreatePolicyInput struct {
	PolicyName     string `query:",required"`
	PolicyDocument string `query:",required"`
	Path           string
	Description    string
	Tags           []Tag
}

// CreatePolicyOutput is the output of CreatePolicy.
type CreatePolicyOutput struct{ Policy Policy }

// CreatePolicy creates a customer managed policy with version v1.
func (s *Service) CreatePolicy(ctx context.Context, caller *principal.Caller, in CreatePolicyInput) (CreatePolicyOutput, error) {
	path, err := pathOr(in.Path)
	err = firstErr(err, cPolicyName.check("policyName", in.PolicyName), cPolicyDesc.optional("description", in.Description),
		checkTags(in.Tags), checkManagedDocument("policyDocument", in.PolicyDocument))
	if err != nil {
		return CreatePolicyOutput{}, err
	}
	var out CreatePolicyOutput
	err = s.update(ctx, func(tx store.Tx) error {
		acct := caller.Account
		if _, ok, err := get[policyRec](ctx, tx, kindPolicy, nameKey(acct, in.PolicyName)); err != nil || ok {
			return firstErr(err, errPolicyExists(in.PolicyName))
		}
		existing, err := tx.List(ctx, store.Query{Kind: kindPolicy, Parent: acct})
		if err != nil {
			return err
		}
		if len(existing) >= maxPoliciesPerAccount {
			return errQuota("PoliciesPerAccount", maxPoliciesPerAccount)
		}
		id, err := s.newID(prefixPolicy)
		if err != nil {
			return err
		}
		now := s.now()
		rec := policyRec{
			Policy: Policy{PolicyName: in.PolicyName, PolicyId: id, Arn: policyARN(acct, path, in.PolicyName), Path: path,
				DefaultVersionId: "v1", IsAttachable: true, Description: in.Description, CreateDate: now, UpdateDate: now, Tags: in.Tags},
			Account:     acct,
			Versions:    []PolicyVersion{{Document: in.PolicyDocument, VersionId: "v1", IsDefaultVersion: true, CreateDate: now}},
			NextVersion: 2,
		}
		out.Policy = rec.Policy
		out.Policy.AttachmentCount, out.Policy.PermissionsBoundaryUsageCount = int32p(0), int32p(0)
		out.Policy.Description, out.Policy.Tags = "", nilIfEmpty(in.Tags) // CreatePolicy's answer leaves the description out
		return putPolicy(ctx, tx, &rec)
	})
	return out, err
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// GetPolicyInput is the input of GetPolicy.
type GetPolicyInput struct {
	PolicyArn string `query:",required"`
}

// GetPolicyOutput is the output of GetPolicy.
type GetPolicyOutput struct{ Policy Policy }

// GetPolicy returns a managed policy, with its attachment count.
func (s *Service) GetPolicy(ctx context.Context, caller *principal.Caller, in GetPolicyInput) (GetPolicyOutput, error) {
	if err := cArn.check("policyArn", in.PolicyArn); err != nil {
		return GetPolicyOutput{}, err
	}
	var out GetPolicyOutput
	err := s.view(ctx, func(tx store.Tx) error {
		mp, err := s.managedPolicy(ctx, tx, caller.Account, in.PolicyArn, errNoSuchPolicy)
		if err != nil {
			return err
		}
		out.Policy, err = s.withCounts(ctx, tx, caller.Account, mp.Policy)
		out.Policy.Tags = nilIfEmpty(out.Policy.Tags)
		return err
	})
	return out, err
}

// DeletePolicyInput is the input of DeletePolicy.
type DeletePolicyInput struct {
	PolicyArn string `query:",required"`
}

// DeletePolicyOutput is the output of DeletePolicy.
type DeletePolicyOutput struct{}

// DeletePolicy deletes a customer managed policy that is attached to
// nothing, is nobody's boundary and has no version but its default.
func (s *Service) DeletePolicy(ctx context.Context, caller *principal.Caller, in DeletePolicyInput) (DeletePolicyOutput, error) {
	err := s.update(ctx, func(tx store.Tx) error {
		mp, err := s.customerPolicy(ctx, tx, caller.Account, in.PolicyArn)
		if err != nil {
			return err
		}
		counted, err := s.withCounts(ctx, tx, caller.Account, mp.Policy)
		if err != nil {
			return err
		}
		if *counted.AttachmentCount > 0 || *counted.PermissionsBoundaryUsageCount > 0 {
			return awserr.ErrDeleteConflict.New("Cannot delete a policy attached to entities.")
		}
		if len(mp.rec.Versions) > 1 {
			return awserr.ErrDeleteConflict.New("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
		}
		return tx.Delete(ctx, kindPolicy, nameKey(caller.Account, mp.PolicyName))
	})
	return DeletePolicyOutput{}, err
}

// ListPoliciesInput is the input of ListPolicies.
type ListPoliciesInput struct {
	Scope             string // All (default), AWS or Local
	OnlyAttached      bool
	PathPrefix        string
	PolicyUsageFilter string // PermissionsPolicy or PermissionsBoundary
	Page
}

// ListPoliciesOutput is the output of ListPolicies.
type ListPoliciesOutput struct {
	Policies []Policy
	PageOut
}

// ListPolicies lists managed policies: the AWS managed ones, the
// account's customer managed ones, or both, by name.
func (s *Service) ListPolicies(ctx context.Context, caller *principal.Caller, in ListPoliciesInput) (ListPoliciesOutput, error) {
	switch in.Scope {
	case "", "All", "AWS", "Local":
	default:
		return ListPoliciesOutput{}, validation(quote(in.Scope), "scope", "Member must satisfy enum value set: [All, AWS, Local]")
	}
	switch in.PolicyUsageFilter {
	case "", "PermissionsPolicy", "PermissionsBoundary":
	default:
		return ListPoliciesOutput{}, validation(quote(in.PolicyUsageFilter), "policyUsageFilter", "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]")
	}
	if err := cPathPrefix.optional("pathPrefix", in.PathPrefix); err != nil {
		return ListPoliciesOutput{}, err
	}
	var out ListPoliciesOutput
	err := s.view(ctx, func(tx store.Tx) error {
		var all []Policy
		if in.Scope != "Local" {
			for _, arn := range awsPolicyARNs {
				all = append(all, awsPolicies[arn].Policy)
			}
		}
		if in.Scope != "AWS" {
			recs, err := store.List[policyRec](ctx, tx, store.Query{Kind: kindPolicy, Parent: caller.Account})
			if err != nil {
				return err
			}
			for _, r := range recs {
				all = append(all, r.Policy)
			}
		}
		all = filterPath(all, in.PathPrefix, func(p Policy) string { return p.Path })
		var kept []Policy
		for _, p := range all {
			p, err := s.withCounts(ctx, tx, caller.Account, p)
			if err != nil {
				return err
			}
			if in.OnlyAttached && *p.AttachmentCount == 0 && *p.PermissionsBoundaryUsageCount == 0 {
				continue
			}
			if in.PolicyUsageFilter == "PermissionsPolicy" && !p.IsAttachable {
				continue
			}
			p.Tags = nil
			kept = append(kept, p)
		}
		var err error
		out.Policies, out.PageOut, err = page(kept, func(p Policy) string { return strings.ToLower(p.PolicyName) + "|" + p.Arn }, in.Page)
		return err
	})
	return out, err
}

// CreatePolicyVersionInput is the input of CreatePolicyVersion.
type CreatePolicyVersionInput struct {
	PolicyArn      string `query:",required"`
	PolicyDocument string `query:",required"`
	SetAsDefault   bool
}

// CreatePolicyVersionOutput is the output of CreatePolicyVersion.
type CreatePolicyVersionOutput struct{ PolicyVersion PolicyVersion }

// CreatePolicyVersion adds a version to a customer managed policy, at
// most five in all, and makes it the default with SetAsDefault.
func (s *Service) CreatePolicyVersion(ctx context.Context, caller *principal.Caller, in CreatePolicyVersionInput) (CreatePolicyVersionOutput, error) {
	if err := checkManagedDocument("policyDocument", in.PolicyDocument); err != nil {
		return CreatePolicyVersionOutput{}, err
	}
	var out CreatePolicyVersionOutput
	err := s.update(ctx, func(tx store.Tx) error {
		mp, err := s.customerPolicy(ctx, tx, caller.Account, in.PolicyArn)
		if err != nil {
			return err
		}
		rec := mp.rec
		if len(rec.Versions) >= maxPolicyVersions {
			return errVersionsLimit()
		}
		now := s.now()
		v := PolicyVersion{Document: in.PolicyDocument, VersionId: "v" + strconv.Itoa(rec.NextVersion), CreateDate: now}
		rec.NextVersion++
		rec.Versions = append(rec.Versions, v)
		rec.UpdateDate = now
		if in.SetAsDefault {
			rec.setDefault(v.VersionId)
			v.IsDefaultVersion = true
		}
		out.PolicyVersion = v
		out.PolicyVersion.Document = ""
		return firstErr(putPolicy(ctx, tx, rec), changed(ctx, tx))
	})
	return out, err
}

// setDefault makes the version the policy's default.
func (r *policyRec) setDefault(versionID string) {
	r.DefaultVersionId = versionID
	for i := range r.Versions {
		r.Versions[i].IsDefaultVersion = r.Versions[i].VersionId == versionID
	}
}

// version returns the index of a version, or -1.
func (r *policyRec) version(versionID string) int {
	for i, v := range r.Versions {
		if v.VersionId == versionID {
			return i
		}
	}
	return -1
}

// GetPolicyVersionInput is the input of GetPolicyVersion.
type GetPolicyVersionInput struct {
	PolicyArn string `query:",required"`
	VersionId string `query:",required"`
}

// GetPolicyVersionOutput is the output of GetPolicyVersion.
type GetPolicyVersionOutput struct{ PolicyVersion PolicyVersion }

// GetPolicyVersion returns a version of a managed policy with its
// document.
func (s *Service) GetPolicyVersion(ctx context.Context, caller *principal.Caller, in GetPolicyVersionInput) (GetPolicyVersionOutput, error) {
	if err := firstErr(cArn.check("policyArn", in.PolicyArn), cVersionID.check("versionId", in.VersionId)); err != nil {
		return GetPolicyVersionOutput{}, err
	}
	var out GetPolicyVersionOutput
	err := s.view(ctx, func(tx store.Tx) error {
		mp, err := s.managedPolicy(ctx, tx, caller.Account, in.PolicyArn, errNoSuchPolicy)
		if err != nil {
			return err
		}
		if mp.rec == nil {
			if in.VersionId != mp.DefaultVersionId {
				return errNoSuchVersion(in.PolicyArn, in.VersionId)
			}
			out.PolicyVersion = PolicyVersion{Document: mp.document, VersionId: mp.DefaultVersionId, IsDefaultVersion: true, CreateDate: mp.CreateDate}
			return nil
		}
		i := mp.rec.version(in.VersionId)
		if i < 0 {
			return errNoSuchVersion(in.PolicyArn, in.VersionId)
		}
		out.PolicyVersion = mp.rec.Versions[i]
		return nil
	})
	return out, err
}

// ListPolicyVersionsInput is the input of ListPolicyVersions.
type ListPolicyVersionsInput struct {
	PolicyArn string `query:",required"`
	Page
}

// ListPolicyVersionsOutput is the output of ListPolicyVersions.
type ListPolicyVersionsOutput struct {
	Versions []PolicyVersion
	PageOut
}

// ListPolicyVersions lists the versions of a managed policy, newest first,
// without their documents.
func (s *Service) ListPolicyVersions(ctx context.Context, caller *principal.Caller, in ListPolicyVersionsInput) (ListPolicyVersionsOutput, error) {
	if err := cArn.check("policyArn", in.PolicyArn); err != nil {
		return ListPolicyVersionsOutput{}, err
	}
	var out ListPolicyVersionsOutput
	err := s.view(ctx, func(tx store.Tx) error {
		mp, err := s.managedPolicy(ctx, tx, caller.Account, in.PolicyArn, errNoSuchPolicy)
		if err != nil {
			return err
		}
		versions := []PolicyVersion{{VersionId: mp.DefaultVersionId, IsDefaultVersion: true, CreateDate: mp.CreateDate}}
		if mp.rec != nil {
			versions = versions[:0]
			for _, v := range mp.rec.Versions {
				v.Document = ""
				versions = append(versions, v)
			}
		}
		// Newest first: a higher version number sorts first.
		out.Versions, out.PageOut, err = page(versions, func(v PolicyVersion) string {
			n, _ := strconv.Atoi(strings.TrimPrefix(v.VersionId, "v"))
			return fmt.Sprintf("%010d", 1<<30-n)
		}, in.Page)
		return err
	})
	return out, err
}

// DeletePolicyVersionInput is the input of DeletePolicyVersion.
type DeletePolicyVersionInput struct {
	PolicyArn string `query:",required"`
	VersionId string `query:",required"`
}

// DeletePolicyVersionOutput is the output of DeletePolicyVersion.
type DeletePolicyVersionOutput struct{}

// DeletePolicyVersion deletes a version that is not the default.
func (s *Service) DeletePolicyVersion(ctx context.Context, caller *principal.Caller, in DeletePolicyVersionInput) (DeletePolicyVersionOutput, error) {
	if err := cVersionID.check("versionId", in.VersionId); err != nil {
		return DeletePolicyVersionOutput{}, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		mp, err := s.customerPolicy(ctx, tx, caller.Account, in.PolicyArn)
		if err != nil {
			return err
		}
		i := mp.rec.version(in.VersionId)
		if i < 0 {
			return errNoSuchVersion(in.PolicyArn, in.VersionId)
		}
		if mp.rec.Versions[i].IsDefaultVersion {
			return awserr.ErrDeleteConflict.New("Cannot delete the default version of a policy.")
		}
		mp.rec.Versions = append(mp.rec.Versions[:i], mp.rec.Versions[i+1:]...)
		return putPolicy(ctx, tx, mp.rec)
	})
	return DeletePolicyVersionOutput{}, err
}

// SetDefaultPolicyVersionInput is the input of SetDefaultPolicyVersion.
type SetDefaultPolicyVersionInput struct {
	PolicyArn string `query:",required"`
	VersionId string `query:",required"`
}

// SetDefaultPolicyVersionOutput is the output of SetDefaultPolicyVersion.
type SetDefaultPolicyVersionOutput struct{}

// SetDefaultPolicyVersion makes a version the policy's default: the one
// authorization evaluates.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, caller *principal.Caller, in SetDefaultPolicyVersionInput) (SetDefaultPolicyVersionOutput, error) {
	if err := cVersionID.check("versionId", in.VersionId); err != nil {
		return SetDefaultPolicyVersionOutput{}, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		mp, err := s.customerPolicy(ctx, tx, caller.Account, in.PolicyArn)
		if err != nil {
			return err
		}
		if mp.rec.version(in.VersionId) < 0 {
			return errNoSuchVersion(in.PolicyArn, in.VersionId)
		}
		mp.rec.setDefault(in.VersionId)
		mp.rec.UpdateDate = s.now()
		return firstErr(putPolicy(ctx, tx, mp.rec), changed(ctx, tx))
	})
	return SetDefaultPolicyVersionOutput{}, err
}
