package iam

import (
	"context"
	"strings"
	"testing"

	"gatehouse/authz"
	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
)

// TestManagedPoliciesValid validates every embedded AWS managed policy as
// an identity policy, as IAM would.
func TestManagedPoliciesValid(t *testing.T) {
	want := []string{"AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "IAMFullAccess", "IAMReadOnlyAccess",
		"AWSOrganizationsFullAccess", "AWSOrganizationsReadOnlyAccess", "AWSPrivateMarketplaceAdminFullAccess",
		"AWSPrivateMarketplaceRequests", "AWSMarketplaceManageSubscriptions", "AWSMarketplaceRead-only",
		"AWSMarketplaceFullAccess", "AWSMarketplaceProcurementSystemAdminFullAccess"}
	for _, n := range want {
		p, ok := awsPolicies["arn:aws:iam::aws:policy/"+n]
		if !ok || !p.IsAttachable {
			t.Errorf("%s missing or not attachable", n)
		}
	}
	for arn, p := range awsPolicies {
		for _, f := range policy.ValidateText([]byte(p.Document), policy.Identity) {
			if f.Severity == policy.Error {
				t.Errorf("%s: %v", arn, f)
			}
		}
		if !uniqueID.MatchString(p.PolicyId) || p.DefaultVersionId == "" {
			t.Errorf("%s: %+v", arn, p.Policy)
		}
	}
	slr := awsPolicies["arn:aws:iam::aws:policy/aws-service-role/AWSServiceRoleForPrivateMarketplaceAdminPolicy"]
	if slr == nil || slr.IsAttachable || slr.Path != "/aws-service-role/" {
		t.Errorf("service role policy = %+v", slr)
	}
}

