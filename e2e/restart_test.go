package e2e

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// TestRestart: the organization, its OUs, accounts, policies, tags,
// trusted services and audit trail survive a restart on the same data
// directory (and PostgreSQL schema).
func TestRestart(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		o := opts{DataDir: t.TempDir(), Database: b.database(t), Key: newRootKey()}
		first := start(t, o)
		ctx := ctxFor(t)
		c := first.org()
		org, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
		must(t, err, "CreateOrganization")
		roots, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
		must(t, err, "ListRoots")
		root := aws.ToString(roots.Roots[0].Id)
		ous := map[string]string{}
		for _, name := range seedOUs {
			out, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String(name)})
			must(t, err, "CreateOrganizationalUnit")
			ous[name] = aws.ToString(out.OrganizationalUnit.Id)
		}
		account := createAccount(t, c, "retail-shop", "shop@retail.example.com")
		_, err = c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(account), SourceParentId: aws.String(root), DestinationParentId: aws.String(ous["retail"])})
		must(t, err, "MoveAccount")
		pol, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("pmp-admin-scp"), Description: aws.String("seed"), Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(seedSCP(t))})
		must(t, err, "CreatePolicy")
		policy := aws.ToString(pol.Policy.PolicySummary.Id)
		for _, name := range seedOUs {
			_, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(policy), TargetId: aws.String(ous[name])})
			must(t, err, "AttachPolicy")
		}
		_, err = c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(ous["technology"]), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("platform")}}})
		must(t, err, "TagResource")
		_, err = c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(pmpPrincipal)})
		must(t, err, "EnableAWSServiceAccess")
		// A read, whose audit event is written in a batch: stopping must
		// flush it.
		_, err = c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		must(t, err, "DescribeOrganization")

		first.stop(t)
		if t.Failed() {
			t.FailNow()
		}
		second := start(t, o)
		c = second.org()

		d, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		must(t, err, "DescribeOrganization after restart")
		if aws.ToString(d.Organization.Id) != aws.ToString(org.Organization.Id) {
			t.Errorf("organization after restart = %s, want %s", aws.ToString(d.Organization.Id), aws.ToString(org.Organization.Id))
		}
		list, err := c.ListOrganizationalUnitsForParent(ctx, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(root)})
		must(t, err, "ListOrganizationalUnitsForParent")
		if got := ouNames(list.OrganizationalUnits); len(got) != 3 || got["retail"] != ous["retail"] || got["technology"] != ous["technology"] {
			t.Errorf("OUs after restart = %v, want %v", got, ous)
		}
		parents, err := c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(account)})
		must(t, err, "ListParents")
		if aws.ToString(parents.Parents[0].Id) != ous["retail"] {
			t.Errorf("account %s is in %s after restart, want retail", account, aws.ToString(parents.Parents[0].Id))
		}
		ps, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(ous["shared-services"]), Filter: types.PolicyTypeServiceControlPolicy})
		must(t, err, "ListPoliciesForTarget")
		if ids := policyIDs(ps.Policies); !slices.Contains(ids, policy) || !slices.Contains(ids, "p-FullAWSAccess") {
			t.Errorf("SCPs of shared-services after restart = %v", ids)
		}
		dp, err := c.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(policy)})
		must(t, err, "DescribePolicy")
		if aws.ToString(dp.Policy.Content) != seedSCP(t) {
			t.Error("policy content changed across the restart")
		}
		tags, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: aws.String(ous["technology"])})
		must(t, err, "ListTagsForResource")
		if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != "platform" {
			t.Errorf("tags after restart = %+v", tags.Tags)
		}
		svc, err := c.ListAWSServiceAccessForOrganization(ctx, &organizations.ListAWSServiceAccessForOrganizationInput{})
		must(t, err, "ListAWSServiceAccessForOrganization")
		if len(svc.EnabledServicePrincipals) != 1 || aws.ToString(svc.EnabledServicePrincipals[0].ServicePrincipal) != pmpPrincipal {
			t.Errorf("trusted services after restart = %+v", svc.EnabledServicePrincipals)
		}
		for _, name := range []string{"CreateOrganization", "AttachPolicy", "DescribeOrganization"} {
			evs, err := second.trail().LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String(name)}}})
			must(t, err, "LookupEvents")
			if len(evs.Events) == 0 {
				t.Errorf("no %s event from before the restart", name)
			}
		}
	})
}

// TestGeneratedRootCredentials: without a root key in the environment,
// the server generates one into DATA/root-credentials, mode 0600, in the
// AWS credentials file format; the SDK signs with it, and it stays the
// same across restarts.
func TestGeneratedRootCredentials(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := start(t, opts{DataDir: dir, NoRootKey: true})
	path := filepath.Join(dir, "root-credentials")
	fi, err := os.Stat(path)
	must(t, err, "stat root-credentials")
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("root-credentials mode = %v, want 0600", fi.Mode().Perm())
	}
	if fi, err := os.Stat(filepath.Join(dir, "master.key")); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("master.key mode = %v, want 0600", fi.Mode().Perm())
	}
	before, err := os.ReadFile(path)
	must(t, err, "read root-credentials")
	creds := readCredentialsFile(t, path, "default")
	first.Key = creds // the harness checks the log never shows the secret
	if !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(creds.AccessKeyID) || len(creds.SecretAccessKey) < 20 {
		t.Errorf("generated key %q (secret of %d characters)", creds.AccessKeyID, len(creds.SecretAccessKey))
	}
	if !strings.Contains(first.log.String(), path) {
		t.Errorf("the log does not say where the generated key is:\n%s", first.log.String())
	}
	ctx := ctxFor(t)
	out, err := first.orgAs(creds).CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
	must(t, err, "CreateOrganization with the generated key")
	if aws.ToString(out.Organization.MasterAccountId) != ManagementAccount {
		t.Errorf("the generated key belongs to %s", aws.ToString(out.Organization.MasterAccountId))
	}
	first.stop(t)

	second := start(t, opts{DataDir: dir, NoRootKey: true})
	second.Key = creds
	after, err := os.ReadFile(path)
	must(t, err, "read root-credentials after restart")
	if string(after) != string(before) {
		t.Error("root-credentials changed across the restart")
	}
	_, err = second.orgAs(creds).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must(t, err, "DescribeOrganization with the generated key after restart")
}

// readCredentialsFile reads a profile of an AWS shared credentials file.
func readCredentialsFile(t *testing.T, path, profile string) aws.Credentials {
	t.Helper()
	f, err := os.Open(path)
	must(t, err, "open "+path)
	defer f.Close()
	var creds aws.Credentials
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.TrimSpace(line[1 : len(line)-1])
		case section == profile:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("%s: malformed line %q", path, line)
			}
			switch strings.TrimSpace(k) {
			case "aws_access_key_id":
				creds.AccessKeyID = strings.TrimSpace(v)
			case "aws_secret_access_key":
				creds.SecretAccessKey = strings.TrimSpace(v)
			}
		}
	}
	must(t, sc.Err(), "read "+path)
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		t.Fatalf("%s has no complete [%s] profile", path, profile)
	}
	return creds
}
