package discovery

import (
	"context"
	"slices"
	"testing"

	"gatehouse/catalog"
)

// catalogWorld has three Public products, one Limited and offers.
type catalogWorld struct {
	*world
	vault, backup, logs, hidden string
	vaultOffer, backupOffer     string
}

func newCatalogWorld(t *testing.T) *catalogWorld {
	w := &catalogWorld{world: newWorld(t)}
	w.vault = w.product(t, product{typ: catalog.TypeSaaSProduct, title: "Vault Secrets", keyword: "encryption", category: "Security", visibility: catalog.VisibilityPublic})
	w.backup = w.product(t, product{typ: catalog.TypeContainerProduct, title: "Postgres Backup", keyword: "databases", category: "Storage", visibility: catalog.VisibilityPublic})
	w.logs = w.product(t, product{typ: catalog.TypeSaaSProduct, title: "Log Search", keyword: "observability", category: "Monitoring", visibility: catalog.VisibilityPublic})
	w.hidden = w.product(t, product{typ: catalog.TypeSaaSProduct, title: "Vault Preview", keyword: "encryption", category: "Security", visibility: catalog.VisibilityLimited})
	w.vaultOffer = w.offer(t, w.vault, "Vault pay as you go", false)
	w.backupOffer = w.offer(t, w.backup, "Backup license", true)
	return w
}

func TestSearchListings(t *testing.T) {
	w := newCatalogWorld(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		caller string
		in     SearchListingsInput
		want   []string
	}{
		{name: "everything public, by title", caller: w.shop, want: []string{ListingID(w.logs), ListingID(w.backup), ListingID(w.vault)}},
		{name: "text", caller: w.shop, in: SearchListingsInput{SearchText: "vault"}, want: []string{ListingID(w.vault)}},
		{name: "the owner sees its Limited product", caller: w.seller, in: SearchListingsInput{SearchText: "vault"}, want: []string{ListingID(w.hidden), ListingID(w.vault)}},
		{name: "keyword prefix", caller: w.shop, in: SearchListingsInput{SearchText: "observ"}, want: []string{ListingID(w.logs)}},
		{name: "category", caller: w.shop, in: SearchListingsInput{Filters: []SearchFilter{{FilterType: "CATEGORY", FilterValues: []string{"Storage", "Monitoring"}}}},
			want: []string{ListingID(w.logs), ListingID(w.backup)}},
		{name: "fulfillment", caller: w.shop, in: SearchListingsInput{Filters: []SearchFilter{{FilterType: "FULFILLMENT_OPTION_TYPE", FilterValues: []string{"CONTAINER"}}}},
			want: []string{ListingID(w.backup)}},
		{name: "pricing model of released offers", caller: w.shop, in: SearchListingsInput{Filters: []SearchFilter{{FilterType: "PRICING_MODEL", FilterValues: []string{"USAGE"}}}},
			want: []string{ListingID(w.vault)}},
		{name: "publisher and text", caller: w.shop, in: SearchListingsInput{SearchText: "backup", Filters: []SearchFilter{{FilterType: "PUBLISHER", FilterValues: []string{w.seller}}}},
			want: []string{ListingID(w.backup)}},
		{name: "no listing has a rating", caller: w.shop, in: SearchListingsInput{Filters: []SearchFilter{{FilterType: "MIN_AVERAGE_CUSTOMER_RATING", FilterValues: []string{"4.0"}}}},
			want: []string{}},
		{name: "ascending", caller: w.shop, in: SearchListingsInput{SortOrder: "ASCENDING"}, want: []string{ListingID(w.vault), ListingID(w.backup), ListingID(w.logs)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := must(w.s.SearchListings(ctx, rootOf(tc.caller), tc.in))(t)
			if got := listingIDs(out); !slices.Equal(got, tc.want) {
				t.Errorf("listings = %v, want %v", got, tc.want)
			}
			if out.TotalResults != int64(len(tc.want)) {
				t.Errorf("totalResults = %d, want %d", out.TotalResults, len(tc.want))
			}
		})
	}
	out := must(w.s.SearchListings(ctx, rootOf(w.shop), SearchListingsInput{SearchText: "vault"}))(t)
	s := out.ListingSummaries[0]
	if s.ListingName != "Vault Secrets" || s.Publisher.SellerProfileId != w.seller || s.Catalog != "AWSMarketplace" ||
		len(s.PricingModels) != 1 || s.PricingModels[0].PricingModelType != "USAGE" || len(s.Badges) != 1 || s.Badges[0].BadgeType != "FREE_TRIAL" ||
		s.FulfillmentOptionSummaries[0].FulfillmentOptionType != "SAAS" || s.AssociatedEntities[0].Product.ProductId != w.vault {
		t.Errorf("summary = %+v", s)
	}
}