func TestPolicyVersions(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	out, err := s.CreatePolicy(ctx, root, CreatePolicyInput{PolicyName: "ops", Path: "/team/", PolicyDocument: allowAll, Description: "d"})
	mustOK(t, err)
	p := out.Policy
	arn := "arn:aws:iam::111111111111:policy/team/ops"
	if p.Arn != arn || p.DefaultVersionId != "v1" || *p.AttachmentCount != 0 || !strings.HasPrefix(p.PolicyId, "ANPA") {
		t.Errorf("CreatePolicy = %+v", p)
	}
	_, err = s.CreatePolicy(ctx, root, CreatePolicyInput{PolicyName: "OPS", PolicyDocument: allowAll})
	wantCode(t, err, "EntityAlreadyExists", "A policy called OPS already exists. Duplicate names are not allowed.")
	// IAM's MalformedPolicyDocument texts come from the policy package.
	_, err = s.CreatePolicy(ctx, root, CreatePolicyInput{PolicyName: "bad", PolicyDocument: `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`})
	wantCode(t, err, "MalformedPolicyDocument", "Policy document must be version 2012-10-17 or greater.")
	_, err = s.CreatePolicy(ctx, root, CreatePolicyInput{PolicyName: "bad", PolicyDocument: `{`})
	wantCode(t, err, "MalformedPolicyDocument", "Syntax errors in policy.")

	doc := func(action string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"*"}]}`
	}
	for i, a := range []string{"s3:Get*", "s3:List*", "ec2:Describe*", "iam:Get*"} {
		v, err := s.CreatePolicyVersion(ctx, root, CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: doc(a), SetAsDefault: i == 1})
		mustOK(t, err)
		if want := "v" + string(rune('2'+i)); v.PolicyVersion.VersionId != want || v.PolicyVersion.IsDefaultVersion != (i == 1) {
			t.Errorf("version %d = %+v", i, v.PolicyVersion)
		}
	}
	// At most five versions (IAM quotas: "Versions per managed policy: 5").
	_, err = s.CreatePolicyVersion(ctx, root, CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: allowAll})
	wantCode(t, err, "LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	gp, err := s.GetPolicy(ctx, root, GetPolicyInput{PolicyArn: arn})
	mustOK(t, err)
	if gp.Policy.DefaultVersionId != "v3" || gp.Policy.Description != "d" {
		t.Errorf("GetPolicy = %+v", gp.Policy)
	}
	_, err = s.DeletePolicyVersion(ctx, root, DeletePolicyVersionInput{PolicyArn: arn, VersionId: "v3"})
	wantCode(t, err, "DeleteConflict", "Cannot delete the default version of a policy.")
	_, err = s.SetDefaultPolicyVersion(ctx, root, SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: "v9"})
	wantCode(t, err, "NoSuchEntity", "Policy "+arn+" version v9 does not exist or is not attachable.")
	_, err = s.SetDefaultPolicyVersion(ctx, root, SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: "v5"})
	mustOK(t, err)
	gv, err := s.GetPolicyVersion(ctx, root, GetPolicyVersionInput{PolicyArn: arn, VersionId: "v5"})
	mustOK(t, err)
	if !gv.PolicyVersion.IsDefaultVersion || gv.PolicyVersion.Document != doc("iam:Get*") {
		t.Errorf("GetPolicyVersion = %+v", gv)
	}
	lv, err := s.ListPolicyVersions(ctx, root, ListPolicyVersionsInput{PolicyArn: arn})
	mustOK(t, err)
	if len(lv.Versions) != 5 || lv.Versions[0].VersionId != "v5" || lv.Versions[0].Document != "" {
		t.Errorf("ListPolicyVersions = %+v", lv.Versions)
	}
	// The policy document STS reads is the default version's.
	view(t, s, func(tx store.Tx) error {
		d, err := s.PolicyDocument(ctx, tx, arn)
		if d != doc("iam:Get*") {
			t.Errorf("PolicyDocument = %s", d)
		}
		return err
	})
	_, err = s.DeletePolicy(ctx, root, DeletePolicyInput{PolicyArn: arn})
	wantCode(t, err, "DeleteConflict", "")
	for _, v := range []string{"v1", "v2", "v3", "v4"} {
		_, err := s.DeletePolicyVersion(ctx, root, DeletePolicyVersionInput{PolicyArn: arn, VersionId: v})
		mustOK(t, err)
	}
	_, err = s.DeletePolicy(ctx, root, DeletePolicyInput{PolicyArn: arn})
	mustOK(t, err)
	_, err = s.GetPolicy(ctx, root, GetPolicyInput{PolicyArn: arn})
	wantCode(t, err, "NoSuchEntity", "Policy "+arn+" was not found.")
}

func TestListPoliciesScopes(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	_, err := s.CreatePolicy(ctx, root, CreatePolicyInput{PolicyName: "mine", PolicyDocument: allowAll})
	mustOK(t, err)
	aws, err := s.ListPolicies(ctx, root, ListPoliciesInput{Scope: "AWS", Page: Page{MaxItems: int32p(1000)}})
	mustOK(t, err)
	local, err := s.ListPolicies(ctx, root, ListPoliciesInput{Scope: "Local"})
	mustOK(t, err)
	all, err := s.ListPolicies(ctx, root, ListPoliciesInput{Page: Page{MaxItems: int32p(1000)}})
	mustOK(t, err)
	if len(aws.Policies) != len(awsPolicies) || len(local.Policies) != 1 || len(all.Policies) != len(awsPolicies)+1 {
		t.Errorf("AWS %d, Local %d, All %d", len(aws.Policies), len(local.Policies), len(all.Policies))
	}
	_, err = s.ListPolicies(ctx, root, ListPoliciesInput{Scope: "Mine"})
	wantCode(t, err, "ValidationError", "")
}

// TestIdentityPolicies checks what authorization sees of users and roles,
// and that every change it depends on bumps the store generation.
func TestIdentityPolicies(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, root, CreateUserInput{UserName: "dev"})
	mustOK(t, err)
	_, err = s.CreateGroup(ctx, root, CreateGroupInput{GroupName: "g"})
	mustOK(t, err)
	bump := func(what string, f func() error) {
		t.Helper()
		before := generation(t, s)
		mustOK(t, f())
		if generation(t, s) <= before {
			t.Errorf("%s did not bump the generation", what)
		}
	}
	bump("AddUserToGroup", func() error {
		_, err := s.AddUserToGroup(ctx, root, AddUserToGroupInput{GroupName: "g", UserName: "dev"})
		return err
	})
	bump("AttachGroupPolicy", func() error {
		_, err := s.AttachGroupPolicy(ctx, root, AttachPolicyInput{GroupName: "g", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess"})
		return err
	})
	bump("PutUserPolicy", func() error {
		_, err := s.PutUserPolicy(ctx, root, PutInlinePolicyInput{UserName: "dev", PolicyName: "inline", PolicyDocument: allowAll})
		return err
	})
	bump("PutUserPermissionsBoundary", func() error {
		_, err := s.PutUserPermissionsBoundary(ctx, root, PutPermissionsBoundaryInput{UserName: "dev", PermissionsBoundary: "arn:aws:iam::aws:policy/IAMReadOnlyAccess"})
		return err
	})
	caller := userCaller(acct, &u.User)
	view(t, s, func(tx store.Tx) error {
		docs, boundary, err := s.IdentityPolicies(ctx, tx, &caller)
		if len(docs) != 2 || boundary == nil || boundary.ID != "arn:aws:iam::aws:policy/IAMReadOnlyAccess" {
			t.Errorf("IdentityPolicies = %+v, %+v", docs, boundary)
		}
		// A user recreated under the same name is not the old one.
		stale := caller
		stale.UserID = "AIDAAAAAAAAAAAAAAAAAA"
		docs, _, err2 := s.IdentityPolicies(ctx, tx, &stale)
		if len(docs) != 0 {
			t.Errorf("a stale caller gets %d policies", len(docs))
		}
		docs, _, err3 := s.IdentityPolicies(ctx, tx, root)
		if len(docs) != 0 {
			t.Errorf("root gets %d policies", len(docs))
		}
		return firstErr(err, err2, err3)
	})
	// The policies compile and decide as authz uses them.
	az := authz.New(s.Store, s, noOrgs{})
	defer az.Close()
	for action, want := range map[string]policy.Decision{"iam:GetUser": policy.Allowed, "iam:CreateUser": policy.ImplicitDeny} {
		res, err := az.Authorize(ctx, authz.Request{Caller: &caller, Action: action, Resource: "*"})
		mustOK(t, err)
		if res.Decision != want {
			t.Errorf("%s: %v, want %v", action, res.Decision, want)
		}
	}

	// Roles: an assumed-role session sees its role's policies.
	r, err := s.CreateRole(ctx, root, CreateRoleInput{RoleName: "admin", Path: "/ops/", AssumeRolePolicyDocument: trustRoot(acct)})
	mustOK(t, err)
	bump("AttachRolePolicy", func() error {
		_, err := s.AttachRolePolicy(ctx, root, AttachPolicyInput{RoleName: "admin", PolicyArn: AdministratorAccessARN})
		return err
	})
	session := principal.Caller{Type: principal.AssumedRole, Account: acct, ARN: "arn:aws:sts::111111111111:assumed-role/admin/s",
		PrincipalARN: r.Role.Arn, UserID: r.Role.RoleId + ":s", Name: "s"}
	view(t, s, func(tx store.Tx) error {
		docs, _, err := s.IdentityPolicies(ctx, tx, &session)
		if len(docs) != 1 || docs[0].ID != AdministratorAccessARN {
			t.Errorf("role session policies = %+v", docs)
		}
		info, err2 := s.RoleByARN(ctx, tx, r.Role.Arn)
		if info.ID != r.Role.RoleId || info.MaxSessionDuration != 3600 || info.Trust != trustRoot(acct) || info.Account != acct {
			t.Errorf("RoleByARN = %+v", info)
		}
		_, err3 := s.RoleByARN(ctx, tx, "arn:aws:iam::111111111111:role/admin") // wrong path
		if !isNoSuchEntity(err3) {
			t.Errorf("RoleByARN with the wrong path: %v", err3)
		}
		return firstErr(err, err2)
	})
}

type noOrgs struct{}

func (noOrgs) OrganizationPolicies(context.Context, store.Tx, string, string) ([][]authz.Document, error) {
	return nil, nil
}
func (noOrgs) Organization(context.Context, store.Tx, string) (string, []string, string, error) {
	return "", nil, "", nil
}

func TestAttachmentsAndInline(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	_, err := s.CreateRole(ctx, root, CreateRoleInput{RoleName: "r", AssumeRolePolicyDocument: trustRoot(acct)})
	mustOK(t, err)
	arn := "arn:aws:iam::aws:policy/ReadOnlyAccess"
	for range 2 { // attaching twice changes nothing
		_, err = s.AttachRolePolicy(ctx, root, AttachPolicyInput{RoleName: "r", PolicyArn: arn})
		mustOK(t, err)
	}
	la, err := s.ListAttachedRolePolicies(ctx, root, ListAttachedPoliciesInput{RoleName: "r"})
	mustOK(t, err)
	if len(la.AttachedPolicies) != 1 || la.AttachedPolicies[0].PolicyName != "ReadOnlyAccess" {
		t.Errorf("ListAttachedRolePolicies = %+v", la)
	}
	ents, err := s.ListEntitiesForPolicy(ctx, root, ListEntitiesForPolicyInput{PolicyArn: arn})
	mustOK(t, err)
	if len(ents.PolicyRoles) != 1 || ents.PolicyRoles[0].RoleName != "r" {
		t.Errorf("ListEntitiesForPolicy = %+v", ents)
	}
	gp, err := s.GetPolicy(ctx, root, GetPolicyInput{PolicyArn: arn})
	mustOK(t, err)
	if *gp.Policy.AttachmentCount != 1 {
		t.Errorf("AttachmentCount = %d", *gp.Policy.AttachmentCount)
	}
	_, err = s.AttachRolePolicy(ctx, root, AttachPolicyInput{RoleName: "r", PolicyArn: "arn:aws:iam::aws:policy/Nope"})
	wantCode(t, err, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.")
	_, err = s.AttachRolePolicy(ctx, root, AttachPolicyInput{RoleName: "r", PolicyArn: "arn:aws:iam::aws:policy/aws-service-role/AWSServiceRoleForPrivateMarketplaceAdminPolicy"})
	wantCode(t, err, "PolicyNotAttachable", "")
	_, err = s.DeleteRole(ctx, root, DeleteRoleInput{RoleName: "r"})
	wantCode(t, err, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	_, err = s.DetachRolePolicy(ctx, root, DetachPolicyInput{RoleName: "r", PolicyArn: arn})
	mustOK(t, err)
	_, err = s.DetachRolePolicy(ctx, root, DetachPolicyInput{RoleName: "r", PolicyArn: arn})
	wantCode(t, err, "NoSuchEntity", "Policy "+arn+" was not found.")

	// Inline policies: IAM's aggregate size quota per user is 2,048
	// characters (white space not counted).
	_, err = s.CreateUser(ctx, root, CreateUserInput{UserName: "u"})
	mustOK(t, err)
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":["` + strings.Repeat("a", 1200) + `"]}]}`
	_, err = s.PutUserPolicy(ctx, root, PutInlinePolicyInput{UserName: "u", PolicyName: "one", PolicyDocument: strings.Replace(big, "\"a", "\"arn:aws:s3:::a", 1)})
	mustOK(t, err)
	_, err = s.PutUserPolicy(ctx, root, PutInlinePolicyInput{UserName: "u", PolicyName: "two", PolicyDocument: strings.Replace(big, "\"a", "\"arn:aws:s3:::a", 1)})
	wantCode(t, err, "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user u")
	gi, err := s.GetUserPolicy(ctx, root, GetInlinePolicyInput{UserName: "u", PolicyName: "one"})
	mustOK(t, err)
	if gi.UserName != "u" || gi.PolicyName != "one" || gi.PolicyDocument == "" {
		t.Errorf("GetUserPolicy = %+v", gi)
	}
	_, err = s.GetUserPolicy(ctx, root, GetInlinePolicyInput{UserName: "u", PolicyName: "two"})
	wantCode(t, err, "NoSuchEntity", "The user policy with name two cannot be found.")
	li, err := s.ListUserPolicies(ctx, root, ListInlinePoliciesInput{UserName: "u"})
	mustOK(t, err)
	if len(li.PolicyNames) != 1 {
		t.Errorf("ListUserPolicies = %+v", li)
	}
	_, err = s.DeleteUser(ctx, root, DeleteUserInput{UserName: "u"})
	wantCode(t, err, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	_, err = s.DeleteUserPolicy(ctx, root, DeleteInlinePolicyInput{UserName: "u", PolicyName: "one"})
	mustOK(t, err)
	// Trust policies are validated as trust policies.
	_, err = s.UpdateAssumeRolePolicy(ctx, root, UpdateAssumeRolePolicyInput{RoleName: "r", PolicyDocument: allowAll})
	wantCode(t, err, "MalformedPolicyDocument", "")
}

