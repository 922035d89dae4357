package e2e

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// The seed's organization: three OUs, an account in each, and the
// Private Marketplace admin SCP attached to every OU.
var seedOUs = []string{"shared-services", "retail", "technology"}

// pmpPrincipal is the service principal of Private Marketplace.
const pmpPrincipal = "private-marketplace.marketplace.amazonaws.com"

// stackSetsPrincipal is a second service principal, for paging.
const stackSetsPrincipal = "member.org.stacksets.cloudformation.amazonaws.com"

// organizationsOperations are the 41 Organizations operations Gatehouse
// serves; the suite calls every one of them successfully.
var organizationsOperations = []string{
	"CreateOrganization", "DescribeOrganization", "DeleteOrganization", "ListRoots",
	"CreateOrganizationalUnit", "DescribeOrganizationalUnit", "UpdateOrganizationalUnit",
	"DeleteOrganizationalUnit", "ListOrganizationalUnitsForParent", "ListChildren", "ListParents",
	"CreateAccount", "DescribeCreateAccountStatus", "ListCreateAccountStatus", "DescribeAccount",
	"ListAccounts", "ListAccountsForParent", "MoveAccount", "RemoveAccountFromOrganization",
	"CloseAccount", "EnablePolicyType", "DisablePolicyType", "CreatePolicy", "UpdatePolicy",
	"DeletePolicy", "DescribePolicy", "ListPolicies", "AttachPolicy", "DetachPolicy",
	"ListPoliciesForTarget", "ListTargetsForPolicy", "EnableAWSServiceAccess",
	"DisableAWSServiceAccess", "ListAWSServiceAccessForOrganization",
	"RegisterDelegatedAdministrator", "DeregisterDelegatedAdministrator",
	"ListDelegatedAdministrators", "ListDelegatedServicesForAccount", "TagResource",
	"UntagResource", "ListTagsForResource",
}

// TestOrganizations builds the seed's organization with the SDK and
// exercises every Organizations operation, success and AWS error paths,
// on SQLite and on PostgreSQL.
func TestOrganizations(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		s := &orgSuite{srv: srv, c: srv.org(), ous: map[string]string{}, accounts: map[string]string{}}
		s.run(t)
	})
}

// orgSuite is the state the suite's steps share.
type orgSuite struct {
	srv      *server
	c        *organizations.Client
	orgID    string
	rootID   string
	ous      map[string]string // seed OU name → id
	accounts map[string]string // seed OU name → the id of the account in it
	scpID    string            // the seed SCP
}

func (s *orgSuite) run(t *testing.T) {
	// The steps build on each other: a failed step that builds the seed's
	// organization ends the suite.
	steps := []struct {
		name string
		f    func(t *testing.T)
		seed bool
	}{
		{name: "BeforeCreateOrganization", f: s.beforeCreate, seed: true},
		{name: "CreateOrganization", f: s.createOrganization, seed: true},
		{name: "SeedOUs", f: s.seedOUs, seed: true},
		{name: "SeedAccounts", f: s.seedAccounts, seed: true},
		{name: "SeedSCP", f: s.attachSeedSCP, seed: true},
		{name: "SCPAttachmentLimits", f: s.scpLimits},
		{name: "OUDepthAndDeletion", f: s.ouDepth},
		{name: "ResourceControlPolicies", f: s.rcps},
		{name: "Tags", f: s.tags},
		{name: "TrustedAccessAndDelegatedAdministrators", f: s.delegated},
		{name: "Paging", f: s.paging},
		{name: "CloseAndRemoveAccounts", f: s.closeAndRemove},
		{name: "DisableSCPs", f: s.disableSCPs},
		{name: "DeleteOrganization", f: s.deleteOrganization},
		{name: "ConsolidatedBilling", f: s.consolidatedBilling},
		{name: "EveryOperationAudited", f: s.everyOperation},
	}
	for _, st := range steps {
		if !t.Run(st.name, st.f) && st.seed {
			t.Fatalf("step %s failed; later steps depend on it", st.name)
		}
	}
}

func (s *orgSuite) beforeCreate(t *testing.T) {
	c := s.c
	runErrCases(t, []errCase{
		{name: "DescribeOrganization", want: errNotInUse, call: func(ctx context.Context) error {
			_, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			return err
		}},
		{name: "ListRoots", want: errNotInUse, call: func(ctx context.Context) error {
			_, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
			return err
		}},
		{name: "ListAccounts", want: errNotInUse, call: func(ctx context.Context) error {
			_, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{})
			return err
		}},
		{name: "CreateOrganizationalUnit", want: errNotInUse, call: func(ctx context.Context) error {
			_, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String("r-abcd"), Name: aws.String("retail")})
			return err
		}},
		{name: "DeleteOrganization", want: errNotInUse, call: func(ctx context.Context) error {
			_, err := c.DeleteOrganization(ctx, &organizations.DeleteOrganizationInput{})
			return err
		}},
		{name: "CreateOrganization/InvalidFeatureSet", want: errInvalidInput, reason: "INVALID_ENUM", call: func(ctx context.Context) error {
			_, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: "SOME"})
			return err
		}},
	})
}

func (s *orgSuite) createOrganization(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	out, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: types.OrganizationFeatureSetAll})
	must(t, err, "CreateOrganization")
	o := out.Organization
	s.orgID = aws.ToString(o.Id)
	if !orgIDRE.MatchString(s.orgID) {
		t.Errorf("organization id %q is not o- and 10 characters", s.orgID)
	}
	if got := aws.ToString(o.MasterAccountId); got != ManagementAccount {
		t.Errorf("MasterAccountId = %s, want %s", got, ManagementAccount)
	}
	if want := "arn:aws:organizations::" + ManagementAccount + ":organization/" + s.orgID; aws.ToString(o.Arn) != want {
		t.Errorf("Arn = %s, want %s", aws.ToString(o.Arn), want)
	}
	if o.FeatureSet != types.OrganizationFeatureSetAll {
		t.Errorf("FeatureSet = %s, want ALL", o.FeatureSet)
	}
	if !hasPolicyType(o.AvailablePolicyTypes, types.PolicyTypeServiceControlPolicy) {
		t.Errorf("AvailablePolicyTypes = %+v, want SCPs enabled", o.AvailablePolicyTypes)
	}

	d, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	must(t, err, "DescribeOrganization")
	if aws.ToString(d.Organization.Id) != s.orgID {
		t.Errorf("DescribeOrganization id = %s, want %s", aws.ToString(d.Organization.Id), s.orgID)
	}

	roots, pages := drain(t, organizations.NewListRootsPaginator(c, &organizations.ListRootsInput{MaxResults: aws.Int32(1)}),
		func(o *organizations.ListRootsOutput) []types.Root { return o.Roots })
	if len(roots) != 1 || pages != 1 {
		t.Fatalf("ListRoots: %d roots in %d pages, want 1 in 1", len(roots), pages)
	}
	r := roots[0]
	s.rootID = aws.ToString(r.Id)
	if !rootIDRE.MatchString(s.rootID) || aws.ToString(r.Name) != "Root" {
		t.Errorf("root = %s %q, want r-XXXX named Root", s.rootID, aws.ToString(r.Name))
	}
	if !hasPolicyType(r.PolicyTypes, types.PolicyTypeServiceControlPolicy) {
		t.Errorf("root policy types = %+v, want SCPs enabled", r.PolicyTypes)
	}
	p, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: r.Id, Filter: types.PolicyTypeServiceControlPolicy})
	must(t, err, "ListPoliciesForTarget root")
	if ids := policyIDs(p.Policies); !slices.Equal(ids, []string{"p-FullAWSAccess"}) {
		t.Errorf("policies of the root = %v, want [p-FullAWSAccess]", ids)
	}

	runErrCases(t, []errCase{
		{name: "CreateOrganizationAgain", want: errAlreadyInOrg, call: func(ctx context.Context) error {
			_, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
			return err
		}},
	})
}

