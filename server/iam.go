package server

import (
	"context"

	"gatehouse/iam"
	"gatehouse/principal"
	"gatehouse/store"
)

// iamOp declares an IAM operation served by an iam.Service method; its
// IAM action is iam:NAME.
func iamOp[In, Out any](name string, f func(context.Context, *principal.Caller, In) (Out, error)) *Operation {
	return op("iam", name, "iam:"+name, func(ctx context.Context, c *Call, in *In) (*Out, error) {
		out, err := f(ctx, c.Caller, *in)
		if err != nil {
			return nil, err
		}
		return &out, nil
	})
}

// iamRef names an IAM resource of the caller's account a request is
// about.
type iamRef struct {
	kind string // user, group, role, policy, or self (a user, the calling one when name is "")
	name string // the entity's name, or the policy's ARN; "" for none
}

func userRef(name string) iamRef  { return iamRef{"user", name} }
func groupRef(name string) iamRef { return iamRef{"group", name} }
func roleRef(name string) iamRef  { return iamRef{"role", name} }
func policyRef(arn string) iamRef { return iamRef{"policy", arn} }
func selfOr(name string) iamRef   { return iamRef{"self", name} }
func policyKey(arn string) map[string][]string {
	if arn == "" {
		return nil
	}
	return map[string][]string{"iam:PolicyARN": {arn}}
}

func boundaryKey(arn string) map[string][]string {
	if arn == "" {
		return nil
	}
	return map[string][]string{"iam:PermissionsBoundary": {arn}}
}

// iamTarget resolves the resources of an IAM request to their ARNs, as
// the Service Authorization Reference for IAM lists them: the user,
// group, role or policy in the caller's account (with its path when it
// exists).
func (s *Server) iamTarget(ctx context.Context, c *Call, keys map[string][]string, refs ...iamRef) (target, error) {
	t := target{Keys: keys}
	err := s.deps.Store.View(ctx, func(tx store.Tx) error {
		svc, acct := s.deps.IAM, c.Caller.Account
		for _, r := range refs {
			switch {
			case r.kind == "policy":
				if r.name != "" {
					t.ARNs = append(t.ARNs, r.name)
				}
			case r.name == "" && r.kind == "self":
				if c.Caller.Type == principal.IAMUser {
					t.ARNs = append(t.ARNs, c.Caller.ARN)
				}
			case r.name == "":
			case r.kind == "user" || r.kind == "self":
				t.ARNs = append(t.ARNs, svc.UserARN(ctx, tx, acct, r.name))
			case r.kind == "group":
				t.ARNs = append(t.ARNs, svc.GroupARN(ctx, tx, acct, r.name))
			case r.kind == "role":
				t.ARNs = append(t.ARNs, svc.RoleARN(ctx, tx, acct, r.name))
			}
		}
		return nil
	})
	return t, err
}

