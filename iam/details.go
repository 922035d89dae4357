package iam

import (
	"context"
	"strings"

	"gatehouse/principal"
	"gatehouse/store"
)

// GetAccountAuthorizationDetailsInput is the input of
// GetAccountAuthorizationDetails.
type GetAccountAuthorizationDetailsInput struct {
	// Filter selects User, Role, Group, LocalManagedPolicy and
	// AWSManagedPolicy; empty means all.
	Filter []string
	Page
}

// GetAccountAuthorizationDetailsOutput is the output of
// GetAccountAuthorizationDetails.
type GetAccountAuthorizationDetailsOutput struct {
	UserDetailList  []UserDetail
	GroupDetailList []GroupDetail
	RoleDetailList  []RoleDetail
	Policies        []ManagedPolicyDetail
	PageOut
}

// GetAccountAuthorizationDetails returns the account's users, groups and
// roles with their policies, and its managed policies with their versions
// (of the AWS managed ones, those attached in the account). MaxItems and
// Marker page through all of them together: users, then groups, roles and
// policies, each in name order.
func (s *Service) GetAccountAuthorizationDetails(ctx context.Context, caller *principal.Caller, in GetAccountAuthorizationDetailsInput) (GetAccountAuthorizationDetailsOutput, error) {
	want := map[string]bool{}
	for _, f := range in.Filter {
		switch f {
		case "User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy":
			want[f] = true
		default:
			return GetAccountAuthorizationDetailsOutput{}, validation(quote(f), "filter", "Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]")
		}
	}
	if _, err := checkMaxItems(in.MaxItems); err != nil {
		return GetAccountAuthorizationDetailsOutput{}, err
	}
	all := len(want) == 0
	acct := caller.Account
	out := GetAccountAuthorizationDetailsOutput{UserDetailList: []UserDetail{}, GroupDetailList: []GroupDetail{}, RoleDetailList: []RoleDetail{}, Policies: []ManagedPolicyDetail{}}
	err := s.view(ctx, func(tx store.Tx) error {
		steps := []struct {
			filter string
			run    func() error
		}{
			{"User", func() (err error) { out.UserDetailList, err = s.userDetails(ctx, tx, acct); return }},
			{"Group", func() (err error) { out.GroupDetailList, err = s.groupDetails(ctx, tx, acct); return }},
			{"Role", func() (err error) { out.RoleDetailList, err = s.roleDetails(ctx, tx, acct); return }},
			{"LocalManagedPolicy", func() error { return s.localPolicyDetails(ctx, tx, acct, &out.Policies) }},
			{"AWSManagedPolicy", func() error { return s.awsPolicyDetails(ctx, tx, acct, &out.Policies) }},
		}
		for _, st := range steps {
			if all || want[st.filter] {
				if err := st.run(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return GetAccountAuthorizationDetailsOutput{}, err
	}
	return pageDetails(out, in.Page)
}

// detail is one entry of GetAccountAuthorizationDetails' output, for
// paging across its four lists.
type detail struct {
	key    string // the list's rank, then the entry's name
	user   *UserDetail
	group  *GroupDetail
	role   *RoleDetail
	policy *ManagedPolicyDetail
}

// pageDetails returns the page of all's entries that p asks for.
func pageDetails(all GetAccountAuthorizationDetailsOutput, p Page) (GetAccountAuthorizationDetailsOutput, error) {
	var items []detail
	for i := range all.UserDetailList {
		items = append(items, detail{key: "1/" + strings.ToLower(all.UserDetailList[i].UserName), user: &all.UserDetailList[i]})
	}
	for i := range all.GroupDetailList {
		items = append(items, detail{key: "2/" + strings.ToLower(all.GroupDetailList[i].GroupName), group: &all.GroupDetailList[i]})
	}
	for i := range all.RoleDetailList {
		items = append(items, detail{key: "3/" + strings.ToLower(all.RoleDetailList[i].RoleName), role: &all.RoleDetailList[i]})
	}
	for i := range all.Policies {
		items = append(items, detail{key: "4/" + all.Policies[i].Arn, policy: &all.Policies[i]})
	}
	items, pageOut, err := page(items, func(d detail) string { return d.key }, p)
	if err != nil {
		return GetAccountAuthorizationDetailsOutput{}, err
	}
	out := GetAccountAuthorizationDetailsOutput{UserDetailList: []UserDetail{}, GroupDetailList: []GroupDetail{}, RoleDetailList: []RoleDetail{}, Policies: []ManagedPolicyDetail{}, PageOut: pageOut}
	for _, d := range items {
		switch {
		case d.user != nil:
			out.UserDetailList = append(out.UserDetailList, *d.user)
		case d.group != nil:
			out.GroupDetailList = append(out.GroupDetailList, *d.group)
		case d.role != nil:
			out.RoleDetailList = append(out.RoleDetailList, *d.role)
		default:
			out.Policies = append(out.Policies, *d.policy)
		}
	}
	return out, nil
}

func (s *Service) userDetails(ctx context.Context, tx store.Tx, acct string) ([]UserDetail, error) {
	users, err := store.List[User](ctx, tx, store.Query{Kind: kindUser, Parent: acct})
	if err != nil {
		return nil, err
	}
	out := []UserDetail{}
	for _, u := range users {
		d := UserDetail{Path: u.Path, UserName: u.UserName, UserId: u.UserId, Arn: u.Arn, CreateDate: u.CreateDate, PermissionsBoundary: u.PermissionsBoundary, Tags: u.Tags, GroupList: []string{}}
		if d.UserPolicyList, err = inlinePolicies(ctx, tx, u.UserId); err != nil {
			return nil, err
		}
		if d.AttachedManagedPolicies, err = attachedTo(ctx, tx, u.UserId); err != nil {
			return nil, err
		}
		groups, err := s.userGroups(ctx, tx, u.UserId)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			d.GroupList = append(d.GroupList, g.GroupName)
		}
		out = append(out, d)
	}
	return out, nil
}

func (s *Service) groupDetails(ctx context.Context, tx store.Tx, acct string) ([]GroupDetail, error) {
	groups, err := store.List[Group](ctx, tx, store.Query{Kind: kindGroup, Parent: acct})
	if err != nil {
		return nil, err
	}
	out := []GroupDetail{}
	for _, g := range groups {
		d := GroupDetail{Path: g.Path, GroupName: g.GroupName, GroupId: g.GroupId, Arn: g.Arn, CreateDate: g.CreateDate}
		if d.GroupPolicyList, err = inlinePolicies(ctx, tx, g.GroupId); err != nil {
			return nil, err
		}
		if d.AttachedManagedPolicies, err = attachedTo(ctx, tx, g.GroupId); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (s *Service) roleDetails(ctx context.Context, tx store.Tx, acct string) ([]RoleDetail, error) {
	roles, err := store.List[Role](ctx, tx, store.Query{Kind: kindRole, Parent: acct})
	if err != nil {
		return nil, err
	}
	out := []RoleDetail{}
	for _, r := range roles {
		d := RoleDetail{Path: r.Path, RoleName: r.RoleName, RoleId: r.RoleId, Arn: r.Arn, CreateDate: r.CreateDate,
			AssumeRolePolicyDocument: r.AssumeRolePolicyDocument, InstanceProfileList: []InstanceProfile{},
			PermissionsBoundary: r.PermissionsBoundary, Tags: r.Tags, RoleLastUsed: &RoleLastUsed{}}
		if d.RolePolicyList, err = inlinePolicies(ctx, tx, r.RoleId); err != nil {
			return nil, err
		}
		if d.AttachedManagedPolicies, err = attachedTo(ctx, tx, r.RoleId); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func policyDetail(p Policy, versions []PolicyVersion) ManagedPolicyDetail {
	return ManagedPolicyDetail{PolicyName: p.PolicyName, PolicyId: p.PolicyId, Arn: p.Arn, Path: p.Path, DefaultVersionId: p.DefaultVersionId,
		AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount, IsAttachable: p.IsAttachable,
		Description: p.Description, CreateDate: p.CreateDate, UpdateDate: p.UpdateDate, PolicyVersionList: versions}
}

func (s *Service) localPolicyDetails(ctx context.Context, tx store.Tx, acct string, out *[]ManagedPolicyDetail) error {
	recs, err := store.List[policyRec](ctx, tx, store.Query{Kind: kindPolicy, Parent: acct})
	if err != nil {
		return err
	}
	for _, r := range recs {
		p, err := s.withCounts(ctx, tx, acct, r.Policy)
		if err != nil {
			return err
		}
		*out = append(*out, policyDetail(p, r.Versions))
	}
	return nil
}

func (s *Service) awsPolicyDetails(ctx context.Context, tx store.Tx, acct string, out *[]ManagedPolicyDetail) error {
	for _, arn := range awsPolicyARNs {
		ap := awsPolicies[arn]
		p, err := s.withCounts(ctx, tx, acct, ap.Policy)
		if err != nil {
			return err
		}
		if *p.AttachmentCount == 0 && *p.PermissionsBoundaryUsageCount == 0 {
			continue
		}
		v := PolicyVersion{Document: ap.Document, VersionId: p.DefaultVersionId, IsDefaultVersion: true, CreateDate: p.CreateDate}
		*out = append(*out, policyDetail(p, []PolicyVersion{v}))
	}
	return nil
}

// GetAccountSummaryInput is the input of GetAccountSummary.
type GetAccountSummaryInput struct{}

// GetAccountSummaryOutput is the output of GetAccountSummary.
type GetAccountSummaryOutput struct {
	SummaryMap map[string]int32
}

// GetAccountSummary counts the account's IAM entities and reports IAM's
// quotas.
func (s *Service) GetAccountSummary(ctx context.Context, caller *principal.Caller, _ GetAccountSummaryInput) (GetAccountSummaryOutput, error) {
	m := map[string]int32{
		"UsersQuota": 5000, "GroupsQuota": 300, "PoliciesQuota": maxPoliciesPerAccount, "ServerCertificatesQuota": 20,
		"UserPolicySizeQuota": 2048, "GroupPolicySizeQuota": 5120, "GroupsPerUserQuota": maxGroupsPerUser,
		"SigningCertificatesPerUserQuota": 2, "AccessKeysPerUserQuota": maxAccessKeys,
		"AttachedPoliciesPerGroupQuota": maxAttachedPolicies, "AttachedPoliciesPerRoleQuota": maxAttachedPolicies,
		"AttachedPoliciesPerUserQuota": maxAttachedPolicies, "PolicySizeQuota": 6144, "PolicyVersionsInUseQuota": 10000,
		"VersionsPerPolicyQuota": maxPolicyVersions, "GlobalEndpointTokenVersion": 1,
		"ServerCertificates": 0, "MFADevices": 0, "MFADevicesInUse": 0, "AccountMFAEnabled": 0, "AccountSigningCertificatesPresent": 0,
	}
	err := s.view(ctx, func(tx store.Tx) error {
		for name, kind := range map[string]string{"Users": kindUser, "Groups": kindGroup, "Policies": kindPolicy} {
			recs, err := tx.List(ctx, store.Query{Kind: kind, Parent: caller.Account})
			if err != nil {
				return err
			}
			m[name] = int32(len(recs))
		}
		recs, err := store.List[policyRec](ctx, tx, store.Query{Kind: kindPolicy, Parent: caller.Account})
		if err != nil {
			return err
		}
		inUse := 0
		for _, r := range recs {
			inUse += len(r.Versions)
		}
		m["PolicyVersionsInUse"] = int32(inUse)
		keys, err := s.Keys.List(ctx, tx, caller.Account) // the root user's keys
		m["AccountAccessKeysPresent"] = int32(min(len(keys), 1))
		return err
	})
	return GetAccountSummaryOutput{SummaryMap: m}, err
}
