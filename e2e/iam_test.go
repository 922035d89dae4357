package e2e

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
)

// iamAs returns an IAM client signing with creds.
func (s *server) iamAs(creds aws.Credentials) *iam.Client {
	return iam.New(iam.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   sdkHTTPClient{},
	})
}

// wantCode fails unless err is the AWS error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Errorf("got %v, want %s", err, code)
		return
	}
	if ae.ErrorCode() != code {
		t.Errorf("got %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
}

const (
	e2eAllowAll  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	e2eReadIAM   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}`
	e2eTrustMgmt = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}`
)

// TestIAM drives every IAM operation Gatehouse serves with aws-sdk-go-v2,
// success and AWS error paths, on SQLite and on PostgreSQL.
func TestIAM(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		c := srv.iamAs(srv.Key)
		ctx := ctxFor(t)
		t.Run("users", func(t *testing.T) { iamUsers(ctx, t, c) })
		t.Run("groups", func(t *testing.T) { iamGroups(ctx, t, c) })
		t.Run("roles", func(t *testing.T) { iamRoles(ctx, t, c) })
		t.Run("policies", func(t *testing.T) { iamPolicies(ctx, t, c) })
		t.Run("inline and boundaries", func(t *testing.T) { iamInline(ctx, t, c) })
		t.Run("access keys and login profiles", func(t *testing.T) { iamKeys(ctx, t, srv, c) })
		t.Run("account", func(t *testing.T) { iamAccount(ctx, t, c) })
	})
}

func iamUsers(ctx context.Context, t *testing.T, c *iam.Client) {
	out, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/dev/"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
	must(t, err, "CreateUser")
	if aws.ToString(out.User.Arn) != "arn:aws:iam::111111111111:user/dev/alice" || !strings.HasPrefix(aws.ToString(out.User.UserId), "AIDA") || out.User.CreateDate == nil {
		t.Errorf("CreateUser = %+v", out.User)
	}
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ALICE")})
	var exists *types.EntityAlreadyExistsException
	if !errors.As(err, &exists) {
		t.Errorf("duplicate user: %v", err)
	}
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
	var nse *types.NoSuchEntityException
	if !errors.As(err, &nse) || !strings.Contains(aws.ToString(nse.Message), "nobody cannot be found") {
		t.Errorf("missing user: %v", err)
	}
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bad name")})
	wantCode(t, err, "ValidationError")
	self, err := c.GetUser(ctx, &iam.GetUserInput{})
	must(t, err, "GetUser as root")
	if aws.ToString(self.User.Arn) != "arn:aws:iam::111111111111:root" {
		t.Errorf("GetUser as root = %+v", self.User)
	}
	for _, n := range []string{"bob", "carol", "dave", "erin"} {
		_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(n)})
		must(t, err, "CreateUser "+n)
	}
	var names []string
	pages := 0
	for p := iam.NewListUsersPaginator(c, &iam.ListUsersInput{MaxItems: aws.Int32(2)}); p.HasMorePages(); pages++ {
		page, err := p.NextPage(ctx)
		must(t, err, "ListUsers")
		for _, u := range page.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	if pages != 3 || !slices.Equal(names, []string{"alice", "bob", "carol", "dave", "erin"}) {
		t.Errorf("ListUsers: %d pages, %v", pages, names)
	}
	dev, err := c.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/dev/")})
	must(t, err, "ListUsers /dev/")
	if len(dev.Users) != 1 {
		t.Errorf("ListUsers /dev/ = %d users", len(dev.Users))
	}
	_, err = c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("erin"), NewUserName: aws.String("erin2")})
	must(t, err, "UpdateUser")
	_, err = c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("alice"), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	must(t, err, "TagUser")
	_, err = c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("alice"), TagKeys: []string{"team"}})
	must(t, err, "UntagUser")
	tags, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("alice")})
	must(t, err, "ListUserTags")
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "env" {
		t.Errorf("ListUserTags = %+v", tags.Tags)
	}
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("erin2")})
	must(t, err, "DeleteUser")
}

