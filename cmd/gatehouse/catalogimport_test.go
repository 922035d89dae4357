package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/catalog"
	"gatehouse/principal"
)

// TestSampleCatalog checks the sample's coverage: at least 30 products of
// every delivery type, each with a delivery option and an offer, and
// offers of every kind of terms the brief lists (free, usage-based, fixed
// upfront, free trial, BYOL).
func TestSampleCatalog(t *testing.T) {
	f, err := parseCatalogFile(sampleCatalogName, sampleCatalog)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Products) < 30 {
		t.Errorf("%d products, want at least 30", len(f.Products))
	}
	types, terms := map[string]int{}, map[string]int{}
	for _, p := range f.Products {
		types[p.Type]++
		if len(p.Offers) == 0 {
			t.Errorf("%s has no offer", p.ProductTitle)
		}
		if len(p.Categories) == 0 || len(p.Highlights) == 0 || p.LongDescription == "" {
			t.Errorf("%s lacks categories, highlights or a description", p.ProductTitle)
		}
		for _, o := range p.Offers {
			terms[o.PricingModel]++
			for _, term := range o.Terms {
				terms[term.Type]++
			}
		}
	}
	for _, typ := range []string{"SaaSProduct", "ContainerProduct", "AmiProduct"} {
		if types[typ] < 5 {
			t.Errorf("%d products of type %s, want at least 5", types[typ], typ)
		}
	}
	for _, want := range []string{catalog.PricingFree, catalog.PricingUsage, catalog.PricingContract, catalog.PricingByol, catalog.TermFixedUpfront, catalog.TermFreeTrial} {
		if terms[want] == 0 {
			t.Errorf("no offer with %s", want)
		}
	}
}

