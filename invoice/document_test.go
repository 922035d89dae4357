package invoice

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/cxml"
	"gatehouse/procurement"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestDocumentGolden pins the wire form of an invoice: an upfront
// purchase of two lines, one priced in fractions of a cent, billed in the
// test environment. Amounts are exact products and sums, never rounded.
func TestDocumentGolden(t *testing.T) {
	created := time.Date(2026, 11, 26, 15, 30, 0, 0, time.UTC)
	e := entry{
		Delivery: Delivery{
			InvoiceID: "GH-0123456789ABCDEF", PayloadID: "1795707000000.5e1f0c2a9b3d4e6f@gatehouse.example",
			PreferenceARN: procurement.ARN(mgmt, "7d1c3b5a-0e2f-4a6b-8c9d-0e1f2a3b4c5d"), Test: true, OrderID: "PO-000187",
			State: StatePending, Created: created, Updated: created,
		},
		Invoice: Invoice{
			Account: member, OrderID: "PO-000187", OrderPayloadID: "1795706092000.a1b2@acme.coupahost.example",
			AgreementIDs: []string{"agmt-5s8d7f6g5h4j3k2l1", "agmt-9q8w7e6r5t4y3u2i1"}, Currency: "EUR",
			Lines: []Line{
				{ProductID: "prod-4kd8fj2nq0a7c", OfferTermsID: "offer-7h2k9d0s1x/terms-annual", Description: `Observability Suite "Pro" <SaaS> & support`,
					Quantity: "12", UnitPrice: "1200", UnitOfMeasure: "MON", UNSPSC: cxml.UNSPSCSoftwareAsAService},
				{LineNumber: 4, ProductID: "prod-9xz0aa1bb2cc3", Quantity: "1.5", UnitPrice: "0.125"},
			},
		},
	}
	portal := procurement.Portal{
		Preference: procurement.ProcurementPortalPreference{
			BuyerDomain: "NetworkID", BuyerIdentifier: "acme", SupplierDomain: "NetworkID", SupplierIdentifier: "gatehouse",
			TestEnvPreference: &procurement.TestEnvPreference{BuyerDomain: "NetworkID", BuyerIdentifier: "acme-test",
				SupplierDomain: "NetworkID", SupplierIdentifier: "gatehouse-test"},
		},
		Test: true, SharedSecret: testSecret,
	}
	got, err := cxml.Marshal(document(e, portal))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden", "invoice_test_environment.xml")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the invoice differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