// iamTagKeys returns aws:RequestTag/KEY and aws:TagKeys for tags in a
// request.
func iamTagKeys(tags []iam.Tag) map[string][]string {
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

// iamOperations declares the IAM API, or nothing when the server has no
// IAM service.
func (s *Server) iamOperations() []*Operation {
	if s.deps.IAM == nil {
		return nil
	}
	var ops []*Operation
	for _, group := range [][]*Operation{s.iamIdentityOperations(), s.iamPolicyOperations(), s.iamCredentialOperations()} {
		ops = append(ops, group...)
	}
	return ops
}

// iamIdentityOperations declares the operations on users, groups and
// roles.
func (s *Server) iamIdentityOperations() []*Operation {
	i := s.deps.IAM
	return []*Operation{
		on(iamOp("CreateUser", i.CreateUser), func(ctx context.Context, c *Call, in *iam.CreateUserInput) (target, error) {
			return s.iamTarget(ctx, c, merge(iamTagKeys(in.Tags), boundaryKey(in.PermissionsBoundary)), userRef(in.UserName))
		}),
		on(iamOp("GetUser", i.GetUser).readOnly(), func(ctx context.Context, c *Call, in *iam.GetUserInput) (target, error) {
			return s.iamTarget(ctx, c, nil, selfOr(in.UserName))
		}),
		on(iamOp("UpdateUser", i.UpdateUser), func(ctx context.Context, c *Call, in *iam.UpdateUserInput) (target, error) {
			return s.iamTarget(ctx, c, nil, userRef(in.UserName))
		}),
		on(iamOp("DeleteUser", i.DeleteUser), func(ctx context.Context, c *Call, in *iam.DeleteUserInput) (target, error) {
			return s.iamTarget(ctx, c, nil, userRef(in.UserName))
		}),
		iamOp("ListUsers", i.ListUsers).readOnly(),
		on(iamOp("TagUser", i.TagUser), func(ctx context.Context, c *Call, in *iam.TagInput) (target, error) {
			return s.iamTarget(ctx, c, iamTagKeys(in.Tags), userRef(in.UserName))
		}),
		on(iamOp("UntagUser", i.UntagUser), func(ctx context.Context, c *Call, in *iam.UntagInput) (target, error) {
			return s.iamTarget(ctx, c, map[string][]string{"aws:TagKeys": in.TagKeys}, userRef(in.UserName))
		}),
		on(iamOp("ListUserTags", i.ListUserTags).readOnly(), func(ctx context.Context, c *Call, in *iam.ListTagsInput) (target, error) {
			return s.iamTarget(ctx, c, nil, userRef(in.UserName))
		}),

		on(iamOp("CreateGroup", i.CreateGroup), func(ctx context.Context, c *Call, in *iam.CreateGroupInput) (target, error) {
			return s.iamTarget(ctx, c, nil, groupRef(in.GroupName))
		}),
		on(iamOp("GetGroup", i.GetGroup).readOnly(), func(ctx context.Context, c *Call, in *iam.GetGroupInput) (target, error) {
			return s.iamTarget(ctx, c, nil, groupRef(in.GroupName))
		}),
		on(iamOp("UpdateGroup", i.UpdateGroup), func(ctx context.Context, c *Call, in *iam.UpdateGroupInput) (target, error) {
			return s.iamTarget(ctx, c, nil, groupRef(in.GroupName))
		}),
		on(iamOp("DeleteGroup", i.DeleteGroup), func(ctx context.Context, c *Call, in *iam.DeleteGroupInput) (target, error) {
			return s.iamTarget(ctx, c, nil, groupRef(in.GroupName))
		}),
		iamOp("ListGroups", i.ListGroups).readOnly(),
		on(iamOp("AddUserToGroup", i.AddUserToGroup), func(ctx context.Context, c *Call, in *iam.AddUserToGroupInput) (target, error) {
			return s.iamTarget(ctx, c, nil, groupRef(in.GroupName))
		}),
		on(iamOp("RemoveUserFromGroup", i.RemoveUserFromGroup), func(ctx context.Context, c *Call, in *iam.RemoveUserFromGroupInput) (target, error) {
			return s.iamTarget(ctx, c, nil, groupRef(in.GroupName))
		}),
		on(iamOp("ListGroupsForUser", i.ListGroupsForUser).readOnly(), func(ctx context.Context, c *Call, in *iam.ListGroupsForUserInput) (target, error) {
			return s.iamTarget(ctx, c, nil, userRef(in.UserName))
		}),

		on(iamOp("CreateRole", i.CreateRole), func(ctx context.Context, c *Call, in *iam.CreateRoleInput) (target, error) {
			return s.iamTarget(ctx, c, merge(iamTagKeys(in.Tags), boundaryKey(in.PermissionsBoundary)), roleRef(in.RoleName))
		}),
		on(iamOp("GetRole", i.GetRole).readOnly(), func(ctx context.Context, c *Call, in *iam.GetRoleInput) (target, error) {
			return s.iamTarget(ctx, c, nil, roleRef(in.RoleName))
		}),
		on(iamOp("UpdateRole", i.UpdateRole), func(ctx context.Context, c *Call, in *iam.UpdateRoleInput) (target, error) {
			return s.iamTarget(ctx, c, nil, roleRef(in.RoleName))
		}),
		on(iamOp("UpdateRoleDescription", i.UpdateRoleDescription), func(ctx context.Context, c *Call, in *iam.UpdateRoleDescriptionInput) (target, error) {
			return s.iamTarget(ctx, c, nil, roleRef(in.RoleName))
		}),
		on(iamOp("UpdateAssumeRolePolicy", i.UpdateAssumeRolePolicy), func(ctx context.Context, c *Call, in *iam.UpdateAssumeRolePolicyInput) (target, error) {
			return s.iamTarget(ctx, c, nil, roleRef(in.RoleName))
		}),
		on(iamOp("DeleteRole", i.DeleteRole), func(ctx context.Context, c *Call, in *iam.DeleteRoleInput) (target, error) {
			return s.iamTarget(ctx, c, nil, roleRef(in.RoleName))
		}),
		iamOp("ListRoles", i.ListRoles).readOnly(),
		on(iamOp("TagRole", i.TagRole), func(ctx context.Context, c *Call, in *iam.TagInput) (target, error) {
			return s.iamTarget(ctx, c, iamTagKeys(in.Tags), roleRef(in.RoleName))
		}),
		on(iamOp("UntagRole", i.UntagRole), func(ctx context.Context, c *Call, in *iam.UntagInput) (target, error) {
			return s.iamTarget(ctx, c, map[string][]string{"aws:TagKeys": in.TagKeys}, roleRef(in.RoleName))
		}),
		on(iamOp("ListRoleTags", i.ListRoleTags).readOnly(), func(ctx context.Context, c *Call, in *iam.ListTagsInput) (target, error) {
			return s.iamTarget(ctx, c, nil, roleRef(in.RoleName))
		}),
		on(iamOp("CreateServiceLinkedRole", i.CreateServiceLinkedRole), func(ctx context.Context, c *Call, in *iam.CreateServiceLinkedRoleInput) (target, error) {
			keys := map[string][]string{"iam:AWSServiceName": {in.AWSServiceName}}
			return target{Keys: keys, ARNs: []string{iam.ServiceLinkedRoleARN(c.Caller.Account, in.AWSServiceName, in.CustomSuffix)}}, nil
		}),
		on(iamOp("DeleteServiceLinkedRole", i.DeleteServiceLinkedRole), func(ctx context.Context, c *Call, in *iam.DeleteServiceLinkedRoleInput) (target, error) {
			return s.iamTarget(ctx, c, nil, roleRef(in.RoleName))
		}),
	}
}

// iamPolicyOperations declares the operations on managed and inline
// policies and permissions boundaries.
func (s *Server) iamPolicyOperations() []*Operation {
	i := s.deps.IAM
	attach := func(name string, f func(context.Context, *principal.Caller, iam.AttachPolicyInput) (iam.AttachPolicyOutput, error), ref func(*iam.AttachPolicyInput) iamRef) *Operation {
		return on(iamOp(name, f), func(ctx context.Context, c *Call, in *iam.AttachPolicyInput) (target, error) {
			return s.iamTarget(ctx, c, policyKey(in.PolicyArn), ref(in))
		})
	}
	detach := func(name string, f func(context.Context, *principal.Caller, iam.DetachPolicyInput) (iam.DetachPolicyOutput, error), ref func(*iam.AttachPolicyInput) iamRef) *Operation {
		return on(iamOp(name, f), func(ctx context.Context, c *Call, in *iam.AttachPolicyInput) (target, error) {
			return s.iamTarget(ctx, c, policyKey(in.PolicyArn), ref(in))
		})
	}
	user := func(in *iam.AttachPolicyInput) iamRef { return userRef(in.UserName) }
	group := func(in *iam.AttachPolicyInput) iamRef { return groupRef(in.GroupName) }
	role := func(in *iam.AttachPolicyInput) iamRef { return roleRef(in.RoleName) }
	listAttached := func(name string, f func(context.Context, *principal.Caller, iam.ListAttachedPoliciesInput) (iam.ListAttachedPoliciesOutput, error), ref func(*iam.ListAttachedPoliciesInput) iamRef) *Operation {
		return on(iamOp(name, f).readOnly(), func(ctx context.Context, c *Call, in *iam.ListAttachedPoliciesInput) (target, error) {
			return s.iamTarget(ctx, c, nil, ref(in))
		})
	}
	putInline := func(name string, f func(context.Context, *principal.Caller, iam.PutInlinePolicyInput) (iam.PutInlinePolicyOutput, error)) *Operation {
		return on(iamOp(name, f), func(ctx context.Context, c *Call, in *iam.PutInlinePolicyInput) (target, error) {
			return s.iamTarget(ctx, c, nil, userRef(in.UserName), groupRef(in.GroupName), roleRef(in.RoleName))
		})
	}
	getInline := func(name string, f func(context.Context, *principal.Caller, iam.GetInlinePolicyInput) (iam.GetInlinePolicyOutput, error), ro bool) *Operation {
		o := iamOp(name, f)
		if ro {
			o.readOnly()
		}
		return on(o, func(ctx context.Context, c *Call, in *iam.GetInlinePolicyInput) (target, error) {
			return s.iamTarget(ctx, c, nil, userRef(in.UserName), groupRef(in.GroupName), roleRef(in.RoleName))
		})
	}
	deleteInline := func(name string, f func(context.Context, *principal.Caller, iam.DeleteInlinePolicyInput) (iam.DeleteInlinePolicyOutput, error)) *Operation {
		return getInline(name, func(ctx context.Context, c *principal.Caller, in iam.GetInlinePolicyInput) (iam.GetInlinePolicyOutput, error) {
			_, err := f(ctx, c, in)
			return iam.GetInlinePolicyOutput{}, err
		}, false)
	}
	listInline := func(name string, f func(context.Context, *principal.Caller, iam.ListInlinePoliciesInput) (iam.ListInlinePoliciesOutput, error)) *Operation {
		return on(iamOp(name, f).readOnly(), func(ctx context.Context, c *Call, in *iam.ListInlinePoliciesInput) (target, error) {
			return s.iamTarget(ctx, c, nil, userRef(in.UserName), groupRef(in.GroupName), roleRef(in.RoleName))
		})
	}
	putBoundary := func(name string, f func(context.Context, *principal.Caller, iam.PutPermissionsBoundaryInput) (iam.PutPermissionsBoundaryOutput, error)) *Operation {
		return on(iamOp(name, f), func(ctx context.Context, c *Call, in *iam.PutPermissionsBoundaryInput) (target, error) {
			return s.iamTarget(ctx, c, boundaryKey(in.PermissionsBoundary), userRef(in.UserName), roleRef(in.RoleName))
		})
	}
	deleteBoundary := func(name string, f func(context.Context, *principal.Caller, iam.DeletePermissionsBoundaryInput) (iam.DeletePermissionsBoundaryOutput, error)) *Operation {
		return on(iamOp(name, f), func(ctx context.Context, c *Call, in *iam.DeletePermissionsBoundaryInput) (target, error) {
			return s.iamTarget(ctx, c, nil, userRef(in.UserName), roleRef(in.RoleName))
		})
	}
	return []*Operation{
		on(iamOp("CreatePolicy", i.CreatePolicy), func(ctx context.Context, c *Call, in *iam.CreatePolicyInput) (target, error) {
			return target{Keys: iamTagKeys(in.Tags), ARNs: []string{"arn:aws:iam::" + c.Caller.Account + ":policy" + pathOrRoot(in.Path) + in.PolicyName}}, nil
		}),
		on(iamOp("GetPolicy", i.GetPolicy).readOnly(), func(ctx context.Context, c *Call, in *iam.GetPolicyInput) (target, error) {
			return s.iamTarget(ctx, c, nil, policyRef(in.PolicyArn))
		}),
		on(iamOp("DeletePolicy", i.DeletePolicy), func(ctx context.Context, c *Call, in *iam.DeletePolicyInput) (target, error) {
			return s.iamTarget(ctx, c, nil, policyRef(in.PolicyArn))
		}),
		iamOp("ListPolicies", i.ListPolicies).readOnly(),
		on(iamOp("CreatePolicyVersion", i.CreatePolicyVersion), func(ctx context.Context, c *Call, in *iam.CreatePolicyVersionInput) (target, error) {
			return s.iamTarget(ctx, c, nil, policyRef(in.PolicyArn))
		}),
		on(iamOp("GetPolicyVersion", i.GetPolicyVersion).readOnly(), func(ctx context.Context, c *Call, in *iam.GetPolicyVersionInput) (target, error) {
			return s.iamTarget(ctx, c, nil, policyRef(in.PolicyArn))
		}),
		on(iamOp("ListPolicyVersions", i.ListPolicyVersions).readOnly(), func(ctx context.Context, c *Call, in *iam.ListPolicyVersionsInput) (target, error) {
			return s.iamTarget(ctx, c, nil, policyRef(in.PolicyArn))
		}),
		on(iamOp("DeletePolicyVersion", i.DeletePolicyVersion), func(ctx context.Context, c *Call, in *iam.DeletePolicyVersionInput) (target, error) {
			return s.iamTarget(ctx, c, nil, policyRef(in.PolicyArn))
		}),
		on(iamOp("SetDefaultPolicyVersion", i.SetDefaultPolicyVersion), func(ctx context.Context, c *Call, in *iam.SetDefaultPolicyVersionInput) (target, error) {
			return s.iamTarget(ctx, c, nil, policyRef(in.PolicyArn))
		}),
		on(iamOp("TagPolicy", i.TagPolicy), func(ctx context.Context, c *Call, in *iam.TagInput) (target, error) {
			return s.iamTarget(ctx, c, iamTagKeys(in.Tags), policyRef(in.PolicyArn))
		}),
		on(iamOp("UntagPolicy", i.UntagPolicy), func(ctx context.Context, c *Call, in *iam.UntagInput) (target, error) {
			return s.iamTarget(ctx, c, map[string][]string{"aws:TagKeys": in.TagKeys}, policyRef(in.PolicyArn))
		}),
		on(iamOp("ListPolicyTags", i.ListPolicyTags).readOnly(), func(ctx context.Context, c *Call, in *iam.ListTagsInput) (target, error) {
			return s.iamTarget(ctx, c, nil, policyRef(in.PolicyArn))
		}),
		on(iamOp("ListEntitiesForPolicy", i.ListEntitiesForPolicy).readOnly(), func(ctx context.Context, c *Call, in *iam.ListEntitiesForPolicyInput) (target, error) {
			return s.iamTarget(ctx, c, nil, policyRef(in.PolicyArn))
		}),

		attach("AttachUserPolicy", i.AttachUserPolicy, user),
		attach("AttachGroupPolicy", i.AttachGroupPolicy, group),
		attach("AttachRolePolicy", i.AttachRolePolicy, role),
		detach("DetachUserPolicy", i.DetachUserPolicy, user),
		detach("DetachGroupPolicy", i.DetachGroupPolicy, group),
		detach("DetachRolePolicy", i.DetachRolePolicy, role),
		listAttached("ListAttachedUserPolicies", i.ListAttachedUserPolicies, func(in *iam.ListAttachedPoliciesInput) iamRef { return userRef(in.UserName) }),
		listAttached("ListAttachedGroupPolicies", i.ListAttachedGroupPolicies, func(in *iam.ListAttachedPoliciesInput) iamRef { return groupRef(in.GroupName) }),
		listAttached("ListAttachedRolePolicies", i.ListAttachedRolePolicies, func(in *iam.ListAttachedPoliciesInput) iamRef { return roleRef(in.RoleName) }),

		putInline("PutUserPolicy", i.PutUserPolicy),
		putInline("PutGroupPolicy", i.PutGroupPolicy),
		putInline("PutRolePolicy", i.PutRolePolicy),
		getInline("GetUserPolicy", i.GetUserPolicy, true),
		getInline("GetGroupPolicy", i.GetGroupPolicy, true),
		getInline("GetRolePolicy", i.GetRolePolicy, true),
		deleteInline("DeleteUserPolicy", i.DeleteUserPolicy),
		deleteInline("DeleteGroupPolicy", i.DeleteGroupPolicy),
		deleteInline("DeleteRolePolicy", i.DeleteRolePolicy),
		listInline("ListUserPolicies", i.ListUserPolicies),
		listInline("ListGroupPolicies", i.ListGroupPolicies),
		listInline("ListRolePolicies", i.ListRolePolicies),

		putBoundary("PutUserPermissionsBoundary", i.PutUserPermissionsBoundary),
		putBoundary("PutRolePermissionsBoundary", i.PutRolePermissionsBoundary),
		deleteBoundary("DeleteUserPermissionsBoundary", i.DeleteUserPermissionsBoundary),
		deleteBoundary("DeleteRolePermissionsBoundary", i.DeleteRolePermissionsBoundary),
	}
}

// iamCredentialOperations declares the operations on access keys, login
// profiles and the account.
func (s *Server) iamCredentialOperations() []*Operation {
	i := s.deps.IAM
	return []*Operation{
		on(iamOp("CreateAccessKey", i.CreateAccessKey), func(ctx context.Context, c *Call, in *iam.CreateAccessKeyInput) (target, error) {
			return s.iamTarget(ctx, c, nil, selfOr(in.UserName))
		}),
		on(iamOp("UpdateAccessKey", i.UpdateAccessKey), func(ctx context.Context, c *Call, in *iam.UpdateAccessKeyInput) (target, error) {
			return s.iamTarget(ctx, c, nil, selfOr(in.UserName))
		}),
		on(iamOp("DeleteAccessKey", i.DeleteAccessKey), func(ctx context.Context, c *Call, in *iam.DeleteAccessKeyInput) (target, error) {
			return s.iamTarget(ctx, c, nil, selfOr(in.UserName))
		}),
		on(iamOp("ListAccessKeys", i.ListAccessKeys).readOnly(), func(ctx context.Context, c *Call, in *iam.ListAccessKeysInput) (target, error) {
			return s.iamTarget(ctx, c, nil, selfOr(in.UserName))
		}),
		iamOp("GetAccessKeyLastUsed", i.GetAccessKeyLastUsed).readOnly(),
		on(iamOp("CreateLoginProfile", i.CreateLoginProfile), func(ctx context.Context, c *Call, in *iam.CreateLoginProfileInput) (target, error) {
			return s.iamTarget(ctx, c, nil, selfOr(in.UserName))
		}),
		on(iamOp("GetLoginProfile", i.GetLoginProfile).readOnly(), func(ctx context.Context, c *Call, in *iam.GetLoginProfileInput) (target, error) {
			return s.iamTarget(ctx, c, nil, selfOr(in.UserName))
		}),
		on(iamOp("UpdateLoginProfile", i.UpdateLoginProfile), func(ctx context.Context, c *Call, in *iam.UpdateLoginProfileInput) (target, error) {
			return s.iamTarget(ctx, c, nil, selfOr(in.UserName))
		}),
		on(iamOp("DeleteLoginProfile", i.DeleteLoginProfile), func(ctx context.Context, c *Call, in *iam.DeleteLoginProfileInput) (target, error) {
			return s.iamTarget(ctx, c, nil, selfOr(in.UserName))
		}),
		iamOp("GetAccountAuthorizationDetails", i.GetAccountAuthorizationDetails).readOnly(),
		iamOp("GetAccountSummary", i.GetAccountSummary).readOnly(),
	}
}

func pathOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}