func hasPolicyType(ts []types.PolicyTypeSummary, want types.PolicyType) bool {
	for _, pt := range ts {
		if pt.Type == want && pt.Status == types.PolicyTypeStatusEnabled {
			return true
		}
	}
	return false
}

func (s *orgSuite) seedOUs(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	for _, name := range seedOUs {
		out, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{
			ParentId: aws.String(s.rootID), Name: aws.String(name),
			Tags: []types.Tag{{Key: aws.String("seed"), Value: aws.String(name)}},
		})
		must(t, err, "CreateOrganizationalUnit "+name)
		ou := out.OrganizationalUnit
		id := aws.ToString(ou.Id)
		if !strings.HasPrefix(id, "ou-"+strings.TrimPrefix(s.rootID, "r-")+"-") || len(id) != len("ou-xxxx-12345678") {
			t.Errorf("OU id %q is not ou-<root>-<8>", id)
		}
		if want := "arn:aws:organizations::" + ManagementAccount + ":ou/" + s.orgID + "/" + id; aws.ToString(ou.Arn) != want {
			t.Errorf("OU Arn = %s, want %s", aws.ToString(ou.Arn), want)
		}
		s.ous[name] = id
	}
	ous, pages := drain(t, organizations.NewListOrganizationalUnitsForParentPaginator(c, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(s.rootID), MaxResults: aws.Int32(1)}),
		func(o *organizations.ListOrganizationalUnitsForParentOutput) []types.OrganizationalUnit {
			return o.OrganizationalUnits
		})
	wantPages(t, "ListOrganizationalUnitsForParent", len(ous), 1, pages)
	if got := ouNames(ous); len(got) != 3 || got["retail"] != s.ous["retail"] {
		t.Errorf("ListOrganizationalUnitsForParent = %v, want the seed's OUs %v", got, s.ous)
	}
	d, err := c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String(s.ous["technology"])})
	must(t, err, "DescribeOrganizationalUnit")
	if aws.ToString(d.OrganizationalUnit.Name) != "technology" {
		t.Errorf("DescribeOrganizationalUnit name = %q", aws.ToString(d.OrganizationalUnit.Name))
	}
	parents, _ := drain(t, organizations.NewListParentsPaginator(c, &organizations.ListParentsInput{ChildId: aws.String(s.ous["retail"])}),
		func(o *organizations.ListParentsOutput) []types.Parent { return o.Parents })
	if len(parents) != 1 || aws.ToString(parents[0].Id) != s.rootID || parents[0].Type != types.ParentTypeRoot {
		t.Errorf("ListParents(retail) = %+v, want the root", parents)
	}

	missingOU := "ou-" + strings.TrimPrefix(s.rootID, "r-") + "-zzzzzzzz"
	runErrCases(t, []errCase{
		{name: "DuplicateName", want: errDuplicateOU, call: func(ctx context.Context) error {
			_, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(s.rootID), Name: aws.String("retail")})
			return err
		}},
		{name: "MissingParentOU", want: errParentNotFound, call: func(ctx context.Context) error {
			_, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(missingOU), Name: aws.String("orphan")})
			return err
		}},
		{name: "MissingParentRoot", want: errParentNotFound, call: func(ctx context.Context) error {
			_, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String("r-zzzz"), Name: aws.String("orphan")})
			return err
		}},
		{name: "MalformedParent", want: errInvalidInput, reason: "INVALID_PATTERN", call: func(ctx context.Context) error {
			_, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String("not-a-parent"), Name: aws.String("orphan")})
			return err
		}},
		{name: "DescribeMissingOU", want: errOUNotFound, call: func(ctx context.Context) error {
			_, err := c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String(missingOU)})
			return err
		}},
		{name: "RenameToSiblingsName", want: errDuplicateOU, call: func(ctx context.Context) error {
			_, err := c.UpdateOrganizationalUnit(ctx, &organizations.UpdateOrganizationalUnitInput{OrganizationalUnitId: aws.String(s.ous["retail"]), Name: aws.String("technology")})
			return err
		}},
		{name: "ListChildrenOfMissingParent", want: errParentNotFound, call: func(ctx context.Context) error {
			_, err := c.ListChildren(ctx, &organizations.ListChildrenInput{ParentId: aws.String(missingOU), ChildType: types.ChildTypeAccount})
			return err
		}},
		{name: "ListParentsOfMissingOU", want: errChildNotFound, call: func(ctx context.Context) error {
			_, err := c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(missingOU)})
			return err
		}},
		{name: "ListParentsOfMissingAccount", want: errChildNotFound, call: func(ctx context.Context) error {
			_, err := c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String("999999999999")})
			return err
		}},
	})
}