func TestRoles(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	out, err := s.CreateRole(ctx, root, CreateRoleInput{RoleName: "app", AssumeRolePolicyDocument: trustRoot(acct), MaxSessionDuration: int32p(7200), Description: "x", Tags: []Tag{{"k", "v"}}})
	mustOK(t, err)
	if !strings.HasPrefix(out.Role.RoleId, "AROA") || *out.Role.MaxSessionDuration != 7200 {
		t.Errorf("CreateRole = %+v", out.Role)
	}
	_, err = s.CreateRole(ctx, root, CreateRoleInput{RoleName: "short", AssumeRolePolicyDocument: trustRoot(acct), MaxSessionDuration: int32p(60)})
	wantCode(t, err, "ValidationError", "1 validation error detected: Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600")
	_, err = s.UpdateRole(ctx, root, UpdateRoleInput{RoleName: "app", MaxSessionDuration: int32p(43200)})
	mustOK(t, err)
	ud, err := s.UpdateRoleDescription(ctx, root, UpdateRoleDescriptionInput{RoleName: "app", Description: "new"})
	mustOK(t, err)
	if ud.Role.Description != "new" || *ud.Role.MaxSessionDuration != 43200 {
		t.Errorf("UpdateRoleDescription = %+v", ud.Role)
	}
	_, err = s.TagRole(ctx, root, TagInput{RoleName: "app", Tags: []Tag{{"K", "w"}, {"z", "1"}}})
	mustOK(t, err)
	tags, err := s.ListRoleTags(ctx, root, ListTagsInput{RoleName: "app"})
	mustOK(t, err)
	if len(tags.Tags) != 2 || tags.Tags[0] != (Tag{"K", "w"}) {
		t.Errorf("ListRoleTags = %+v", tags.Tags)
	}
	_, err = s.UntagRole(ctx, root, UntagInput{RoleName: "app", TagKeys: []string{"k"}})
	mustOK(t, err)
	_, err = s.TagRole(ctx, root, TagInput{RoleName: "app", Tags: []Tag{{"aws:x", "1"}}})
	wantCode(t, err, "InvalidInput", "")

	// Service-linked roles live under /aws-service-role/SERVICE/ and only
	// AWS may change them.
	sl, err := s.CreateServiceLinkedRole(ctx, root, CreateServiceLinkedRoleInput{AWSServiceName: "private-marketplace.marketplace.amazonaws.com"})
	mustOK(t, err)
	if sl.Role.RoleName != "AWSServiceRoleForPrivateMarketplaceAdmin" || sl.Role.Path != "/aws-service-role/private-marketplace.marketplace.amazonaws.com/" {
		t.Errorf("CreateServiceLinkedRole = %+v", sl.Role)
	}
	la, err := s.ListAttachedRolePolicies(ctx, root, ListAttachedPoliciesInput{RoleName: sl.Role.RoleName})
	mustOK(t, err)
	if len(la.AttachedPolicies) != 1 || la.AttachedPolicies[0].PolicyName != "AWSServiceRoleForPrivateMarketplaceAdminPolicy" {
		t.Errorf("service-linked role policies = %+v", la)
	}
	_, err = s.CreateServiceLinkedRole(ctx, root, CreateServiceLinkedRoleInput{AWSServiceName: "private-marketplace.marketplace.amazonaws.com"})
	wantCode(t, err, "InvalidInput", "")
	_, err = s.DeleteRole(ctx, root, DeleteRoleInput{RoleName: sl.Role.RoleName})
	wantCode(t, err, "UnmodifiableEntity", "Cannot perform the operation on the protected role 'AWSServiceRoleForPrivateMarketplaceAdmin' - this role is only modifiable by AWS")
	_, err = s.DeleteServiceLinkedRole(ctx, root, DeleteServiceLinkedRoleInput{RoleName: sl.Role.RoleName})
	mustOK(t, err)
	_, err = s.DeleteRole(ctx, root, DeleteRoleInput{RoleName: "app"})
	mustOK(t, err)
	lr, err := s.ListRoles(ctx, root, ListRolesInput{})
	mustOK(t, err)
	if len(lr.Roles) != 0 {
		t.Errorf("ListRoles = %+v", lr.Roles)
	}
}

