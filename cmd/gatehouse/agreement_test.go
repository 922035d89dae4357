package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/marketplaceagreement"
	"github.com/aws/aws-sdk-go-v2/service/marketplaceagreement/schemas"
	matypes "github.com/aws/aws-sdk-go-v2/service/marketplaceagreement/types"
	"github.com/aws/aws-sdk-go-v2/service/marketplacecatalog"
	mctypes "github.com/aws/aws-sdk-go-v2/service/marketplacecatalog/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
	"github.com/fxamacker/cbor/v2"

	"gatehouse/catalog"
	"gatehouse/store/sqlite"
)

// The management account's root key of the buying tests.
const (
	buyRootKey    = "AKIAIOSFODNN7EXAMPLE"
	buyRootSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	buyMgmt       = "111122223333"
)

// market is the wired server behind httptest, with the seed's buying
// setup: an organization whose developer account holds the developer and
// procurement-manager roles, a seller product approved by an enabled
// Private Marketplace experience and one not approved, and the
// purchase-restricting SCP on the root.
type market struct {
	url       string
	app       *app
	developer string // the developer's account
	approved  string // the approved product
	offer     string // its released offer
	unlisted  string // a released product the experience does not allow
	unlistedO string // its offer
	exp       string // the experience
	dev, pm   aws.Credentials
	// wire records the Agreement API exchanges of the SDK clients.
	wire wireLog
}

func (m *market) cfg(c aws.Credentials) aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: awscreds.StaticCredentialsProvider{Value: c}, BaseEndpoint: aws.String(m.url)}
}

// agreements is an Agreement API client as aws-sdk-go-v2 makes it: it
// speaks Smithy RPC v2 CBOR.
func (m *market) agreements(c aws.Credentials) *marketplaceagreement.Client {
	return marketplaceagreement.NewFromConfig(m.cfg(c), func(o *marketplaceagreement.Options) { o.HTTPClient = &m.wire })
}

// wireLog is an HTTP client that records what went over the wire.
type wireLog struct {
	mu   sync.Mutex
	seen []exchange
}

// exchange is one request and its response as the wire showed them.
type exchange struct {
	method, path, contentType, protocol, target string
	status                                      int
	respType, respProtocol, errorType           string
}

func (l *wireLog) Do(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seen = append(l.seen, exchange{method: r.Method, path: r.URL.Path, contentType: r.Header.Get("Content-Type"),
		protocol: r.Header.Get("Smithy-Protocol"), target: r.Header.Get("X-Amz-Target"), status: resp.StatusCode,
		respType: resp.Header.Get("Content-Type"), respProtocol: resp.Header.Get("Smithy-Protocol"), errorType: resp.Header.Get("X-Amzn-ErrorType")})
	return resp, nil
}

// last returns the latest exchange.
func (l *wireLog) last(t testing.TB) exchange {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.seen) == 0 {
		t.Fatal("no request went over the wire")
	}
	return l.seen[len(l.seen)-1]
}

// operations checks that every exchange was Smithy RPC v2 CBOR, as the
// protocol's "Protocol behaviors" require of both sides, and returns the
// operations called.
func (l *wireLog) operations(t testing.TB) map[string]bool {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	ops := map[string]bool{}
	for _, x := range l.seen {
		op, ok := strings.CutPrefix(x.path, "/service/AWSMPCommerceService_v20200301/operation/")
		if !ok || x.method != "POST" || x.contentType != "application/cbor" || x.protocol != "rpc-v2-cbor" || x.target != "" ||
			x.respType != "application/cbor" || x.respProtocol != "rpc-v2-cbor" || x.errorType != "" {
			t.Errorf("not an rpc-v2-cbor exchange: %+v", x)
		}
		ops[op] = true
	}
	return ops
}

// wantError requires an error of type E and returns it.
func wantError[E error](t testing.TB, err error) E {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want %T", err, err, e)
	}
	return e
}

// wantAPIError requires an AWS error with the code and a message
// containing text.
func wantAPIError(t *testing.T, err error, code, text string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), text) {
		t.Fatalf("err = %s: %s, want %s containing %q", ae.ErrorCode(), ae.ErrorMessage(), code, text)
	}
}