func (s *orgSuite) seedAccounts(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	for _, name := range seedOUs {
		id := createAccount(t, c, name+"-workloads", name+"@seed.example.com", types.Tag{Key: aws.String("ou"), Value: aws.String(name)})
		_, err := c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(id), SourceParentId: aws.String(s.rootID), DestinationParentId: aws.String(s.ous[name])})
		must(t, err, "MoveAccount "+name)
		s.accounts[name] = id
	}

	// An email address that is taken fails the request, not the call.
	out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("again"), Email: aws.String("retail@seed.example.com")})
	must(t, err, "CreateAccount with a taken email")
	st, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: out.CreateAccountStatus.Id})
	must(t, err, "DescribeCreateAccountStatus")
	if st.CreateAccountStatus.State != types.CreateAccountStateFailed || st.CreateAccountStatus.FailureReason != types.CreateAccountFailureReasonEmailAlreadyExists {
		t.Errorf("CreateAccount with a taken email: %s %s, want FAILED EMAIL_ALREADY_EXISTS", st.CreateAccountStatus.State, st.CreateAccountStatus.FailureReason)
	}
	succeeded, pages := drain(t, organizations.NewListCreateAccountStatusPaginator(c, &organizations.ListCreateAccountStatusInput{States: []types.CreateAccountState{types.CreateAccountStateSucceeded}, MaxResults: aws.Int32(2)}),
		func(o *organizations.ListCreateAccountStatusOutput) []types.CreateAccountStatus {
			return o.CreateAccountStatuses
		})
	wantPages(t, "ListCreateAccountStatus SUCCEEDED", len(succeeded), 2, pages)
	if len(succeeded) != 3 {
		t.Errorf("ListCreateAccountStatus SUCCEEDED: %d, want 3", len(succeeded))
	}
	failed, _ := drain(t, organizations.NewListCreateAccountStatusPaginator(c, &organizations.ListCreateAccountStatusInput{States: []types.CreateAccountState{types.CreateAccountStateFailed}}),
		func(o *organizations.ListCreateAccountStatusOutput) []types.CreateAccountStatus {
			return o.CreateAccountStatuses
		})
	if len(failed) != 1 {
		t.Errorf("ListCreateAccountStatus FAILED: %d, want 1", len(failed))
	}

	accts, pages := drain(t, organizations.NewListAccountsPaginator(c, &organizations.ListAccountsInput{MaxResults: aws.Int32(1)}),
		func(o *organizations.ListAccountsOutput) []types.Account { return o.Accounts })
	wantPages(t, "ListAccounts", len(accts), 1, pages)
	if len(accts) != 4 {
		t.Errorf("ListAccounts: %d accounts, want 4 (management + 3)", len(accts))
	}
	for _, name := range seedOUs {
		id := s.accounts[name]
		in, _ := drain(t, organizations.NewListAccountsForParentPaginator(c, &organizations.ListAccountsForParentInput{ParentId: aws.String(s.ous[name])}),
			func(o *organizations.ListAccountsForParentOutput) []types.Account { return o.Accounts })
		if len(in) != 1 || aws.ToString(in[0].Id) != id {
			t.Errorf("ListAccountsForParent(%s) = %d accounts, want %s", name, len(in), id)
		}
		parents, _ := drain(t, organizations.NewListParentsPaginator(c, &organizations.ListParentsInput{ChildId: aws.String(id)}),
			func(o *organizations.ListParentsOutput) []types.Parent { return o.Parents })
		if len(parents) != 1 || aws.ToString(parents[0].Id) != s.ous[name] || parents[0].Type != types.ParentTypeOrganizationalUnit {
			t.Errorf("ListParents(%s) = %+v, want OU %s", id, parents, s.ous[name])
		}
	}
	d, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(s.accounts["retail"])})
	must(t, err, "DescribeAccount")
	a := d.Account
	if a.Status != types.AccountStatusActive || a.JoinedMethod != types.AccountJoinedMethodCreated ||
		aws.ToString(a.Email) != "retail@seed.example.com" || aws.ToString(a.Name) != "retail-workloads" ||
		aws.ToString(a.Arn) != "arn:aws:organizations::"+ManagementAccount+":account/"+s.orgID+"/"+s.accounts["retail"] {
		t.Errorf("DescribeAccount = %+v", a)
	}
	if a.JoinedTimestamp == nil || time.Since(*a.JoinedTimestamp) > time.Minute || time.Until(*a.JoinedTimestamp) > time.Second {
		t.Errorf("DescribeAccount JoinedTimestamp = %v, want about now", a.JoinedTimestamp)
	}

	// The root's children: the OUs, and of the accounts only the
	// management account.
	kids, pages := drain(t, organizations.NewListChildrenPaginator(c, &organizations.ListChildrenInput{ParentId: aws.String(s.rootID), ChildType: types.ChildTypeOrganizationalUnit, MaxResults: aws.Int32(2)}),
		func(o *organizations.ListChildrenOutput) []types.Child { return o.Children })
	wantPages(t, "ListChildren OUs", len(kids), 2, pages)
	if len(kids) != 3 {
		t.Errorf("ListChildren(root, OU) = %d, want 3", len(kids))
	}
	kids, _ = drain(t, organizations.NewListChildrenPaginator(c, &organizations.ListChildrenInput{ParentId: aws.String(s.rootID), ChildType: types.ChildTypeAccount}),
		func(o *organizations.ListChildrenOutput) []types.Child { return o.Children })
	if len(kids) != 1 || aws.ToString(kids[0].Id) != ManagementAccount {
		t.Errorf("ListChildren(root, ACCOUNT) = %+v, want only the management account", kids)
	}

	retail := s.accounts["retail"]
	missingOU := "ou-" + strings.TrimPrefix(s.rootID, "r-") + "-zzzzzzzz"
	move := func(account, from, to string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(account), SourceParentId: aws.String(from), DestinationParentId: aws.String(to)})
			return err
		}
	}
	runErrCases(t, []errCase{
		{name: "MoveFromWhereItIsNot", want: errAccountNotFound, call: move(retail, s.rootID, s.ous["technology"])},
		{name: "MoveToWhereItIs", want: errDuplicateAccount, call: move(retail, s.ous["retail"], s.ous["retail"])},
		{name: "MoveFromMissingParent", want: errSourceParent, call: move(retail, missingOU, s.ous["technology"])},
		{name: "MoveToMissingParent", want: errDestinationParent, call: move(retail, s.ous["retail"], missingOU)},
		{name: "MoveMissingAccount", want: errAccountNotFound, call: move("999999999999", s.rootID, s.ous["retail"])},
		{name: "DescribeMissingAccount", want: errAccountNotFound, call: func(ctx context.Context) error {
			_, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("999999999999")})
			return err
		}},
		{name: "DescribeMissingCreateAccountRequest", want: errCARNotFound, call: func(ctx context.Context) error {
			_, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: aws.String("car-" + strings.Repeat("0", 32))})
			return err
		}},
		{name: "ListAccountsForMissingParent", want: errParentNotFound, call: func(ctx context.Context) error {
			_, err := c.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: aws.String(missingOU)})
			return err
		}},
		{name: "CreateAccountBadEmail", want: errInvalidInput, reason: "INVALID_PATTERN", call: func(ctx context.Context) error {
			_, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("x"), Email: aws.String("not-an-email")})
			return err
		}},
	})
}

