package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// principals signs requests to every service with one set of
// credentials, a session token included.
type principals struct {
	iam  *iam.Client
	sts  *sts.Client
	orgs *organizations.Client
}

// as returns clients that sign with creds, passing creds.SessionToken
// (the X-Amz-Security-Token of temporary credentials).
func (s *server) as(creds aws.Credentials) principals {
	p := credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
	return principals{
		iam: iam.New(iam.Options{Region: Region, BaseEndpoint: aws.String(s.URL), Credentials: p,
			Retryer: aws.NopRetryer{}, HTTPClient: sdkHTTPClient{}}),
		sts: sts.New(sts.Options{Region: Region, BaseEndpoint: aws.String(s.URL), Credentials: p,
			Retryer: aws.NopRetryer{}, HTTPClient: sdkHTTPClient{}}),
		orgs: organizations.New(organizations.Options{Region: Region, BaseEndpoint: aws.String(s.URL), Credentials: p,
			Retryer: aws.NopRetryer{}, HTTPClient: sdkHTTPClient{}}),
	}
}

// newUser creates an IAM user with an access key and the inline policy
// (none when policy is empty), through c, and returns the key.
func newUser(ctx context.Context, t *testing.T, c *iam.Client, name, policy string) aws.Credentials {
	t.Helper()
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	must(t, err, "CreateUser "+name)
	if policy != "" {
		_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("inline"), PolicyDocument: aws.String(policy)})
		must(t, err, "PutUserPolicy "+name)
	}
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	must(t, err, "CreateAccessKey "+name)
	return aws.Credentials{AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey)}
}

// newRole creates a role with the trust policy, through c, and attaches
// the managed policies; it returns the role's ARN.
func newRole(ctx context.Context, t *testing.T, c *iam.Client, name, trust string, policyARNs ...string) string {
	t.Helper()
	r, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	must(t, err, "CreateRole "+name)
	for _, arn := range policyARNs {
		_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)})
		must(t, err, "AttachRolePolicy "+arn+" to "+name)
	}
	return aws.ToString(r.Role.Arn)
}

// assume calls AssumeRole through c and returns the session's
// credentials.
func assume(ctx context.Context, t *testing.T, c *sts.Client, in *sts.AssumeRoleInput) aws.Credentials {
	t.Helper()
	out, err := c.AssumeRole(ctx, in)
	must(t, err, "AssumeRole "+aws.ToString(in.RoleArn))
	cr := out.Credentials
	if !strings.HasPrefix(aws.ToString(cr.AccessKeyId), "ASIA") || aws.ToString(cr.SessionToken) == "" {
		t.Fatalf("AssumeRole credentials = %s with token %q, want ASIA... and a token", aws.ToString(cr.AccessKeyId), aws.ToString(cr.SessionToken))
	}
	return aws.Credentials{AccessKeyID: aws.ToString(cr.AccessKeyId), SecretAccessKey: aws.ToString(cr.SecretAccessKey), SessionToken: aws.ToString(cr.SessionToken)}
}

// trustPolicy returns a trust policy that lets the principals assume the
// role, with the statement's condition block when condition is not empty.
func trustPolicy(condition string, principalARNs ...string) string {
	quoted := make([]string, len(principalARNs))
	for i, p := range principalARNs {
		quoted[i] = `"` + p + `"`
	}
	stmt := `{"Effect":"Allow","Principal":{"AWS":[` + strings.Join(quoted, ",") + `]},"Action":["sts:AssumeRole","sts:TagSession"]`
	if condition != "" {
		stmt += `,"Condition":` + condition
	}
	return `{"Version":"2012-10-17","Statement":[` + stmt + `}]}`
}

