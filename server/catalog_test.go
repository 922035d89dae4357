package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/marketplacecatalog"
	mctypes "github.com/aws/aws-sdk-go-v2/service/marketplacecatalog/types"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"gatehouse/audit"
	"gatehouse/authz"
	"gatehouse/awserr"
	"gatehouse/catalog"
	"gatehouse/credentials"
	"gatehouse/iam"
	"gatehouse/org"
	"gatehouse/principal"
	"gatehouse/setup"
	"gatehouse/sigv4"
	"gatehouse/store"
	"gatehouse/store/sqlite"
	"gatehouse/sts"
)

// iamRoles lets STS find the IAM service's roles, as the binary wires it.
type iamRoles struct{ iam *iam.Service }

func (r iamRoles) Role(ctx context.Context, tx store.Tx, arn string) (sts.Role, error) {
	info, err := r.iam.RoleByARN(ctx, tx, arn)
	if errors.Is(err, awserr.ErrNoSuchEntity) {
		return sts.Role{}, fmt.Errorf("%w: %s", sts.ErrNoSuchRole, arn)
	}
	if err != nil {
		return sts.Role{}, err
	}
	return sts.Role{ARN: info.ARN, ID: info.ID, Name: info.Name, Account: info.Account, Trust: info.Trust, MaxSessionDuration: info.MaxSessionDuration}, nil
}

// marketplaceServer is the whole pipeline over SQLite with
// Organizations, IAM, STS and the catalog: the seed's organization with
// a shared services account (the Private Marketplace's delegated
// administrator, holding the admin and procurement-manager roles) and a
// retail account, and an operator user of the management account that
// assumes the roles.
type marketplaceServer struct {
	*Server
	url      string
	st       store.Store
	orgs     *org.Service
	iam      *iam.Service
	catalog  *catalog.Service
	rootID   string
	shared   string
	retail   string
	ops      aws.Credentials
	rootCred sigv4.Credentials
}

// seqReader yields 0, 1, 2, ... so that ids are distinct and repeatable.
type seqReader struct{ n byte }

func (r *seqReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.n
		r.n++
	}
	return len(p), nil
}

func newMarketplaceServer(t testing.TB, now func() time.Time) *marketplaceServer {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cipher, err := credentials.NewCipher(make([]byte, credentials.MasterKeySize))
	if err != nil {
		t.Fatal(err)
	}
	keys := &credentials.Keys{Store: st, Cipher: cipher}
	orgs := org.New(st)
	identities := iam.New(st, keys)
	orgs.Provisioner = identities
	if _, err := setup.Run(ctx, st, keys, orgs, setup.Config{AccountID: testAccount, RootAccessKeyID: rootKeyID, RootSecretAccessKey: rootSecret}); err != nil {
		t.Fatal(err)
	}
	az := authz.New(st, identities, orgs)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	rec := audit.NewRecorder(st, log, audit.RecorderConfig{})
	t.Cleanup(func() { rec.Close(); az.Close() })
	cat := catalog.New(st, orgs, "us-east-1")
	cfg := Config{Region: "us-east-1", Log: log}
	if now != nil {
		cat.Now, cat.Rand, cfg.Now = now, &seqReader{}, now
	}
	srv := New(cfg, Deps{
		Store: st, Keys: keys, Authz: az, Org: orgs, Audit: rec, IAM: identities, Catalog: cat,
		STS:               sts.New(st, sts.NewTokens(cipher), iamRoles{identities}, nil),
		ManagementAccount: func() string { return testAccount },
	})
	srv.SetReady(true)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	m := &marketplaceServer{Server: srv, url: hs.URL, st: st, orgs: orgs, iam: identities, catalog: cat,
		rootCred: sigv4.Credentials{AccessKeyID: rootKeyID, SecretAccessKey: rootSecret}}
	m.buildOrganization(t)
	return m
}