func (s *orgSuite) attachSeedSCP(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	content := seedSCP(t)
	out, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{
		Name: aws.String("pmp-admin-scp"), Description: aws.String("Only the procurement manager administers the Private Marketplace"),
		Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(content),
		Tags: []types.Tag{{Key: aws.String("seed"), Value: aws.String("pmp")}},
	})
	must(t, err, "CreatePolicy seed SCP")
	p := out.Policy
	s.scpID = aws.ToString(p.PolicySummary.Id)
	if !policyIDRE.MatchString(s.scpID) {
		t.Errorf("policy id %q is not p- and 8 characters", s.scpID)
	}
	if want := "arn:aws:organizations::" + ManagementAccount + ":policy/" + s.orgID + "/service_control_policy/" + s.scpID; aws.ToString(p.PolicySummary.Arn) != want {
		t.Errorf("policy Arn = %s, want %s", aws.ToString(p.PolicySummary.Arn), want)
	}
	if p.PolicySummary.AwsManaged || p.PolicySummary.Type != types.PolicyTypeServiceControlPolicy {
		t.Errorf("policy summary = %+v", p.PolicySummary)
	}
	d, err := c.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(s.scpID)})
	must(t, err, "DescribePolicy")
	if aws.ToString(d.Policy.Content) != content {
		t.Errorf("DescribePolicy content differs from what was created:\n%s", aws.ToString(d.Policy.Content))
	}
	for _, name := range seedOUs {
		_, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(s.scpID), TargetId: aws.String(s.ous[name])})
		must(t, err, "AttachPolicy to "+name)
	}
	for _, name := range seedOUs {
		ps, _ := drain(t, organizations.NewListPoliciesForTargetPaginator(c, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(s.ous[name]), Filter: types.PolicyTypeServiceControlPolicy, MaxResults: aws.Int32(1)}),
			func(o *organizations.ListPoliciesForTargetOutput) []types.PolicySummary { return o.Policies })
		ids := policyIDs(ps)
		slices.Sort(ids)
		if want := sortedStrings("p-FullAWSAccess", s.scpID); !slices.Equal(ids, want) {
			t.Errorf("ListPoliciesForTarget(%s) = %v, want %v", name, ids, want)
		}
	}
	targets, pages := drain(t, organizations.NewListTargetsForPolicyPaginator(c, &organizations.ListTargetsForPolicyInput{PolicyId: aws.String(s.scpID), MaxResults: aws.Int32(1)}),
		func(o *organizations.ListTargetsForPolicyOutput) []types.PolicyTargetSummary { return o.Targets })
	wantPages(t, "ListTargetsForPolicy", len(targets), 1, pages)
	var names []string
	for _, tg := range targets {
		if tg.Type != types.TargetTypeOrganizationalUnit {
			t.Errorf("target %+v is not an OU", tg)
		}
		names = append(names, aws.ToString(tg.Name))
	}
	slices.Sort(names)
	if want := sortedStrings(seedOUs...); !slices.Equal(names, want) {
		t.Errorf("ListTargetsForPolicy = %v, want %v", names, want)
	}
	all, _ := drain(t, organizations.NewListPoliciesPaginator(c, &organizations.ListPoliciesInput{Filter: types.PolicyTypeServiceControlPolicy, MaxResults: aws.Int32(1)}),
		func(o *organizations.ListPoliciesOutput) []types.PolicySummary { return o.Policies })
	if ids := policyIDs(all); !slices.Contains(ids, "p-FullAWSAccess") || !slices.Contains(ids, s.scpID) || len(ids) != 2 {
		t.Errorf("ListPolicies(SCP) = %v, want FullAWSAccess and the seed SCP", ids)
	}
	for _, p := range all {
		if aws.ToString(p.Id) == "p-FullAWSAccess" && (!p.AwsManaged || aws.ToString(p.Name) != "FullAWSAccess") {
			t.Errorf("FullAWSAccess summary = %+v", p)
		}
	}

	createSCP := func(name, content string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String(name), Description: aws.String("x"), Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(content)})
			return err
		}
	}
	attach := func(policy, target string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(policy), TargetId: aws.String(target)})
			return err
		}
	}
	huge := `{"Version":"2012-10-17","Statement":[{"Sid":"` + strings.Repeat("A", 5200) + `","Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	runErrCases(t, []errCase{
		{name: "AttachAgain", want: errDuplicateAttachment, call: attach(s.scpID, s.ous["retail"])},
		{name: "AttachMissingPolicy", want: errPolicyNotFound, call: attach("p-zzzzzzzz", s.ous["retail"])},
		{name: "AttachToMissingTarget", want: errTargetNotFound, call: attach(s.scpID, "ou-"+strings.TrimPrefix(s.rootID, "r-")+"-zzzzzzzz")},
		{name: "DuplicateName", want: errDuplicatePolicy, call: createSCP("pmp-admin-scp", denySCP("s3:*"))},
		{name: "MalformedEffect", want: errMalformedPolicy, call: createSCP("bad-effect", `{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}`)},
		{name: "MalformedNotJSON", want: errMalformedPolicy, call: createSCP("not-json", `Deny everything, please`)},
		{name: "MalformedPrincipalInSCP", want: errMalformedPolicy, call: createSCP("principal", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`)},
		{name: "ContentTooLarge", want: errConstraint, reason: "POLICY_CONTENT_LIMIT_EXCEEDED", call: createSCP("huge", huge)},
		{name: "DescribeMissingPolicy", want: errPolicyNotFound, call: func(ctx context.Context) error {
			_, err := c.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String("p-zzzzzzzz")})
			return err
		}},
		{name: "UpdateAWSManagedPolicy", want: errInvalidInput, reason: "IMMUTABLE_POLICY", call: func(ctx context.Context) error {
			_, err := c.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String("p-FullAWSAccess"), Description: aws.String("mine now")})
			return err
		}},
		{name: "DeleteAttachedPolicy", want: errPolicyInUse, call: func(ctx context.Context) error {
			_, err := c.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: aws.String(s.scpID)})
			return err
		}},
	})
}

func sortedStrings(v ...string) []string {
	v = slices.Clone(v)
	slices.Sort(v)
	return v
}