// TestProvisionAccountRole checks the role Organizations' CreateAccount
// gets made in a new account.
func TestProvisionAccountRole(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	const member, mgmt = "222222222222", "111111111111"
	mustOK(t, s.Store.Update(ctx, func(tx store.Tx) error { return s.ProvisionAccount(ctx, tx, member, mgmt) }))
	memberRoot := &principal.Caller{Type: principal.Root, Account: member}
	r, err := s.GetRole(ctx, memberRoot, GetRoleInput{RoleName: "OrganizationAccountAccessRole"})
	mustOK(t, err)
	if r.Role.AssumeRolePolicyDocument != trustRoot(mgmt) || r.Role.Arn != "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole" {
		t.Errorf("role = %+v", r.Role)
	}
	la, err := s.ListAttachedRolePolicies(ctx, memberRoot, ListAttachedPoliciesInput{RoleName: "OrganizationAccountAccessRole"})
	mustOK(t, err)
	if len(la.AttachedPolicies) != 1 || la.AttachedPolicies[0].PolicyArn != AdministratorAccessARN {
		t.Errorf("attached = %+v", la)
	}
	// The management account has no such role.
	_, err = s.GetRole(ctx, root, GetRoleInput{RoleName: "OrganizationAccountAccessRole"})
	wantCode(t, err, "NoSuchEntity", "")
}

