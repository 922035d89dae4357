package catalog

import (
	"context"
	"slices"
	"testing"
	"time"

	"gatehouse/store"
)

// TestPrivateMarketplaceGovernance walks the seed: the management account
// creates an experience, allows a product, associates the retail OU and
// enables it; an account in an OU under retail is then governed by it and
// may buy only the allowed product; an experience associated with the
// account itself wins over the OU's.
func TestPrivateMarketplaceGovernance(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	allowed, other := w.saasProduct(t, "Allowed"), w.saasProduct(t, "Other")
	exp := w.experience(t, mgmtID, "Retail marketplace")
	w.succeed(t, mgmtID,
		expChange("AllowProductProcurement", exp, map[string]any{"Products": []any{map[string]any{"Ids": []string{allowed}, "Notes": "approved"}}}),
		expChange("AssociateAudience", exp, map[string]any{"Principals": []string{w.retail}}),
		expChange("CreateBrandingSettings", exp, map[string]any{"Name": "Retail", "Configuration": map[string]any{"Title": "Retail store", "ThemeColor": "#FF9900"}}),
	)
	check := func(account, product string, want bool, wantExp string) {
		t.Helper()
		err := w.st.View(ctx, func(tx store.Tx) error {
			ok, e, err := w.s.IsProductAllowed(ctx, tx, account, product)
			if err != nil {
				return err
			}
			if ok != want || e != wantExp {
				t.Errorf("IsProductAllowed(%s, %s) = %v, %q; want %v, %q", account, product, ok, e, want, wantExp)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Disabled: the experience does not restrict yet.
	check(w.shop, other, true, "")
	w.succeed(t, mgmtID, expChange("UpdateExperience", exp, map[string]any{"Status": "Enabled"}))
	check(w.shop, allowed, true, exp)
	check(w.shop, other, false, exp)
	check(w.seller, other, true, "") // in the root, which no experience governs

	err := w.st.View(ctx, func(tx store.Tx) error {
		g, ok, err := w.s.GoverningExperience(ctx, tx, w.shop)
		if err != nil || !ok {
			t.Fatalf("GoverningExperience = %v, %v", ok, err)
		}
		if g.Via != w.retail || g.Branding.Title != "Retail store" || !g.Enabled {
			t.Errorf("governance = %+v", g)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The delegated administrator manages the same marketplace: an
	// experience of its own for the shop account wins over the OU's.
	own := w.experience(t, w.admn, "Shop marketplace")
	w.succeed(t, w.admn,
		expChange("AssociateAudience", own, map[string]any{"Principals": []string{w.shop}}),
		expChange("UpdateExperience", own, map[string]any{"Status": "Enabled"}),
	)
	check(w.shop, allowed, false, own)
	// The root governs what nothing nearer does.
	w.succeed(t, w.admn, expChange("AssociateAudience", own, map[string]any{"Principals": []string{w.rootID}}))
	check(w.seller, other, false, own)
	// A principal belongs to one experience.
	codes := w.fail(t, mgmtID, 0, expChange("AssociateAudience", exp, map[string]any{"Principals": []string{w.shop}}))
	if !slices.Equal(codes, []string{CodeConflict}) {
		t.Errorf("codes = %v", codes)
	}
	// Denying the product takes it out again.
	w.succeed(t, mgmtID, expChange("DenyProductProcurement", exp, map[string]any{"Products": []any{map[string]any{"Ids": []string{allowed}}}}))
	w.succeed(t, w.admn, expChange("DisassociateAudience", own, map[string]any{"Principals": []string{w.shop}}))
	check(w.shop, allowed, false, exp)
}

// TestPrivateMarketplaceAdministrators: only the management account and
// delegated administrators for private-marketplace.marketplace.amazonaws.com
// may change experiences ("All change types can be called only from the
// organization's management account or by a member account that is a
// delegated administrator for private marketplace").
func TestPrivateMarketplaceAdministrators(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.s.StartChangeSet(ctx, rootOf(w.shop), StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{
		{ChangeType: "CreateExperience", Entity: Entity{Type: "Experience@1.0"}, DetailsDocument: doc(map[string]any{"Name": "Mine"})},
	}})
	wantCode(t, err, "AccessDeniedException")
	exp := w.experience(t, mgmtID, "Org")
	// Another account cannot see the experience.
	_, err = w.s.DescribeEntity(ctx, rootOf(w.seller), DescribeEntityInput{Catalog: Catalog, EntityId: exp})
	wantCode(t, err, "ResourceNotFoundException")
	// The delegated administrator can, and lists it as SHARED.
	d := must(w.s.DescribeEntity(ctx, rootOf(w.admn), DescribeEntityInput{Catalog: Catalog, EntityId: exp}))(t)
	if d.EntityType != "Experience@1.0" || d.EntityArn != "arn:aws:aws-marketplace:us-east-1:"+mgmtID+":AWSMarketplace/Experience/"+exp {
		t.Errorf("DescribeEntity = %+v", d)
	}
	l := must(w.s.ListEntities(ctx, rootOf(w.admn), ListEntitiesInput{Catalog: Catalog, EntityType: "Experience", OwnershipType: "SHARED"}))(t)
	if len(l.EntitySummaryList) != 1 || l.EntitySummaryList[0].EntityId != exp {
		t.Errorf("SHARED = %+v", l.EntitySummaryList)
	}
}

// TestChangeTypeValidation checks the details of each change type against
// its shape: field limits and patterns of pmp-catalog-shapes.txt and the
// product and offer rules, as INVALID_INPUT errors of the change.
func TestChangeTypeValidation(t *testing.T) {
	w := newWorld(t)
	exp := w.experience(t, mgmtID, "Valid")
	prod := w.saasProduct(t, "Product")
	long := func(n int) string { return string(make([]byte, n)) }
	a51 := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	tests := []struct {
		name    string
		change  Change
		account string
	}{
		{name: "experience name pattern", change: Change{ChangeType: "CreateExperience", Entity: Entity{Type: "Experience@1.0"}, DetailsDocument: doc(map[string]any{"Name": "bad/name"})}},
		{name: "experience name too long", change: Change{ChangeType: "CreateExperience", Entity: Entity{Type: "Experience@1.0"}, DetailsDocument: doc(map[string]any{"Name": a51})}},
		{name: "experience name missing", change: Change{ChangeType: "CreateExperience", Entity: Entity{Type: "Experience@1.0"}, DetailsDocument: doc(map[string]any{})}},
		{name: "catalog pattern", change: Change{ChangeType: "CreateExperience", Entity: Entity{Type: "Experience@1.0"}, DetailsDocument: doc(map[string]any{"Name": "x", "Catalog": "-bad"})}},
		{name: "unknown field", change: expChange("UpdateExperience", exp, map[string]any{"Colour": "red"})},
		{name: "status enum", change: expChange("UpdateExperience", exp, map[string]any{"Status": "On"})},
		{name: "empty description", change: expChange("UpdateExperience", exp, map[string]any{"Description": ""})},
		{name: "restrict takes no details", change: expChange("RestrictExperience", exp, map[string]any{"Reason": "x"})},
		{name: "policy configuration required", change: expChange("UpdateProcurementPolicy", exp, map[string]any{"Name": "p"})},
		{name: "policy requests enum", change: expChange("UpdateProcurementPolicy", exp, map[string]any{"Configuration": map[string]any{"PolicyResourceRequests": "Maybe"}})},
		{name: "products required", change: expChange("AllowProductProcurement", exp, map[string]any{})},
		{name: "product id too long", change: expChange("AllowProductProcurement", exp, map[string]any{"Products": []any{map[string]any{"Ids": []string{a51}}}})},
		{name: "product notes too long", change: expChange("DenyProductProcurement", exp, map[string]any{"Products": []any{map[string]any{"Ids": []string{prod}, "Notes": a51}}})},
		{name: "theme colour", change: expChange("CreateBrandingSettings", exp, map[string]any{"Name": "b", "Configuration": map[string]any{"ThemeColor": "orange!"}})},
		{name: "logo url", change: expChange("CreateBrandingSettings", exp, map[string]any{"Name": "b", "Configuration": map[string]any{"LogoUrl": "ftp://x"}})},
		{name: "branding information", change: expChange("CreateBrandingSettings", exp, map[string]any{"Name": "b", "Configuration": map[string]any{"Information": long(1001)}})},
		{name: "principals required", change: expChange("AssociateAudience", exp, map[string]any{"Name": "a"})},
		{name: "principal format", change: expChange("AssociateAudience", exp, map[string]any{"Principals": []string{"everyone"}})},
		{name: "product title", account: "seller", change: Change{ChangeType: "CreateProduct", Entity: Entity{Type: "SaaSProduct@1.0"}, DetailsDocument: doc(map[string]any{"ProductTitle": long(73)})}},
		{name: "highlights", account: "seller", change: Change{ChangeType: "UpdateInformation", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: prod}, DetailsDocument: doc(map[string]any{"Highlights": []string{"a", "b", "c", "d"}})}},
		{name: "fulfillment url", account: "seller", change: Change{ChangeType: "AddDeliveryOptions", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: prod}, DetailsDocument: doc(map[string]any{
			"DeliveryOptions": []any{map[string]any{"Details": map[string]any{"SaaSUrlDeliveryOptionDetails": map[string]any{"FulfillmentUrl": "http://insecure"}}}}})}},
		{name: "visibility", account: "seller", change: Change{ChangeType: "UpdateVisibility", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: prod}, DetailsDocument: doc(map[string]any{"TargetVisibility": "Everyone"})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			account := mgmtID
			if tt.account == "seller" {
				account = w.seller
			}
			codes := w.fail(t, account, 0, tt.change)
			if codes[0] != CodeInvalidInput {
				t.Errorf("codes = %v, want INVALID_INPUT", codes)
			}
		})
	}
}

// TestOffers: an offer of a released product, with usage pricing and a
// standard EULA, is released; pricing terms must fit the pricing model.
func TestOffers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	prod := w.saasProduct(t, "Metered")
	offerType := Entity{Type: "Offer@1.0", Identifier: "$Offer.Entity.Identifier"}
	ids := w.succeed(t, w.seller,
		Change{ChangeType: "CreateOffer", ChangeName: "Offer", Entity: Entity{Type: "Offer@1.0"}, DetailsDocument: doc(map[string]any{"ProductId": prod, "Name": "Public"})},
		Change{ChangeType: "UpdatePricingTerms", Entity: offerType, DetailsDocument: doc(map[string]any{"PricingModel": "Usage", "Terms": []any{
			map[string]any{"Type": "UsageBasedPricingTerm", "CurrencyCode": "USD", "RateCards": []any{map[string]any{"RateCard": []any{map[string]any{"DimensionKey": "requests", "Price": "0.001"}}}}},
			map[string]any{"Type": "FreeTrialPricingTerm", "Duration": "P30D", "Grants": []any{map[string]any{"DimensionKey": "requests"}}},
		}})},
		Change{ChangeType: "UpdateLegalTerms", Entity: offerType, DetailsDocument: doc(map[string]any{"Terms": []any{
			map[string]any{"Type": "LegalTerm", "Documents": []any{map[string]any{"Type": "StandardEula", "Version": "2022-07-14"}}}}})},
		Change{ChangeType: "ReleaseOffer", Entity: offerType, Details: "{}"},
	)
	d := must(w.s.DescribeEntity(ctx, rootOf(w.seller), DescribeEntityInput{Catalog: Catalog, EntityId: ids[0]}))(t)
	if !contains(d.Details, `"State":"Released"`) || !contains(d.Details, `"ProductId":"`+prod+`"`) {
		t.Errorf("offer = %s", d.Details)
	}
	codes := w.fail(t, w.seller, 1,
		Change{ChangeType: "CreateOffer", ChangeName: "Offer", Entity: Entity{Type: "Offer@1.0"}, DetailsDocument: doc(map[string]any{"ProductId": prod})},
		Change{ChangeType: "UpdatePricingTerms", Entity: offerType, DetailsDocument: doc(map[string]any{"PricingModel": "Byol", "Terms": []any{
			map[string]any{"Type": "UsageBasedPricingTerm", "CurrencyCode": "USD", "RateCards": []any{map[string]any{"RateCard": []any{map[string]any{"DimensionKey": "x", "Price": "1"}}}}}}})},
	)
	if codes[0] != CodeInvalidInput {
		t.Errorf("codes = %v", codes)
	}
	// Releasing an offer without terms fails with INVALID_STATE.
	codes = w.fail(t, w.seller, 1,
		Change{ChangeType: "CreateOffer", ChangeName: "Offer", Entity: Entity{Type: "Offer@1.0"}, DetailsDocument: doc(map[string]any{"ProductId": prod})},
		Change{ChangeType: "ReleaseOffer", Entity: offerType, Details: "{}"},
	)
	if codes[0] != CodeInvalidState {
		t.Errorf("codes = %v", codes)
	}
}

func contains(s, sub string) bool { return len(s) >= len(sub) && (s == sub || index(s, sub) >= 0) }

func index(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// TestStartChangeSetRequests: request errors are ValidationException,
// unknown entities ResourceNotFoundException; a ClientRequestToken makes
// StartChangeSet idempotent; VALIDATE changes nothing; a failed change set
// changes nothing either.
func TestStartChangeSetRequests(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	seller := rootOf(w.seller)
	create := Change{ChangeType: "CreateProduct", Entity: Entity{Type: "SaaSProduct@1.0"}, Details: `{"ProductTitle":"T"}`}
	bad := []struct {
		name string
		in   StartChangeSetInput
		code string
	}{
		{"catalog", StartChangeSetInput{Catalog: "Other", ChangeSet: []Change{create}}, "ValidationException"},
		{"no changes", StartChangeSetInput{Catalog: Catalog}, "ValidationException"},
		{"21 changes", StartChangeSetInput{Catalog: Catalog, ChangeSet: slices.Repeat([]Change{create}, 21)}, "ValidationException"},
		{"intent", StartChangeSetInput{Catalog: Catalog, Intent: "MAYBE", ChangeSet: []Change{create}}, "ValidationException"},
		{"version", StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{{ChangeType: "CreateProduct", Entity: Entity{Type: "SaaSProduct"}}}}, "ValidationException"},
		{"change type", StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{{ChangeType: "CreateExperience", Entity: Entity{Type: "SaaSProduct@1.0"}}}}, "ValidationException"},
		{"both details", StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{{ChangeType: "CreateProduct", Entity: Entity{Type: "SaaSProduct@1.0"}, Details: "{}", DetailsDocument: doc(map[string]any{})}}}, "ValidationException"},
		{"details not JSON", StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{{ChangeType: "CreateProduct", Entity: Entity{Type: "SaaSProduct@1.0"}, Details: "{nope}"}}}, "ValidationException"},
		{"forward reference", StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{{ChangeType: "ReleaseProduct", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: "$Later.Entity.Identifier"}}, {ChangeType: "CreateProduct", ChangeName: "Later", Entity: Entity{Type: "SaaSProduct@1.0"}}}}, "ValidationException"},
		{"unknown entity", StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{{ChangeType: "ReleaseProduct", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: "prod-doesnotexist1"}}}}, "ResourceNotFoundException"},
		{"same change twice", StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{{ChangeType: "ReleaseProduct", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: "prod-x"}}, {ChangeType: "ReleaseProduct", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: "prod-x"}}}}, "ValidationException"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.s.StartChangeSet(ctx, seller, tt.in)
			wantCode(t, err, tt.code)
		})
	}

	in := StartChangeSetInput{Catalog: Catalog, ClientRequestToken: "token-1", ChangeSet: []Change{create}}
	first := must(w.s.StartChangeSet(ctx, seller, in))(t)
	again := must(w.s.StartChangeSet(ctx, seller, in))(t)
	if first != again {
		t.Errorf("same token: %+v then %+v", first, again)
	}
	in.ChangeSetName = "different"
	_, err := w.s.StartChangeSet(ctx, seller, in)
	wantCode(t, err, "ValidationException")

	count := func() int {
		l := must(w.s.ListEntities(ctx, seller, ListEntitiesInput{Catalog: Catalog, EntityType: "SaaSProduct"}))(t)
		return len(l.EntitySummaryList)
	}
	before := count()
	v := must(w.s.StartChangeSet(ctx, seller, StartChangeSetInput{Catalog: Catalog, Intent: IntentValidate, ChangeSet: []Change{create}}))(t)
	d := must(w.s.DescribeChangeSet(ctx, seller, DescribeChangeSetInput{Catalog: Catalog, ChangeSetId: v.ChangeSetId}))(t)
	if d.Status != StatusSucceeded || d.Intent != IntentValidate || count() != before {
		t.Errorf("VALIDATE: %s, %d products (was %d)", d.Status, count(), before)
	}
	// The first change would succeed; the second fails, and so nothing is
	// created.
	w.fail(t, w.seller, 1, create, Change{ChangeType: "CreateProduct", Entity: Entity{Type: "SaaSProduct@1.0"}, Details: `{"Title":"T"}`})
	if count() != before {
		t.Errorf("a failed change set created products")
	}
}