// scpLimits works on a scratch OU: at least one SCP on every target, at
// most five.
func (s *orgSuite) scpLimits(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	ou, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(s.rootID), Name: aws.String("sandbox")})
	must(t, err, "CreateOrganizationalUnit sandbox")
	sandbox := aws.ToString(ou.OrganizationalUnit.Id)
	detach := func(policy string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String(policy), TargetId: aws.String(sandbox)})
			return err
		}
	}
	runErrCases(t, []errCase{
		{name: "DetachTheLastSCP", want: errConstraint, reason: "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", call: detach("p-FullAWSAccess")},
		{name: "DetachWhatIsNotAttached", want: errPolicyNotAttached, call: detach(s.scpID)},
	})
	var extra []string
	for _, name := range []string{"limit-1", "limit-2", "limit-3", "limit-4", "limit-5"} {
		out, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String(name), Description: aws.String("limit test"), Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(denySCP("ec2:RunInstances"))})
		must(t, err, "CreatePolicy "+name)
		extra = append(extra, aws.ToString(out.Policy.PolicySummary.Id))
	}
	for _, id := range extra[:4] {
		_, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(id), TargetId: aws.String(sandbox)})
		must(t, err, "AttachPolicy to sandbox")
	}
	runErrCases(t, []errCase{
		{name: "SixthSCP", want: errConstraint, reason: "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", call: func(ctx context.Context) error {
			_, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(extra[4]), TargetId: aws.String(sandbox)})
			return err
		}},
	})
	// With other SCPs attached, FullAWSAccess may go.
	must(t, detach("p-FullAWSAccess")(ctx), "DetachPolicy FullAWSAccess")
	ps, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(sandbox), Filter: types.PolicyTypeServiceControlPolicy})
	must(t, err, "ListPoliciesForTarget sandbox")
	if ids := policyIDs(ps.Policies); len(ids) != 4 || slices.Contains(ids, "p-FullAWSAccess") {
		t.Errorf("sandbox policies after detaching FullAWSAccess = %v", ids)
	}

	// UpdatePolicy: name, description and content, validated.
	newContent := denySCP("ec2:RunInstances", "ec2:StartInstances")
	up, err := c.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String(extra[0]), Name: aws.String("limit-one"), Description: aws.String("renamed"), Content: aws.String(newContent)})
	must(t, err, "UpdatePolicy")
	if aws.ToString(up.Policy.PolicySummary.Name) != "limit-one" || aws.ToString(up.Policy.Content) != newContent {
		t.Errorf("UpdatePolicy = %+v", up.Policy.PolicySummary)
	}
	d, err := c.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(extra[0])})
	must(t, err, "DescribePolicy after UpdatePolicy")
	if aws.ToString(d.Policy.PolicySummary.Description) != "renamed" || aws.ToString(d.Policy.Content) != newContent {
		t.Errorf("DescribePolicy after UpdatePolicy = %+v", d.Policy.PolicySummary)
	}
	runErrCases(t, []errCase{
		{name: "UpdateWithMalformedContent", want: errMalformedPolicy, call: func(ctx context.Context) error {
			_, err := c.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String(extra[0]), Content: aws.String(`{"Statement":"nope"}`)})
			return err
		}},
		{name: "RenameToTakenName", want: errDuplicatePolicy, call: func(ctx context.Context) error {
			_, err := c.UpdatePolicy(ctx, &organizations.UpdatePolicyInput{PolicyId: aws.String(extra[0]), Name: aws.String("limit-2")})
			return err
		}},
	})

	// DeletePolicy of an unattached policy; deleting the OU detaches the
	// others.
	_, err = c.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: aws.String(extra[4])})
	must(t, err, "DeletePolicy")
	_, err = c.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: aws.String(extra[4])})
	wantErr(t, err, errPolicyNotFound, "")
	_, err = c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(sandbox)})
	must(t, err, "DeleteOrganizationalUnit sandbox")
	tg, err := c.ListTargetsForPolicy(ctx, &organizations.ListTargetsForPolicyInput{PolicyId: aws.String(extra[0])})
	must(t, err, "ListTargetsForPolicy after deleting the OU")
	if len(tg.Targets) != 0 {
		t.Errorf("policy still attached to %+v after its OU was deleted", tg.Targets)
	}
	for _, id := range extra[:4] {
		_, err := c.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: aws.String(id)})
		must(t, err, "DeletePolicy "+id)
	}
}

// ouDepth builds a chain of OUs five levels deep, fails on the sixth, and
// tears it down.
func (s *orgSuite) ouDepth(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	parent := s.rootID
	var chain []string
	for _, name := range []string{"level-1", "level-2", "level-3", "level-4", "level-5"} {
		out, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(parent), Name: aws.String(name)})
		must(t, err, "CreateOrganizationalUnit "+name)
		parent = aws.ToString(out.OrganizationalUnit.Id)
		chain = append(chain, parent)
	}
	runErrCases(t, []errCase{
		{name: "SixthLevel", want: errConstraint, reason: "OU_DEPTH_LIMIT_EXCEEDED", call: func(ctx context.Context) error {
			_, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(parent), Name: aws.String("level-6")})
			return err
		}},
		{name: "DeleteOUWithChildOU", want: errOUNotEmpty, call: func(ctx context.Context) error {
			_, err := c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(chain[3])})
			return err
		}},
		{name: "DeleteOUWithAccount", want: errOUNotEmpty, call: func(ctx context.Context) error {
			_, err := c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(s.ous["retail"])})
			return err
		}},
	})
	parents, err := c.ListParents(ctx, &organizations.ListParentsInput{ChildId: aws.String(chain[4])})
	must(t, err, "ListParents level-5")
	if len(parents.Parents) != 1 || aws.ToString(parents.Parents[0].Id) != chain[3] || parents.Parents[0].Type != types.ParentTypeOrganizationalUnit {
		t.Errorf("ListParents(level-5) = %+v, want level-4", parents.Parents)
	}
	up, err := c.UpdateOrganizationalUnit(ctx, &organizations.UpdateOrganizationalUnitInput{OrganizationalUnitId: aws.String(chain[4]), Name: aws.String("level-five")})
	must(t, err, "UpdateOrganizationalUnit")
	if aws.ToString(up.OrganizationalUnit.Name) != "level-five" {
		t.Errorf("UpdateOrganizationalUnit name = %q", aws.ToString(up.OrganizationalUnit.Name))
	}
	d, err := c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String(chain[4])})
	must(t, err, "DescribeOrganizationalUnit")
	if aws.ToString(d.OrganizationalUnit.Name) != "level-five" {
		t.Errorf("renamed OU is described as %q", aws.ToString(d.OrganizationalUnit.Name))
	}
	for i := len(chain) - 1; i >= 0; i-- {
		_, err := c.DeleteOrganizationalUnit(ctx, &organizations.DeleteOrganizationalUnitInput{OrganizationalUnitId: aws.String(chain[i])})
		must(t, err, "DeleteOrganizationalUnit level")
	}
	_, err = c.DescribeOrganizationalUnit(ctx, &organizations.DescribeOrganizationalUnitInput{OrganizationalUnitId: aws.String(chain[0])})
	wantErr(t, err, errOUNotFound, "")
}

// rcpTLS is a resource control policy: deny S3 over plain HTTP.
const rcpTLS = `{"Version":"2012-10-17","Statement":[{"Sid":"EnforceTLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}]}`