const (
	// e2eAssumeAny lets an identity assume any role and tag its sessions.
	e2eAssumeAny = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession"],"Resource":"*"}]}`
	// e2eListUsersIfBlue allows iam:ListUsers to a principal tagged team=blue.
	e2eListUsersIfBlue = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}]}`

	adminAccess     = "arn:aws:iam::aws:policy/AdministratorAccess"
	iamReadOnly     = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
	orgsFullAccess  = "arn:aws:iam::aws:policy/AWSOrganizationsFullAccess"
	invalidTokenMsg = "The security token included in the request is invalid."
)

// mgmtARN returns the ARN of an IAM entity of the management account.
func mgmtARN(kind, name string) string {
	return "arn:aws:iam::" + ManagementAccount + ":" + kind + "/" + name
}

// TestAssumeRoleWithIAMRoles assumes real IAM roles with an IAM user's
// SigV4 key, on both backends, and uses the sessions against IAM,
// Organizations and STS: a session is authorized with the role's
// policies, its permissions boundary, the session policies and the
// session tags.
func TestAssumeRoleWithIAMRoles(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		ctx := ctxFor(t)
		root := srv.as(srv.Key)
		aliceKey := newUser(ctx, t, root.iam, "alice", e2eAssumeAny)
		alice := srv.as(aliceKey)
		// "To allow a user to assume a role ... the trust policy of the
		// role [must name] the user" (IAM User Guide, Granting a user
		// permissions to switch roles); a role trusting the account root
		// delegates to the account's identity policies.
		byUser := newRole(ctx, t, root.iam, "by-user", trustPolicy("", mgmtARN("user", "alice")), adminAccess)
		byAccount := newRole(ctx, t, root.iam, "by-account", trustPolicy("", "arn:aws:iam::"+ManagementAccount+":root"), adminAccess)

		t.Run("identity", func(t *testing.T) {
			for _, role := range []string{byUser, byAccount} {
				out, err := alice.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("alice-session")})
				must(t, err, "AssumeRole "+role)
				name := role[strings.LastIndex(role, "/")+1:]
				wantARN := "arn:aws:sts::" + ManagementAccount + ":assumed-role/" + name + "/alice-session"
				if aws.ToString(out.AssumedRoleUser.Arn) != wantARN || !strings.HasPrefix(aws.ToString(out.AssumedRoleUser.AssumedRoleId), "AROA") {
					t.Errorf("AssumedRoleUser = %s %s, want %s and AROA...:alice-session", aws.ToString(out.AssumedRoleUser.Arn), aws.ToString(out.AssumedRoleUser.AssumedRoleId), wantARN)
				}
				// "If you do not specify a value for DurationSeconds, the
				// default of one hour is used."
				if left := time.Until(aws.ToTime(out.Credentials.Expiration)); left > time.Hour+time.Minute || left < 50*time.Minute {
					t.Errorf("session expires in %v, want about an hour", left)
				}
				cr := aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId), SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey), SessionToken: aws.ToString(out.Credentials.SessionToken)}
				id, err := srv.as(cr).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				must(t, err, "GetCallerIdentity as the session")
				if aws.ToString(id.Arn) != wantARN || aws.ToString(id.Account) != ManagementAccount || aws.ToString(id.UserId) != aws.ToString(out.AssumedRoleUser.AssumedRoleId) {
					t.Errorf("GetCallerIdentity = %s %s %s, want %s", aws.ToString(id.Arn), aws.ToString(id.Account), aws.ToString(id.UserId), wantARN)
				}
			}
		})

		t.Run("session uses the role's policies", func(t *testing.T) {
			admin := srv.as(assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(byUser), RoleSessionName: aws.String("admin")}))
			_, err := admin.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("made-by-role")})
			must(t, err, "CreateUser with the role's AdministratorAccess")
			_, err = admin.orgs.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
			must(t, err, "CreateOrganization as the role")
			d, err := admin.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			must(t, err, "DescribeOrganization as the role")
			if aws.ToString(d.Organization.MasterAccountId) != ManagementAccount {
				t.Errorf("DescribeOrganization = %+v", d.Organization)
			}
			// Alice herself may only assume roles.
			_, err = alice.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("made-by-alice")})
			wantCode(t, err, "AccessDenied")
		})

		t.Run("permissions boundary", func(t *testing.T) {
			newRole(ctx, t, root.iam, "bounded", trustPolicy("", mgmtARN("user", "alice")), adminAccess)
			_, err := root.iam.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("bounded"), PermissionsBoundary: aws.String(iamReadOnly)})
			must(t, err, "PutRolePermissionsBoundary")
			s := srv.as(assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(mgmtARN("role", "bounded")), RoleSessionName: aws.String("bounded")}))
			_, err = s.iam.ListRoles(ctx, &iam.ListRolesInput{})
			must(t, err, "ListRoles within the boundary")
			_, err = s.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("outside-boundary")})
			wantCodeMessage(t, err, "AccessDenied", "because no permissions boundary allows the iam:CreateUser action")
			_, err = s.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			wantErr(t, err, errAccessDenied, "")
		})

		t.Run("session policies", func(t *testing.T) {
			// "The resulting session's permissions are the intersection
			// of the role's identity-based policy and the session
			// policies" (AssumeRole, Policy and PolicyArns).
			inline := srv.as(assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(byUser), RoleSessionName: aws.String("inline"), Policy: aws.String(e2eReadIAM)}))
			_, err := inline.iam.ListUsers(ctx, &iam.ListUsersInput{})
			must(t, err, "ListUsers within the session policy")
			_, err = inline.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("outside-session")})
			wantCodeMessage(t, err, "AccessDenied", "because no session policy allows the iam:CreateUser action")
			_, err = inline.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			wantErr(t, err, errAccessDenied, "")

			managed := srv.as(assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(byUser), RoleSessionName: aws.String("managed"),
				PolicyArns: []ststypes.PolicyDescriptorType{{Arn: aws.String(orgsFullAccess)}}}))
			_, err = managed.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			must(t, err, "DescribeOrganization within the managed session policy")
			_, err = managed.iam.ListUsers(ctx, &iam.ListUsersInput{})
			wantCodeMessage(t, err, "AccessDenied", "because no session policy allows the iam:ListUsers action")

			// A session policy grants nothing the role lacks.
			readOnly := newRole(ctx, t, root.iam, "read-only", trustPolicy("", mgmtARN("user", "alice")), iamReadOnly)
			wide := srv.as(assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(readOnly), RoleSessionName: aws.String("wide"), Policy: aws.String(e2eAllowAll)}))
			_, err = wide.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("beyond-role")})
			wantCodeMessage(t, err, "AccessDenied", "because no identity-based policy allows the iam:CreateUser action")
		})

		t.Run("session tags are principal tags", func(t *testing.T) {
			r := newRole(ctx, t, root.iam, "tagged", trustPolicy("", mgmtARN("user", "alice")))
			_, err := root.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("tagged"), PolicyName: aws.String("blue"), PolicyDocument: aws.String(e2eListUsersIfBlue)})
			must(t, err, "PutRolePolicy")
			for _, c := range []struct {
				team string
				ok   bool
			}{{team: "blue", ok: true}, {team: "red", ok: false}} {
				s := srv.as(assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(r), RoleSessionName: aws.String(c.team),
					Tags: []ststypes.Tag{{Key: aws.String("team"), Value: aws.String(c.team)}}}))
				_, err := s.iam.ListUsers(ctx, &iam.ListUsersInput{})
				if c.ok {
					must(t, err, "ListUsers tagged team="+c.team)
				} else {
					wantCode(t, err, "AccessDenied")
				}
			}
			// A role's own tag is a principal tag of its sessions too.
			_, err = root.iam.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("tagged"), Tags: []iamtypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}})
			must(t, err, "TagRole")
			s := srv.as(assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(r), RoleSessionName: aws.String("untagged")}))
			_, err = s.iam.ListUsers(ctx, &iam.ListUsersInput{})
			must(t, err, "ListUsers with the role's tag")
		})

		t.Run("external id", func(t *testing.T) {
			r := newRole(ctx, t, root.iam, "third-party", trustPolicy(`{"StringEquals":{"sts:ExternalId":"Unique-1234"}}`, mgmtARN("user", "alice")), iamReadOnly)
			for _, ext := range []*string{nil, aws.String("Wrong-1234")} {
				_, err := alice.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(r), RoleSessionName: aws.String("ext"), ExternalId: ext})
				wantCodeMessage(t, err, "AccessDenied", "User: "+mgmtARN("user", "alice")+" is not authorized to perform: sts:AssumeRole on resource: "+r)
			}
			assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(r), RoleSessionName: aws.String("ext"), ExternalId: aws.String("Unique-1234")})
		})

		t.Run("duration", func(t *testing.T) {
			// The role's MaxSessionDuration is one hour unless set: "If
			// you specify a value higher than this setting ..., the
			// operation fails" (AssumeRole, DurationSeconds).
			_, err := alice.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(byUser), RoleSessionName: aws.String("long"), DurationSeconds: aws.Int32(7200)})
			wantCodeMessage(t, err, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
			_, err = root.iam.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("by-user"), MaxSessionDuration: aws.Int32(7200)})
			must(t, err, "UpdateRole MaxSessionDuration")
			out, err := alice.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(byUser), RoleSessionName: aws.String("long"), DurationSeconds: aws.Int32(7200)})
			must(t, err, "AssumeRole for two hours")
			if left := time.Until(aws.ToTime(out.Credentials.Expiration)); left < 119*time.Minute || left > 121*time.Minute {
				t.Errorf("two-hour session expires in %v", left)
			}
		})

		t.Run("root may not assume roles", func(t *testing.T) {
			// The root user is trusted by by-account's trust policy, and
			// still refused.
			_, err := root.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(byAccount), RoleSessionName: aws.String("root")})
			wantCodeMessage(t, err, "AccessDenied", "Roles may not be assumed by root accounts.")
		})

		t.Run("trust policy does not name the caller", func(t *testing.T) {
			bobKey := newUser(ctx, t, root.iam, "bob", e2eAssumeAny)
			// The identity policy allows it; the trust policy names alice.
			_, err := srv.as(bobKey).sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(byUser), RoleSessionName: aws.String("bob")})
			wantCodeMessage(t, err, "AccessDenied", "User: "+mgmtARN("user", "bob")+" is not authorized to perform: sts:AssumeRole on resource: "+byUser)
			// A role that does not exist is denied the same way.
			missing := mgmtARN("role", "no-such-role")
			_, err = alice.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(missing), RoleSessionName: aws.String("missing")})
			wantCodeMessage(t, err, "AccessDenied", "User: "+mgmtARN("user", "alice")+" is not authorized to perform: sts:AssumeRole on resource: "+missing)
			// A role trusting the account needs the caller's identity
			// policy to allow sts:AssumeRole as well.
			carolKey := newUser(ctx, t, root.iam, "carol", e2eReadIAM)
			_, err = srv.as(carolKey).sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(byAccount), RoleSessionName: aws.String("carol")})
			wantCodeMessage(t, err, "AccessDenied", "because no identity-based policy allows the sts:AssumeRole action")
		})

		t.Run("inactive and deleted keys", func(t *testing.T) {
			daveKey := newUser(ctx, t, root.iam, "dave", e2eAssumeAny)
			dave := srv.as(daveKey)
			_, err := dave.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			must(t, err, "GetCallerIdentity with an active key")
			_, err = root.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("dave"), AccessKeyId: aws.String(daveKey.AccessKeyID), Status: iamtypes.StatusTypeInactive})
			must(t, err, "UpdateAccessKey Inactive")
			_, err = dave.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			wantCodeMessage(t, err, "InvalidClientTokenId", invalidTokenMsg)
			_, err = dave.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(byAccount), RoleSessionName: aws.String("dave")})
			wantCodeMessage(t, err, "InvalidClientTokenId", invalidTokenMsg)
			_, err = dave.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			wantCodeMessage(t, err, "UnrecognizedClientException", invalidTokenMsg)
			// Active again, then deleted.
			_, err = root.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("dave"), AccessKeyId: aws.String(daveKey.AccessKeyID), Status: iamtypes.StatusTypeActive})
			must(t, err, "UpdateAccessKey Active")
			_, err = dave.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			must(t, err, "GetCallerIdentity with the key active again")
			_, err = root.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("dave"), AccessKeyId: aws.String(daveKey.AccessKeyID)})
			must(t, err, "DeleteAccessKey")
			_, err = dave.iam.GetUser(ctx, &iam.GetUserInput{})
			wantCodeMessage(t, err, "InvalidClientTokenId", invalidTokenMsg)
			_, err = dave.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			wantCodeMessage(t, err, "InvalidClientTokenId", invalidTokenMsg)
			_, err = dave.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			wantCodeMessage(t, err, "UnrecognizedClientException", invalidTokenMsg)
		})

		t.Run("session token", func(t *testing.T) {
			cr := assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(byUser), RoleSessionName: aws.String("token")})
			// The token of another session does not go with this key.
			other := assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(byUser), RoleSessionName: aws.String("other")})
			swapped := cr
			swapped.SessionToken = other.SessionToken
			_, err := srv.as(swapped).iam.ListRoles(ctx, &iam.ListRolesInput{})
			wantCodeMessage(t, err, "InvalidClientTokenId", invalidTokenMsg)
			// A tampered role session token.
			tampered := cr
			tampered.SessionToken = flipChar(cr.SessionToken, len(cr.SessionToken)/2)
			_, err = srv.as(tampered).iam.ListRoles(ctx, &iam.ListRolesInput{})
			wantCodeMessage(t, err, "InvalidClientTokenId", invalidTokenMsg)
			_, err = srv.as(tampered).orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			wantCodeMessage(t, err, "UnrecognizedClientException", invalidTokenMsg)
		})
	})
}

// flipChar returns s with its i-th character replaced by another one of
// the base64 alphabet.
func flipChar(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

// TestTemporaryCredentialRules checks what AWS's rules say temporary
// credentials may do, on both backends: an IAM user's GetSessionToken
// session, role chaining, a session whose role changes or goes away, and
// a trust policy that names a user of its own account.
func TestTemporaryCredentialRules(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		ctx := ctxFor(t)
		root := srv.as(srv.Key)
		_, err := root.orgs.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
		must(t, err, "CreateOrganization")
		aliceKey := newUser(ctx, t, root.iam, "alice", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession","iam:*","organizations:Describe*"],"Resource":"*"}]}`)
		alice := srv.as(aliceKey)
		admin := newRole(ctx, t, root.iam, "admin", trustPolicy("", "arn:aws:iam::"+ManagementAccount+":root"), adminAccess)

		t.Run("GetSessionToken of an IAM user", func(t *testing.T) {
			out, err := alice.sts.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
			must(t, err, "GetSessionToken")
			s := srv.as(aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId), SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey), SessionToken: aws.ToString(out.Credentials.SessionToken)})
			id, err := s.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			must(t, err, "GetCallerIdentity")
			if aws.ToString(id.Arn) != mgmtARN("user", "alice") {
				t.Errorf("GetCallerIdentity = %s, want alice", aws.ToString(id.Arn))
			}
			// The session has the user's permissions.
			_, err = s.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			must(t, err, "DescribeOrganization with alice's session")
			_, err = s.orgs.ListAccounts(ctx, &organizations.ListAccountsInput{})
			wantErr(t, err, errAccessDenied, "")
			assume(ctx, t, s.sts, &sts.AssumeRoleInput{RoleArn: aws.String(admin), RoleSessionName: aws.String("from-session")})
			// "You cannot call any IAM API operations unless MFA
			// authentication information is included in the request"
			// (STS API reference, GetSessionToken); Gatehouse has no MFA.
			_, err = s.iam.ListUsers(ctx, &iam.ListUsersInput{})
			wantCodeMessage(t, err, "InvalidClientTokenId", invalidTokenMsg)
		})

		t.Run("role chaining", func(t *testing.T) {
			first := srv.as(assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(admin), RoleSessionName: aws.String("first"),
				Tags: []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}, TransitiveTagKeys: []string{"team"}}))
			chained := newRole(ctx, t, root.iam, "chained", trustPolicy("", "arn:aws:iam::"+ManagementAccount+":root"))
			_, err := root.iam.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("chained"), MaxSessionDuration: aws.Int32(7200)})
			must(t, err, "UpdateRole")
			_, err = root.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("chained"), PolicyName: aws.String("blue"), PolicyDocument: aws.String(e2eListUsersIfBlue)})
			must(t, err, "PutRolePolicy")
			// "Role chaining limits your ... role session to a maximum of
			// one hour" (AssumeRole, DurationSeconds).
			_, err = first.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(chained), RoleSessionName: aws.String("second"), DurationSeconds: aws.Int32(7200)})
			wantCodeMessage(t, err, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
			second := srv.as(assume(ctx, t, first.sts, &sts.AssumeRoleInput{RoleArn: aws.String(chained), RoleSessionName: aws.String("second")}))
			id, err := second.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			must(t, err, "GetCallerIdentity of the chained session")
			if want := "arn:aws:sts::" + ManagementAccount + ":assumed-role/chained/second"; aws.ToString(id.Arn) != want {
				t.Errorf("GetCallerIdentity = %s, want %s", aws.ToString(id.Arn), want)
			}
			// The transitive tag team=blue passed down the chain.
			_, err = second.iam.ListUsers(ctx, &iam.ListUsersInput{})
			must(t, err, "ListUsers with the transitive tag")
			_, err = second.iam.ListRoles(ctx, &iam.ListRolesInput{})
			wantCode(t, err, "AccessDenied")
		})

		t.Run("the role changes under its session", func(t *testing.T) {
			newRole(ctx, t, root.iam, "fleeting", trustPolicy("", "arn:aws:iam::"+ManagementAccount+":root"), adminAccess)
			s := srv.as(assume(ctx, t, alice.sts, &sts.AssumeRoleInput{RoleArn: aws.String(mgmtARN("role", "fleeting")), RoleSessionName: aws.String("fleeting-session")}))
			_, err := s.iam.ListUsers(ctx, &iam.ListUsersInput{})
			must(t, err, "ListUsers with AdministratorAccess")
			// A session's permissions are its role's at the time of each
			// request.
			_, err = root.iam.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("fleeting"), PolicyArn: aws.String(adminAccess)})
			must(t, err, "DetachRolePolicy")
			_, err = s.iam.ListUsers(ctx, &iam.ListUsersInput{})
			wantCodeMessage(t, err, "AccessDenied", "because no identity-based policy allows the iam:ListUsers action")
			_, err = root.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("fleeting")})
			must(t, err, "DeleteRole")
			_, err = s.iam.ListUsers(ctx, &iam.ListUsersInput{})
			wantCode(t, err, "AccessDenied")
			_, err = s.orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			wantErr(t, err, errAccessDenied, "")
		})

		t.Run("trust policy naming a user of its account", func(t *testing.T) {
			// Within an account, a resource-based policy that names the
			// user grants access without an identity-based policy ("Policy
			// evaluation for requests within a single account", IAM User
			// Guide).
			eve := srv.as(newUser(ctx, t, root.iam, "eve", ""))
			direct := newRole(ctx, t, root.iam, "for-eve", trustPolicy("", mgmtARN("user", "eve")), iamReadOnly)
			s := srv.as(assume(ctx, t, eve.sts, &sts.AssumeRoleInput{RoleArn: aws.String(direct), RoleSessionName: aws.String("eve")}))
			_, err := s.iam.ListRoles(ctx, &iam.ListRolesInput{})
			must(t, err, "ListRoles as eve's session")
			// A trust policy naming the account needs the identity policy.
			_, err = eve.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(admin), RoleSessionName: aws.String("eve")})
			wantCodeMessage(t, err, "AccessDenied", "because no identity-based policy allows the sts:AssumeRole action")
		})
	})
}
