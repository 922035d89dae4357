package e2e

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/marketplaceagreement"
	matypes "github.com/aws/aws-sdk-go-v2/service/marketplaceagreement/types"
	"github.com/aws/aws-sdk-go-v2/service/marketplacecatalog"
	mctypes "github.com/aws/aws-sdk-go-v2/service/marketplacecatalog/types"

	"gatehouse/catalog"
)

// agreementsAs is an Agreement API client as aws-sdk-go-v2 makes it: it
// speaks Smithy RPC v2 CBOR.
func (s *server) agreementsAs(creds aws.Credentials) *marketplaceagreement.Client {
	return marketplaceagreement.New(marketplaceagreement.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   sdkHTTPClient{},
	})
}

// TestAgreements buys with aws-sdk-go-v2 on both stores: a seller lists
// a SaaS product with a BYOL offer; a buyer (the same account here)
// quotes and accepts it with a purchase order, finds, describes and reads
// the agreement, deploys the product through Gatehouse's Deployment API,
// and cancels; errors come back as the Agreement model's exceptions, with
// the statuses of their httpError traits.
func TestAgreements(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		ctx := ctxFor(t)
		mc := srv.catalogAs(srv.Key)
		prod := &mctypes.Entity{Type: aws.String("SaaSProduct@1.0"), Identifier: aws.String("$P.Entity.Identifier")}
		off := &mctypes.Entity{Type: aws.String("Offer@1.0"), Identifier: aws.String("$O.Entity.Identifier")}
		start := need(mc.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSet: []mctypes.Change{
			{ChangeType: aws.String("CreateProduct"), ChangeName: aws.String("P"), Entity: &mctypes.Entity{Type: aws.String("SaaSProduct@1.0")}, Details: aws.String(`{"ProductTitle":"Vault"}`)},
			{ChangeType: aws.String("UpdateInformation"), Entity: prod, Details: aws.String(`{"ShortDescription":"Secrets","LongDescription":"Keeps secrets","LogoUrl":"https://example.com/l.png","Categories":["Security"]}`)},
			{ChangeType: aws.String("AddDeliveryOptions"), Entity: prod, Details: aws.String(`{"DeliveryOptions":[{"Details":{"SaaSUrlDeliveryOptionDetails":{"FulfillmentUrl":"https://example.com/vault"}}}]}`)},
			{ChangeType: aws.String("ReleaseProduct"), Entity: prod, Details: aws.String("{}")},
			{ChangeType: aws.String("CreateOffer"), ChangeName: aws.String("O"), Entity: &mctypes.Entity{Type: aws.String("Offer@1.0")}, Details: aws.String(`{"ProductId":"$P.Entity.Identifier"}`)},
			{ChangeType: aws.String("UpdatePricingTerms"), Entity: off, Details: aws.String(`{"PricingModel":"Byol","Terms":[{"Type":"ByolPricingTerm"}]}`)},
			{ChangeType: aws.String("UpdateLegalTerms"), Entity: off, Details: aws.String(`{"Terms":[{"Type":"LegalTerm","Documents":[{"Type":"StandardEula","Version":"2022-07-14"}]}]}`)},
			{ChangeType: aws.String("ReleaseOffer"), Entity: off, Details: aws.String("{}")},
		}}))(t)
		cs := need(mc.DescribeChangeSet(ctx, &marketplacecatalog.DescribeChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSetId: start.ChangeSetId}))(t)
		if cs.Status != mctypes.ChangeStatusSucceeded {
			t.Fatalf("change set %s: %s", cs.Status, aws.ToString(cs.FailureDescription))
		}
		product, _, _ := strings.Cut(aws.ToString(cs.ChangeSet[0].Entity.Identifier), "@")
		offer, _, _ := strings.Cut(aws.ToString(cs.ChangeSet[4].Entity.Identifier), "@")

		ma := srv.agreementsAs(srv.Key)
		terms := []matypes.RequestedTerm{{Id: aws.String(catalog.TermID(offer, 0, catalog.TermByol))}, {Id: aws.String(catalog.TermID(offer, 1, catalog.TermLegal))}}
		q := need(ma.CreateAgreementRequest(ctx, &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew,
			AgreementProposalIdentifier: aws.String(catalog.AgreementProposalID(offer)), RequestedTerms: terms}))(t)
		if aws.ToString(q.ChargeSummary.NewAgreementValue) != "0" {
			t.Errorf("BYOL quote = %s", aws.ToString(q.ChargeSummary.NewAgreementValue))
		}
		acc := need(ma.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q.AgreementRequestId}))(t)
		found := need(ma.SearchAgreements(ctx, &marketplaceagreement.SearchAgreementsInput{Filters: []matypes.Filter{{Name: aws.String("OfferId"), Values: []string{offer}}}}))(t)
		if len(found.AgreementViewSummaries) != 1 || aws.ToString(found.AgreementViewSummaries[0].AgreementId) != aws.ToString(acc.AgreementId) {
			t.Errorf("SearchAgreements = %+v", found.AgreementViewSummaries)
		}
		d := need(ma.DescribeAgreement(ctx, &marketplaceagreement.DescribeAgreementInput{AgreementId: acc.AgreementId}))(t)
		if d.Status != matypes.AgreementStatusActive || d.EndTime != nil || aws.ToString(d.ProposalSummary.Resources[0].Type) != "SaaSProduct" {
			t.Errorf("DescribeAgreement = %+v", d)
		}
		tm := need(ma.GetAgreementTerms(ctx, &marketplaceagreement.GetAgreementTermsInput{AgreementId: acc.AgreementId}))(t)
		if _, ok := tm.AcceptedTerms[0].(*matypes.AcceptedTermMemberByolPricingTerm); !ok || len(tm.AcceptedTerms) != 2 {
			t.Errorf("GetAgreementTerms = %#v", tm.AcceptedTerms)
		}
		ent := need(ma.GetAgreementEntitlements(ctx, &marketplaceagreement.GetAgreementEntitlementsInput{AgreementId: acc.AgreementId}))(t)
		if ent.AgreementEntitlements[0].Status != matypes.AgreementEntitlementStatusProvisioned {
			t.Errorf("GetAgreementEntitlements = %+v", ent.AgreementEntitlements)
		}

		code, body := srv.deploy(t, "POST", "/deployments", `{"ProductId":"`+product+`"}`)
		if dep, _ := body["Deployment"].(map[string]any); code != 200 || dep["Delivery"].(map[string]any)["FulfillmentUrl"] != "https://example.com/vault" {
			t.Errorf("CreateDeployment: %d %v", code, body)
		}

		need(ma.CancelAgreement(ctx, &marketplaceagreement.CancelAgreementInput{AgreementId: acc.AgreementId}))(t)
		_, err := ma.CancelAgreement(ctx, &marketplaceagreement.CancelAgreementInput{AgreementId: acc.AgreementId})
		wantStatus[*matypes.ConflictException](t, err, 409)
		_, err = ma.DescribeAgreement(ctx, &marketplaceagreement.DescribeAgreementInput{AgreementId: aws.String("agmt-nothere")})
		wantStatus[*matypes.ResourceNotFoundException](t, err, 404)
		_, err = ma.CreateAgreementRequest(ctx, &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew, RequestedTerms: terms})
		wantStatus[*matypes.ValidationException](t, err, 400)
		if code, _ := srv.deploy(t, "POST", "/deployments", `{"ProductId":"`+product+`"}`); code != 403 {
			t.Errorf("CreateDeployment after cancel: %d, want 403", code)
		}
	})
}

// deploy sends a request to Gatehouse's Deployment API signed with the
// root key.
func (s *server) deploy(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	return s.deployAs(t, s.Key, method, path, body)
}