func rootCaller(account string) *principal.Caller {
	return &principal.Caller{Type: principal.Root, Account: account, ARN: principal.RootARN(account), PrincipalARN: principal.RootARN(account), UserID: account}
}

func mustDo[T any](t testing.TB, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// buildOrganization sets up the organization, the accounts, the roles and
// the operator in-process, as their own services would.
func (m *marketplaceServer) buildOrganization(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	mgmt := rootCaller(testAccount)
	mustDo[org.CreateOrganizationOutput](t, "CreateOrganization")(m.orgs.CreateOrganization(ctx, mgmt, org.CreateOrganizationInput{FeatureSet: "ALL"}))
	m.rootID = mustDo[org.ListRootsOutput](t, "ListRoots")(m.orgs.ListRoots(ctx, mgmt, org.ListRootsInput{})).Roots[0].Id
	account := func(name string) string {
		st := mustDo[org.CreateAccountOutput](t, "CreateAccount")(m.orgs.CreateAccount(ctx, mgmt, org.CreateAccountInput{Email: name + "@example.com", AccountName: name}))
		return mustDo[org.DescribeCreateAccountStatusOutput](t, "DescribeCreateAccountStatus")(m.orgs.DescribeCreateAccountStatus(ctx, mgmt,
			org.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.CreateAccountStatus.Id})).CreateAccountStatus.AccountId
	}
	m.shared, m.retail = account("shared-services"), account("retail")
	mustDo[org.EnableAWSServiceAccessOutput](t, "EnableAWSServiceAccess")(m.orgs.EnableAWSServiceAccess(ctx, mgmt, org.EnableAWSServiceAccessInput{ServicePrincipal: catalog.PrivateMarketplaceServicePrincipal}))
	mustDo[org.RegisterDelegatedAdministratorOutput](t, "RegisterDelegatedAdministrator")(m.orgs.RegisterDelegatedAdministrator(ctx, mgmt,
		org.RegisterDelegatedAdministratorInput{AccountId: m.shared, ServicePrincipal: catalog.PrivateMarketplaceServicePrincipal}))

	trust := policyDoc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + testAccount + `:root"},"Action":"sts:AssumeRole"}`)
	roles := []struct{ account, name, policy string }{
		{m.shared, "procurement-manager", "arn:aws:iam::aws:policy/AWSPrivateMarketplaceAdminFullAccess"},
		{m.shared, "admin", "arn:aws:iam::aws:policy/AdministratorAccess"},
		{m.retail, "developer", "arn:aws:iam::aws:policy/AWSPrivateMarketplaceRequests"},
	}
	for _, r := range roles {
		owner := rootCaller(r.account)
		mustDo[iam.CreateRoleOutput](t, "CreateRole")(m.iam.CreateRole(ctx, owner, iam.CreateRoleInput{RoleName: r.name, AssumeRolePolicyDocument: trust}))
		mustDo[iam.AttachPolicyOutput](t, "AttachRolePolicy")(m.iam.AttachRolePolicy(ctx, owner, iam.AttachPolicyInput{RoleName: r.name, PolicyArn: r.policy}))
	}
	mustDo[iam.CreateUserOutput](t, "CreateUser")(m.iam.CreateUser(ctx, mgmt, iam.CreateUserInput{UserName: "ops"}))
	mustDo[iam.AttachPolicyOutput](t, "AttachUserPolicy")(m.iam.AttachUserPolicy(ctx, mgmt, iam.AttachPolicyInput{UserName: "ops", PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess"}))
	key := mustDo[iam.CreateAccessKeyOutput](t, "CreateAccessKey")(m.iam.CreateAccessKey(ctx, mgmt, iam.CreateAccessKeyInput{UserName: "ops"})).AccessKey
	m.ops = aws.Credentials{AccessKeyID: key.AccessKeyId, SecretAccessKey: key.SecretAccessKey}
}

// attachSCP attaches an SCP to the root (an organization with all
// features has SCPs enabled).
func (m *marketplaceServer) attachSCP(t *testing.T, content string) {
	t.Helper()
	ctx := context.Background()
	mgmt := rootCaller(testAccount)
	p := mustDo[org.CreatePolicyOutput](t, "CreatePolicy")(m.orgs.CreatePolicy(ctx, mgmt, org.CreatePolicyInput{Name: "pmp-admin", Description: "Private Marketplace admin", Type: org.PolicyTypeServiceControlPolicy, Content: content}))
	mustDo[org.AttachPolicyOutput](t, "AttachPolicy")(m.orgs.AttachPolicy(ctx, mgmt, org.AttachPolicyInput{PolicyId: p.Policy.PolicySummary.Id, TargetId: m.rootID}))
}

// assume returns the credentials of a session of a role, assumed by the
// operator through STS on the wire.
func (m *marketplaceServer) assume(t *testing.T, account, role string) aws.Credentials {
	t.Helper()
	client := awssts.New(awssts.Options{Region: "us-east-1", BaseEndpoint: aws.String(m.url), Retryer: aws.NopRetryer{}, HTTPClient: sdkHTTPClient{},
		Credentials: awscreds.NewStaticCredentialsProvider(m.ops.AccessKeyID, m.ops.SecretAccessKey, "")})
	out, err := client.AssumeRole(context.Background(), &awssts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + account + ":role/" + role), RoleSessionName: aws.String(role + "-session")})
	if err != nil {
		t.Fatalf("AssumeRole %s: %v", role, err)
	}
	c := out.Credentials
	return aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken}
}

