package e2e

import (
	"context"
	"errors"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/smithy-go"
)

// The messages of AccessDeniedException for SCP denials, as AWS words
// them.
const (
	explicitSCPDeny = "with an explicit deny in a service control policy"
	implicitSCPDeny = "because no service control policy allows"
)

// anyKey is what emulator users pass as credentials: --dev accepts it as
// the management account's root.
var anyKey = aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}

// devOrg is an organization built on a --dev server: the retail OU and a
// member account in it.
type devOrg struct {
	mgmt   *organizations.Client
	rootID string
	retail string // the retail OU
	member string // the account in retail
}

func buildDevOrg(t *testing.T, srv *server) devOrg {
	t.Helper()
	ctx := ctxFor(t)
	d := devOrg{mgmt: srv.orgAs(anyKey)}
	_, err := d.mgmt.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	must(t, err, "CreateOrganization")
	roots, err := d.mgmt.ListRoots(ctx, &organizations.ListRootsInput{})
	must(t, err, "ListRoots")
	d.rootID = aws.ToString(roots.Roots[0].Id)
	ou, err := d.mgmt.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(d.rootID), Name: aws.String("retail")})
	must(t, err, "CreateOrganizationalUnit")
	d.retail = aws.ToString(ou.OrganizationalUnit.Id)
	d.member = createAccount(t, d.mgmt, "retail-shop", "shop@retail.example.com")
	_, err = d.mgmt.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(d.member), SourceParentId: aws.String(d.rootID), DestinationParentId: aws.String(d.retail)})
	must(t, err, "MoveAccount")
	return d
}

func (d devOrg) createPolicy(t *testing.T, name, content string) string {
	t.Helper()
	out, err := d.mgmt.CreatePolicy(ctxFor(t), &organizations.CreatePolicyInput{Name: aws.String(name), Description: aws.String(name), Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(content)})
	must(t, err, "CreatePolicy "+name)
	return aws.ToString(out.Policy.PolicySummary.Id)
}

func (d devOrg) attach(t *testing.T, policy, target string) {
	t.Helper()
	_, err := d.mgmt.AttachPolicy(ctxFor(t), &organizations.AttachPolicyInput{PolicyId: aws.String(policy), TargetId: aws.String(target)})
	must(t, err, "AttachPolicy "+policy+" to "+target)
}

func (d devOrg) detach(t *testing.T, policy, target string) {
	t.Helper()
	_, err := d.mgmt.DetachPolicy(ctxFor(t), &organizations.DetachPolicyInput{PolicyId: aws.String(policy), TargetId: aws.String(target)})
	must(t, err, "DetachPolicy "+policy+" from "+target)
}

// wantDenied fails unless err is AccessDeniedException for the member's
// root and the action, with the given wording.
func wantDenied(t *testing.T, err error, account, action, wording string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" {
		t.Errorf("got %v, want AccessDeniedException", err)
		return
	}
	msg := ae.ErrorMessage()
	for _, want := range []string{"arn:aws:iam::" + account + ":root", action, wording} {
		if !strings.Contains(msg, want) {
			t.Errorf("AccessDeniedException message %q does not contain %q", msg, want)
		}
	}
}

// TestDevSCPEnforcement proves SCPs end to end: a member account's root
// is denied what an SCP at its OU denies, the management account's root
// never is, and the decision follows attachments as they change.
func TestDevSCPEnforcement(t *testing.T) {
	t.Parallel()
	srv := start(t, opts{Dev: true})
	ctx := ctxFor(t)
	d := buildDevOrg(t, srv)
	member := srv.orgAs(devKey(d.member))
	memberTrail := srv.trailAs(devKey(d.member))

	// Before any SCP of ours: FullAWSAccess everywhere, the member may
	// describe its organization.
	desc, err := member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must(t, err, "member DescribeOrganization before the SCP")
	if aws.ToString(desc.Organization.MasterAccountId) != ManagementAccount {
		t.Errorf("member sees management account %s, want %s", aws.ToString(desc.Organization.MasterAccountId), ManagementAccount)
	}

	deny := d.createPolicy(t, "deny-describe-organization", denySCP("organizations:DescribeOrganization"))
	d.attach(t, deny, d.retail)
	_, err = member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantDenied(t, err, d.member, "organizations:DescribeOrganization", explicitSCPDeny)
	if err != nil {
		t.Logf("denial: %v", err)
	}
	// Other actions stay allowed for the member.
	_, err = memberTrail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(1)})
	must(t, err, "member LookupEvents (not denied)")

	// SCPs never apply to the management account, even attached to it
	// and to the root.
	d.attach(t, deny, ManagementAccount)
	d.attach(t, deny, d.rootID)
	_, err = d.mgmt.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must(t, err, "management DescribeOrganization under a deny SCP")
	d.detach(t, deny, d.rootID)
	d.detach(t, deny, ManagementAccount)

	// Detaching the deny lifts it at once.
	d.detach(t, deny, d.retail)
	_, err = member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must(t, err, "member DescribeOrganization after the deny was detached")

	// An allow list without CloudTrail, in place of FullAWSAccess: the
	// member's LookupEvents is denied implicitly.
	allowOrgs := d.createPolicy(t, "allow-organizations-only", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:*","Resource":"*"}]}`)
	d.attach(t, allowOrgs, d.retail)
	d.detach(t, "p-FullAWSAccess", d.retail)
	_, err = memberTrail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(1)})
	wantDenied(t, err, d.member, "cloudtrail:LookupEvents", implicitSCPDeny)
	if err != nil {
		t.Logf("implicit denial: %v", err)
	}
	_, err = member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must(t, err, "member DescribeOrganization under the allow list")
	// The management account may still do everything.
	_, err = srv.trailAs(anyKey).LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(1)})
	must(t, err, "management LookupEvents")
}

