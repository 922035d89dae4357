package iam

import (
	"context"

	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
)

// PutInlinePolicyInput is the input of PutUserPolicy, PutGroupPolicy and
// PutRolePolicy (one of the names set).
type PutInlinePolicyInput struct {
	UserName       string
	GroupName      string
	RoleName       string
	PolicyName     string `query:",required"`
	PolicyDocument string `query:",required"`
}

// PutInlinePolicyOutput is the output of the Put*Policy operations.
type PutInlinePolicyOutput struct{}

// PutUserPolicy adds or replaces an inline policy of a user.
func (s *Service) PutUserPolicy(ctx context.Context, caller *principal.Caller, in PutInlinePolicyInput) (PutInlinePolicyOutput, error) {
	return PutInlinePolicyOutput{}, s.putInline(ctx, caller, entityUser, in.UserName, in)
}

// PutGroupPolicy adds or replaces an inline policy of a group.
func (s *Service) PutGroupPolicy(ctx context.Context, caller *principal.Caller, in PutInlinePolicyInput) (PutInlinePolicyOutput, error) {
	return PutInlinePolicyOutput{}, s.putInline(ctx, caller, entityGroup, in.GroupName, in)
}

// PutRolePolicy adds or replaces an inline policy of a role.
func (s *Service) PutRolePolicy(ctx context.Context, caller *principal.Caller, in PutInlinePolicyInput) (PutInlinePolicyOutput, error) {
	return PutInlinePolicyOutput{}, s.putInline(ctx, caller, entityRole, in.RoleName, in)
}

// putInline stores an inline policy. IAM's quota is on the sum of an
// entity's inline policies (2,048 characters for a user, 5,120 for a
// group, 10,240 for a role, white space not counted).
func (s *Service) putInline(ctx context.Context, caller *principal.Caller, t entityType, name string, in PutInlinePolicyInput) error {
	if err := firstErr(cPolicyName.check("policyName", in.PolicyName), cDocument.check("policyDocument", in.PolicyDocument)); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		e, err := s.entity(ctx, tx, caller.Account, t, name)
		if err != nil {
			return err
		}
		if e.protected {
			return errProtectedRole(e.name)
		}
		return s.putInlineTo(ctx, tx, e, in.PolicyName, in.PolicyDocument)
	})
}

func (s *Service) putInlineTo(ctx context.Context, tx store.Tx, e entity, name, doc string) error {
	opts := policy.Options{Type: policy.Identity, Inline: true, Quota: policy.InlineQuota(e.typ.lower(), e.name)}
	others, err := store.List[inlineRec](ctx, tx, store.Query{Kind: kindInline, Parent: e.id})
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.PolicyName == name {
			continue
		}
		if d, err := policy.Parse([]byte(o.PolicyDocument)); err == nil {
			opts.Used += opts.Quota.Size(d)
		}
	}
	if err := checkDocument("policyDocument", doc, opts); err != nil {
		return err
	}
	rec := inlineRec{PolicyName: name, PolicyDocument: doc}
	if err := store.Put(ctx, tx, store.Record{Kind: kindInline, ID: e.id + "|" + name, Parent: e.id}, &rec); err != nil {
		return err
	}
	return changed(ctx, tx)
}

// GetInlinePolicyInput is the input of GetUserPolicy, GetGroupPolicy and
// GetRolePolicy.
type GetInlinePolicyInput struct {
	UserName   string
	GroupName  string
	RoleName   string
	PolicyName string `query:",required"`
}

// GetInlinePolicyOutput is the output of the Get*Policy operations: the
// entity's name, the policy's name and its document.
type GetInlinePolicyOutput struct {
	UserName       string
	GroupName      string
	RoleName       string
	PolicyName     string
	PolicyDocument string
}

// GetUserPolicy returns an inline policy of a user.
func (s *Service) GetUserPolicy(ctx context.Context, caller *principal.Caller, in GetInlinePolicyInput) (GetInlinePolicyOutput, error) {
	return s.getInline(ctx, caller, entityUser, in.UserName, in.PolicyName)
}

// GetGroupPolicy returns an inline policy of a group.
func (s *Service) GetGroupPolicy(ctx context.Context, caller *principal.Caller, in GetInlinePolicyInput) (GetInlinePolicyOutput, error) {
	return s.getInline(ctx, caller, entityGroup, in.GroupName, in.PolicyName)
}

// GetRolePolicy returns an inline policy of a role.
func (s *Service) GetRolePolicy(ctx context.Context, caller *principal.Caller, in GetInlinePolicyInput) (GetInlinePolicyOutput, error) {
	return s.getInline(ctx, caller, entityRole, in.RoleName, in.PolicyName)
}