func iamGroups(ctx context.Context, t *testing.T, c *iam.Client) {
	g, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")})
	must(t, err, "CreateGroup")
	if !strings.HasPrefix(aws.ToString(g.Group.GroupId), "AGPA") {
		t.Errorf("CreateGroup = %+v", g.Group)
	}
	_, err = c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")})
	wantCode(t, err, "EntityAlreadyExists")
	for _, u := range []string{"bob", "carol"} {
		_, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String(u)})
		must(t, err, "AddUserToGroup")
	}
	got, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs")})
	must(t, err, "GetGroup")
	if len(got.Users) != 2 {
		t.Errorf("GetGroup users = %d", len(got.Users))
	}
	fu, err := c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("bob")})
	must(t, err, "ListGroupsForUser")
	if len(fu.Groups) != 1 {
		t.Errorf("ListGroupsForUser = %+v", fu.Groups)
	}
	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})
	wantCode(t, err, "DeleteConflict")
	_, err = c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("devs"), UserName: aws.String("carol")})
	must(t, err, "RemoveUserFromGroup")
	_, err = c.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String("devs"), NewPath: aws.String("/eng/")})
	must(t, err, "UpdateGroup")
	lg, err := c.ListGroups(ctx, &iam.ListGroupsInput{PathPrefix: aws.String("/eng/")})
	must(t, err, "ListGroups")
	if len(lg.Groups) != 1 || aws.ToString(lg.Groups[0].Arn) != "arn:aws:iam::111111111111:group/eng/devs" {
		t.Errorf("ListGroups = %+v", lg.Groups)
	}
	_, err = c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("nope")})
	wantCode(t, err, "NoSuchEntity")
}

func iamRoles(ctx context.Context, t *testing.T, c *iam.Client) {
	r, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("admin"), AssumeRolePolicyDocument: aws.String(e2eTrustMgmt),
		MaxSessionDuration: aws.Int32(7200), Description: aws.String("admins"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	must(t, err, "CreateRole")
	if !strings.HasPrefix(aws.ToString(r.Role.RoleId), "AROA") {
		t.Errorf("CreateRole = %+v", r.Role)
	}
	got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("admin")})
	must(t, err, "GetRole")
	// IAM sends policy documents URL-encoded (RFC 3986).
	doc, err := url.QueryUnescape(aws.ToString(got.Role.AssumeRolePolicyDocument))
	if err != nil || doc != e2eTrustMgmt || aws.ToInt32(got.Role.MaxSessionDuration) != 7200 {
		t.Errorf("GetRole = %+v (%s, %v)", got.Role, doc, err)
	}
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("bad"), AssumeRolePolicyDocument: aws.String(e2eAllowAll)})
	wantCode(t, err, "MalformedPolicyDocument")
	_, err = c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("admin"), MaxSessionDuration: aws.Int32(43200)})
	must(t, err, "UpdateRole")
	_, err = c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("admin"), MaxSessionDuration: aws.Int32(50000)})
	wantCode(t, err, "ValidationError")
	ud, err := c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("admin"), Description: aws.String("new")})
	must(t, err, "UpdateRoleDescription")
	if aws.ToString(ud.Role.Description) != "new" {
		t.Errorf("UpdateRoleDescription = %+v", ud.Role)
	}
	_, err = c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("admin"), PolicyDocument: aws.String(e2eTrustMgmt)})
	must(t, err, "UpdateAssumeRolePolicy")
	_, err = c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("admin"), Tags: []types.Tag{{Key: aws.String("x"), Value: aws.String("y")}}})
	must(t, err, "TagRole")
	_, err = c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("admin"), TagKeys: []string{"k"}})
	must(t, err, "UntagRole")
	rt, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("admin")})
	must(t, err, "ListRoleTags")
	if len(rt.Tags) != 1 || aws.ToString(rt.Tags[0].Key) != "x" {
		t.Errorf("ListRoleTags = %+v", rt.Tags)
	}
	sl, err := c.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{AWSServiceName: aws.String("private-marketplace.marketplace.amazonaws.com")})
	must(t, err, "CreateServiceLinkedRole")
	if aws.ToString(sl.Role.Arn) != "arn:aws:iam::111111111111:role/aws-service-role/private-marketplace.marketplace.amazonaws.com/AWSServiceRoleForPrivateMarketplaceAdmin" {
		t.Errorf("CreateServiceLinkedRole = %s", aws.ToString(sl.Role.Arn))
	}
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: sl.Role.RoleName})
	wantCode(t, err, "UnmodifiableEntity")
	lr, err := c.ListRoles(ctx, &iam.ListRolesInput{})
	must(t, err, "ListRoles")
	if len(lr.Roles) != 2 {
		t.Errorf("ListRoles = %d roles", len(lr.Roles))
	}
	del, err := c.DeleteServiceLinkedRole(ctx, &iam.DeleteServiceLinkedRoleInput{RoleName: sl.Role.RoleName})
	must(t, err, "DeleteServiceLinkedRole")
	if aws.ToString(del.DeletionTaskId) == "" {
		t.Error("no DeletionTaskId")
	}
}