// TestDeferredChangeSets: with an ApplyDelay a change set stays PREPARING
// and locks its entities (ResourceInUseException), can be cancelled, and
// is applied by the first request after it is due.
func TestDeferredChangeSets(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	prod := w.saasProduct(t, "Deferred")
	w.s.ApplyDelay = time.Hour
	seller := rootOf(w.seller)
	vis := Change{ChangeType: "UpdateVisibility", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: prod}, Details: `{"TargetVisibility":"Public"}`}
	first := must(w.s.StartChangeSet(ctx, seller, StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{vis}}))(t)
	d := must(w.s.DescribeChangeSet(ctx, seller, DescribeChangeSetInput{Catalog: Catalog, ChangeSetId: first.ChangeSetId}))(t)
	if d.Status != StatusPreparing {
		t.Fatalf("status %s, want PREPARING", d.Status)
	}
	_, err := w.s.StartChangeSet(ctx, seller, StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{vis}})
	wantCode(t, err, "ResourceInUseException")
	must(w.s.CancelChangeSet(ctx, seller, CancelChangeSetInput{Catalog: Catalog, ChangeSetId: first.ChangeSetId}))(t)
	_, err = w.s.CancelChangeSet(ctx, seller, CancelChangeSetInput{Catalog: Catalog, ChangeSetId: first.ChangeSetId})
	wantCode(t, err, "ResourceInUseException")

	second := must(w.s.StartChangeSet(ctx, seller, StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{vis}}))(t)
	w.clock.advance(time.Hour) // now due
	d = must(w.s.DescribeChangeSet(ctx, seller, DescribeChangeSetInput{Catalog: Catalog, ChangeSetId: second.ChangeSetId}))(t)
	if d.Status != StatusSucceeded {
		t.Fatalf("status %s, want SUCCEEDED", d.Status)
	}
	l := must(w.s.ListChangeSets(ctx, seller, ListChangeSetsInput{Catalog: Catalog, FilterList: []Filter{{Name: "Status", ValueList: []string{StatusCancelled}}}}))(t)
	if len(l.ChangeSetSummaryList) != 1 || l.ChangeSetSummaryList[0].ChangeSetId != first.ChangeSetId {
		t.Errorf("cancelled = %+v", l.ChangeSetSummaryList)
	}
}