// catalogAs returns a Marketplace Catalog client signing with creds.
func (m *marketplaceServer) catalogAs(c aws.Credentials) *marketplacecatalog.Client {
	return marketplacecatalog.New(marketplacecatalog.Options{Region: "us-east-1", BaseEndpoint: aws.String(m.url), Retryer: aws.NopRetryer{}, HTTPClient: sdkHTTPClient{},
		Credentials: awscreds.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)})
}

// inProcess runs a change set in-process (no authorization) as the root
// user of account and returns the ids of its changes' entities.
func (m *marketplaceServer) inProcess(t testing.TB, account string, changes ...catalog.Change) []string {
	t.Helper()
	ctx := context.Background()
	out, err := m.catalog.StartChangeSet(ctx, rootCaller(account), catalog.StartChangeSetInput{Catalog: catalog.Catalog, ChangeSet: changes})
	if err != nil {
		t.Fatal(err)
	}
	d, err := m.catalog.DescribeChangeSet(ctx, rootCaller(account), catalog.DescribeChangeSetInput{Catalog: catalog.Catalog, ChangeSetId: out.ChangeSetId})
	if err != nil || d.Status != catalog.StatusSucceeded {
		t.Fatalf("change set: %v %s %+v", err, d.Status, d.ChangeSet)
	}
	ids := make([]string, len(d.ChangeSet))
	for i, c := range d.ChangeSet {
		ids[i] = c.Entity.Identifier
	}
	return ids
}

// product creates a SaaS product of the management account.
func (m *marketplaceServer) product(t *testing.T, title string) string {
	t.Helper()
	return m.inProcess(t, testAccount, catalog.Change{ChangeType: "CreateProduct", Entity: catalog.Entity{Type: "SaaSProduct@1.0"}, Details: `{"ProductTitle":"` + title + `"}`})[0]
}

// experience creates an enabled experience of the shared services account
// that governs the whole organization and accepts requests.
func (m *marketplaceServer) experience(t testing.TB) string {
	t.Helper()
	ref := "$Exp.Entity.Identifier"
	exp := func(changeType, details string) catalog.Change {
		return catalog.Change{ChangeType: changeType, Entity: catalog.Entity{Type: "Experience@1.0", Identifier: ref}, Details: details}
	}
	return m.inProcess(t, m.shared,
		catalog.Change{ChangeType: "CreateExperience", ChangeName: "Exp", Entity: catalog.Entity{Type: "Experience@1.0"}, Details: `{"Name":"Company marketplace"}`},
		exp("CreateProcurementPolicy", `{"Configuration":{"PolicyResourceRequests":"Allow"}}`),
		exp("AssociateAudience", `{"Principals":["`+m.rootID+`"]}`),
		exp("UpdateExperience", `{"Status":"Enabled"}`),
	)[0]
}