func iamPolicies(ctx context.Context, t *testing.T, c *iam.Client) {
	p, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read-iam"), PolicyDocument: aws.String(e2eReadIAM), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	must(t, err, "CreatePolicy")
	arn := p.Policy.Arn
	if aws.ToString(arn) != "arn:aws:iam::111111111111:policy/read-iam" || aws.ToString(p.Policy.DefaultVersionId) != "v1" {
		t.Errorf("CreatePolicy = %+v", p.Policy)
	}
	_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3","Resource":"*"}]}`)})
	var mpd *types.MalformedPolicyDocumentException
	if !errors.As(err, &mpd) {
		t.Errorf("malformed policy: %v", err)
	}
	for i := 0; i < 4; i++ {
		_, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(e2eReadIAM), SetAsDefault: i == 3})
		must(t, err, "CreatePolicyVersion")
	}
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(e2eReadIAM)})
	var le *types.LimitExceededException
	if !errors.As(err, &le) {
		t.Errorf("sixth version: %v", err)
	}
	_, err = c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v2")})
	must(t, err, "SetDefaultPolicyVersion")
	_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v2")})
	wantCode(t, err, "DeleteConflict")
	_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v5")})
	must(t, err, "DeletePolicyVersion")
	pv, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v2")})
	must(t, err, "GetPolicyVersion")
	if doc, _ := url.QueryUnescape(aws.ToString(pv.PolicyVersion.Document)); doc != e2eReadIAM || !pv.PolicyVersion.IsDefaultVersion {
		t.Errorf("GetPolicyVersion = %+v", pv.PolicyVersion)
	}
	lv, err := c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: arn})
	must(t, err, "ListPolicyVersions")
	if len(lv.Versions) != 4 {
		t.Errorf("ListPolicyVersions = %d", len(lv.Versions))
	}
	_, err = c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: arn, Tags: []types.Tag{{Key: aws.String("c"), Value: aws.String("d")}}})
	must(t, err, "TagPolicy")
	_, err = c.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: arn, TagKeys: []string{"a"}})
	must(t, err, "UntagPolicy")
	pt, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: arn})
	must(t, err, "ListPolicyTags")
	if len(pt.Tags) != 1 {
		t.Errorf("ListPolicyTags = %+v", pt.Tags)
	}

	admin := aws.String("arn:aws:iam::aws:policy/AdministratorAccess")
	_, err = c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: arn})
	must(t, err, "AttachUserPolicy")
	_, err = c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: arn})
	must(t, err, "AttachGroupPolicy")
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("admin"), PolicyArn: admin})
	must(t, err, "AttachRolePolicy")
	_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
	wantCode(t, err, "NoSuchEntity")
	la, err := c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("bob")})
	must(t, err, "ListAttachedUserPolicies")
	lg, err := c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("devs")})
	must(t, err, "ListAttachedGroupPolicies")
	lr, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("admin")})
	must(t, err, "ListAttachedRolePolicies")
	if len(la.AttachedPolicies) != 1 || len(lg.AttachedPolicies) != 1 || len(lr.AttachedPolicies) != 1 || aws.ToString(lr.AttachedPolicies[0].PolicyName) != "AdministratorAccess" {
		t.Errorf("attached: %+v %+v %+v", la, lg, lr)
	}
	ents, err := c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: arn})
	must(t, err, "ListEntitiesForPolicy")
	if len(ents.PolicyUsers) != 1 || len(ents.PolicyGroups) != 1 || len(ents.PolicyRoles) != 0 {
		t.Errorf("ListEntitiesForPolicy = %+v", ents)
	}
	gp, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})
	must(t, err, "GetPolicy")
	if aws.ToInt32(gp.Policy.AttachmentCount) != 2 || aws.ToString(gp.Policy.DefaultVersionId) != "v2" {
		t.Errorf("GetPolicy = %+v", gp.Policy)
	}
	awsScope, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, MaxItems: aws.Int32(1000)})
	must(t, err, "ListPolicies AWS")
	var awsNames []string
	for _, p := range awsScope.Policies {
		awsNames = append(awsNames, aws.ToString(p.PolicyName))
	}
	for _, want := range []string{"AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "IAMFullAccess", "IAMReadOnlyAccess", "AWSOrganizationsFullAccess", "AWSOrganizationsReadOnlyAccess", "AWSPrivateMarketplaceAdminFullAccess"} {
		if !slices.Contains(awsNames, want) {
			t.Errorf("ListPolicies --scope AWS lacks %s", want)
		}
	}
	local, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	must(t, err, "ListPolicies Local")
	if len(local.Policies) != 1 {
		t.Errorf("ListPolicies Local = %d", len(local.Policies))
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	wantCode(t, err, "DeleteConflict")
	_, err = c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: arn})
	must(t, err, "DetachUserPolicy")
	_, err = c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: arn})
	must(t, err, "DetachGroupPolicy")
	_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("admin"), PolicyArn: admin})
	must(t, err, "DetachRolePolicy")
	_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("admin"), PolicyArn: admin})
	wantCode(t, err, "NoSuchEntity")
	for _, v := range []string{"v1", "v3", "v4"} {
		_, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String(v)})
		must(t, err, "DeletePolicyVersion "+v)
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	must(t, err, "DeletePolicy")
}