// TestCatalogImportSample imports the sample through the command into a
// SQLite store, then again from standard input: the second import
// changes nothing.
func TestCatalogImportSample(t *testing.T) {
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), sampleCatalogName)
	if err := os.WriteFile(file, sampleCatalog, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := parseCatalogFile(file, sampleCatalog)
	if err != nil {
		t.Fatal(err)
	}
	n := len(f.Products)
	out, errOut, code := runCLI(t, "", "catalog", "import", "--data", data, "--account-id", "123456789012", file)
	if code != 0 {
		t.Fatalf("exit status %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, summaryLine(n, 0, 0, 0)) || strings.Count(out, "created ") != n {
		t.Errorf("first import:\n%s", out)
	}
	out, errOut, code = runCLI(t, string(sampleCatalog), "catalog", "import", "--data", data, "-")
	if code != 0 || !strings.HasSuffix(out, summaryLine(0, 0, n, 0)+"\n") {
		t.Errorf("second import: exit status %d\n%s%s", code, out, errOut)
	}

	// The products are released, public and priced as the file says.
	withCatalog(t, data, func(cat *catalog.Service, seller *principal.Caller) {
		ctx := context.Background()
		im, err := newCatalogImporter(ctx, cat, seller.Account)
		if err != nil {
			t.Fatal(err)
		}
		id := im.products["AmiProduct/PostgreSQL 17 on Debian"]
		d, err := cat.DescribeEntity(ctx, seller, catalog.DescribeEntityInput{Catalog: catalog.Catalog, EntityId: id})
		if err != nil {
			t.Fatal(err)
		}
		var pd catalog.ProductDetails
		if err := json.Unmarshal(d.DetailsDocument, &pd); err != nil {
			t.Fatal(err)
		}
		if pd.Description.Visibility != catalog.VisibilityPublic || len(pd.Versions) != 1 ||
			pd.Versions[0].DeliveryOptions[0].AmiId != "ami-0a3f1c2d4e5b60718" ||
			pd.Versions[0].DeliveryOptions[0].RecommendedInstanceType != "m7g.large" {
			t.Errorf("PostgreSQL = %s", d.DetailsDocument)
		}
		offers := im.offers[id]
		if len(offers) != 1 {
			t.Fatalf("PostgreSQL offers = %v", offers)
		}
		for _, offerID := range offers {
			o, err := cat.DescribeEntity(ctx, seller, catalog.DescribeEntityInput{Catalog: catalog.Catalog, EntityId: offerID})
			if err != nil {
				t.Fatal(err)
			}
			var od catalog.OfferDetails
			if err := json.Unmarshal(o.DetailsDocument, &od); err != nil {
				t.Fatal(err)
			}
			if od.State != catalog.OfferReleased || od.PricingModel != catalog.PricingFree || od.Terms[len(od.Terms)-1].Documents[0] != standardEula {
				t.Errorf("PostgreSQL offer = %s", o.DetailsDocument)
			}
		}
		if got := len(im.offers); got != n {
			t.Errorf("%d products have offers, want %d", got, n)
		}
	})
}

func summaryLine(created, updated, unchanged, failed int) string {
	return importSummary{created, updated, unchanged, failed}.String()
}

// withCatalog opens the data directory's store as the command does and
// calls fn with its catalog and the management account's root.
func withCatalog(t *testing.T, data string, fn func(cat *catalog.Service, seller *principal.Caller)) {
	t.Helper()
	ctx := context.Background()
	cfg := serveConfig{data: data}
	st, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := wire(ctx, cfg, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	fn(a.catalog, &principal.Caller{Type: principal.Root, Account: a.management, ARN: principal.RootARN(a.management), PrincipalARN: principal.RootARN(a.management), UserID: a.management})
}

// TestCatalogImportChanges: a product whose information changed is
// updated, a new offer is added to it, and a product the catalog refuses
// is reported with the catalog's error text while the others are
// imported.
func TestCatalogImportChanges(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()
	product := map[string]any{
		"Type": "SaaSProduct", "ProductTitle": "Gatehouse Test Service", "ShortDescription": "Short.", "LongDescription": "Long.",
		"LogoUrl": "https://assets.gatehouse.invalid/logo.png", "Categories": []string{"Security"}, "Highlights": []string{"One"},
		"Delivery": map[string]any{"FulfillmentUrl": "https://example.com/register"},
		"Offers":   []any{map[string]any{"Name": "Free", "PricingModel": "Byol", "Terms": []any{map[string]any{"Type": "ByolPricingTerm"}}}},
	}
	write := func(name string, products ...any) string {
		b, err := json.Marshal(map[string]any{"Products": products})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	out, errOut, code := runCLI(t, "", "catalog", "import", "--data", data, write("one.json", product))
	if code != 0 || !strings.Contains(out, summaryLine(1, 0, 0, 0)) {
		t.Fatalf("exit status %d\n%s%s", code, out, errOut)
	}

	product["ShortDescription"] = "Shorter."
	product["Offers"] = append(product["Offers"].([]any), map[string]any{"Name": "Annual", "PricingModel": "Contract", "Terms": []any{
		map[string]any{"Type": "FixedUpfrontPricingTerm", "CurrencyCode": "USD", "Duration": "P12M", "Price": "1200", "Grants": []any{map[string]any{"DimensionKey": "users", "MaxQuantity": 10}}}}})
	// Product title: "1-72 characters" (the catalog's ProductTitle limit);
	// AMI ids are ami- and 8 or 17 hexadecimal digits.
	bad := map[string]any{"Type": "AmiProduct", "ProductTitle": strings.Repeat("x", 73)}
	badAMI := map[string]any{"Type": "AmiProduct", "ProductTitle": "Bad AMI", "ShortDescription": "s", "LongDescription": "l",
		"LogoUrl": "https://assets.gatehouse.invalid/logo.png", "Categories": []string{"Security"},
		"Delivery": map[string]any{"VersionTitle": "1", "UsageInstructions": "u", "Ami": map[string]any{"AmiId": "ami-nothex", "UserName": "u",
			"OperatingSystemName": "UBUNTU", "OperatingSystemVersion": "24.04", "RecommendedInstanceType": "t3.micro"}}}
	out, errOut, code = runCLI(t, "", "catalog", "import", "--data", data, write("two.json", product, bad, badAMI))
	if code != 1 || !strings.Contains(out, summaryLine(0, 1, 0, 2)) {
		t.Errorf("exit status %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"failed     " + strings.Repeat("x", 73) + ": CreateProduct: INVALID_INPUT: ProductTitle",
		"failed     Bad AMI: AddDeliveryOptions: INVALID_INPUT: DeliveryOptions[0].Details.AmiDeliveryOptionDetails.AmiSource.AmiId",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	withCatalog(t, data, func(cat *catalog.Service, seller *principal.Caller) {
		im, err := newCatalogImporter(context.Background(), cat, seller.Account)
		if err != nil {
			t.Fatal(err)
		}
		id := im.products["SaaSProduct/Gatehouse Test Service"]
		if len(im.offers[id]) != 2 || len(im.products) != 1 {
			t.Errorf("products %v, offers %v", im.products, im.offers[id])
		}
	})
	// A failed product leaves nothing behind, and is tried again.
	_, errOut, _ = runCLI(t, "", "catalog", "import", "--data", data, write("two.json", product, bad, badAMI))
	if strings.Count(errOut, "failed ") != 2 {
		t.Errorf("third import:\n%s", errOut)
	}

	// A released offer keeps its pricing: the import says so and changes
	// nothing.
	product["Offers"].([]any)[0] = map[string]any{"Name": "Free", "PricingModel": "Free", "Terms": []any{map[string]any{"Type": "UsageBasedPricingTerm", "CurrencyCode": "USD",
		"RateCards": []any{map[string]any{"RateCard": []any{map[string]any{"DimensionKey": "users", "Price": "0"}}}}}}}
	out, errOut, code = runCLI(t, "", "catalog", "import", "--data", data, write("three.json", product))
	if code != 0 || !strings.Contains(out, summaryLine(0, 0, 1, 0)) ||
		!strings.Contains(errOut, `warning    Gatehouse Test Service: offer "Free" (`) || !strings.Contains(errOut, "is Released and keeps its pricing") {
		t.Errorf("changed offer: exit status %d\n%s%s", code, out, errOut)
	}
}

// TestCatalogFileErrors: files the catalog could not make sense of are
// refused before anything is imported.
func TestCatalogFileErrors(t *testing.T) {
	tests := []struct {
		name, file, body, want string
	}{
		{name: "unknown field", file: "c.yaml", body: "Products:\n  - Type: SaaSProduct\n    ProductTitel: x\n", want: `unknown field "ProductTitel"`},
		{name: "bad yaml", file: "c.yml", body: "Products: [\n", want: "yaml"},
		{name: "bad json", file: "c.json", body: "{", want: "unexpected EOF"},
		{name: "type", file: "c.json", body: `{"Products":[{"Type":"Appliance","ProductTitle":"x"}]}`, want: "Type must be"},
		{name: "title", file: "c.json", body: `{"Products":[{"Type":"SaaSProduct"}]}`, want: "ProductTitle is required"},
		{name: "twice", file: "c.json", body: `{"Products":[{"Type":"SaaSProduct","ProductTitle":"x"},{"Type":"SaaSProduct","ProductTitle":"x"}]}`, want: "listed twice"},
		{name: "offer twice", file: "c.json", body: `{"Products":[{"Type":"SaaSProduct","ProductTitle":"x","Offers":[{"Name":"o"},{"Name":"o"}]}]}`, want: `offer "o" is listed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseCatalogFile(tt.file, []byte(tt.body))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	_, errOut, code := runCLI(t, "", "catalog", "import", "--seller", "12", "x.json")
	if code != 1 || !strings.Contains(errOut, "12-digit") {
		t.Errorf("--seller 12: exit status %d: %s", code, errOut)
	}
}

// TestProgressBar: on a terminal the import redraws one line; a failure
// clears it and goes to stderr.
func TestProgressBar(t *testing.T) {
	var out, errOut bytes.Buffer
	p := &progressBar{out: &out, errOut: &errOut}
	p.start(2)
	p.step(importResult{Title: "A", Outcome: importCreated})
	p.step(importResult{Title: "B", Outcome: importFailed, Err: os.ErrNotExist})
	p.done(importSummary{created: 1, failed: 1})
	want := "\r\033[K[" + strings.Repeat(".", 30) + "] 0/2 " +
		"\r\033[K[" + strings.Repeat("#", 15) + strings.Repeat(".", 15) + "] 1/2 A" +
		"\r\033[K" + "\r\033[K[" + strings.Repeat("#", 30) + "] 2/2 B" +
		"\r\033[K1 created, 0 updated, 0 unchanged, 1 failed\n"
	if out.String() != want {
		t.Errorf("progress bar:\n got %q\nwant %q", out.String(), want)
	}
	if errOut.String() != "failed B: file does not exist\n" {
		t.Errorf("stderr %q", errOut.String())
	}
	if isTerminal(&out) {
		t.Error("a buffer is not a terminal")
	}
}