func (m *marketplaceServer) allowed(t *testing.T, account, product string) bool {
	t.Helper()
	ctx := context.Background()
	var ok bool
	err := m.st.View(ctx, func(tx store.Tx) error {
		var err error
		ok, _, err = m.catalog.IsProductAllowed(ctx, tx, account, product)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// seedSCP denies approving products in the Private Marketplace, and
// listing its requests, to everyone but the procurement-manager role, as
// the seed's SCP does.
const seedSCP = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny",` +
	`"Action":["aws-marketplace:AssociateProductsWithPrivateMarketplace","aws-marketplace:ListPrivateMarketplaceRequests"],"Resource":"*",` +
	`"Condition":{"StringNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/procurement-manager"}}}]}`

// TestCatalogChangeSetUnderSCP: a change set of one AllowProductProcurement
// and one harmless change is refused for an admin role session, because
// the SCP denies AllowProductProcurement's dependent action
// AssociateProductsWithPrivateMarketplace to it, and nothing of it is
// applied; the same change set succeeds for the procurement-manager role
// session.
func TestCatalogChangeSetUnderSCP(t *testing.T) {
	m := newMarketplaceServer(t, nil)
	ctx := context.Background()
	m.attachSCP(t, seedSCP)
	product := m.product(t, "Scanner")
	exp := m.experience(t)
	changes := []mctypes.Change{
		{ChangeType: aws.String("UpdateExperience"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0"), Identifier: &exp}, Details: aws.String(`{"Description":"Approved software only"}`)},
		{ChangeType: aws.String("AllowProductProcurement"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0"), Identifier: &exp}, Details: aws.String(`{"Products":[{"Ids":["` + product + `"]}]}`)},
	}
	admin := m.catalogAs(m.assume(t, m.shared, "admin"))
	_, err := admin.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSet: changes})
	var denied *mctypes.AccessDeniedException
	if !errors.As(err, &denied) || !strings.Contains(aws.ToString(denied.Message), "aws-marketplace:AssociateProductsWithPrivateMarketplace") ||
		!strings.Contains(aws.ToString(denied.Message), "explicit deny in a service control policy") {
		t.Fatalf("admin's change set: %v", err)
	}
	sets, err := admin.ListChangeSets(ctx, &marketplacecatalog.ListChangeSetsInput{Catalog: aws.String("AWSMarketplace")})
	if err != nil || len(sets.ChangeSetSummaryList) != 1 { // the experience's
		t.Errorf("after the refusal: %v %+v", err, sets)
	}
	if m.allowed(t, m.retail, product) {
		t.Fatal("the refused change set allowed the product")
	}

	pm := m.catalogAs(m.assume(t, m.shared, "procurement-manager"))
	out, err := pm.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSet: changes})
	if err != nil {
		t.Fatalf("procurement-manager's change set: %v", err)
	}
	d, err := pm.DescribeChangeSet(ctx, &marketplacecatalog.DescribeChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSetId: out.ChangeSetId})
	if err != nil || d.Status != mctypes.ChangeStatusSucceeded {
		t.Fatalf("DescribeChangeSet: %v %+v", err, d)
	}
	if !m.allowed(t, m.retail, product) {
		t.Error("the procurement manager's change set did not allow the product")
	}
}

// TestCatalogProcurementRequests: a developer role session of the retail
// account asks for a product; the admin role may not list the requests
// (the SCP denies ListPrivateMarketplaceRequests), the procurement
// manager lists, reads and approves them, and the product becomes
// allowed; a second request is declined and blocked.
func TestCatalogProcurementRequests(t *testing.T) {
	m := newMarketplaceServer(t, nil)
	ctx := context.Background()
	m.attachSCP(t, seedSCP)
	scanner, miner := m.product(t, "Scanner"), m.product(t, "Miner")
	m.experience(t)
	dev := m.catalogAs(m.assume(t, m.retail, "developer"))
	ask := func(product, why string) string {
		t.Helper()
		out, err := dev.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSet: []mctypes.Change{{
			ChangeType: aws.String("CreateProductProcurementRequest"), Entity: &mctypes.Entity{Type: aws.String("ProductProcurementRequest@1.0")},
			Details: aws.String(`{"ProductId":"` + product + `","Justification":"` + why + `"}`)}}})
		if err != nil {
			t.Fatalf("CreateProductProcurementRequest: %v", err)
		}
		d, err := dev.DescribeChangeSet(ctx, &marketplacecatalog.DescribeChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSetId: out.ChangeSetId})
		if err != nil || d.Status != mctypes.ChangeStatusSucceeded {
			t.Fatalf("request change set: %v %+v", err, d)
		}
		return aws.ToString(d.ChangeSet[0].Entity.Identifier)
	}
	id := ask(scanner, "Image scanning for the store")
	ent, err := dev.DescribeEntity(ctx, &marketplacecatalog.DescribeEntityInput{Catalog: aws.String("AWSMarketplace"), EntityId: &id})
	if err != nil || !strings.Contains(aws.ToString(ent.Details), `"RequesterArn":"arn:aws:sts::`+m.retail+`:assumed-role/developer/developer-session"`) ||
		!strings.HasPrefix(aws.ToString(ent.EntityArn), "arn:aws:aws-marketplace:us-east-1:"+m.retail+":AWSMarketplace/ProductProcurementRequest/") {
		t.Fatalf("the developer's request: %v %+v", err, ent)
	}
	// The developer may not approve its own request: AWSPrivateMarketplaceRequests
	// allows no such change type.
	_, err = dev.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSet: []mctypes.Change{{
		ChangeType: aws.String("ApproveProductProcurementRequest"), Entity: &mctypes.Entity{Type: aws.String("ProductProcurementRequest@1.0"), Identifier: &id}, Details: aws.String(`{}`)}}})
	var denied *mctypes.AccessDeniedException
	if !errors.As(err, &denied) {
		t.Errorf("developer approving: %v", err)
	}

	list := &marketplacecatalog.ListEntitiesInput{Catalog: aws.String("AWSMarketplace"), EntityType: aws.String("ProductProcurementRequest"),
		OwnershipType: mctypes.OwnershipTypeShared, FilterList: []mctypes.Filter{{Name: aws.String("Status"), ValueList: []string{"Pending"}}}}
	_, err = m.catalogAs(m.assume(t, m.shared, "admin")).ListEntities(ctx, list)
	if !errors.As(err, &denied) || !strings.Contains(aws.ToString(denied.Message), "aws-marketplace:ListPrivateMarketplaceRequests") {
		t.Errorf("admin listing requests: %v", err)
	}
	pm := m.catalogAs(m.assume(t, m.shared, "procurement-manager"))
	pending, err := pm.ListEntities(ctx, list)
	if err != nil || len(pending.EntitySummaryList) != 1 || aws.ToString(pending.EntitySummaryList[0].EntityId) != id {
		t.Fatalf("pending requests: %v %+v", err, pending)
	}
	answer := func(changeType, id, details string) {
		t.Helper()
		out, err := pm.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSet: []mctypes.Change{{
			ChangeType: aws.String(changeType), Entity: &mctypes.Entity{Type: aws.String("ProductProcurementRequest@1.0"), Identifier: &id}, Details: aws.String(details)}}})
		if err != nil {
			t.Fatalf("%s: %v", changeType, err)
		}
		d, err := pm.DescribeChangeSet(ctx, &marketplacecatalog.DescribeChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSetId: out.ChangeSetId})
		if err != nil || d.Status != mctypes.ChangeStatusSucceeded {
			t.Fatalf("%s: %v %+v", changeType, err, d)
		}
	}
	answer("ApproveProductProcurementRequest", id, `{"Notes":"approved"}`)
	if !m.allowed(t, m.retail, scanner) {
		t.Error("the approved product is not allowed")
	}
	id = ask(miner, "Mining")
	answer("DeclineProductProcurementRequest", id, `{"Reason":"Not for company hardware.","Block":true}`)
	ent, err = dev.DescribeEntity(ctx, &marketplacecatalog.DescribeEntityInput{Catalog: aws.String("AWSMarketplace"), EntityId: &id})
	if err != nil || !strings.Contains(aws.ToString(ent.Details), `"Status":"Declined"`) || !strings.Contains(aws.ToString(ent.Details), `"Blocked":true`) {
		t.Errorf("declined request: %v %+v", err, ent)
	}
	if m.allowed(t, m.retail, miner) {
		t.Error("the declined product is allowed")
	}
}

