package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/smithy-go"
)

// errWant is an expected API error: one of the SDK's typed errors.
type errWant struct {
	name  string
	match func(err error) (reason string, ok bool)
}

// apiErr expects the SDK's typed error T, such as
// *types.DuplicateOrganizationalUnitException; it is matched with
// errors.As.
func apiErr[T smithy.APIError]() errWant {
	var zero T
	return errWant{name: fmt.Sprintf("%T", zero), match: func(err error) (string, bool) {
		var e T
		if !errors.As(err, &e) {
			return "", false
		}
		return reasonOf(e), true
	}}
}

// reasonOf returns the Reason member of the errors that have one.
func reasonOf(err error) string {
	var cv *types.ConstraintViolationException
	if errors.As(err, &cv) {
		return string(cv.Reason)
	}
	var ii *types.InvalidInputException
	if errors.As(err, &ii) {
		return string(ii.Reason)
	}
	return ""
}

// The errors the suites expect, by name.
var (
	errNotInUse            = apiErr[*types.AWSOrganizationsNotInUseException]()
	errAlreadyInOrg        = apiErr[*types.AlreadyInOrganizationException]()
	errDuplicateOU         = apiErr[*types.DuplicateOrganizationalUnitException]()
	errParentNotFound      = apiErr[*types.ParentNotFoundException]()
	errChildNotFound       = apiErr[*types.ChildNotFoundException]()
	errOUNotFound          = apiErr[*types.OrganizationalUnitNotFoundException]()
	errOUNotEmpty          = apiErr[*types.OrganizationalUnitNotEmptyException]()
	errPolicyTypeNotOn     = apiErr[*types.PolicyTypeNotEnabledException]()
	errPolicyTypeOn        = apiErr[*types.PolicyTypeAlreadyEnabledException]()
	errDuplicateAttachment = apiErr[*types.DuplicatePolicyAttachmentException]()
	errConstraint          = apiErr[*types.ConstraintViolationException]()
	errMalformedPolicy     = apiErr[*types.MalformedPolicyDocumentException]()
	errInvalidInput        = apiErr[*types.InvalidInputException]()
	errAccountNotFound     = apiErr[*types.AccountNotFoundException]()
	errDuplicateAccount    = apiErr[*types.DuplicateAccountException]()
	errSourceParent        = apiErr[*types.SourceParentNotFoundException]()
	errDestinationParent   = apiErr[*types.DestinationParentNotFoundException]()
	errCARNotFound         = apiErr[*types.CreateAccountStatusNotFoundException]()
	errPolicyNotFound      = apiErr[*types.PolicyNotFoundException]()
	errPolicyNotAttached   = apiErr[*types.PolicyNotAttachedException]()
	errPolicyInUse         = apiErr[*types.PolicyInUseException]()
	errDuplicatePolicy     = apiErr[*types.DuplicatePolicyException]()
	errTargetNotFound      = apiErr[*types.TargetNotFoundException]()
	errRootNotFound        = apiErr[*types.RootNotFoundException]()
	errAlreadyRegistered   = apiErr[*types.AccountAlreadyRegisteredException]()
	errNotRegistered       = apiErr[*types.AccountNotRegisteredException]()
	errAlreadyClosed       = apiErr[*types.AccountAlreadyClosedException]()
	errMasterCannotLeave   = apiErr[*types.MasterCannotLeaveOrganizationException]()
	errOrgNotEmpty         = apiErr[*types.OrganizationNotEmptyException]()
	errAccessDenied        = apiErr[*types.AccessDeniedException]()
)

// wantErr fails the test unless err is the expected error, with the
// expected Reason when reason is not empty.
func wantErr(t *testing.T, err error, want errWant, reason string) {
	t.Helper()
	if err == nil {
		t.Errorf("got success, want %s", want.name)
		return
	}
	got, ok := want.match(err)
	if !ok {
		t.Errorf("got %v (%T), want %s", err, unwrapAPI(err), want.name)
		return
	}
	if reason != "" && got != reason {
		t.Errorf("got %s with Reason %q, want Reason %q (%v)", want.name, got, reason, err)
	}
}

func unwrapAPI(err error) any {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae
	}
	return err
}