func iamInline(ctx context.Context, t *testing.T, c *iam.Client) {
	_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p"), PolicyDocument: aws.String(e2eReadIAM)})
	must(t, err, "PutUserPolicy")
	_, err = c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("p"), PolicyDocument: aws.String(e2eReadIAM)})
	must(t, err, "PutGroupPolicy")
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("admin"), PolicyName: aws.String("p"), PolicyDocument: aws.String(e2eReadIAM)})
	must(t, err, "PutRolePolicy")
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("admin"), PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*"}]}`)})
	wantCode(t, err, "MalformedPolicyDocument")
	gu, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p")})
	must(t, err, "GetUserPolicy")
	if doc, _ := url.QueryUnescape(aws.ToString(gu.PolicyDocument)); doc != e2eReadIAM || aws.ToString(gu.UserName) != "bob" {
		t.Errorf("GetUserPolicy = %+v", gu)
	}
	_, err = c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("p")})
	must(t, err, "GetGroupPolicy")
	_, err = c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("admin"), PolicyName: aws.String("nope")})
	wantCode(t, err, "NoSuchEntity")
	lu, err := c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("bob")})
	must(t, err, "ListUserPolicies")
	lg, err := c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("devs")})
	must(t, err, "ListGroupPolicies")
	lr, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("admin")})
	must(t, err, "ListRolePolicies")
	if len(lu.PolicyNames) != 1 || len(lg.PolicyNames) != 1 || len(lr.PolicyNames) != 1 {
		t.Errorf("inline names: %v %v %v", lu.PolicyNames, lg.PolicyNames, lr.PolicyNames)
	}
	_, err = c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p")})
	must(t, err, "DeleteUserPolicy")
	_, err = c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("p")})
	must(t, err, "DeleteGroupPolicy")
	_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("admin"), PolicyName: aws.String("p")})
	must(t, err, "DeleteRolePolicy")

	boundary := aws.String("arn:aws:iam::aws:policy/IAMReadOnlyAccess")
	_, err = c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("bob"), PermissionsBoundary: boundary})
	must(t, err, "PutUserPermissionsBoundary")
	_, err = c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("admin"), PermissionsBoundary: boundary})
	must(t, err, "PutRolePermissionsBoundary")
	u, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")})
	must(t, err, "GetUser")
	if u.User.PermissionsBoundary == nil || aws.ToString(u.User.PermissionsBoundary.PermissionsBoundaryArn) != *boundary {
		t.Errorf("GetUser boundary = %+v", u.User.PermissionsBoundary)
	}
	_, err = c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("admin"), PermissionsBoundary: aws.String("arn:aws:iam::111111111111:policy/none")})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("bob")})
	must(t, err, "DeleteUserPermissionsBoundary")
	_, err = c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("admin")})
	must(t, err, "DeleteRolePermissionsBoundary")
}