func (s *orgSuite) rcps(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	out, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("enforce-tls"), Description: aws.String("S3 over TLS only"), Type: types.PolicyTypeResourceControlPolicy, Content: aws.String(rcpTLS)})
	must(t, err, "CreatePolicy RCP (the type need not be enabled)")
	rcp := aws.ToString(out.Policy.PolicySummary.Id)
	policyType := func(op string, pt types.PolicyType, root string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			var err error
			if op == "enable" {
				_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: pt})
			} else {
				_, err = c.DisablePolicyType(ctx, &organizations.DisablePolicyTypeInput{RootId: aws.String(root), PolicyType: pt})
			}
			return err
		}
	}
	runErrCases(t, []errCase{
		{name: "AttachBeforeEnabling", want: errPolicyTypeNotOn, call: func(ctx context.Context) error {
			_, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(rcp), TargetId: aws.String(s.ous["retail"])})
			return err
		}},
		{name: "DisableBeforeEnabling", want: errPolicyTypeNotOn, call: policyType("disable", types.PolicyTypeResourceControlPolicy, s.rootID)},
		{name: "EnableOnMissingRoot", want: errRootNotFound, call: policyType("enable", types.PolicyTypeResourceControlPolicy, "r-zzzz")},
		{name: "EnableUnknownType", want: errInvalidInput, reason: "INVALID_ENUM_POLICY_TYPE", call: policyType("enable", "NOT_A_POLICY", s.rootID)},
	})
	en, err := c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(s.rootID), PolicyType: types.PolicyTypeResourceControlPolicy})
	must(t, err, "EnablePolicyType RCP")
	if !hasPolicyType(en.Root.PolicyTypes, types.PolicyTypeResourceControlPolicy) || !hasPolicyType(en.Root.PolicyTypes, types.PolicyTypeServiceControlPolicy) {
		t.Errorf("root policy types after enabling RCPs = %+v", en.Root.PolicyTypes)
	}
	runErrCases(t, []errCase{
		{name: "EnableAgain", want: errPolicyTypeOn, call: policyType("enable", types.PolicyTypeResourceControlPolicy, s.rootID)},
	})
	_, err = c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(rcp), TargetId: aws.String(s.ous["retail"])})
	must(t, err, "AttachPolicy RCP")
	ps, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(s.ous["retail"]), Filter: types.PolicyTypeResourceControlPolicy})
	must(t, err, "ListPoliciesForTarget RCP")
	if ids := policyIDs(ps.Policies); !slices.Equal(sortedStrings(ids...), sortedStrings("p-RCPFullAWSAccess", rcp)) {
		t.Errorf("RCPs of retail = %v, want RCPFullAWSAccess and %s", ids, rcp)
	}
	runErrCases(t, []errCase{
		{name: "DetachRCPFullAWSAccess", want: errInvalidInput, reason: "NON_DETACHABLE_POLICY", call: func(ctx context.Context) error {
			_, err := c.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: aws.String("p-RCPFullAWSAccess"), TargetId: aws.String(s.ous["retail"])})
			return err
		}},
	})
	dis, err := c.DisablePolicyType(ctx, &organizations.DisablePolicyTypeInput{RootId: aws.String(s.rootID), PolicyType: types.PolicyTypeResourceControlPolicy})
	must(t, err, "DisablePolicyType RCP")
	if hasPolicyType(dis.Root.PolicyTypes, types.PolicyTypeResourceControlPolicy) {
		t.Errorf("RCPs still enabled after DisablePolicyType: %+v", dis.Root.PolicyTypes)
	}
	tg, err := c.ListTargetsForPolicy(ctx, &organizations.ListTargetsForPolicyInput{PolicyId: aws.String(rcp)})
	must(t, err, "ListTargetsForPolicy RCP")
	if len(tg.Targets) != 0 {
		t.Errorf("disabling RCPs left the RCP attached to %+v", tg.Targets)
	}
	_, err = c.DeletePolicy(ctx, &organizations.DeletePolicyInput{PolicyId: aws.String(rcp)})
	must(t, err, "DeletePolicy RCP")
}

func (s *orgSuite) tags(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	listTags := func(id string) map[string]string {
		t.Helper()
		tags, _ := drain(t, organizations.NewListTagsForResourcePaginator(c, &organizations.ListTagsForResourceInput{ResourceId: aws.String(id)}),
			func(o *organizations.ListTagsForResourceOutput) []types.Tag { return o.Tags })
		m := map[string]string{}
		for _, tg := range tags {
			m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return m
	}
	// Tags given at creation.
	if got := listTags(s.ous["retail"]); got["seed"] != "retail" {
		t.Errorf("tags of the retail OU = %v", got)
	}
	if got := listTags(s.accounts["technology"]); got["ou"] != "technology" {
		t.Errorf("tags of the technology account = %v", got)
	}
	if got := listTags(s.scpID); got["seed"] != "pmp" {
		t.Errorf("tags of the seed SCP = %v", got)
	}
	for _, id := range []string{s.rootID, s.ous["retail"], s.accounts["retail"], s.scpID} {
		_, err := c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(id), Tags: []types.Tag{
			{Key: aws.String("cost-center"), Value: aws.String("cc-42")}, {Key: aws.String("owner"), Value: aws.String("platform")},
		}})
		must(t, err, "TagResource "+id)
		if got := listTags(id); got["cost-center"] != "cc-42" || got["owner"] != "platform" {
			t.Errorf("tags of %s = %v", id, got)
		}
		_, err = c.UntagResource(ctx, &organizations.UntagResourceInput{ResourceId: aws.String(id), TagKeys: []string{"owner", "not-there"}})
		must(t, err, "UntagResource "+id)
		if got := listTags(id); got["cost-center"] != "cc-42" || got["owner"] != "" {
			t.Errorf("tags of %s after UntagResource = %v", id, got)
		}
	}
	tag := func(id, key string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: aws.String(id), Tags: []types.Tag{{Key: aws.String(key), Value: aws.String("v")}}})
			return err
		}
	}
	runErrCases(t, []errCase{
		{name: "SystemTagKey", want: errInvalidInput, reason: "INVALID_SYSTEM_TAGS_PARAMETER", call: tag(s.ous["retail"], "aws:owner")},
		{name: "MissingOU", want: errTargetNotFound, call: tag("ou-"+strings.TrimPrefix(s.rootID, "r-")+"-zzzzzzzz", "k")},
		{name: "AWSManagedPolicy", want: errInvalidInput, reason: "IMMUTABLE_POLICY", call: tag("p-FullAWSAccess", "k")},
	})
}

