package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"gatehouse/awserr"
	"gatehouse/catalog"
	"gatehouse/org"
	"gatehouse/principal"
	"gatehouse/store/sqlite"
)

const mgmtID = "111111111111"

// world is discovery over a real SQLite catalog with an organization:
// seller in the root, shop in OU retail.
type world struct {
	s            *Service
	cat          *catalog.Service
	orgs         *org.Service
	rootID       string
	retail       string
	seller, shop string
}

func rootOf(account string) *principal.Caller {
	return &principal.Caller{Type: principal.Root, Account: account, ARN: principal.RootARN(account), PrincipalARN: principal.RootARN(account), UserID: account}
}

func newWorld(t *testing.T) *world {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	orgs := org.New(st)
	if _, err := orgs.EnsureManagementAccount(ctx, mgmtID, "mgmt@example.com", "Management"); err != nil {
		t.Fatal(err)
	}
	mgmt := rootOf(mgmtID)
	must(orgs.CreateOrganization(ctx, mgmt, org.CreateOrganizationInput{FeatureSet: "ALL"}))(t)
	roots := must(orgs.ListRoots(ctx, mgmt, org.ListRootsInput{}))(t)
	w := &world{orgs: orgs, rootID: roots.Roots[0].Id}
	w.retail = must(orgs.CreateOrganizationalUnit(ctx, mgmt, org.CreateOrganizationalUnitInput{ParentId: w.rootID, Name: "retail"}))(t).OrganizationalUnit.Id
	w.seller = w.account(t, "seller", "")
	w.shop = w.account(t, "shop", w.retail)
	w.cat = catalog.New(st, orgs, "us-east-1")
	w.s = New(st, w.cat)
	return w
}

func (w *world) account(t *testing.T, name, parent string) string {
	t.Helper()
	ctx := context.Background()
	mgmt := rootOf(mgmtID)
	st := must(w.orgs.CreateAccount(ctx, mgmt, org.CreateAccountInput{Email: name + "@example.com", AccountName: name}))(t)
	id := must(w.orgs.DescribeCreateAccountStatus(ctx, mgmt, org.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.CreateAccountStatus.Id}))(t).CreateAccountStatus.AccountId
	if parent != "" {
		must(w.orgs.MoveAccount(ctx, mgmt, org.MoveAccountInput{AccountId: id, SourceParentId: w.rootID, DestinationParentId: parent}))(t)
	}
	return id
}

func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("got error %v, want %s", err, code)
	}
}

