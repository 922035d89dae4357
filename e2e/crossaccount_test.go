package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// buildRealOrg builds, with the management root's SigV4 key, what
// buildDevOrg builds in --dev: the retail OU and a member account in it.
func buildRealOrg(ctx context.Context, t *testing.T, srv *server) devOrg {
	t.Helper()
	o := devOrg{mgmt: srv.org()}
	_, err := o.mgmt.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	must(t, err, "CreateOrganization")
	roots, err := o.mgmt.ListRoots(ctx, &organizations.ListRootsInput{})
	must(t, err, "ListRoots")
	o.rootID = aws.ToString(roots.Roots[0].Id)
	ou, err := o.mgmt.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(o.rootID), Name: aws.String("retail")})
	must(t, err, "CreateOrganizationalUnit")
	o.retail = aws.ToString(ou.OrganizationalUnit.Id)
	o.member = createAccount(t, o.mgmt, "retail-shop", "shop@retail.example.com")
	_, err = o.mgmt.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(o.member), SourceParentId: aws.String(o.rootID), DestinationParentId: aws.String(o.retail)})
	must(t, err, "MoveAccount")
	return o
}

// TestAssumeRoleAcrossOrganization administers a member account from the
// management account through OrganizationAccountAccessRole, with real
// SigV4 credentials on both stores, and checks that SCPs bind every
// principal of the member account and none of the management account:
// "SCPs affect only IAM users and roles that are managed by accounts that
// are part of the organization ... SCPs don't affect users or roles in
// the management account" (Organizations User Guide, Service control
// policies).
func TestAssumeRoleAcrossOrganization(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		ctx := ctxFor(t)
		root := srv.as(srv.Key)
		o := buildRealOrg(ctx, t, srv)
		accessRole := "arn:aws:iam::" + o.member + ":role/OrganizationAccountAccessRole"
		ops := srv.as(newUser(ctx, t, root.iam, "ops", e2eAssumeAny))

		// The management account's user administers the member account.
		memberAdmin := srv.as(assume(ctx, t, ops.sts, &sts.AssumeRoleInput{RoleArn: aws.String(accessRole), RoleSessionName: aws.String("ops")}))
		id, err := memberAdmin.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		must(t, err, "GetCallerIdentity in the member account")
		if want := "arn:aws:sts::" + o.member + ":assumed-role/OrganizationAccountAccessRole/ops"; aws.ToString(id.Arn) != want || aws.ToString(id.Account) != o.member {
			t.Errorf("GetCallerIdentity = %s in %s, want %s in %s", aws.ToString(id.Arn), aws.ToString(id.Account), want, o.member)
		}
		app := newRole(ctx, t, memberAdmin.iam, "app", trustPolicy("", "arn:aws:iam::"+o.member+":root"), iamReadOnly)
		if want := "arn:aws:iam::" + o.member + ":role/app"; app != want {
			t.Errorf("role made in the member account = %s, want %s", app, want)
		}
		roles, err := memberAdmin.iam.ListRoles(ctx, &iam.ListRolesInput{})
		must(t, err, "ListRoles in the member account")
		var names []string
		for _, r := range roles.Roles {
			names = append(names, aws.ToString(r.RoleName))
		}
		slices.Sort(names)
		if !slices.Equal(names, []string{"OrganizationAccountAccessRole", "app"}) {
			t.Errorf("member account roles = %v", names)
		}
		_, err = root.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")})
		wantCode(t, err, "NoSuchEntity") // the management account has no such role
		// An organizations call as the member account's administrator is
		// made by a member account.
		_, err = memberAdmin.orgs.ListAccounts(ctx, &organizations.ListAccountsInput{})
		wantErr(t, err, errAccessDenied, "")
		d, err := memberAdmin.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		must(t, err, "DescribeOrganization as the member's administrator")
		if aws.ToString(d.Organization.MasterAccountId) != ManagementAccount {
			t.Errorf("DescribeOrganization = %+v", d.Organization)
		}

		// A user of the member account, made by its administrator.
		dev := srv.as(newUser(ctx, t, memberAdmin.iam, "dev", e2eAssumeAny))
		id, err = dev.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		must(t, err, "GetCallerIdentity as the member's user")
		if want := "arn:aws:iam::" + o.member + ":user/dev"; aws.ToString(id.Arn) != want {
			t.Errorf("GetCallerIdentity = %s, want %s", aws.ToString(id.Arn), want)
		}
		assume(ctx, t, dev.sts, &sts.AssumeRoleInput{RoleArn: aws.String(app), RoleSessionName: aws.String("dev")})
		// The member's user is not trusted by the management account's
		// access role, nor by a role that trusts the management account.
		mgmtRole := newRole(ctx, t, root.iam, "mgmt-admin", trustPolicy("", "arn:aws:iam::"+ManagementAccount+":root"), adminAccess)
		_, err = dev.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(mgmtRole), RoleSessionName: aws.String("dev")})
		wantCodeMessage(t, err, "AccessDenied", "User: arn:aws:iam::"+o.member+":user/dev is not authorized to perform: sts:AssumeRole on resource: "+mgmtRole)
		mgmtAdmin := srv.as(assume(ctx, t, ops.sts, &sts.AssumeRoleInput{RoleArn: aws.String(mgmtRole), RoleSessionName: aws.String("ops")}))

		t.Run("SCP binds the member account's principals", func(t *testing.T) {
			deny := o.createPolicy(t, "deny-create-role", denySCP("iam:CreateRole"))
			for _, target := range []string{o.retail, o.rootID} {
				o.attach(t, deny, target)
				_, err := memberAdmin.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("blocked"), AssumeRolePolicyDocument: aws.String(trustPolicy("", "arn:aws:iam::"+o.member+":root"))})
				wantCodeMessage(t, err, "AccessDenied", "User: arn:aws:sts::"+o.member+":assumed-role/OrganizationAccountAccessRole/ops is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::"+o.member+":role/blocked "+explicitSCPDeny)
				// Other actions stay allowed.
				_, err = memberAdmin.iam.ListRoles(ctx, &iam.ListRolesInput{})
				must(t, err, "ListRoles in the member account under the SCP")
				// A new session of the role is bound too.
				again := srv.as(assume(ctx, t, ops.sts, &sts.AssumeRoleInput{RoleArn: aws.String(accessRole), RoleSessionName: aws.String("again")}))
				_, err = again.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("blocked"), AssumeRolePolicyDocument: aws.String(trustPolicy("", "arn:aws:iam::"+o.member+":root"))})
				wantCodeMessage(t, err, "AccessDenied", explicitSCPDeny)
				// The management account's principals are not bound.
				_, err = mgmtAdmin.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("mgmt-" + target), AssumeRolePolicyDocument: aws.String(e2eTrustMgmt)})
				must(t, err, "CreateRole as a management account role under the SCP")
				_, err = root.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("root-" + target), AssumeRolePolicyDocument: aws.String(e2eTrustMgmt)})
				must(t, err, "CreateRole as the management root under the SCP")
				o.detach(t, deny, target)
			}
			// Even attached to the management account itself.
			o.attach(t, deny, ManagementAccount)
			_, err := mgmtAdmin.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("mgmt-direct"), AssumeRolePolicyDocument: aws.String(e2eTrustMgmt)})
			must(t, err, "CreateRole as a management account role with the SCP on its account")
			o.detach(t, deny, ManagementAccount)
			// Detached everywhere, the member may create the role.
			_, err = memberAdmin.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("unblocked"), AssumeRolePolicyDocument: aws.String(trustPolicy("", "arn:aws:iam::"+o.member+":root"))})
			must(t, err, "CreateRole in the member account after the SCP was detached")
		})

		t.Run("SCP denies sts:AssumeRole to the member account", func(t *testing.T) {
			// "the caller's side — identity policies, boundary, SCPs of
			// the caller's account — must allow sts:AssumeRole".
			deny := o.createPolicy(t, "deny-assume-role", denySCP("sts:AssumeRole"))
			o.attach(t, deny, o.retail)
			_, err := dev.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(app), RoleSessionName: aws.String("dev")})
			wantCodeMessage(t, err, "AccessDenied", "User: arn:aws:iam::"+o.member+":user/dev is not authorized to perform: sts:AssumeRole on resource: "+app+" "+explicitSCPDeny)
			// Role chaining from the member account is denied as well.
			_, err = memberAdmin.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(app), RoleSessionName: aws.String("chained")})
			wantCodeMessage(t, err, "AccessDenied", explicitSCPDeny)
			// The management account's user still assumes the member's
			// role: the SCP binds the caller's account, not the role's.
			assume(ctx, t, ops.sts, &sts.AssumeRoleInput{RoleArn: aws.String(accessRole), RoleSessionName: aws.String("ops-2")})
			o.detach(t, deny, o.retail)
			assume(ctx, t, dev.sts, &sts.AssumeRoleInput{RoleArn: aws.String(app), RoleSessionName: aws.String("dev")})
		})

		t.Run("cross-account trust", func(t *testing.T) {
			// Across accounts both sides must allow: a trust policy that
			// names the user is not enough without the user's identity
			// policy ("Cross-account policy evaluation logic", IAM User
			// Guide).
			trusted := srv.as(newUser(ctx, t, root.iam, "trusted", ""))
			named := newRole(ctx, t, memberAdmin.iam, "names-trusted", trustPolicy("", mgmtARN("user", "trusted")), iamReadOnly)
			_, err := trusted.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(named), RoleSessionName: aws.String("trusted")})
			wantCodeMessage(t, err, "AccessDenied", "because no identity-based policy allows the sts:AssumeRole action")
			_, err = root.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("trusted"), PolicyName: aws.String("assume"), PolicyDocument: aws.String(e2eAssumeAny)})
			must(t, err, "PutUserPolicy")
			s := srv.as(assume(ctx, t, trusted.sts, &sts.AssumeRoleInput{RoleArn: aws.String(named), RoleSessionName: aws.String("trusted")}))
			_, err = s.iam.ListRoles(ctx, &iam.ListRolesInput{})
			must(t, err, "ListRoles in the member account")

			// A trust policy open to the organization by aws:PrincipalOrgID.
			d, err := root.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			must(t, err, "DescribeOrganization")
			orgID := aws.ToString(d.Organization.Id)
			orgRole := newRole(ctx, t, memberAdmin.iam, "org-wide", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"`+orgID+`"}}}]}`, iamReadOnly)
			otherOrg := newRole(ctx, t, memberAdmin.iam, "other-org", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-aaaaaaaaaa"}}}]}`, iamReadOnly)
			assume(ctx, t, ops.sts, &sts.AssumeRoleInput{RoleArn: aws.String(orgRole), RoleSessionName: aws.String("org")})
			_, err = ops.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(otherOrg), RoleSessionName: aws.String("org")})
			wantCodeMessage(t, err, "AccessDenied", "is not authorized to perform: sts:AssumeRole on resource: "+otherOrg)
		})

		t.Run("SCP on aws:PrincipalArn", func(t *testing.T) {
			// The seed's pattern: deny an action to every principal of the
			// member account but one role. A role session's
			// aws:PrincipalArn is its role's ARN.
			newRole(ctx, t, memberAdmin.iam, "procurement-manager", trustPolicy("", "arn:aws:iam::"+ManagementAccount+":root"), adminAccess)
			only := o.createPolicy(t, "only-procurement-manager", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreatePolicy","Resource":"*","Condition":{"StringNotLike":{"aws:PrincipalARN":"arn:aws:iam::*:role/procurement-manager"}}}]}`)
			o.attach(t, only, o.retail)
			pm := srv.as(assume(ctx, t, ops.sts, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + o.member + ":role/procurement-manager"), RoleSessionName: aws.String("pm")}))
			_, err := pm.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("by-pm"), PolicyDocument: aws.String(e2eReadIAM)})
			must(t, err, "CreatePolicy as procurement-manager")
			_, err = memberAdmin.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("by-admin"), PolicyDocument: aws.String(e2eReadIAM)})
			wantCodeMessage(t, err, "AccessDenied", explicitSCPDeny)
			o.detach(t, only, o.retail)
		})

		t.Run("caller without sts:AssumeRole", func(t *testing.T) {
			// OrganizationAccountAccessRole trusts the management account,
			// which delegates to its identities' policies.
			reader := srv.as(newUser(ctx, t, root.iam, "reader", e2eReadIAM))
			_, err := reader.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(accessRole), RoleSessionName: aws.String("reader")})
			wantCodeMessage(t, err, "AccessDenied", "User: "+mgmtARN("user", "reader")+" is not authorized to perform: sts:AssumeRole on resource: "+accessRole)
		})
	})
}
