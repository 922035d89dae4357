package deployment

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/agreement"
	"gatehouse/awserr"
	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

// fakeAgreements holds the active agreements by account and product.
type fakeAgreements map[[2]string]agreement.Agreement

func (f fakeAgreements) ActiveAgreement(_ context.Context, _ store.Tx, account, productID string) (agreement.Agreement, bool, error) {
	a, ok := f[[2]string{account, productID}]
	return a, ok, nil
}

// fakeProducts holds the products by id.
type fakeProducts map[string]catalog.DeployableProduct

func (f fakeProducts) ProductForDeployment(_ context.Context, _ store.Tx, id string) (catalog.DeployableProduct, bool, error) {
	p, ok := f[id]
	return p, ok, nil
}

const (
	buyer  = "111122223333"
	other  = "444455556666"
	saas   = "prod-saasproduct1"
	ami    = "prod-amiproduct1"
	unsold = "prod-unsold1"
)

func newService(t *testing.T) *Service {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	products := fakeProducts{
		saas: {ProductId: saas, Type: "SaaSProduct", Title: "Tracing", Versions: []catalog.ProductVersion{{Id: "v1",
			DeliveryOptions: []catalog.DeliveryOption{{Id: "o1", Type: "SaaSUrl", FulfillmentUrl: "https://example.com/signup"}}}}},
		ami: {ProductId: ami, Type: "AmiProduct", Title: "Bastion", Versions: []catalog.ProductVersion{
			{Id: "v1", DeliveryOptions: []catalog.DeliveryOption{{Id: "o1", Type: "AmazonMachineImage", AmiId: "ami-0123456789abcdef0"}}},
			{Id: "v2", DeliveryOptions: []catalog.DeliveryOption{{Id: "o2", Type: "AmazonMachineImage", AmiId: "ami-0fedcba9876543210"}}},
		}},
		unsold: {ProductId: unsold, Type: "SaaSProduct", Title: "Unsold"},
	}
	agreements := fakeAgreements{
		{buyer, saas}: {AgreementId: "agmt-1", ProductId: saas, Status: "ACTIVE"},
		{buyer, ami}:  {AgreementId: "agmt-2", ProductId: ami, Status: "ACTIVE"},
	}
	s := New(st, agreements, products, "us-east-1")
	s.Now = func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
	return s
}

func rootOf(account string) *principal.Caller {
	return &principal.Caller{Type: principal.Root, Account: account, ARN: principal.RootARN(account)}
}

// TestCreateDeployment: "A principal of an account that holds an active
// agreement deploys the product ... Without an agreement in that account
// the call fails" (issue 5, Deploying).
func TestCreateDeployment(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	tests := []struct {
		name     string
		account  string
		in       CreateDeploymentInput
		wantCode string
		wantAMI  string
		wantURL  string
		wantVer  string
		wantAgmt string
	}{
		{name: "SaaS: the fulfillment URL", account: buyer, in: CreateDeploymentInput{ProductId: saas}, wantURL: "https://example.com/signup", wantVer: "v1", wantAgmt: "agmt-1"},
		{name: "AMI: the latest version by default", account: buyer, in: CreateDeploymentInput{ProductId: ami}, wantAMI: "ami-0fedcba9876543210", wantVer: "v2", wantAgmt: "agmt-2"},
		{name: "AMI: an older version asked for", account: buyer, in: CreateDeploymentInput{ProductId: ami, VersionId: "v1"}, wantAMI: "ami-0123456789abcdef0", wantVer: "v1", wantAgmt: "agmt-2"},
		{name: "no agreement in this account", account: other, in: CreateDeploymentInput{ProductId: saas}, wantCode: "AccessDeniedException"},
		{name: "no agreement for this product", account: buyer, in: CreateDeploymentInput{ProductId: unsold}, wantCode: "AccessDeniedException"},
		{name: "unknown product", account: buyer, in: CreateDeploymentInput{ProductId: "prod-nothing"}, wantCode: "ResourceNotFoundException"},
		{name: "unknown version", account: buyer, in: CreateDeploymentInput{ProductId: ami, VersionId: "v9"}, wantCode: "ResourceNotFoundException"},
		{name: "unknown delivery option", account: buyer, in: CreateDeploymentInput{ProductId: ami, DeliveryOptionId: "o9"}, wantCode: "ResourceNotFoundException"},
		{name: "malformed product id", account: buyer, in: CreateDeploymentInput{ProductId: "../x"}, wantCode: "ValidationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.CreateDeployment(ctx, rootOf(tt.account), tt.in)
			if tt.wantCode != "" {
				if got := awserr.As(err).Code; got != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := out.Deployment
			if d.Delivery.AmiId != tt.wantAMI || d.Delivery.FulfillmentUrl != tt.wantURL || d.VersionId != tt.wantVer || d.AgreementId != tt.wantAgmt {
				t.Errorf("deployment = %+v", d)
			}
			if d.AccountId != tt.account || d.CreatedBy != principal.RootARN(tt.account) || d.DeploymentArn != s.ARN(tt.account, d.DeploymentId) {
				t.Errorf("deployment owner = %s by %s, arn %s", d.AccountId, d.CreatedBy, d.DeploymentArn)
			}
		})
	}
}

// TestListAndDeleteDeployments: an account lists and deletes its own
// deployments only.
func TestListAndDeleteDeployments(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	var ids []string
	for _, p := range []string{saas, ami, saas} {
		out, err := s.CreateDeployment(ctx, rootOf(buyer), CreateDeploymentInput{ProductId: p})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.Deployment.DeploymentId)
	}
	list := func(account string, in ListDeploymentsInput) []Deployment {
		t.Helper()
		out, err := s.ListDeployments(ctx, rootOf(account), in)
		if err != nil {
			t.Fatal(err)
		}
		return out.Deployments
	}
	if got := list(buyer, ListDeploymentsInput{}); len(got) != 3 {
		t.Errorf("%d deployments, want 3", len(got))
	}
	if got := list(buyer, ListDeploymentsInput{ProductId: saas}); len(got) != 2 {
		t.Errorf("%d deployments of %s, want 2", len(got), saas)
	}
	if got := list(other, ListDeploymentsInput{}); len(got) != 0 {
		t.Errorf("another account sees %d deployments", len(got))
	}
	// Paging: one a page, every deployment once.
	seen := map[string]bool{}
	in := ListDeploymentsInput{MaxResults: new(int32)}
	*in.MaxResults = 1
	for {
		out, err := s.ListDeployments(ctx, rootOf(buyer), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range out.Deployments {
			seen[d.DeploymentId] = true
		}
		if out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(seen) != 3 {
		t.Errorf("paging saw %d deployments, want 3", len(seen))
	}
	_, err := s.DeleteDeployment(ctx, rootOf(other), DeleteDeploymentInput{DeploymentId: ids[0]})
	if got := awserr.As(err).Code; got != "ResourceNotFoundException" {
		t.Errorf("another account deleting: %v, want ResourceNotFoundException", err)
	}
	if _, err := s.DeleteDeployment(ctx, rootOf(buyer), DeleteDeploymentInput{DeploymentId: ids[0]}); err != nil {
		t.Fatal(err)
	}
	if got := list(buyer, ListDeploymentsInput{}); len(got) != 2 {
		t.Errorf("%d deployments after a delete, want 2", len(got))
	}
	_, err = s.DeleteDeployment(ctx, rootOf(buyer), DeleteDeploymentInput{DeploymentId: ids[0]})
	if got := awserr.As(err).Code; got != "ResourceNotFoundException" {
		t.Errorf("deleting twice: %v, want ResourceNotFoundException", err)
	}
}
