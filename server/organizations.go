package server

import (
	"context"

	"gatehouse/org"
	"gatehouse/principal"
	"gatehouse/store"
)

// orgOp declares an Organizations operation served by an org.Service
// method; its IAM action is organizations:NAME.
func orgOp[In, Out any](name string, f func(context.Context, *principal.Caller, In) (Out, error)) *Operation {
	return op("organizations", name, "organizations:"+name, func(ctx context.Context, c *Call, in *In) (*Out, error) {
		out, err := f(ctx, c.Caller, *in)
		if err != nil {
			return nil, err
		}
		return &out, nil
	})
}

// organizationsOperations declares the Organizations API. Resources and
// condition keys follow the Service Authorization Reference for AWS
// Organizations: an operation is authorized on the resources whose ids it
// names; organizations:PolicyType and organizations:ServicePrincipal are
// set where the reference lists them.
func (s *Server) organizationsOperations() []*Operation {
	o := s.deps.Org
	return []*Operation{
		orgOp("CreateOrganization", o.CreateOrganization),
		orgOp("DescribeOrganization", o.DescribeOrganization).readOnly(),
		orgOp("DeleteOrganization", o.DeleteOrganization),
		orgOp("ListRoots", o.ListRoots).readOnly(),

		on(orgOp("CreateOrganizationalUnit", o.CreateOrganizationalUnit), func(ctx context.Context, c *Call, in *org.CreateOrganizationalUnitInput) (target, error) {
			return s.orgTarget(ctx, c, tagKeys(in.Tags), in.ParentId)
		}),
		on(orgOp("DescribeOrganizationalUnit", o.DescribeOrganizationalUnit).readOnly(), func(ctx context.Context, c *Call, in *org.DescribeOrganizationalUnitInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.OrganizationalUnitId)
		}),
		on(orgOp("UpdateOrganizationalUnit", o.UpdateOrganizationalUnit), func(ctx context.Context, c *Call, in *org.UpdateOrganizationalUnitInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.OrganizationalUnitId)
		}),
		on(orgOp("DeleteOrganizationalUnit", o.DeleteOrganizationalUnit), func(ctx context.Context, c *Call, in *org.DeleteOrganizationalUnitInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.OrganizationalUnitId)
		}),
		on(orgOp("ListOrganizationalUnitsForParent", o.ListOrganizationalUnitsForParent).readOnly(), func(ctx context.Context, c *Call, in *org.ListOrganizationalUnitsForParentInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.ParentId)
		}),
		on(orgOp("ListChildren", o.ListChildren).readOnly(), func(ctx context.Context, c *Call, in *org.ListChildrenInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.ParentId)
		}),
		on(orgOp("ListParents", o.ListParents).readOnly(), func(ctx context.Context, c *Call, in *org.ListParentsInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.ChildId)
		}),

		on(orgOp("CreateAccount", o.CreateAccount), func(ctx context.Context, c *Call, in *org.CreateAccountInput) (target, error) {
			return s.orgTarget(ctx, c, tagKeys(in.Tags))
		}),
		orgOp("DescribeCreateAccountStatus", o.DescribeCreateAccountStatus).readOnly(),
		orgOp("ListCreateAccountStatus", o.ListCreateAccountStatus).readOnly(),
		on(orgOp("DescribeAccount", o.DescribeAccount).readOnly(), func(ctx context.Context, c *Call, in *org.DescribeAccountInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.AccountId)
		}),
		orgOp("ListAccounts", o.ListAccounts).readOnly(),
		on(orgOp("ListAccountsForParent", o.ListAccountsForParent).readOnly(), func(ctx context.Context, c *Call, in *org.ListAccountsForParentInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.ParentId)
		}),
		on(orgOp("MoveAccount", o.MoveAccount), func(ctx context.Context, c *Call, in *org.MoveAccountInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.AccountId, in.SourceParentId, in.DestinationParentId)
		}),
		on(orgOp("RemoveAccountFromOrganization", o.RemoveAccountFromOrganization), func(ctx context.Context, c *Call, in *org.RemoveAccountFromOrganizationInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.AccountId)
		}),
		on(orgOp("CloseAccount", o.CloseAccount), func(ctx context.Context, c *Call, in *org.CloseAccountInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.AccountId)
		}),

		on(orgOp("EnablePolicyType", o.EnablePolicyType), func(ctx context.Context, c *Call, in *org.EnablePolicyTypeInput) (target, error) {
			return s.orgTarget(ctx, c, policyTypeKey(in.PolicyType), in.RootId)
		}),
		on(orgOp("DisablePolicyType", o.DisablePolicyType), func(ctx context.Context, c *Call, in *org.DisablePolicyTypeInput) (target, error) {
			return s.orgTarget(ctx, c, policyTypeKey(in.PolicyType), in.RootId)
		}),
		on(orgOp("CreatePolicy", o.CreatePolicy), func(ctx context.Context, c *Call, in *org.CreatePolicyInput) (target, error) {
			return s.orgTarget(ctx, c, merge(policyTypeKey(in.Type), tagKeys(in.Tags)))
		}),
		on(orgOp("UpdatePolicy", o.UpdatePolicy), func(ctx context.Context, c *Call, in *org.UpdatePolicyInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.PolicyId)
		}),
		on(orgOp("DeletePolicy", o.DeletePolicy), func(ctx context.Context, c *Call, in *org.DeletePolicyInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.PolicyId)
		}),
		on(orgOp("DescribePolicy", o.DescribePolicy).readOnly(), func(ctx context.Context, c *Call, in *org.DescribePolicyInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.PolicyId)
		}),
		on(orgOp("ListPolicies", o.ListPolicies).readOnly(), func(ctx context.Context, c *Call, in *org.ListPoliciesInput) (target, error) {
			return s.orgTarget(ctx, c, policyTypeKey(in.Filter))
		}),
		on(orgOp("AttachPolicy", o.AttachPolicy), func(ctx context.Context, c *Call, in *org.AttachPolicyInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.PolicyId, in.TargetId)
		}),
		on(orgOp("DetachPolicy", o.DetachPolicy), func(ctx context.Context, c *Call, in *org.DetachPolicyInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.PolicyId, in.TargetId)
		}),
		on(orgOp("ListPoliciesForTarget", o.ListPoliciesForTarget).readOnly(), func(ctx context.Context, c *Call, in *org.ListPoliciesForTargetInput) (target, error) {
			return s.orgTarget(ctx, c, policyTypeKey(in.Filter), in.TargetId)
		}),
		on(orgOp("ListTargetsForPolicy", o.ListTargetsForPolicy).readOnly(), func(ctx context.Context, c *Call, in *org.ListTargetsForPolicyInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.PolicyId)
		}),

		on(orgOp("EnableAWSServiceAccess", o.EnableAWSServiceAccess), func(ctx context.Context, c *Call, in *org.EnableAWSServiceAccessInput) (target, error) {
			return s.orgTarget(ctx, c, servicePrincipalKey(in.ServicePrincipal))
		}),
		on(orgOp("DisableAWSServiceAccess", o.DisableAWSServiceAccess), func(ctx context.Context, c *Call, in *org.DisableAWSServiceAccessInput) (target, error) {
			return s.orgTarget(ctx, c, servicePrincipalKey(in.ServicePrincipal))
		}),
		orgOp("ListAWSServiceAccessForOrganization", o.ListAWSServiceAccessForOrganization).readOnly(),
		on(orgOp("RegisterDelegatedAdministrator", o.RegisterDelegatedAdministrator), func(ctx context.Context, c *Call, in *org.RegisterDelegatedAdministratorInput) (target, error) {
			return s.orgTarget(ctx, c, servicePrincipalKey(in.ServicePrincipal), in.AccountId)
		}),
		on(orgOp("DeregisterDelegatedAdministrator", o.DeregisterDelegatedAdministrator), func(ctx context.Context, c *Call, in *org.DeregisterDelegatedAdministratorInput) (target, error) {
			return s.orgTarget(ctx, c, servicePrincipalKey(in.ServicePrincipal), in.AccountId)
		}),
		on(orgOp("ListDelegatedAdministrators", o.ListDelegatedAdministrators).readOnly(), func(ctx context.Context, c *Call, in *org.ListDelegatedAdministratorsInput) (target, error) {
			return s.orgTarget(ctx, c, servicePrincipalKey(in.ServicePrincipal))
		}),
		on(orgOp("ListDelegatedServicesForAccount", o.ListDelegatedServicesForAccount).readOnly(), func(ctx context.Context, c *Call, in *org.ListDelegatedServicesForAccountInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.AccountId)
		}),

		on(orgOp("TagResource", o.TagResource), func(ctx context.Context, c *Call, in *org.TagResourceInput) (target, error) {
			return s.orgTarget(ctx, c, tagKeys(in.Tags), in.ResourceId)
		}),
		on(orgOp("UntagResource", o.UntagResource), func(ctx context.Context, c *Call, in *org.UntagResourceInput) (target, error) {
			return s.orgTarget(ctx, c, map[string][]string{"aws:TagKeys": in.TagKeys}, in.ResourceId)
		}),
		on(orgOp("ListTagsForResource", o.ListTagsForResource).readOnly(), func(ctx context.Context, c *Call, in *org.ListTagsForResourceInput) (target, error) {
			return s.orgTarget(ctx, c, nil, in.ResourceId)
		}),
	}
}