func newMarket(t testing.TB) *market {
	dir := t.TempDir()
	t.Setenv("GATEHOUSE_MASTER_KEY", "")
	t.Setenv("GATEHOUSE_ROOT_ACCESS_KEY_ID", buyRootKey)
	t.Setenv("GATEHOUSE_ROOT_SECRET_ACCESS_KEY", buyRootSecret)
	st, err := sqlite.Open(dir + "/gatehouse.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a, err := wire(context.Background(), serveConfig{data: dir, region: "us-east-1", accountID: buyMgmt}, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	a.server.SetReady(true)
	hs := httptest.NewServer(a.server)
	t.Cleanup(hs.Close)
	m := &market{url: hs.URL, app: a}
	m.setUp(t)
	return m
}

const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// purchaseSCP is the seed's purchase-restricting SCP: only the
// procurement-manager role may subscribe.
const purchaseSCP = `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyProcurementBuys","Effect":"Deny","Action":"aws-marketplace:Subscribe","Resource":"*",
 "Condition":{"StringNotLike":{"aws:PrincipalARN":"arn:aws:iam::*:role/procurement-manager"}}}]}`

func (m *market) setUp(t testing.TB) {
	ctx := context.Background()
	root := aws.Credentials{AccessKeyID: buyRootKey, SecretAccessKey: buyRootSecret}
	orgs := organizations.NewFromConfig(m.cfg(root))
	if _, err := orgs.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll}); err != nil {
		t.Fatal(err)
	}
	roots, err := orgs.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil {
		t.Fatal(err)
	}
	rootID := roots.Roots[0].Id
	ca, err := orgs.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("developer"), Email: aws.String("dev@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	m.developer = aws.ToString(ca.CreateAccountStatus.AccountId)
	if m.developer == "" {
		st, err := orgs.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: ca.CreateAccountStatus.Id})
		if err != nil {
			t.Fatal(err)
		}
		m.developer = aws.ToString(st.CreateAccountStatus.AccountId)
	}

	// An operator in the management account reaches the developer's
	// account through OrganizationAccountAccessRole and creates its roles.
	mgmtIAM := iam.NewFromConfig(m.cfg(root))
	if _, err := mgmtIAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("operator")}); err != nil {
		t.Fatal(err)
	}
	if _, err := mgmtIAM.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("operator"), PolicyName: aws.String("all"), PolicyDocument: aws.String(allowAll)}); err != nil {
		t.Fatal(err)
	}
	k, err := mgmtIAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("operator")})
	if err != nil {
		t.Fatal(err)
	}
	operator := aws.Credentials{AccessKeyID: aws.ToString(k.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey)}
	admin := m.assume(t, operator, "arn:aws:iam::"+m.developer+":role/OrganizationAccountAccessRole")
	devIAM := iam.NewFromConfig(m.cfg(admin))
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + buyMgmt + `:user/operator"},"Action":"sts:AssumeRole"}]}`
	buyer := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["aws-marketplace:*","gatehouse:*"],"Resource":"*"}]}`
	for _, role := range []string{"developer", "procurement-manager"} {
		if _, err := devIAM.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(role), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
			t.Fatal(err)
		}
		if _, err := devIAM.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String("marketplace"), PolicyDocument: aws.String(buyer)}); err != nil {
			t.Fatal(err)
		}
	}
	m.dev = m.assume(t, operator, "arn:aws:iam::"+m.developer+":role/developer")
	m.pm = m.assume(t, operator, "arn:aws:iam::"+m.developer+":role/procurement-manager")

	// The management account sells two products and runs the Private
	// Marketplace, which approves one of them for the organization.
	cat := marketplacecatalog.NewFromConfig(m.cfg(root))
	m.approved, m.offer = m.sell(t, cat, "Approved Scanner", `{"PricingModel":"Contract","Terms":[{"Type":"ConfigurableUpfrontPricingTerm","CurrencyCode":"USD",
		"RateCards":[{"Selector":{"Type":"Duration","Value":"P12M"},"Constraints":{"MultipleDimensionSelection":"Allowed","QuantityConfiguration":"Allowed"},
		"RateCard":[{"DimensionKey":"users","Price":"12.5"},{"DimensionKey":"admins","Price":"100"}]}]}]}`)
	m.unlisted, m.unlistedO = m.sell(t, cat, "Unlisted Tool", `{"PricingModel":"Usage","Terms":[{"Type":"UsageBasedPricingTerm","CurrencyCode":"USD",
		"RateCards":[{"RateCard":[{"DimensionKey":"requests","Price":"0.001"}]}]}]}`)
	ids := m.change(t, cat,
		mctypes.Change{ChangeType: aws.String("CreateExperience"), ChangeName: aws.String("Exp"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0")}, Details: aws.String(`{"Name":"Company marketplace"}`)},
		mctypes.Change{ChangeType: aws.String("CreateProcurementPolicy"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0"), Identifier: aws.String("$Exp.Entity.Identifier")}, Details: aws.String(`{"Configuration":{"PolicyResourceRequests":"Allow"}}`)},
		mctypes.Change{ChangeType: aws.String("AllowProductProcurement"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0"), Identifier: aws.String("$Exp.Entity.Identifier")}, Details: aws.String(`{"Products":[{"Ids":["` + m.approved + `"]}]}`)},
		mctypes.Change{ChangeType: aws.String("AssociateAudience"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0"), Identifier: aws.String("$Exp.Entity.Identifier")}, Details: aws.String(`{"Principals":["` + aws.ToString(rootID) + `"]}`)},
		mctypes.Change{ChangeType: aws.String("UpdateExperience"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0"), Identifier: aws.String("$Exp.Entity.Identifier")}, Details: aws.String(`{"Status":"Enabled"}`)},
	)
	m.exp = ids[0]

	p, err := orgs.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("procurement-only"), Description: aws.String("only procurement buys"),
		Type: orgtypes.PolicyTypeServiceControlPolicy, Content: aws.String(purchaseSCP)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := orgs.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: p.Policy.PolicySummary.Id, TargetId: rootID}); err != nil {
		t.Fatal(err)
	}
}

// assume returns the credentials of a session of the role.
func (m *market) assume(t testing.TB, c aws.Credentials, role string) aws.Credentials {
	out, err := sts.NewFromConfig(m.cfg(c)).AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("session")})
	if err != nil {
		t.Fatalf("AssumeRole %s: %v", role, err)
	}
	return aws.Credentials{AccessKeyID: aws.ToString(out.Credentials.AccessKeyId), SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey), SessionToken: aws.ToString(out.Credentials.SessionToken)}
}

// sell lists a released SaaS product with a released offer of the
// pricing terms given and a standard EULA.
func (m *market) sell(t testing.TB, cat *marketplacecatalog.Client, title, pricing string) (product, offer string) {
	prod := &mctypes.Entity{Type: aws.String("SaaSProduct@1.0"), Identifier: aws.String("$P.Entity.Identifier")}
	off := &mctypes.Entity{Type: aws.String("Offer@1.0"), Identifier: aws.String("$O.Entity.Identifier")}
	ids := m.change(t, cat,
		mctypes.Change{ChangeType: aws.String("CreateProduct"), ChangeName: aws.String("P"), Entity: &mctypes.Entity{Type: aws.String("SaaSProduct@1.0")}, Details: aws.String(`{"ProductTitle":"` + title + `"}`)},
		mctypes.Change{ChangeType: aws.String("UpdateInformation"), Entity: prod, Details: aws.String(`{"ShortDescription":"Scans","LongDescription":"Scans everything","LogoUrl":"https://example.com/l.png","Categories":["Security"]}`)},
		mctypes.Change{ChangeType: aws.String("AddDeliveryOptions"), Entity: prod, Details: aws.String(`{"DeliveryOptions":[{"Details":{"SaaSUrlDeliveryOptionDetails":{"FulfillmentUrl":"https://example.com/signup"}}}]}`)},
		mctypes.Change{ChangeType: aws.String("ReleaseProduct"), Entity: prod, Details: aws.String("{}")},
		mctypes.Change{ChangeType: aws.String("CreateOffer"), ChangeName: aws.String("O"), Entity: &mctypes.Entity{Type: aws.String("Offer@1.0")}, Details: aws.String(`{"ProductId":"$P.Entity.Identifier","Name":"Public"}`)},
		mctypes.Change{ChangeType: aws.String("UpdatePricingTerms"), Entity: off, Details: aws.String(pricing)},
		mctypes.Change{ChangeType: aws.String("UpdateLegalTerms"), Entity: off, Details: aws.String(`{"Terms":[{"Type":"LegalTerm","Documents":[{"Type":"StandardEula","Version":"2022-07-14"}]}]}`)},
		mctypes.Change{ChangeType: aws.String("ReleaseOffer"), Entity: off, Details: aws.String("{}")},
	)
	return ids[0], ids[4]
}

// change applies a change set and returns the ids of its entities, in
// the order of its changes.
func (m *market) change(t testing.TB, cat *marketplacecatalog.Client, changes ...mctypes.Change) []string {
	ctx := context.Background()
	out, err := cat.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSet: changes})
	if err != nil {
		t.Fatalf("StartChangeSet: %v", err)
	}
	d, err := cat.DescribeChangeSet(ctx, &marketplacecatalog.DescribeChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSetId: out.ChangeSetId})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != mctypes.ChangeStatusSucceeded {
		b, _ := json.Marshal(d.ChangeSet)
		t.Fatalf("change set %s: %s %s", d.Status, aws.ToString(d.FailureDescription), b)
	}
	ids := make([]string, len(d.ChangeSet))
	for i, c := range d.ChangeSet {
		ids[i] = aws.ToString(c.Entity.Identifier)
		ids[i], _, _ = strings.Cut(ids[i], "@")
	}
	return ids
}

// terms are the term ids of an offer, in order, as the agreement
// service derives them.
func termIDs(offer string, types ...string) []matypes.RequestedTerm {
	var out []matypes.RequestedTerm
	for i, typ := range types {
		out = append(out, matypes.RequestedTerm{Id: aws.String(catalog.TermID(offer, i, typ))})
	}
	return out
}

// deploy calls Gatehouse's Deployment API, signed as the SDK would.
func (m *market) deploy(t testing.TB, c aws.Credentials, method, path string, body string) (int, map[string]any) {
	r, err := http.NewRequest(method, m.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), c, r, hex.EncodeToString(sum[:]), "aws-marketplace", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	r.Body = io.NopCloser(bytes.NewReader([]byte(body)))
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestBuyingUnderThePurchaseSCP: the seed's purchase-restricting SCP
// closes every purchase path to the developer (CreateAgreementRequest and
// AcceptAgreementRequest both need aws-marketplace:Subscribe), the
// procurement manager buys in the developer's account through a role
// there, and the developer then deploys what was bought.
func TestBuyingUnderThePurchaseSCP(t *testing.T) {
	m := newMarket(t)
	ctx := context.Background()
	dev, pm := m.agreements(m.dev), m.agreements(m.pm)
	proposal := aws.String(catalog.AgreementProposalID(m.offer))
	terms := termIDs(m.offer, catalog.TermConfigurableUpfront, catalog.TermLegal)
	terms[0].Configuration = &matypes.RequestedTermConfigurationMemberConfigurableUpfrontPricingTermConfiguration{
		Value: matypes.ConfigurableUpfrontPricingTermConfiguration{SelectorValue: aws.String("P12M"),
			Dimensions: []matypes.Dimension{{DimensionKey: aws.String("users"), DimensionValue: 10}, {DimensionKey: aws.String("admins"), DimensionValue: 2}}}}
	create := &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew, AgreementProposalIdentifier: proposal, RequestedTerms: terms}

	// Deploying before anyone bought fails.
	if code, body := m.deploy(t, m.dev, "POST", "/deployments", `{"ProductId":"`+m.approved+`"}`); code != 403 || !strings.Contains(body["Message"].(string), "no active agreement") {
		t.Fatalf("CreateDeployment before buying: %d %v", code, body)
	}

	_, err := dev.CreateAgreementRequest(ctx, create)
	wantAPIError(t, err, "AccessDeniedException", "with an explicit deny in a service control policy")

	q, err := pm.CreateAgreementRequest(ctx, create)
	if err != nil {
		t.Fatalf("procurement-manager CreateAgreementRequest: %v", err)
	}
	cs := q.ChargeSummary
	if !strings.HasPrefix(aws.ToString(q.AgreementRequestId), "ar-") || aws.ToString(cs.NewAgreementValue) != "325" || aws.ToString(cs.CurrencyCode) != "USD" ||
		len(cs.ExpectedCharges) != 1 || cs.ExpectedCharges[0].Timing != matypes.TimingOnAcceptance || len(cs.ItemizedCharges) != 2 {
		b, _ := json.Marshal(q)
		t.Fatalf("quote = %s", b)
	}
	charge := cs.ExpectedCharges[0].Id

	// The developer cannot accept the procurement manager's quote either.
	_, err = dev.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q.AgreementRequestId})
	wantAPIError(t, err, "AccessDeniedException", "with an explicit deny in a service control policy")

	acc, err := pm.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q.AgreementRequestId,
		PurchaseOrders: []matypes.PurchaseOrder{{ChargeId: charge, PurchaseOrderReference: aws.String("PO-2026-0042")}}})
	if err != nil {
		t.Fatalf("AcceptAgreementRequest: %v", err)
	}
	agmt := acc.AgreementId
	_, err = pm.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q.AgreementRequestId})
	wantAPIError(t, err, "ConflictException", "already accepted")

	// The developer reads the agreement bought in their account.
	d, err := dev.DescribeAgreement(ctx, &marketplaceagreement.DescribeAgreementInput{AgreementId: agmt})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != matypes.AgreementStatusActive || aws.ToString(d.Acceptor.AccountId) != m.developer || aws.ToString(d.Proposer.AccountId) != buyMgmt ||
		aws.ToString(d.ProposalSummary.OfferId) != m.offer || aws.ToString(d.ProposalSummary.Resources[0].Id) != m.approved ||
		aws.ToString(d.EstimatedCharges.AgreementValue) != "325" || d.EndTime == nil || d.EndTime.Sub(*d.StartTime) < 364*24*time.Hour {
		b, _ := json.Marshal(d)
		t.Errorf("DescribeAgreement = %s", b)
	}

	// ... and deploys it.
	code, body := m.deploy(t, m.dev, "POST", "/deployments", `{"ProductId":"`+m.approved+`"}`)
	if code != 200 {
		t.Fatalf("CreateDeployment: %d %v", code, body)
	}
	dep := body["Deployment"].(map[string]any)
	if dep["Delivery"].(map[string]any)["FulfillmentUrl"] != "https://example.com/signup" || dep["AgreementId"] != aws.ToString(agmt) ||
		dep["CreatedBy"] != "arn:aws:sts::"+m.developer+":assumed-role/developer/session" || dep["DeliveryOptionType"] != "SaaSUrl" {
		t.Errorf("deployment = %v", dep)
	}
	code, body = m.deploy(t, m.dev, "GET", "/deployments?productId="+m.approved, "")
	if list, _ := body["Deployments"].([]any); code != 200 || len(list) != 1 {
		t.Errorf("ListDeployments: %d %v", code, body)
	}
	if code, body = m.deploy(t, m.dev, "DELETE", "/deployments/"+dep["DeploymentId"].(string), ""); code != 200 {
		t.Errorf("DeleteDeployment: %d %v", code, body)
	}
	if code, _ = m.deploy(t, m.dev, "DELETE", "/deployments/"+dep["DeploymentId"].(string), ""); code != 404 {
		t.Errorf("DeleteDeployment again: %d, want 404", code)
	}
}

// TestAgreementOperations drives every Agreement operation Gatehouse
// serves with the SDK's client as it comes, which speaks Smithy RPC v2
// CBOR: outputs, and errors as the model's typed exceptions with their
// members and the statuses of their httpError traits.
func TestAgreementOperations(t *testing.T) {
	m := newMarket(t)
	ctx := context.Background()
	pm, dev := m.agreements(m.pm), m.agreements(m.dev)

	// Under the enabled experience, a product it does not approve is
	// refused with a message naming the experience.
	_, err := pm.CreateAgreementRequest(ctx, &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew,
		AgreementProposalIdentifier: aws.String(catalog.AgreementProposalID(m.unlistedO)), RequestedTerms: termIDs(m.unlistedO, catalog.TermUsageBased, catalog.TermLegal)})
	wantAPIError(t, err, "AccessDeniedException", "Private Marketplace experience Company marketplace ("+m.exp+")")
	if ad := wantError[*matypes.AccessDeniedException](t, err); ad.Reason != "DENIED_BY_PRIVATE_MARKETPLACE_POLICY" || m.wire.last(t).status != 403 {
		t.Errorf("AccessDeniedException reason %q, status %d", ad.Reason, m.wire.last(t).status)
	}

	proposal := aws.String(catalog.AgreementProposalID(m.offer))
	configured := termIDs(m.offer, catalog.TermConfigurableUpfront, catalog.TermLegal)
	configured[0].Configuration = &matypes.RequestedTermConfigurationMemberConfigurableUpfrontPricingTermConfiguration{
		Value: matypes.ConfigurableUpfrontPricingTermConfiguration{SelectorValue: aws.String("P12M"), Dimensions: []matypes.Dimension{{DimensionKey: aws.String("users"), DimensionValue: 3}}}}
	for _, c := range []struct {
		name   string
		in     marketplaceagreement.CreateAgreementRequestInput
		code   string
		words  string
		status int
	}{
		{name: "unknown offer", in: marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew, AgreementProposalIdentifier: aws.String("ap-nosuchoffer1"), RequestedTerms: configured},
			code: "ResourceNotFoundException", words: "AgreementProposal ap-nosuchoffer1", status: 404},
		{name: "no proposal", in: marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew, RequestedTerms: configured},
			code: "ValidationException", words: "agreementProposalIdentifier is required", status: 400},
		{name: "amend", in: marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentAmend, AgreementProposalIdentifier: proposal, RequestedTerms: configured},
			code: "ValidationException", words: "NEW agreements only", status: 400},
		{name: "missing legal term", in: marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew, AgreementProposalIdentifier: proposal, RequestedTerms: configured[:1]},
			code: "ValidationException", words: "must be accepted", status: 400},
		{name: "unconfigured", in: marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew, AgreementProposalIdentifier: proposal, RequestedTerms: termIDs(m.offer, catalog.TermConfigurableUpfront, catalog.TermLegal)},
			code: "ValidationException", words: "needs a configurableUpfrontPricingTermConfiguration", status: 400},
		{name: "foreign term", in: marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew, AgreementProposalIdentifier: proposal, RequestedTerms: []matypes.RequestedTerm{{Id: aws.String("term-x")}}},
			code: "ValidationException", words: "is not a term of offer", status: 400},
	} {
		_, err := pm.CreateAgreementRequest(ctx, &c.in)
		wantAPIError(t, err, c.code, c.words)
		if got := m.wire.last(t).status; got != c.status {
			t.Errorf("%s: status %d, want %d", c.name, got, c.status)
		}
	}
	_, err = pm.CreateAgreementRequest(ctx, &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew, RequestedTerms: configured})
	if v := wantError[*matypes.ValidationException](t, err); v.Reason != "MISSING_AGREEMENT_PROPOSAL_IDENTIFIER" {
		t.Errorf("ValidationException reason = %q", v.Reason)
	}

	// ClientToken makes creation idempotent.
	in := &marketplaceagreement.CreateAgreementRequestInput{ClientToken: aws.String("buy-1"), Intent: matypes.IntentNew, AgreementProposalIdentifier: proposal, RequestedTerms: configured}
	q1, err := pm.CreateAgreementRequest(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	q2, err := pm.CreateAgreementRequest(ctx, in)
	if err != nil || aws.ToString(q2.AgreementRequestId) != aws.ToString(q1.AgreementRequestId) || aws.ToString(q1.ChargeSummary.NewAgreementValue) != "37.5" {
		t.Fatalf("retry = %v %v, value %s", q2, err, aws.ToString(q1.ChargeSummary.NewAgreementValue))
	}
	_, err = pm.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q1.AgreementRequestId,
		PurchaseOrders: []matypes.PurchaseOrder{{ChargeId: aws.String("ch-other"), PurchaseOrderReference: aws.String("PO-1")}}})
	wantAPIError(t, err, "ValidationException", "is not a charge of agreement request")
	_, err = pm.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: aws.String("ar-unknown")})
	wantAPIError(t, err, "ResourceNotFoundException", "AgreementRequest ar-unknown")
	if nf := wantError[*matypes.ResourceNotFoundException](t, err); aws.ToString(nf.ResourceId) != "ar-unknown" || nf.ResourceType != matypes.ResourceTypeAgreementRequest {
		t.Errorf("ResourceNotFoundException members: %q %q", aws.ToString(nf.ResourceId), nf.ResourceType)
	}
	acc, err := pm.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q1.AgreementRequestId})
	if err != nil {
		t.Fatal(err)
	}
	// One active agreement per product and account.
	q3, err := pm.CreateAgreementRequest(ctx, &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew, AgreementProposalIdentifier: proposal, RequestedTerms: configured})
	if err != nil {
		t.Fatal(err)
	}
	_, err = pm.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q3.AgreementRequestId})
	wantAPIError(t, err, "ConflictException", "already has the active agreement")

	// Search, terms and entitlements, as acceptor and as proposer.
	s, err := dev.SearchAgreements(ctx, &marketplaceagreement.SearchAgreementsInput{Catalog: aws.String("AWSMarketplace"), Filters: []matypes.Filter{
		{Name: aws.String("PartyType"), Values: []string{"Acceptor"}}, {Name: aws.String("AgreementType"), Values: []string{"PurchaseAgreement"}},
		{Name: aws.String("ResourceIdentifier"), Values: []string{m.approved}}, {Name: aws.String("Status"), Values: []string{"ACTIVE"}}}})
	if err != nil || len(s.AgreementViewSummaries) != 1 || aws.ToString(s.AgreementViewSummaries[0].AgreementId) != aws.ToString(acc.AgreementId) {
		t.Fatalf("SearchAgreements = %+v, %v", s, err)
	}
	root := aws.Credentials{AccessKeyID: buyRootKey, SecretAccessKey: buyRootSecret}
	seller, err := m.agreements(root).SearchAgreements(ctx, &marketplaceagreement.SearchAgreementsInput{Filters: []matypes.Filter{{Name: aws.String("PartyType"), Values: []string{"Proposer"}}}})
	if err != nil || len(seller.AgreementViewSummaries) != 1 || aws.ToString(seller.AgreementViewSummaries[0].Acceptor.AccountId) != m.developer {
		t.Fatalf("seller's SearchAgreements = %+v, %v", seller, err)
	}
	_, err = dev.SearchAgreements(ctx, &marketplaceagreement.SearchAgreementsInput{Filters: []matypes.Filter{{Name: aws.String("Colour"), Values: []string{"red"}}}})
	wantAPIError(t, err, "ValidationException", "Colour")
	_, err = dev.SearchAgreements(ctx, &marketplaceagreement.SearchAgreementsInput{NextToken: aws.String("forged")})
	wantAPIError(t, err, "ValidationException", "nextToken")

	terms, err := dev.GetAgreementTerms(ctx, &marketplaceagreement.GetAgreementTermsInput{AgreementId: acc.AgreementId, MaxResults: aws.Int32(1)})
	if err != nil || len(terms.AcceptedTerms) != 1 || terms.NextToken == nil {
		t.Fatalf("GetAgreementTerms page 1 = %+v, %v", terms, err)
	}
	up, isUpfront := terms.AcceptedTerms[0].(*matypes.AcceptedTermMemberConfigurableUpfrontPricingTerm)
	if !isUpfront || aws.ToString(up.Value.Configuration.SelectorValue) != "P12M" || len(up.Value.RateCards) != 1 {
		t.Errorf("first term = %#v", terms.AcceptedTerms[0])
	}
	terms, err = dev.GetAgreementTerms(ctx, &marketplaceagreement.GetAgreementTermsInput{AgreementId: acc.AgreementId, MaxResults: aws.Int32(1), NextToken: terms.NextToken})
	if err != nil || len(terms.AcceptedTerms) != 1 || terms.NextToken != nil {
		t.Fatalf("GetAgreementTerms page 2 = %+v, %v", terms, err)
	}
	if _, isLegal := terms.AcceptedTerms[0].(*matypes.AcceptedTermMemberLegalTerm); !isLegal {
		t.Errorf("second term = %#v", terms.AcceptedTerms[0])
	}
	ent, err := dev.GetAgreementEntitlements(ctx, &marketplaceagreement.GetAgreementEntitlementsInput{AgreementId: acc.AgreementId})
	if err != nil || len(ent.AgreementEntitlements) != 1 || ent.AgreementEntitlements[0].Status != matypes.AgreementEntitlementStatusProvisioned {
		t.Fatalf("GetAgreementEntitlements = %+v, %v", ent, err)
	}
	_, err = dev.DescribeAgreement(ctx, &marketplaceagreement.DescribeAgreementInput{AgreementId: aws.String("agmt-nosuchagreement")})
	wantAPIError(t, err, "ResourceNotFoundException", "Agreement agmt-nosuchagreement")

	// Cancelling needs Unsubscribe, which the SCP leaves to everyone; the
	// seller cannot cancel the buyer's agreement.
	_, err = m.agreements(root).CancelAgreement(ctx, &marketplaceagreement.CancelAgreementInput{AgreementId: acc.AgreementId})
	wantAPIError(t, err, "ValidationException", "Only the acceptor")
	if _, err := dev.CancelAgreement(ctx, &marketplaceagreement.CancelAgreementInput{AgreementId: acc.AgreementId}); err != nil {
		t.Fatal(err)
	}
	_, err = dev.CancelAgreement(ctx, &marketplaceagreement.CancelAgreementInput{AgreementId: acc.AgreementId})
	wantAPIError(t, err, "ConflictException", "is CANCELLED")
	if c := wantError[*matypes.ConflictException](t, err); aws.ToString(c.ResourceId) != aws.ToString(acc.AgreementId) || c.ResourceType != matypes.ResourceTypeAgreement || m.wire.last(t).status != 409 {
		t.Errorf("ConflictException members: %q %q, status %d", aws.ToString(c.ResourceId), c.ResourceType, m.wire.last(t).status)
	}
	ent, err = dev.GetAgreementEntitlements(ctx, &marketplaceagreement.GetAgreementEntitlementsInput{AgreementId: acc.AgreementId})
	if err != nil || ent.AgreementEntitlements[0].Status != matypes.AgreementEntitlementStatusDeprovisioned {
		t.Fatalf("GetAgreementEntitlements after cancel = %+v, %v", ent, err)
	}
	if code, body := m.deploy(t, m.dev, "POST", "/deployments", `{"ProductId":"`+m.approved+`"}`); code != 403 {
		t.Errorf("CreateDeployment after cancel: %d %v", code, body)
	}

	ops := m.wire.operations(t)
	for _, op := range []string{"CreateAgreementRequest", "AcceptAgreementRequest", "SearchAgreements", "DescribeAgreement", "GetAgreementTerms", "GetAgreementEntitlements", "CancelAgreement"} {
		if !ops[op] {
			t.Errorf("%s did not go over the wire", op)
		}
	}
}

// BenchmarkGovernedBuy measures a governed buy in process on SQLite: the
// procurement manager's CreateAgreementRequest and AcceptAgreementRequest
// under an enabled Private Marketplace experience and the purchase SCP,
// each authenticated, authorized and audited, then a CancelAgreement so
// the next buy is not a duplicate. It reports the p50 and p99 of the buy.
func BenchmarkGovernedBuy(b *testing.B) {
	m := newMarket(b)
	ctx := context.Background()
	pm := m.agreements(m.pm)
	terms := termIDs(m.offer, catalog.TermConfigurableUpfront, catalog.TermLegal)
	terms[0].Configuration = &matypes.RequestedTermConfigurationMemberConfigurableUpfrontPricingTermConfiguration{
		Value: matypes.ConfigurableUpfrontPricingTermConfiguration{SelectorValue: aws.String("P12M"), Dimensions: []matypes.Dimension{{DimensionKey: aws.String("users"), DimensionValue: 3}}}}
	in := &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew, AgreementProposalIdentifier: aws.String(catalog.AgreementProposalID(m.offer)), RequestedTerms: terms}
	var took []time.Duration
	for b.Loop() {
		call := *in // the SDK fills in the input's clientToken
		start := time.Now()
		q, err := pm.CreateAgreementRequest(ctx, &call)
		if err != nil {
			b.Fatal(err)
		}
		a, err := pm.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q.AgreementRequestId})
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		b.StopTimer()
		if _, err := pm.CancelAgreement(ctx, &marketplaceagreement.CancelAgreementInput{AgreementId: a.AgreementId}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

// TestAgreementProtocolsAgree buys with the SDK's default client (Smithy
// RPC v2 CBOR) and reads the agreement back over both protocols Gatehouse
// serves for the Agreement API: the same outputs and the same typed
// errors come back in JSON 1.0, the protocol of the service's botocore
// model that the AWS CLI speaks, as in CBOR.
func TestAgreementProtocolsAgree(t *testing.T) {
	m := newMarket(t)
	ctx := context.Background()
	viaCBOR := m.agreements(m.pm)
	viaJSON := marketplaceagreement.NewFromConfig(m.cfg(m.pm), func(o *marketplaceagreement.Options) {
		o.Protocol = awsjson.New10(schemas.AWSMPCommerceService_v20200301)
	})
	terms := termIDs(m.offer, catalog.TermConfigurableUpfront, catalog.TermLegal)
	terms[0].Configuration = &matypes.RequestedTermConfigurationMemberConfigurableUpfrontPricingTermConfiguration{
		Value: matypes.ConfigurableUpfrontPricingTermConfiguration{SelectorValue: aws.String("P12M"), Dimensions: []matypes.Dimension{{DimensionKey: aws.String("users"), DimensionValue: 7}}}}
	q, err := viaCBOR.CreateAgreementRequest(ctx, &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew,
		AgreementProposalIdentifier: aws.String(catalog.AgreementProposalID(m.offer)), RequestedTerms: terms})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := viaCBOR.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q.AgreementRequestId})
	if err != nil {
		t.Fatal(err)
	}
	id := acc.AgreementId
	for _, c := range []struct {
		name string
		call func(*marketplaceagreement.Client) (any, error)
	}{
		{"DescribeAgreement", func(c *marketplaceagreement.Client) (any, error) {
			out, err := c.DescribeAgreement(ctx, &marketplaceagreement.DescribeAgreementInput{AgreementId: id})
			return out, err
		}},
		{"SearchAgreements", func(c *marketplaceagreement.Client) (any, error) {
			out, err := c.SearchAgreements(ctx, &marketplaceagreement.SearchAgreementsInput{Filters: []matypes.Filter{{Name: aws.String("PartyType"), Values: []string{"Acceptor"}}}})
			return out, err
		}},
		{"GetAgreementTerms", func(c *marketplaceagreement.Client) (any, error) {
			out, err := c.GetAgreementTerms(ctx, &marketplaceagreement.GetAgreementTermsInput{AgreementId: id})
			return out, err
		}},
		{"GetAgreementEntitlements", func(c *marketplaceagreement.Client) (any, error) {
			out, err := c.GetAgreementEntitlements(ctx, &marketplaceagreement.GetAgreementEntitlementsInput{AgreementId: id})
			return out, err
		}},
		{"DescribeAgreement unknown", func(c *marketplaceagreement.Client) (any, error) {
			_, err := c.DescribeAgreement(ctx, &marketplaceagreement.DescribeAgreementInput{AgreementId: aws.String("agmt-nosuchagreement")})
			return nil, wantError[*matypes.ResourceNotFoundException](t, err)
		}},
		{"SearchAgreements invalid", func(c *marketplaceagreement.Client) (any, error) {
			_, err := c.SearchAgreements(ctx, &marketplaceagreement.SearchAgreementsInput{Catalog: aws.String("Elsewhere")})
			return nil, wantError[*matypes.ValidationException](t, err)
		}},
	} {
		fromCBOR, cerr := c.call(viaCBOR)
		fromJSON, jerr := c.call(viaJSON)
		if got, want := comparable(t, fromCBOR, cerr), comparable(t, fromJSON, jerr); got != want {
			t.Errorf("%s:\nCBOR: %s\nJSON: %s", c.name, got, want)
		}
	}
}

// comparable renders an output or error as JSON, with the response
// metadata left out and timestamps in UTC, for comparing what two
// protocols gave.
func comparable(t *testing.T, out any, err error) string {
	t.Helper()
	v := out
	if err != nil {
		v = err
	}
	b, merr := json.Marshal(v)
	if merr != nil {
		t.Fatal(merr)
	}
	var tree any
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	if m, ok := tree.(map[string]any); ok {
		delete(m, "ResultMetadata")
		delete(m, "RequestId")
	}
	b, _ = json.Marshal(utcTimes(tree))
	return fmt.Sprintf("%T %s", v, b)
}

// utcTimes rewrites the RFC 3339 timestamps of a decoded JSON value in
// UTC.
func utcTimes(v any) any {
	switch x := v.(type) {
	case string:
		if tm, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return tm.UTC().Format(time.RFC3339Nano)
		}
	case []any:
		for i := range x {
			x[i] = utcTimes(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = utcTimes(x[k])
		}
	}
	return v
}

// TestAgreementCBORSignature: SigV4 covers the CBOR body. A request signed
// by hand reaches the operation; the same signature over another body is
// refused as InvalidSignatureException, in CBOR with the common errors'
// namespace; a CBOR request that also names an X-Amz-Target is refused,
// as the protocol requires ("Requests for the rpcv2Cbor protocol MUST NOT
// contain an X-Amz-Target or X-Amzn-Target header").
func TestAgreementCBORSignature(t *testing.T) {
	m := newMarket(t)
	body := func(id string) []byte {
		b, err := cbor.Marshal(map[string]any{"agreementId": id})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	send := func(signed, sent []byte, header http.Header) (int, http.Header, map[string]any) {
		r, err := http.NewRequest("POST", m.url+"/service/AWSMPCommerceService_v20200301/operation/DescribeAgreement", bytes.NewReader(sent))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/cbor")
		r.Header.Set("Accept", "application/cbor")
		r.Header.Set("Smithy-Protocol", "rpc-v2-cbor")
		for k, v := range header {
			r.Header[k] = v
		}
		sum := sha256.Sum256(signed)
		if err := v4.NewSigner().SignHTTP(context.Background(), m.pm, r, hex.EncodeToString(sum[:]), "aws-marketplace", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if err := cbor.Unmarshal(raw, &out); err != nil {
			t.Fatalf("response is not CBOR: %v %q", err, raw)
		}
		return resp.StatusCode, resp.Header, out
	}
	for _, c := range []struct {
		name         string
		signed, sent []byte
		header       http.Header
		status       int
		typ, message string
	}{
		{name: "signed body", signed: body("agmt-aaaaaaaaaaaa"), sent: body("agmt-aaaaaaaaaaaa"), status: 404,
			typ: "com.amazonaws.marketplaceagreement#ResourceNotFoundException", message: "Agreement agmt-aaaaaaaaaaaa was not found."},
		{name: "body changed after signing", signed: body("agmt-aaaaaaaaaaaa"), sent: body("agmt-bbbbbbbbbbbb"), status: 403,
			typ: "com.amazon.coral.service#InvalidSignatureException", message: "signature"},
		{name: "X-Amz-Target too", signed: body("agmt-aaaaaaaaaaaa"), sent: body("agmt-aaaaaaaaaaaa"), header: http.Header{"X-Amz-Target": {"AWSMPCommerceService_v20200301.DescribeAgreement"}}, status: 400,
			typ: "com.amazon.coral.service#SerializationException", message: "X-Amz-Target"},
	} {
		status, h, out := send(c.signed, c.sent, c.header)
		msg, _ := out["message"].(string)
		if status != c.status || out["__type"] != c.typ || !strings.Contains(msg, c.message) {
			t.Errorf("%s: %d %v, want %d %s %q", c.name, status, out, c.status, c.typ, c.message)
		}
		if h.Get("Smithy-Protocol") != "rpc-v2-cbor" || h.Get("Content-Type") != "application/cbor" || h.Get("X-Amzn-ErrorType") != "" {
			t.Errorf("%s: headers %v", c.name, h)
		}
	}
}