// TestPaging lists products and change sets page by page.
func TestPaging(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	seller := rootOf(w.seller)
	var want []string
	for i := 0; i < 5; i++ {
		want = append(want, w.succeed(t, w.seller, Change{ChangeType: "CreateProduct", Entity: Entity{Type: "SaaSProduct@1.0"}, Details: `{"ProductTitle":"P"}`})[0])
	}
	slices.Sort(want)
	var got []string
	token := ""
	two := int32(2)
	for {
		l := must(w.s.ListEntities(ctx, seller, ListEntitiesInput{Catalog: Catalog, EntityType: "SaaSProduct", MaxResults: &two, NextToken: token}))(t)
		for _, e := range l.EntitySummaryList {
			got = append(got, e.EntityId)
		}
		if token = l.NextToken; token == "" {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged %v, want %v", got, want)
	}
	_, err := w.s.ListEntities(ctx, seller, ListEntitiesInput{Catalog: Catalog, EntityType: "Offer", NextToken: encodeToken("other", "x")})
	wantCode(t, err, "ValidationException")
	cs := must(w.s.ListChangeSets(ctx, seller, ListChangeSetsInput{Catalog: Catalog, MaxResults: &two, Sort: &Sort{SortBy: "StartTime", SortOrder: "DESCENDING"}}))(t)
	if len(cs.ChangeSetSummaryList) != 2 || cs.NextToken == "" || cs.ChangeSetSummaryList[0].StartTime < cs.ChangeSetSummaryList[1].StartTime {
		t.Errorf("ListChangeSets = %+v", cs)
	}
}