func (s *orgSuite) delegated(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	tech := s.accounts["technology"]
	register := func(account, principal string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(account), ServicePrincipal: aws.String(principal)})
			return err
		}
	}
	deregister := func(account, principal string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.DeregisterDelegatedAdministrator(ctx, &organizations.DeregisterDelegatedAdministratorInput{AccountId: aws.String(account), ServicePrincipal: aws.String(principal)})
			return err
		}
	}
	runErrCases(t, []errCase{
		{name: "RegisterBeforeTrustedAccess", want: errConstraint, reason: "SERVICE_ACCESS_NOT_ENABLED", call: register(tech, pmpPrincipal)},
		{name: "UnrecognizedPrincipal", want: errInvalidInput, reason: "UNRECOGNIZED_SERVICE_PRINCIPAL", call: func(ctx context.Context) error {
			_, err := c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("not-a-service")})
			return err
		}},
	})
	for _, p := range []string{pmpPrincipal, stackSetsPrincipal, pmpPrincipal} { // enabling twice is no error
		_, err := c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(p)})
		must(t, err, "EnableAWSServiceAccess "+p)
	}
	enabled, pages := drain(t, organizations.NewListAWSServiceAccessForOrganizationPaginator(c, &organizations.ListAWSServiceAccessForOrganizationInput{MaxResults: aws.Int32(1)}),
		func(o *organizations.ListAWSServiceAccessForOrganizationOutput) []types.EnabledServicePrincipal {
			return o.EnabledServicePrincipals
		})
	wantPages(t, "ListAWSServiceAccessForOrganization", len(enabled), 1, pages)
	var principals []string
	for _, e := range enabled {
		principals = append(principals, aws.ToString(e.ServicePrincipal))
		if e.DateEnabled == nil {
			t.Errorf("%s has no DateEnabled", aws.ToString(e.ServicePrincipal))
		}
	}
	if want := sortedStrings(pmpPrincipal, stackSetsPrincipal); !slices.Equal(sortedStrings(principals...), want) {
		t.Errorf("services with trusted access = %v, want %v", principals, want)
	}

	must(t, register(tech, pmpPrincipal)(ctx), "RegisterDelegatedAdministrator Private Marketplace")
	must(t, register(tech, stackSetsPrincipal)(ctx), "RegisterDelegatedAdministrator StackSets")
	runErrCases(t, []errCase{
		{name: "RegisterAgain", want: errAlreadyRegistered, call: register(tech, pmpPrincipal)},
		{name: "RegisterManagementAccount", want: errConstraint, reason: "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR", call: register(ManagementAccount, pmpPrincipal)},
		{name: "RegisterMissingAccount", want: errAccountNotFound, call: register("999999999999", pmpPrincipal)},
		{name: "RemoveDelegatedAdministrator", want: errConstraint, reason: "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG", call: func(ctx context.Context) error {
			_, err := c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String(tech)})
			return err
		}},
	})
	admins, _ := drain(t, organizations.NewListDelegatedAdministratorsPaginator(c, &organizations.ListDelegatedAdministratorsInput{ServicePrincipal: aws.String(pmpPrincipal)}),
		func(o *organizations.ListDelegatedAdministratorsOutput) []types.DelegatedAdministrator {
			return o.DelegatedAdministrators
		})
	if len(admins) != 1 || aws.ToString(admins[0].Id) != tech || aws.ToString(admins[0].Name) != "technology-workloads" || admins[0].DelegationEnabledDate == nil {
		t.Errorf("ListDelegatedAdministrators(Private Marketplace) = %+v, want the technology account", admins)
	}
	services, pages := drain(t, organizations.NewListDelegatedServicesForAccountPaginator(c, &organizations.ListDelegatedServicesForAccountInput{AccountId: aws.String(tech), MaxResults: aws.Int32(1)}),
		func(o *organizations.ListDelegatedServicesForAccountOutput) []types.DelegatedService {
			return o.DelegatedServices
		})
	wantPages(t, "ListDelegatedServicesForAccount", len(services), 1, pages)
	if len(services) != 2 {
		t.Errorf("ListDelegatedServicesForAccount = %+v, want 2 services", services)
	}

	must(t, deregister(tech, pmpPrincipal)(ctx), "DeregisterDelegatedAdministrator")
	must(t, deregister(tech, stackSetsPrincipal)(ctx), "DeregisterDelegatedAdministrator")
	runErrCases(t, []errCase{
		{name: "DeregisterAgain", want: errNotRegistered, call: deregister(tech, pmpPrincipal)},
		{name: "ListServicesOfNonAdministrator", want: errNotRegistered, call: func(ctx context.Context) error {
			_, err := c.ListDelegatedServicesForAccount(ctx, &organizations.ListDelegatedServicesForAccountInput{AccountId: aws.String(tech)})
			return err
		}},
	})
	all, err := c.ListDelegatedAdministrators(ctx, &organizations.ListDelegatedAdministratorsInput{})
	must(t, err, "ListDelegatedAdministrators")
	if len(all.DelegatedAdministrators) != 0 {
		t.Errorf("delegated administrators left: %+v", all.DelegatedAdministrators)
	}
	for _, p := range []string{pmpPrincipal, stackSetsPrincipal} {
		_, err := c.DisableAWSServiceAccess(ctx, &organizations.DisableAWSServiceAccessInput{ServicePrincipal: aws.String(p)})
		must(t, err, "DisableAWSServiceAccess "+p)
	}
	left, err := c.ListAWSServiceAccessForOrganization(ctx, &organizations.ListAWSServiceAccessForOrganizationInput{})
	must(t, err, "ListAWSServiceAccessForOrganization")
	if len(left.EnabledServicePrincipals) != 0 {
		t.Errorf("services with trusted access left: %+v", left.EnabledServicePrincipals)
	}
}

func (s *orgSuite) paging(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	first, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{MaxResults: aws.Int32(1)})
	must(t, err, "ListAccounts")
	if first.NextToken == nil {
		t.Fatal("ListAccounts with MaxResults 1 returned no NextToken")
	}
	runErrCases(t, []errCase{
		{name: "MaxResultsTooLarge", want: errInvalidInput, reason: "MAX_VALUE_EXCEEDED", call: func(ctx context.Context) error {
			_, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{MaxResults: aws.Int32(21)})
			return err
		}},
		{name: "MaxResultsZero", want: errInvalidInput, reason: "MIN_VALUE_EXCEEDED", call: func(ctx context.Context) error {
			_, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{MaxResults: aws.Int32(0)})
			return err
		}},
		{name: "GarbageNextToken", want: errInvalidInput, reason: "INVALID_NEXT_TOKEN", call: func(ctx context.Context) error {
			_, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{NextToken: aws.String("garbage!")})
			return err
		}},
		{name: "NextTokenOfAnotherQuery", want: errInvalidInput, reason: "INVALID_NEXT_TOKEN", call: func(ctx context.Context) error {
			_, err := c.ListRoots(ctx, &organizations.ListRootsInput{NextToken: first.NextToken})
			return err
		}},
	})
}