func TestAccountAuthorizationDetails(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	_, err := s.CreateUser(ctx, root, CreateUserInput{UserName: "u"})
	mustOK(t, err)
	_, err = s.CreateGroup(ctx, root, CreateGroupInput{GroupName: "g"})
	mustOK(t, err)
	_, err = s.AddUserToGroup(ctx, root, AddUserToGroupInput{GroupName: "g", UserName: "u"})
	mustOK(t, err)
	_, err = s.AttachUserPolicy(ctx, root, AttachPolicyInput{UserName: "u", PolicyArn: AdministratorAccessARN})
	mustOK(t, err)
	_, err = s.CreatePolicy(ctx, root, CreatePolicyInput{PolicyName: "p", PolicyDocument: allowAll})
	mustOK(t, err)
	d, err := s.GetAccountAuthorizationDetails(ctx, root, GetAccountAuthorizationDetailsInput{})
	mustOK(t, err)
	if len(d.UserDetailList) != 1 || d.UserDetailList[0].GroupList[0] != "g" || len(d.GroupDetailList) != 1 || len(d.Policies) != 2 {
		t.Errorf("details = %+v", d)
	}
	only, err := s.GetAccountAuthorizationDetails(ctx, root, GetAccountAuthorizationDetailsInput{Filter: []string{"LocalManagedPolicy"}})
	mustOK(t, err)
	if len(only.UserDetailList) != 0 || len(only.Policies) != 1 || only.Policies[0].PolicyVersionList[0].Document != allowAll {
		t.Errorf("filtered = %+v", only)
	}
	// Paging walks users, groups, roles and policies in one sequence, two
	// entries a page, and ends with the page that is not truncated.
	var pages, users, groups, policies int
	in := GetAccountAuthorizationDetailsInput{Page: Page{MaxItems: int32p(2)}}
	for {
		p, err := s.GetAccountAuthorizationDetails(ctx, root, in)
		mustOK(t, err)
		pages++
		users, groups, policies = users+len(p.UserDetailList), groups+len(p.GroupDetailList), policies+len(p.Policies)
		if n := len(p.UserDetailList) + len(p.GroupDetailList) + len(p.RoleDetailList) + len(p.Policies); n > 2 {
			t.Fatalf("page of %d entries, MaxItems 2", n)
		}
		if !p.IsTruncated {
			break
		}
		in.Marker = p.Marker
	}
	if pages != 2 || users != 1 || groups != 1 || policies != 2 {
		t.Errorf("%d pages with %d users, %d groups, %d policies; want 2 pages with 1, 1, 2", pages, users, groups, policies)
	}
	_, err = s.GetAccountAuthorizationDetails(ctx, root, GetAccountAuthorizationDetailsInput{Page: Page{Marker: "%%"}})
	wantCode(t, err, "ValidationError", "")
	sum, err := s.GetAccountSummary(ctx, root, GetAccountSummaryInput{})
	mustOK(t, err)
	if sum.SummaryMap["Users"] != 1 || sum.SummaryMap["Groups"] != 1 || sum.SummaryMap["Policies"] != 1 || sum.SummaryMap["AccessKeysPerUserQuota"] != 2 {
		t.Errorf("summary = %v", sum.SummaryMap)
	}
}