func (s *Service) getInline(ctx context.Context, caller *principal.Caller, t entityType, name, policyName string) (GetInlinePolicyOutput, error) {
	if err := cPolicyName.check("policyName", policyName); err != nil {
		return GetInlinePolicyOutput{}, err
	}
	var out GetInlinePolicyOutput
	err := s.view(ctx, func(tx store.Tx) error {
		e, err := s.entity(ctx, tx, caller.Account, t, name)
		if err != nil {
			return err
		}
		rec, ok, err := get[inlineRec](ctx, tx, kindInline, e.id+"|"+policyName)
		if err != nil {
			return err
		}
		if !ok {
			return errNoSuchInline(t.lower(), policyName)
		}
		out = GetInlinePolicyOutput{PolicyName: rec.PolicyName, PolicyDocument: rec.PolicyDocument}
		switch t {
		case entityUser:
			out.UserName = e.name
		case entityGroup:
			out.GroupName = e.name
		default:
			out.RoleName = e.name
		}
		return nil
	})
	return out, err
}

// DeleteInlinePolicyInput is the input of DeleteUserPolicy,
// DeleteGroupPolicy and DeleteRolePolicy.
type DeleteInlinePolicyInput = GetInlinePolicyInput

// DeleteInlinePolicyOutput is the output of the Delete*Policy operations.
type DeleteInlinePolicyOutput struct{}

// DeleteUserPolicy deletes an inline policy of a user.
func (s *Service) DeleteUserPolicy(ctx context.Context, caller *principal.Caller, in DeleteInlinePolicyInput) (DeleteInlinePolicyOutput, error) {
	return DeleteInlinePolicyOutput{}, s.deleteInline(ctx, caller, entityUser, in.UserName, in.PolicyName)
}

// DeleteGroupPolicy deletes an inline policy of a group.
func (s *Service) DeleteGroupPolicy(ctx context.Context, caller *principal.Caller, in DeleteInlinePolicyInput) (DeleteInlinePolicyOutput, error) {
	return DeleteInlinePolicyOutput{}, s.deleteInline(ctx, caller, entityGroup, in.GroupName, in.PolicyName)
}

// DeleteRolePolicy deletes an inline policy of a role.
func (s *Service) DeleteRolePolicy(ctx context.Context, caller *principal.Caller, in DeleteInlinePolicyInput) (DeleteInlinePolicyOutput, error) {
	return DeleteInlinePolicyOutput{}, s.deleteInline(ctx, caller, entityRole, in.RoleName, in.PolicyName)
}

func (s *Service) deleteInline(ctx context.Context, caller *principal.Caller, t entityType, name, policyName string) error {
	if err := cPolicyName.check("policyName", policyName); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		e, err := s.entity(ctx, tx, caller.Account, t, name)
		if err != nil {
			return err
		}
		if e.protected {
			return errProtectedRole(e.name)
		}
		if err := tx.Delete(ctx, kindInline, e.id+"|"+policyName); err != nil {
			if isNotFound(err) {
				return errNoSuchInline(t.lower(), policyName)
			}
			return err
		}
		return changed(ctx, tx)
	})
}

// ListInlinePoliciesInput is the input of ListUserPolicies,
// ListGroupPolicies and ListRolePolicies.
type ListInlinePoliciesInput struct {
	UserName  string
	GroupName string
	RoleName  string
	Page
}

// ListInlinePoliciesOutput is the output of the List*Policies operations.
type ListInlinePoliciesOutput struct {
	PolicyNames []string
	PageOut
}

// ListUserPolicies lists the names of a user's inline policies.
func (s *Service) ListUserPolicies(ctx context.Context, caller *principal.Caller, in ListInlinePoliciesInput) (ListInlinePoliciesOutput, error) {
	return s.listInline(ctx, caller, entityUser, in.UserName, in.Page)
}

// ListGroupPolicies lists the names of a group's inline policies.
func (s *Service) ListGroupPolicies(ctx context.Context, caller *principal.Caller, in ListInlinePoliciesInput) (ListInlinePoliciesOutput, error) {
	return s.listInline(ctx, caller, entityGroup, in.GroupName, in.Page)
}

// ListRolePolicies lists the names of a role's inline policies.
func (s *Service) ListRolePolicies(ctx context.Context, caller *principal.Caller, in ListInlinePoliciesInput) (ListInlinePoliciesOutput, error) {
	return s.listInline(ctx, caller, entityRole, in.RoleName, in.Page)
}

func (s *Service) listInline(ctx context.Context, caller *principal.Caller, t entityType, name string, pg Page) (ListInlinePoliciesOutput, error) {
	var out ListInlinePoliciesOutput
	err := s.view(ctx, func(tx store.Tx) error {
		e, err := s.entity(ctx, tx, caller.Account, t, name)
		if err != nil {
			return err
		}
		recs, err := store.List[inlineRec](ctx, tx, store.Query{Kind: kindInline, Parent: e.id})
		if err != nil {
			return err
		}
		names := make([]string, 0, len(recs))
		for _, r := range recs {
			names = append(names, r.PolicyName)
		}
		out.PolicyNames, out.PageOut, err = page(names, func(n string) string { return n }, pg)
		return err
	})
	return out, err
}

// inlinePolicies returns the inline policies of an entity.
func inlinePolicies(ctx context.Context, tx store.Tx, entityID string) ([]PolicyDetail, error) {
	recs, err := store.List[inlineRec](ctx, tx, store.Query{Kind: kindInline, Parent: entityID})
	if err != nil {
		return nil, err
	}
	out := []PolicyDetail{}
	for _, r := range recs {
		out = append(out, PolicyDetail(r))
	}
	return out, nil
}
