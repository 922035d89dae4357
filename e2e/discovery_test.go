package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/marketplacecatalog"
	mctypes "github.com/aws/aws-sdk-go-v2/service/marketplacecatalog/types"
)

// discoveryCLI runs `aws marketplace-discovery ARGS` with the AWS CLI v1
// against srv as its management account's root user, and returns the
// output and the error of a failed command.
func discoveryCLI(t *testing.T, cli string, srv *server, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(cli, append([]string{"marketplace-discovery", "--endpoint-url", srv.URL, "--output", "json"}, args...)...)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"LANG=C.UTF-8",
		"AWS_ACCESS_KEY_ID=" + srv.Key.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + srv.Key.SecretAccessKey,
		"AWS_DEFAULT_REGION=" + Region,
		"AWS_PAGER=",
		"AWS_EC2_METADATA_DISABLED=true",
	}
	return cmd.CombinedOutput()
}

// publishProduct creates a Public SaaS product with a released BYOL
// offer through the Catalog API and returns the product and offer ids.
func publishProduct(t *testing.T, srv *server, title, keyword string) (string, string) {
	t.Helper()
	ctx := ctxFor(t)
	mc := srv.catalogAs(srv.Key)
	p, o := "$P.Entity.Identifier", "$O.Entity.Identifier"
	product := &mctypes.Entity{Type: aws.String("SaaSProduct@1.0"), Identifier: &p}
	offer := &mctypes.Entity{Type: aws.String("Offer@1.0"), Identifier: &o}
	start := need(mc.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{
		Catalog: aws.String("AWSMarketplace"),
		ChangeSet: []mctypes.Change{
			{ChangeType: aws.String("CreateProduct"), ChangeName: aws.String("P"), Entity: &mctypes.Entity{Type: aws.String("SaaSProduct@1.0")},
				Details: aws.String(`{"ProductTitle":"` + title + `"}`)},
			{ChangeType: aws.String("UpdateInformation"), Entity: product, Details: aws.String(`{"ShortDescription":"About ` + title +
				`","LongDescription":"All about ` + title + `","LogoUrl":"https://example.com/l.png","Categories":["Security"],"SearchKeywords":["` + keyword + `"]}`)},
			{ChangeType: aws.String("AddDeliveryOptions"), Entity: product,
				Details: aws.String(`{"DeliveryOptions":[{"Details":{"SaaSUrlDeliveryOptionDetails":{"FulfillmentUrl":"https://example.com/signup"}}}]}`)},
			{ChangeType: aws.String("ReleaseProduct"), Entity: product, Details: aws.String("{}")},
			{ChangeType: aws.String("UpdateVisibility"), Entity: product, Details: aws.String(`{"TargetVisibility":"Public"}`)},
			{ChangeType: aws.String("CreateOffer"), ChangeName: aws.String("O"), Entity: &mctypes.Entity{Type: aws.String("Offer@1.0")},
				Details: aws.String(`{"ProductId":"$P.Entity.Identifier","Name":"Standard"}`)},
			{ChangeType: aws.String("UpdatePricingTerms"), Entity: offer, Details: aws.String(`{"PricingModel":"Byol","Terms":[{"Type":"ByolPricingTerm"}]}`)},
			{ChangeType: aws.String("UpdateLegalTerms"), Entity: offer, Details: aws.String(`{"Terms":[{"Type":"LegalTerm","Documents":[{"Type":"StandardEula","Version":"2022-07-14"}]}]}`)},
			{ChangeType: aws.String("ReleaseOffer"), Entity: offer, Details: aws.String("{}")},
		},
	}))(t)
	desc := need(mc.DescribeChangeSet(ctx, &marketplacecatalog.DescribeChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSetId: start.ChangeSetId}))(t)
	if desc.Status != mctypes.ChangeStatusSucceeded {
		t.Fatalf("DescribeChangeSet: %s %+v", desc.Status, desc.ChangeSet)
	}
	return aws.ToString(desc.ChangeSet[0].Entity.Identifier), aws.ToString(desc.ChangeSet[5].Entity.Identifier)
}