// orgTarget resolves the Organizations ids a request names to their ARNs
// in the caller's organization, and adds the policy type of a named
// policy to the condition keys. Ids that do not resolve (no organization
// yet, or a malformed id the service will reject) leave "*".
func (s *Server) orgTarget(ctx context.Context, c *Call, keys map[string][]string, ids ...string) (target, error) {
	t := target{Keys: keys}
	err := s.deps.Store.View(ctx, func(tx store.Tx) error {
		for _, id := range ids {
			if id == "" {
				continue
			}
			arn, typ, err := s.deps.Org.ResourceARN(ctx, tx, c.Caller.Account, id)
			if err != nil {
				return err
			}
			if arn != "" {
				t.ARNs = append(t.ARNs, arn)
			}
			if typ != "" {
				t.Keys = merge(t.Keys, policyTypeKey(typ))
			}
		}
		return nil
	})
	return t, err
}

func policyTypeKey(t org.PolicyType) map[string][]string {
	if t == "" {
		return nil
	}
	return map[string][]string{"organizations:PolicyType": {string(t)}}
}

func servicePrincipalKey(p string) map[string][]string {
	if p == "" {
		return nil
	}
	return map[string][]string{"organizations:ServicePrincipal": {p}}
}

// tagKeys returns aws:RequestTag/KEY and aws:TagKeys for tags in a
// request.
func tagKeys(tags []org.Tag) map[string][]string {
	if len(tags) == 0 {
		return nil
	}
	keys := map[string][]string{}
	var names []string
	for _, t := range tags {
		keys["aws:RequestTag/"+t.Key] = []string{t.Value}
		names = append(names, t.Key)
	}
	keys["aws:TagKeys"] = names
	return keys
}

func merge(a, b map[string][]string) map[string][]string {
	if a == nil {
		return b
	}
	for k, v := range b {
		a[k] = v
	}
	return a
}