func (s *orgSuite) closeAndRemove(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	shared := s.accounts["shared-services"]
	_, err := c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(shared)})
	must(t, err, "CloseAccount")
	d, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(shared)})
	must(t, err, "DescribeAccount closed")
	if d.Account.Status != types.AccountStatusSuspended {
		t.Errorf("closed account status = %s, want SUSPENDED", d.Account.Status)
	}
	remove := func(id string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.RemoveAccountFromOrganization(ctx, &organizations.RemoveAccountFromOrganizationInput{AccountId: aws.String(id)})
			return err
		}
	}
	runErrCases(t, []errCase{
		{name: "CloseAgain", want: errAlreadyClosed, call: func(ctx context.Context) error {
			_, err := c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(shared)})
			return err
		}},
		{name: "CloseManagementAccount", want: errConstraint, reason: "CANNOT_CLOSE_MANAGEMENT_ACCOUNT", call: func(ctx context.Context) error {
			_, err := c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(ManagementAccount)})
			return err
		}},
		{name: "RemoveManagementAccount", want: errMasterCannotLeave, call: remove(ManagementAccount)},
		{name: "DeleteOrganizationWithMembers", want: errOrgNotEmpty, call: func(ctx context.Context) error {
			_, err := c.DeleteOrganization(ctx, &organizations.DeleteOrganizationInput{})
			return err
		}},
	})
	retail := s.accounts["retail"]
	must(t, remove(retail)(ctx), "RemoveAccountFromOrganization")
	runErrCases(t, []errCase{
		{name: "DescribeRemovedAccount", want: errAccountNotFound, call: func(ctx context.Context) error {
			_, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(retail)})
			return err
		}},
		{name: "RemoveAgain", want: errAccountNotFound, call: remove(retail)},
		{name: "PoliciesOfRemovedAccount", want: errTargetNotFound, call: func(ctx context.Context) error {
			_, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(retail), Filter: types.PolicyTypeServiceControlPolicy})
			return err
		}},
	})
	accts, _ := drain(t, organizations.NewListAccountsPaginator(c, &organizations.ListAccountsInput{}),
		func(o *organizations.ListAccountsOutput) []types.Account { return o.Accounts })
	if len(accts) != 3 {
		t.Errorf("ListAccounts after one removal: %d, want 3", len(accts))
	}
	// The organization's other members leave too, so that it can be
	// deleted.
	must(t, remove(shared)(ctx), "RemoveAccountFromOrganization closed account")
	must(t, remove(s.accounts["technology"])(ctx), "RemoveAccountFromOrganization technology")
}

// disableSCPs disables the SCP type: every SCP is detached, attaching one
// is PolicyTypeNotEnabledException, and enabling again restores
// FullAWSAccess everywhere.
func (s *orgSuite) disableSCPs(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	_, err := c.DisablePolicyType(ctx, &organizations.DisablePolicyTypeInput{RootId: aws.String(s.rootID), PolicyType: types.PolicyTypeServiceControlPolicy})
	must(t, err, "DisablePolicyType SCP")
	tg, err := c.ListTargetsForPolicy(ctx, &organizations.ListTargetsForPolicyInput{PolicyId: aws.String(s.scpID)})
	must(t, err, "ListTargetsForPolicy")
	if len(tg.Targets) != 0 {
		t.Errorf("seed SCP still attached to %d targets after disabling SCPs", len(tg.Targets))
	}
	runErrCases(t, []errCase{
		{name: "AttachWhileDisabled", want: errPolicyTypeNotOn, call: func(ctx context.Context) error {
			_, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(s.scpID), TargetId: aws.String(s.ous["retail"])})
			return err
		}},
	})
	_, err = c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(s.rootID), PolicyType: types.PolicyTypeServiceControlPolicy})
	must(t, err, "EnablePolicyType SCP")
	for _, id := range []string{s.rootID, s.ous["technology"], ManagementAccount} {
		ps, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(id), Filter: types.PolicyTypeServiceControlPolicy})
		must(t, err, "ListPoliciesForTarget")
		if ids := policyIDs(ps.Policies); !slices.Equal(ids, []string{"p-FullAWSAccess"}) {
			t.Errorf("SCPs of %s after enabling again = %v, want [p-FullAWSAccess]", id, ids)
		}
	}
}

func (s *orgSuite) deleteOrganization(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	_, err := c.DeleteOrganization(ctx, &organizations.DeleteOrganizationInput{})
	must(t, err, "DeleteOrganization")
	runErrCases(t, []errCase{
		{name: "DescribeOrganization", want: errNotInUse, call: func(ctx context.Context) error {
			_, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			return err
		}},
		{name: "ListRoots", want: errNotInUse, call: func(ctx context.Context) error {
			_, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
			return err
		}},
		{name: "DeleteAgain", want: errNotInUse, call: func(ctx context.Context) error {
			_, err := c.DeleteOrganization(ctx, &organizations.DeleteOrganizationInput{})
			return err
		}},
	})
}

func (s *orgSuite) consolidatedBilling(t *testing.T) {
	ctx, c := ctxFor(t), s.c
	out, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: types.OrganizationFeatureSetConsolidatedBilling})
	must(t, err, "CreateOrganization CONSOLIDATED_BILLING")
	if aws.ToString(out.Organization.Id) == s.orgID {
		t.Errorf("a new organization has the deleted one's id %s", s.orgID)
	}
	if out.Organization.FeatureSet != types.OrganizationFeatureSetConsolidatedBilling || len(out.Organization.AvailablePolicyTypes) != 0 {
		t.Errorf("consolidated billing organization = %+v", out.Organization)
	}
	roots, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
	must(t, err, "ListRoots")
	root := aws.ToString(roots.Roots[0].Id)
	runErrCases(t, []errCase{
		{name: "CreatePolicy", want: apiErr[*types.PolicyTypeNotAvailableForOrganizationException](), call: func(ctx context.Context) error {
			_, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("x"), Description: aws.String("x"), Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(denySCP("s3:*"))})
			return err
		}},
		{name: "EnablePolicyType", want: apiErr[*types.PolicyTypeNotAvailableForOrganizationException](), call: func(ctx context.Context) error {
			_, err := c.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{RootId: aws.String(root), PolicyType: types.PolicyTypeServiceControlPolicy})
			return err
		}},
		{name: "EnableAWSServiceAccess", want: errConstraint, reason: "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE", call: func(ctx context.Context) error {
			_, err := c.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(pmpPrincipal)})
			return err
		}},
	})
	_, err = c.DeleteOrganization(ctx, &organizations.DeleteOrganizationInput{})
	must(t, err, "DeleteOrganization")
}

// everyOperation reads the audit trail back: each of the 41 operations
// succeeded at least once.
func (s *orgSuite) everyOperation(t *testing.T) {
	ct := s.srv.trail()
	missing := func() []string {
		ok := map[string]bool{}
		p := cloudtrail.NewLookupEventsPaginator(ct, &cloudtrail.LookupEventsInput{
			LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyEventSource, AttributeValue: aws.String("organizations.amazonaws.com")}},
		})
		ctx := ctxFor(t)
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			must(t, err, "LookupEvents")
			for _, e := range out.Events {
				var rec struct {
					ErrorCode string `json:"errorCode"`
				}
				if err := json.Unmarshal([]byte(aws.ToString(e.CloudTrailEvent)), &rec); err != nil {
					t.Fatalf("CloudTrailEvent is not JSON: %v", err)
				}
				if rec.ErrorCode == "" {
					ok[aws.ToString(e.EventName)] = true
				}
			}
		}
		var miss []string
		for _, op := range organizationsOperations {
			if !ok[op] {
				miss = append(miss, op)
			}
		}
		return miss
	}
	if len(organizationsOperations) != 41 {
		t.Errorf("the suite lists %d operations, want 41", len(organizationsOperations))
	}
	// Reads are audited in batches: wait for the last ones.
	deadline := time.Now().Add(10 * time.Second)
	for {
		miss := missing()
		if len(miss) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("operations with no successful call in the audit trail: %v", miss)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