func iamKeys(ctx context.Context, t *testing.T, srv *server, c *iam.Client) {
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("carol")})
	must(t, err, "CreateAccessKey")
	carolKey := aws.Credentials{AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey)}
	carol := srv.iamAs(carolKey)
	// Carol has no policy: implicitly denied.
	_, err = carol.ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, err, "AccessDenied")
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("read"), PolicyDocument: aws.String(e2eReadIAM)})
	must(t, err, "PutUserPolicy")
	self, err := carol.GetUser(ctx, &iam.GetUserInput{})
	must(t, err, "GetUser as carol")
	if aws.ToString(self.User.UserName) != "carol" {
		t.Errorf("GetUser as carol = %+v", self.User)
	}
	_, err = carol.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")})
	wantCode(t, err, "AccessDenied")
	_, err = c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("carol")})
	must(t, err, "second CreateAccessKey")
	_, err = c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("carol")})
	wantCode(t, err, "LimitExceeded")
	lk, err := c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("carol")})
	must(t, err, "ListAccessKeys")
	if len(lk.AccessKeyMetadata) != 2 {
		t.Errorf("ListAccessKeys = %d", len(lk.AccessKeyMetadata))
	}
	lu, err := c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKey.AccessKeyId})
	must(t, err, "GetAccessKeyLastUsed")
	if aws.ToString(lu.UserName) != "carol" {
		t.Errorf("GetAccessKeyLastUsed = %+v", lu)
	}
	_, err = c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("carol"), AccessKeyId: k.AccessKey.AccessKeyId, Status: types.StatusTypeInactive})
	must(t, err, "UpdateAccessKey")
	_, err = carol.GetUser(ctx, &iam.GetUserInput{})
	wantCode(t, err, "InvalidClientTokenId")
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("carol")})
	wantCode(t, err, "DeleteConflict")
	for _, m := range lk.AccessKeyMetadata {
		_, err := c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("carol"), AccessKeyId: m.AccessKeyId})
		must(t, err, "DeleteAccessKey")
	}
	_, err = c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("carol"), AccessKeyId: k.AccessKey.AccessKeyId})
	wantCode(t, err, "NoSuchEntity")

	lp, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("dave"), Password: aws.String("S3cret-password!"), PasswordResetRequired: true})
	must(t, err, "CreateLoginProfile")
	if aws.ToString(lp.LoginProfile.UserName) != "dave" || !lp.LoginProfile.PasswordResetRequired {
		t.Errorf("CreateLoginProfile = %+v", lp.LoginProfile)
	}
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("dave"), Password: aws.String("x")})
	wantCode(t, err, "EntityAlreadyExists")
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("dave"), PasswordResetRequired: aws.Bool(false)})
	must(t, err, "UpdateLoginProfile")
	gl, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("dave")})
	must(t, err, "GetLoginProfile")
	if gl.LoginProfile.PasswordResetRequired {
		t.Errorf("GetLoginProfile = %+v", gl.LoginProfile)
	}
	_, err = c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("dave")})
	must(t, err, "DeleteLoginProfile")
	_, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("dave")})
	wantCode(t, err, "NoSuchEntity")
	if strings.Contains(srv.log.String(), "S3cret-password!") || strings.Contains(srv.log.String(), carolKey.SecretAccessKey) {
		t.Error("a secret reached the log")
	}
}