func TestSearchListingsPaging(t *testing.T) {
	w := newCatalogWorld(t)
	ctx := context.Background()
	var got []string
	in := SearchListingsInput{MaxResults: ptr(2)}
	for {
		out := must(w.s.SearchListings(ctx, rootOf(w.shop), in))(t)
		if out.TotalResults != 3 {
			t.Fatalf("totalResults = %d, want 3", out.TotalResults)
		}
		got = append(got, listingIDs(out)...)
		if out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	if want := []string{ListingID(w.logs), ListingID(w.backup), ListingID(w.vault)}; !slices.Equal(got, want) {
		t.Errorf("pages = %v, want %v", got, want)
	}
	// A token of another search, or no token at all, is refused.
	_, err := w.s.SearchListings(ctx, rootOf(w.shop), SearchListingsInput{SearchText: "vault", NextToken: in.NextToken})
	wantCode(t, err, "ValidationException")
	_, err = w.s.SearchListings(ctx, rootOf(w.shop), SearchListingsInput{NextToken: "bm90IGEgdG9rZW4="})
	wantCode(t, err, "ValidationException")
	_, err = w.s.SearchListings(ctx, rootOf(w.shop), SearchListingsInput{MaxResults: ptr(101)})
	wantCode(t, err, "ValidationException")
	_, err = w.s.SearchListings(ctx, rootOf(w.shop), SearchListingsInput{Filters: []SearchFilter{{FilterType: "COLOUR", FilterValues: []string{"red"}}}})
	wantCode(t, err, "ValidationException")
}

func TestSearchFacets(t *testing.T) {
	w := newCatalogWorld(t)
	ctx := context.Background()
	out := must(w.s.SearchFacets(ctx, rootOf(w.shop), SearchFacetsInput{FacetTypes: []string{"CATEGORY", "FULFILLMENT_OPTION_TYPE", "PRICING_MODEL"}}))(t)
	if out.TotalResults != 3 {
		t.Errorf("totalResults = %d, want 3", out.TotalResults)
	}
	counts := func(facet string) map[string]int64 {
		m := map[string]int64{}
		for _, f := range out.ListingFacets[facet] {
			m[f.Value] = f.Count
		}
		return m
	}
	if got := counts("CATEGORY"); len(got) != 3 || got["Security"] != 1 || got["Storage"] != 1 || got["Monitoring"] != 1 {
		t.Errorf("CATEGORY = %v", got)
	}
	if got := counts("FULFILLMENT_OPTION_TYPE"); got["SAAS"] != 2 || got["CONTAINER"] != 1 {
		t.Errorf("FULFILLMENT_OPTION_TYPE = %v", got)
	}
	if got := counts("PRICING_MODEL"); got["USAGE"] != 1 || got["BYOL"] != 1 || len(got) != 2 {
		t.Errorf("PRICING_MODEL = %v", got)
	}
	all := must(w.s.SearchFacets(ctx, rootOf(w.shop), SearchFacetsInput{SearchText: "vault"}))(t)
	if len(all.ListingFacets) != len(facetTypes) || all.TotalResults != 1 {
		t.Errorf("all facets of a text search: %d types, total %d", len(all.ListingFacets), all.TotalResults)
	}
	_, err := w.s.SearchFacets(ctx, rootOf(w.shop), SearchFacetsInput{FacetTypes: []string{"SIZE"}})
	wantCode(t, err, "ValidationException")
}

// TestGovernedAccount: under an enabled Private Marketplace experience an
// account sees only the products the experience allows, in every
// operation ("Under an enabled experience, the account sees and can buy
// only approved products").
func TestGovernedAccount(t *testing.T) {
	w := newCatalogWorld(t)
	ctx := context.Background()
	w.govern(t, w.vault)
	shop, seller := rootOf(w.shop), rootOf(w.seller)
	out := must(w.s.SearchListings(ctx, shop, SearchListingsInput{}))(t)
	if got := listingIDs(out); !slices.Equal(got, []string{ListingID(w.vault)}) {
		t.Errorf("governed search = %v, want only the approved product", got)
	}
	facets := must(w.s.SearchFacets(ctx, shop, SearchFacetsInput{FacetTypes: []string{"CATEGORY"}}))(t)
	if facets.TotalResults != 1 || len(facets.ListingFacets["CATEGORY"]) != 1 {
		t.Errorf("governed facets = %+v", facets)
	}
	_, err := w.s.GetProduct(ctx, shop, GetProductInput{ProductId: w.backup})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = w.s.GetListing(ctx, shop, GetListingInput{ListingId: ListingID(w.backup)})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = w.s.GetOffer(ctx, shop, GetOfferInput{OfferId: w.backupOffer})
	wantCode(t, err, "ResourceNotFoundException")
	must(w.s.GetOffer(ctx, shop, GetOfferInput{OfferId: w.vaultOffer}))(t)
	opts := must(w.s.ListPurchaseOptions(ctx, shop, ListPurchaseOptionsInput{Filters: []PurchaseOptionFilter{{FilterType: "VISIBILITY_SCOPE", FilterValues: []string{"PUBLIC"}}}}))(t)
	if len(opts.PurchaseOptions) != 1 || opts.PurchaseOptions[0].PurchaseOptionId != w.vaultOffer {
		t.Errorf("governed purchase options = %+v", opts.PurchaseOptions)
	}
	// The seller, in the root, is not governed.
	if out := must(w.s.SearchListings(ctx, seller, SearchListingsInput{}))(t); out.TotalResults != 4 {
		t.Errorf("ungoverned seller sees %d listings, want 4", out.TotalResults)
	}
}

func TestListingProductAndOffers(t *testing.T) {
	w := newCatalogWorld(t)
	ctx := context.Background()
	shop := rootOf(w.shop)
	l := must(w.s.GetListing(ctx, shop, GetListingInput{ListingId: ListingID(w.vault)}))(t)
	if l.ListingName != "Vault Secrets" || l.LongDescription != "All about Vault Secrets." || !slices.Equal(l.Highlights, []string{"Fast"}) ||
		len(l.AssociatedEntities) != 2 || l.AssociatedEntities[1].Offer.OfferId != w.vaultOffer {
		t.Errorf("listing = %+v", l)
	}
	p := must(w.s.GetProduct(ctx, shop, GetProductInput{ProductId: w.backup}))(t)
	if p.ProductName != "Postgres Backup" || p.DeployedOnAws != "NOT_APPLICABLE" || p.FulfillmentOptionSummaries[0].FulfillmentOptionType != "CONTAINER" {
		t.Errorf("product = %+v", p)
	}
	_, err := w.s.GetProduct(ctx, shop, GetProductInput{ProductId: w.hidden})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = w.s.GetProduct(ctx, shop, GetProductInput{ProductId: "prod with spaces"})
	wantCode(t, err, "ValidationException")

	o := must(w.s.GetOffer(ctx, shop, GetOfferInput{OfferId: w.vaultOffer}))(t)
	if o.AgreementProposalId != catalog.AgreementProposalID(w.vaultOffer) || o.PricingModel.PricingModelType != "USAGE" || o.AssociatedEntities[0].Product.ProductId != w.vault || o.AvailableFromTime.IsZero() {
		t.Errorf("offer = %+v", o)
	}
	terms := must(w.s.GetOfferTerms(ctx, shop, GetOfferTermsInput{OfferId: w.vaultOffer}))(t)
	if len(terms.OfferTerms) != 3 || terms.OfferTerms[0].UsageBasedPricingTerm == nil || terms.OfferTerms[1].FreeTrialPricingTerm == nil || terms.OfferTerms[2].LegalTerm == nil {
		t.Fatalf("terms = %+v", terms.OfferTerms)
	}
	// The ids are the Agreement API's, so that a buyer can request the
	// terms Discovery shows (CreateAgreementRequest's requestedTerms).
	for i, id := range []string{terms.OfferTerms[0].UsageBasedPricingTerm.Id, terms.OfferTerms[1].FreeTrialPricingTerm.Id, terms.OfferTerms[2].LegalTerm.Id} {
		typ := []string{catalog.TermUsageBased, catalog.TermFreeTrial, catalog.TermLegal}[i]
		if want := catalog.TermID(w.vaultOffer, i, typ); id != want {
			t.Errorf("term %d id = %s, want %s", i, id, want)
		}
	}
	if rc := terms.OfferTerms[0].UsageBasedPricingTerm.RateCards[0].RateCard[0]; rc.DimensionKey != "requests" || rc.Price != "0.001" {
		t.Errorf("rate card = %+v", rc)
	}
	page := must(w.s.GetOfferTerms(ctx, shop, GetOfferTermsInput{OfferId: w.vaultOffer, MaxResults: ptr(2)}))(t)
	rest := must(w.s.GetOfferTerms(ctx, shop, GetOfferTermsInput{OfferId: w.vaultOffer, MaxResults: ptr(2), NextToken: page.NextToken}))(t)
	if len(page.OfferTerms) != 2 || len(rest.OfferTerms) != 1 || rest.NextToken != "" {
		t.Errorf("term pages: %d then %d (%q)", len(page.OfferTerms), len(rest.OfferTerms), rest.NextToken)
	}

	f := must(w.s.ListFulfillmentOptions(ctx, shop, ListFulfillmentOptionsInput{ProductId: w.backup}))(t)
	if len(f.FulfillmentOptions) != 1 || f.FulfillmentOptions[0].ContainerFulfillmentOption == nil ||
		f.FulfillmentOptions[0].ContainerFulfillmentOption.FulfillmentOptionVersion != "1.0" {
		t.Errorf("fulfillment options = %+v", f.FulfillmentOptions)
	}
	f = must(w.s.ListFulfillmentOptions(ctx, shop, ListFulfillmentOptionsInput{ProductId: w.vault}))(t)
	if len(f.FulfillmentOptions) != 1 || f.FulfillmentOptions[0].SaasFulfillmentOption.FulfillmentUrl != "https://example.com/register" {
		t.Errorf("SaaS fulfillment options = %+v", f.FulfillmentOptions)
	}

	// ListPurchaseOptions needs a PRODUCT_ID or VISIBILITY_SCOPE filter
	// (ListPurchaseOptions API reference).
	_, err = w.s.ListPurchaseOptions(ctx, shop, ListPurchaseOptionsInput{})
	wantCode(t, err, "ValidationException")
	opts := must(w.s.ListPurchaseOptions(ctx, shop, ListPurchaseOptionsInput{Filters: []PurchaseOptionFilter{{FilterType: "PRODUCT_ID", FilterValues: []string{w.backup}}}}))(t)
	if len(opts.PurchaseOptions) != 1 || opts.PurchaseOptions[0].PurchaseOptionId != w.backupOffer || opts.PurchaseOptions[0].PurchaseOptionType != "OFFER" {
		t.Errorf("purchase options = %+v", opts.PurchaseOptions)
	}
	opts = must(w.s.ListPurchaseOptions(ctx, shop, ListPurchaseOptionsInput{Filters: []PurchaseOptionFilter{
		{FilterType: "VISIBILITY_SCOPE", FilterValues: []string{"PUBLIC"}}, {FilterType: "AVAILABILITY_STATUS", FilterValues: []string{"AVAILABLE"}}}}))(t)
	if len(opts.PurchaseOptions) != 2 {
		t.Errorf("public purchase options = %+v", opts.PurchaseOptions)
	}
	_, err = w.s.GetOfferSet(ctx, shop, GetOfferSetInput{OfferSetId: "offerset-abc"})
	wantCode(t, err, "ResourceNotFoundException")
}

// TestIndexFollowsCatalog: a product's search document changes with the
// product, in the change set's transaction.
func TestIndexFollowsCatalog(t *testing.T) {
	w := newCatalogWorld(t)
	ctx := context.Background()
	w.succeed(t, w.seller, catalog.Change{ChangeType: "UpdateInformation", Entity: catalog.Entity{Type: "SaaSProduct@1.0", Identifier: w.logs},
		DetailsDocument: doc(map[string]any{"ProductTitle": "Trace Explorer", "SearchKeywords": []string{"tracing"}})})
	if out := must(w.s.SearchListings(ctx, rootOf(w.shop), SearchListingsInput{SearchText: "observability"}))(t); out.TotalResults != 0 {
		t.Errorf("the replaced keyword still finds %v", listingIDs(out))
	}
	if out := must(w.s.SearchListings(ctx, rootOf(w.shop), SearchListingsInput{SearchText: "trace explorer"}))(t); !slices.Equal(listingIDs(out), []string{ListingID(w.logs)}) {
		t.Errorf("the new title finds %v", listingIDs(out))
	}
	w.succeed(t, w.seller, catalog.Change{ChangeType: "UpdateVisibility", Entity: catalog.Entity{Type: "SaaSProduct@1.0", Identifier: w.logs},
		DetailsDocument: doc(map[string]any{"TargetVisibility": "Restricted"})})
	if out := must(w.s.SearchListings(ctx, rootOf(w.shop), SearchListingsInput{SearchText: "trace"}))(t); out.TotalResults != 0 {
		t.Errorf("a Restricted product is found: %v", listingIDs(out))
	}
}