func doc(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// succeed runs a change set as account that must succeed and returns
// the entity ids of its changes.
func (w *world) succeed(t *testing.T, account string, changes ...catalog.Change) []string {
	t.Helper()
	ctx := context.Background()
	out := must(w.cat.StartChangeSet(ctx, rootOf(account), catalog.StartChangeSetInput{Catalog: catalog.Catalog, ChangeSet: changes}))(t)
	d := must(w.cat.DescribeChangeSet(ctx, rootOf(account), catalog.DescribeChangeSetInput{Catalog: catalog.Catalog, ChangeSetId: out.ChangeSetId}))(t)
	if d.Status != catalog.StatusSucceeded {
		t.Fatalf("change set %s: %s %+v", d.ChangeSetId, d.Status, d.ChangeSet)
	}
	ids := make([]string, len(d.ChangeSet))
	for i, c := range d.ChangeSet {
		ids[i] = c.Entity.Identifier
	}
	return ids
}

// product is what product creates.
type product struct {
	typ, title, keyword, category, visibility string
}

// product creates a released product of the seller with the given
// visibility (Limited after release, Public or Restricted after that).
func (w *world) product(t *testing.T, p product) string {
	t.Helper()
	typ := p.typ + "@1.0"
	ref := catalog.Entity{Type: typ, Identifier: "$Create.Entity.Identifier"}
	delivery := map[string]any{"DeliveryOptions": []any{map[string]any{"Details": map[string]any{"SaaSUrlDeliveryOptionDetails": map[string]any{"FulfillmentUrl": "https://example.com/register"}}}}}
	if p.typ == catalog.TypeContainerProduct {
		delivery = map[string]any{"Version": map[string]any{"VersionTitle": "1.0", "ReleaseNotes": "First."}, "DeliveryOptions": []any{map[string]any{
			"DeliveryOptionTitle": "Helm-free images",
			"Details": map[string]any{"EcrDeliveryOptionDetails": map[string]any{
				"ContainerImages": []string{"registry.example.com/app/server:1.0"}, "CompatibleServices": []string{"EKS"}, "UsageInstructions": "docker run"}}}}}
	}
	changes := []catalog.Change{
		{ChangeType: "CreateProduct", ChangeName: "Create", Entity: catalog.Entity{Type: typ}, DetailsDocument: doc(map[string]any{"ProductTitle": p.title})},
		{ChangeType: "UpdateInformation", Entity: ref, DetailsDocument: doc(map[string]any{
			"ShortDescription": "Short about " + p.title, "LongDescription": "All about " + p.title + ".", "LogoUrl": "https://example.com/logo.png",
			"Categories": []string{p.category}, "Highlights": []string{"Fast"}, "SearchKeywords": []string{p.keyword},
		})},
		{ChangeType: "AddDeliveryOptions", Entity: ref, DetailsDocument: doc(delivery)},
		{ChangeType: "ReleaseProduct", Entity: ref, Details: "{}"},
	}
	if p.visibility != catalog.VisibilityLimited {
		changes = append(changes, catalog.Change{ChangeType: "UpdateVisibility", Entity: ref, DetailsDocument: doc(map[string]any{"TargetVisibility": p.visibility})})
	}
	return w.succeed(t, w.seller, changes...)[0]
}

// offer releases an offer of a product: usage-based with a free trial,
// or BYOL.
func (w *world) offer(t *testing.T, productID, name string, byol bool) string {
	t.Helper()
	ref := catalog.Entity{Type: "Offer@1.0", Identifier: "$Offer.Entity.Identifier"}
	pricing := map[string]any{"PricingModel": "Usage", "Terms": []any{
		map[string]any{"Type": "UsageBasedPricingTerm", "CurrencyCode": "USD", "RateCards": []any{map[string]any{"RateCard": []any{map[string]any{"DimensionKey": "requests", "Price": "0.001"}}}}},
		map[string]any{"Type": "FreeTrialPricingTerm", "Duration": "P30D", "Grants": []any{map[string]any{"DimensionKey": "requests"}}},
	}}
	if byol {
		pricing = map[string]any{"PricingModel": "Byol", "Terms": []any{map[string]any{"Type": "ByolPricingTerm"}}}
	}
	return w.succeed(t, w.seller,
		catalog.Change{ChangeType: "CreateOffer", ChangeName: "Offer", Entity: catalog.Entity{Type: "Offer@1.0"}, DetailsDocument: doc(map[string]any{"ProductId": productID, "Name": name})},
		catalog.Change{ChangeType: "UpdatePricingTerms", Entity: ref, DetailsDocument: doc(pricing)},
		catalog.Change{ChangeType: "UpdateLegalTerms", Entity: ref, DetailsDocument: doc(map[string]any{"Terms": []any{
			map[string]any{"Type": "LegalTerm", "Documents": []any{map[string]any{"Type": "StandardEula", "Version": "2022-07-14"}}}}})},
		catalog.Change{ChangeType: "ReleaseOffer", Entity: ref, Details: "{}"},
	)[0]
}

// govern makes an enabled experience, allowing the products, govern the
// retail OU.
func (w *world) govern(t *testing.T, allowed ...string) string {
	t.Helper()
	exp := func(changeType string, details any) catalog.Change {
		return catalog.Change{ChangeType: changeType, Entity: catalog.Entity{Type: "Experience@1.0", Identifier: "$Exp.Entity.Identifier"}, DetailsDocument: doc(details)}
	}
	ids := w.succeed(t, mgmtID,
		catalog.Change{ChangeType: "CreateExperience", ChangeName: "Exp", Entity: catalog.Entity{Type: "Experience@1.0"}, DetailsDocument: doc(map[string]any{"Name": "Retail"})},
		exp("CreateProcurementPolicy", map[string]any{"Configuration": map[string]any{"PolicyResourceRequests": "Allow"}}),
		exp("AllowProductProcurement", map[string]any{"Products": []any{map[string]any{"Ids": allowed, "Notes": "approved"}}}),
		exp("AssociateAudience", map[string]any{"Principals": []string{w.retail}}),
		exp("UpdateExperience", map[string]any{"Status": "Enabled"}),
	)
	return ids[0]
}

func listingIDs(out SearchListingsOutput) []string {
	ids := []string{}
	for _, l := range out.ListingSummaries {
		ids = append(ids, l.ListingId)
	}
	return ids
}

func ptr[T any](v T) *T { return &v }