// TestDevAccessKeys: in --dev, any access key is the management root, a
// 12-digit one the root of that account when it exists.
func TestDevAccessKeys(t *testing.T) {
	t.Parallel()
	srv := start(t, opts{Dev: true, AccountID: "default"})
	ctx := ctxFor(t)
	out, err := srv.orgAs(anyKey).CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	must(t, err, "CreateOrganization with any key")
	if got := aws.ToString(out.Organization.MasterAccountId); got != "123456789012" {
		t.Errorf("--dev management account = %s, want the default 123456789012", got)
	}
	// A 12-digit key that is no account acts as the management root.
	accts, err := srv.orgAs(devKey("999999999999")).ListAccounts(ctx, &organizations.ListAccountsInput{})
	must(t, err, "ListAccounts with an unknown 12-digit key")
	if len(accts.Accounts) != 1 {
		t.Errorf("ListAccounts = %d accounts, want the management account", len(accts.Accounts))
	}
	// A member account's root may describe its organization but not
	// list its accounts, until it is a delegated administrator.
	mgmt := srv.orgAs(anyKey)
	member := createAccount(t, mgmt, "tools", "tools@example.com")
	memberOrg := srv.orgAs(devKey(member))
	_, err = memberOrg.ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantErr(t, err, errAccessDenied, "")
	_, err = mgmt.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(pmpPrincipal)})
	must(t, err, "EnableAWSServiceAccess")
	_, err = mgmt.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(member), ServicePrincipal: aws.String(pmpPrincipal)})
	must(t, err, "RegisterDelegatedAdministrator")
	accts, err = memberOrg.ListAccounts(ctx, &organizations.ListAccountsInput{})
	must(t, err, "ListAccounts as a delegated administrator")
	if len(accts.Accounts) != 2 {
		t.Errorf("delegated administrator sees %d accounts, want 2", len(accts.Accounts))
	}
	// ... but may not change the organization.
	_, err = memberOrg.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String("r-abcd"), Name: aws.String("mine")})
	wantErr(t, err, errAccessDenied, "")
}

// TestDevReset: both reset endpoints wipe all state.
func TestDevReset(t *testing.T) {
	t.Parallel()
	srv := start(t, opts{Dev: true})
	ctx := ctxFor(t)
	c := srv.orgAs(anyKey)
	for _, path := range []string{"/_gatehouse/reset", "/moto-api/reset"} {
		_, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
		must(t, err, "CreateOrganization before "+path)
		resp, err := http.Post(srv.URL+path, "application/json", nil)
		must(t, err, "POST "+path)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("POST %s: %s, want 200", path, resp.Status)
		}
		_, err = c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		wantErr(t, err, errNotInUse, "")
	}
	// The management account and its root are set up again.
	out, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	must(t, err, "CreateOrganization after reset")
	if aws.ToString(out.Organization.MasterAccountId) != ManagementAccount {
		t.Errorf("management account after reset = %s", aws.ToString(out.Organization.MasterAccountId))
	}
}

// TestResetRequiresDev: without --dev the reset endpoints change nothing.
func TestResetRequiresDev(t *testing.T) {
	t.Parallel()
	srv := start(t, opts{})
	ctx := ctxFor(t)
	c := srv.org()
	_, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	must(t, err, "CreateOrganization")
	for _, path := range []string{"/_gatehouse/reset", "/moto-api/reset"} {
		resp, err := http.Post(srv.URL+path, "application/json", nil)
		must(t, err, "POST "+path)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("POST %s without --dev: %s", path, resp.Status)
		}
	}
	_, err = c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must(t, err, "DescribeOrganization after the reset attempts")
}

// TestDevRefusesNonLoopback: --dev turns authentication off, so it never
// listens beyond loopback.
func TestDevRefusesNonLoopback(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", ":0"} {
		t.Run(addr, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, gatehouseBin, "serve", "--dev", "--addr", addr, "--data", t.TempDir())
			cmd.Env = serverEnv(opts{NoRootKey: true})
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("serve --dev --addr %s did not exit: it is serving", addr)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("serve --dev --addr %s: %v, want a non-zero exit", addr, err)
			}
			if !strings.Contains(string(out), "loopback") {
				t.Errorf("serve --dev --addr %s says %q, want a message about loopback addresses", addr, out)
			}
		})
	}
}

// TestSCPAcrossInstances runs two Gatehouse instances on one PostgreSQL
// database: an SCP attached through one applies on the other, whose
// cached policy sets are invalidated by LISTEN/NOTIFY.
func TestSCPAcrossInstances(t *testing.T) {
	t.Parallel()
	db := postgresDatabase(t)
	a := start(t, opts{Dev: true, Database: db})
	b := start(t, opts{Dev: true, Database: db})
	ctx := ctxFor(t)
	d := buildDevOrg(t, a)
	memberOnB := b.orgAs(devKey(d.member))
	_, err := memberOnB.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must(t, err, "member DescribeOrganization on B (warms B's cache)")
	deny := d.createPolicy(t, "deny-describe-organization", denySCP("organizations:DescribeOrganization"))
	d.attach(t, deny, d.retail)
	eventually(t, "B denies what A's new SCP denies", func() bool {
		_, err := memberOnB.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		return err != nil
	})
	_, err = memberOnB.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantDenied(t, err, d.member, "organizations:DescribeOrganization", explicitSCPDeny)
	d.detach(t, deny, d.retail)
	eventually(t, "B allows again once A detached the SCP", func() bool {
		_, err := memberOnB.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		return err == nil
	})
}