// restCall sends a signed REST-JSON Catalog request as the management
// account's root user.
func (m *marketplaceServer) restCall(t *testing.T, method, path, body string, now time.Time) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, "https://catalog.marketplace.us-east-1.amazonaws.com"+path, bytes.NewReader([]byte(body)))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if err := sigv4.Sign(r, []byte(body), m.rootCred, "us-east-1", "aws-marketplace", now); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	m.ServeHTTP(w, r)
	return w
}

// TestCatalogWireShapes checks REST-JSON responses and errors of the
// Catalog API against golden files.
func TestCatalogWireShapes(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	m := newMarketplaceServer(t, func() time.Time { return now })
	start := `{"Catalog":"AWSMarketplace","ChangeSetName":"marketplace","ChangeSet":[` +
		`{"ChangeType":"CreateExperience","ChangeName":"Exp","Entity":{"Type":"Experience@1.0"},"Details":"{\"Name\":\"Company marketplace\"}"},` +
		`{"ChangeType":"CreateBrandingSettings","Entity":{"Type":"Experience@1.0","Identifier":"$Exp.Entity.Identifier"},"DetailsDocument":{"Name":"Brand","Configuration":{"Title":"Company","ThemeColor":"#FF9900"}}}]}`
	w := m.restCall(t, http.MethodPost, "/StartChangeSet", start, now)
	if w.Code != http.StatusOK {
		t.Fatalf("StartChangeSet: HTTP %d %s", w.Code, w.Body)
	}
	golden(t, "catalog_start_change_set", w)
	id := between(w.Body.String(), `"ChangeSetId":"`, `"`)
	w = m.restCall(t, http.MethodGet, "/DescribeChangeSet?catalog=AWSMarketplace&changeSetId="+id, "", now)
	golden(t, "catalog_describe_change_set", w)
	exp := between(w.Body.String(), `"Identifier":"`, `"`)
	w = m.restCall(t, http.MethodGet, "/DescribeEntity?catalog=AWSMarketplace&entityId="+exp, "", now)
	golden(t, "catalog_describe_entity_experience", w)
	w = m.restCall(t, http.MethodGet, "/DescribeEntity?catalog=AWSMarketplace&entityId=exp-missing", "", now)
	if w.Code != http.StatusNotFound {
		t.Errorf("missing entity: HTTP %d", w.Code)
	}
	golden(t, "catalog_entity_not_found", w)
	w = m.restCall(t, http.MethodPost, "/StartChangeSet", `{"Catalog":"AWSMarketplace","ChangeSet":[]}`, now)
	if w.Code != http.StatusUnprocessableEntity {
		t.Errorf("empty change set: HTTP %d", w.Code)
	}
	golden(t, "catalog_validation_error", w)
}

// between returns the text of s between the first before and the next
// after.
func between(s, before, after string) string {
	_, rest, _ := strings.Cut(s, before)
	v, _, _ := strings.Cut(rest, after)
	return v
}