func iamAccount(ctx context.Context, t *testing.T, c *iam.Client) {
	d, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{})
	must(t, err, "GetAccountAuthorizationDetails")
	if len(d.UserDetailList) == 0 || len(d.GroupDetailList) != 1 || len(d.RoleDetailList) != 1 {
		t.Errorf("details: %d users, %d groups, %d roles", len(d.UserDetailList), len(d.GroupDetailList), len(d.RoleDetailList))
	}
	f, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeRole}})
	must(t, err, "GetAccountAuthorizationDetails Role")
	if len(f.UserDetailList) != 0 || len(f.RoleDetailList) != 1 {
		t.Errorf("filtered details = %+v", f)
	}
	if doc, _ := url.QueryUnescape(aws.ToString(f.RoleDetailList[0].AssumeRolePolicyDocument)); doc != e2eTrustMgmt {
		t.Errorf("role detail trust = %s", doc)
	}
	s, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	must(t, err, "GetAccountSummary")
	if s.SummaryMap["Groups"] != 1 || s.SummaryMap["AccessKeysPerUserQuota"] != 2 {
		t.Errorf("GetAccountSummary = %v", s.SummaryMap)
	}
}

// TestOrganizationAccountAccessRole: an account made by CreateAccount has
// the role OrganizationAccountAccessRole, trusting the management account
// and carrying AdministratorAccess (checked as the member's root in
// --dev).
func TestOrganizationAccountAccessRole(t *testing.T) {
	t.Parallel()
	srv := start(t, opts{Dev: true})
	d := buildDevOrg(t, srv)
	ctx := ctxFor(t)
	member := srv.iamAs(aws.Credentials{AccessKeyID: d.member, SecretAccessKey: "x"})
	r, err := member.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("OrganizationAccountAccessRole")})
	must(t, err, "GetRole")
	doc, _ := url.QueryUnescape(aws.ToString(r.Role.AssumeRolePolicyDocument))
	if aws.ToString(r.Role.Arn) != "arn:aws:iam::"+d.member+":role/OrganizationAccountAccessRole" || !strings.Contains(doc, `"arn:aws:iam::111111111111:root"`) {
		t.Errorf("role = %s, trust %s", aws.ToString(r.Role.Arn), doc)
	}
	la, err := member.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("OrganizationAccountAccessRole")})
	must(t, err, "ListAttachedRolePolicies")
	if len(la.AttachedPolicies) != 1 || aws.ToString(la.AttachedPolicies[0].PolicyName) != "AdministratorAccess" {
		t.Errorf("attached = %+v", la.AttachedPolicies)
	}
	// The management account has no such role.
	_, err = srv.iamAs(anyKey).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("OrganizationAccountAccessRole")})
	wantCode(t, err, "NoSuchEntity")
}