// errCase is one expected failure of an API call.
type errCase struct {
	name   string
	call   func(ctx context.Context) error
	want   errWant
	reason string
}

// runErrCases runs the cases as subtests.
func runErrCases(t *testing.T, cases []errCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, c.call(ctxFor(t)), c.want, c.reason)
		})
	}
}

// must fails the test now when err is not nil.
func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// orgPager is an SDK paginator of the Organizations client.
type orgPager[O any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*organizations.Options)) (*O, error)
}

// drain reads every page of p and returns the items and the number of
// pages read.
func drain[O, T any](t *testing.T, p orgPager[O], items func(*O) []T) ([]T, int) {
	t.Helper()
	ctx := ctxFor(t)
	var all []T
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		all = append(all, items(out)...)
		if pages > 1000 {
			t.Fatal("more than 1000 pages: the paginator does not end")
		}
	}
	return all, pages
}

// wantPages fails unless paging n items by size took the expected number
// of pages: proof that NextToken was honoured.
func wantPages(t *testing.T, what string, n, size, pages int) {
	t.Helper()
	want := (n + size - 1) / size
	if want == 0 {
		want = 1
	}
	if pages != want {
		t.Errorf("%s: %d items in %d pages of %d, want %d pages", what, n, pages, size, want)
	}
}

// createAccount creates an account and waits for its request to succeed.
func createAccount(t *testing.T, c *organizations.Client, name, email string, tags ...types.Tag) string {
	t.Helper()
	ctx := ctxFor(t)
	out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String(name), Email: aws.String(email), Tags: tags})
	must(t, err, "CreateAccount "+name)
	st := out.CreateAccountStatus
	if !regexp.MustCompile(`^car-[a-z0-9]{8,32}$`).MatchString(aws.ToString(st.Id)) {
		t.Errorf("CreateAccount request id %q is not car-...", aws.ToString(st.Id))
	}
	deadline := time.Now().Add(10 * time.Second)
	for st.State == types.CreateAccountStateInProgress {
		if time.Now().After(deadline) {
			t.Fatalf("CreateAccount %s still IN_PROGRESS after 10s", name)
		}
		d, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.Id})
		must(t, err, "DescribeCreateAccountStatus")
		st = d.CreateAccountStatus
		if st.State == types.CreateAccountStateInProgress {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if st.State != types.CreateAccountStateSucceeded {
		t.Fatalf("CreateAccount %s: state %s (%s), want SUCCEEDED", name, st.State, st.FailureReason)
	}
	if !accountIDRE.MatchString(aws.ToString(st.AccountId)) {
		t.Fatalf("CreateAccount %s: account id %q is not 12 digits", name, aws.ToString(st.AccountId))
	}
	return aws.ToString(st.AccountId)
}

var (
	accountIDRE = regexp.MustCompile(`^\d{12}$`)
	orgIDRE     = regexp.MustCompile(`^o-[a-z0-9]{10}$`)
	rootIDRE    = regexp.MustCompile(`^r-[a-z0-9]{4}$`)
	policyIDRE  = regexp.MustCompile(`^p-[a-z0-9]{8}$`)
)

// seedSCP is the seed's Private Marketplace admin SCP (2019 edition), as
// published.
func seedSCP(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/pmp-admin-scp-2019.json")
	must(t, err, "read the seed SCP")
	return string(b)
}

// denySCP returns an SCP that denies the actions.
func denySCP(actions ...string) string {
	list := ""
	for i, a := range actions {
		if i > 0 {
			list += ","
		}
		list += fmt.Sprintf("%q", a)
	}
	return `{"Version":"2012-10-17","Statement":[{"Sid":"DenyThem","Effect":"Deny","Action":[` + list + `],"Resource":"*"}]}`
}

// ouNames maps the names of the OUs to their ids.
func ouNames(ous []types.OrganizationalUnit) map[string]string {
	m := map[string]string{}
	for _, o := range ous {
		m[aws.ToString(o.Name)] = aws.ToString(o.Id)
	}
	return m
}

// policyIDs returns the ids of the policy summaries.
func policyIDs(ps []types.PolicySummary) []string {
	var ids []string
	for _, p := range ps {
		ids = append(ids, aws.ToString(p.Id))
	}
	return ids
}