// TestDiscoveryCLI drives the Marketplace Discovery API with the AWS CLI
// v1 (the Go SDK has no Discovery client): full-text search with
// filters, facets and paging by the CLI's own paginator, the listing,
// product, offer, terms, purchase and fulfillment options of a product
// published through the Catalog API, and the errors the CLI reports.
func TestDiscoveryCLI(t *testing.T) {
	cli := awsCLIv1(t)
	if cli == "" {
		t.Skip("no AWS CLI v1 first on PATH")
	}
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		vault, offer := publishProduct(t, srv, "Vault Secrets", "encryption")
		publishProduct(t, srv, "Log Search", "observability")
		publishProduct(t, srv, "Vault Backup", "snapshots")
		run := func(v any, args ...string) {
			t.Helper()
			out, err := discoveryCLI(t, cli, srv, args...)
			if err != nil {
				t.Fatalf("aws marketplace-discovery %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			if err := json.Unmarshal(out, v); err != nil {
				t.Fatalf("%s: %v\n%s", args[0], err, out)
			}
		}
		var search struct {
			TotalResults     int
			ListingSummaries []struct{ ListingId, ListingName string }
		}
		run(&search, "search-listings", "--search-text", "vault", "--filters", "filterType=CATEGORY,filterValues=Security")
		if search.TotalResults != 2 || len(search.ListingSummaries) != 2 {
			t.Errorf("search-listings vault: %+v", search)
		}
		// The CLI pages through every result one listing at a time.
		run(&search, "search-listings", "--page-size", "1")
		if len(search.ListingSummaries) != 3 {
			t.Errorf("paged search-listings: %+v", search)
		}
		var facets struct {
			ListingFacets map[string][]struct {
				Value string
				Count int
			}
		}
		run(&facets, "search-facets", "--facet-types", "CATEGORY", "PRICING_MODEL")
		if f := facets.ListingFacets["PRICING_MODEL"]; len(f) != 1 || f[0].Value != "BYOL" || f[0].Count != 3 {
			t.Errorf("search-facets: %+v", facets)
		}
		var listing struct{ ListingName, LongDescription string }
		run(&listing, "get-listing", "--listing-id", strings.Replace(vault, "prod-", "prodview-", 1))
		if listing.ListingName != "Vault Secrets" || listing.LongDescription != "All about Vault Secrets" {
			t.Errorf("get-listing: %+v", listing)
		}
		var product struct{ ProductId, DeployedOnAws string }
		run(&product, "get-product", "--product-id", vault)
		if product.ProductId != vault || product.DeployedOnAws != "NOT_APPLICABLE" {
			t.Errorf("get-product: %+v", product)
		}
		var o struct {
			AgreementProposalId string
			PricingModel        struct{ PricingModelType string }
			AvailableFromTime   any
		}
		run(&o, "get-offer", "--offer-id", offer)
		if o.AgreementProposalId != "ap-"+strings.TrimPrefix(offer, "offer-") || o.PricingModel.PricingModelType != "BYOL" || o.AvailableFromTime == nil {
			t.Errorf("get-offer: %+v", o)
		}
		var terms struct{ OfferTerms []map[string]any }
		run(&terms, "get-offer-terms", "--offer-id", offer)
		if len(terms.OfferTerms) != 2 || terms.OfferTerms[0]["byolPricingTerm"] == nil || terms.OfferTerms[1]["legalTerm"] == nil {
			t.Errorf("get-offer-terms: %+v", terms)
		}
		var options struct {
			PurchaseOptions []struct{ PurchaseOptionId string }
		}
		run(&options, "list-purchase-options", "--filters", "filterType=PRODUCT_ID,filterValues="+vault)
		if len(options.PurchaseOptions) != 1 || options.PurchaseOptions[0].PurchaseOptionId != offer {
			t.Errorf("list-purchase-options: %+v", options)
		}
		var fulfillment struct{ FulfillmentOptions []map[string]map[string]any }
		run(&fulfillment, "list-fulfillment-options", "--product-id", vault)
		if len(fulfillment.FulfillmentOptions) != 1 || fulfillment.FulfillmentOptions[0]["saasFulfillmentOption"]["fulfillmentUrl"] != "https://example.com/signup" {
			t.Errorf("list-fulfillment-options: %+v", fulfillment)
		}
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"get-product", "--product-id", "prod-doesnotexist1"}, "ResourceNotFoundException"},
			{[]string{"get-offer-set", "--offer-set-id", "offerset-none"}, "ResourceNotFoundException"},
			{[]string{"list-purchase-options", "--filters", "filterType=SELLER_OF_RECORD_PROFILE_ID,filterValues=" + ManagementAccount}, "ValidationException"},
			{[]string{"search-listings", "--starting-token", "bm90LWEtdG9rZW4="}, "ValidationException"},
		} {
			out, err := discoveryCLI(t, cli, srv, tc.args...)
			if err == nil || !strings.Contains(string(out), tc.want) {
				t.Errorf("%s: err %v, output %s; want %s", tc.args[0], err, out, tc.want)
			}
		}
	})
}
