package cxml

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRealisticDocuments(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		kind  string
		check func(t *testing.T, d *Document)
	}{
		{
			name: "Coupa-like create with odd case, untrimmed identity, zoneless timestamp",
			file: "setup_coupa.xml",
			kind: "PunchOutSetupRequest",
			check: func(t *testing.T, d *Document) {
				p := d.Request.PunchOutSetupRequest
				want := time.Date(2026, 11, 26, 9, 59, 12, 0, time.UTC)
				equal(t, "timestamp", d.Timestamp.Time.Equal(want), true)
				equal(t, "version", d.Version, "1.2.014")
				equal(t, "lang", d.Lang, "en-US")
				equal(t, "operation", p.Operation, OperationCreate)
				equal(t, "cookie", p.BuyerCookie, "c0ffee-4821-a9")
				equal(t, "form post", p.BrowserFormPost.URL, "https://acme.coupahost.example/punchout/checkout?id=17")
				equal(t, "supplier setup", p.SupplierSetup.URL, "https://gatehouse.example/cxml/setup")
				equal(t, "extrinsics", len(p.Extrinsics), 4)
				equal(t, "email", p.Extrinsics[2].Value, "dana.lopez@acme.example")
				equal(t, "contact", p.Contacts[0].Email, "dana.lopez@acme.example")
				equal(t, "country", p.ShipTo.Address.PostalAddress.Country.ISOCountryCode, "US")
				equal(t, "from identity trimmed", d.Header.From.Credentials[0].Identity, "acme-corp")
				c, ok := Find(d.Header.Sender.Credentials, "NetworkID", "acme-corp")
				equal(t, "sender found case-insensitively", ok, true)
				equal(t, "secret", SecretEqual(string(c.SharedSecret), "s3cr3t-coupa"), true)
				equal(t, "user agent", d.Header.Sender.UserAgent, "Coupa Procurement 1.0")
			},
		},
		{
			name: "Ariba-like edit with several From credentials and the cart to restore",
			file: "setup_ariba_edit.xml",
			kind: "PunchOutSetupRequest",
			check: func(t *testing.T, d *Document) {
				p := d.Request.PunchOutSetupRequest
				want := time.Date(2026, 11, 26, 18, 0, 0, 512e6, time.UTC)
				equal(t, "timestamp", d.Timestamp.Time.Equal(want), true)
				equal(t, "mode", d.Request.DeploymentMode, "test")
				equal(t, "operation", p.Operation, OperationEdit)
				equal(t, "form post keeps its query", p.BrowserFormPost.URL, "https://s1.ariba.example/Buyer/punchout?client=3&session=9f")
				_, ok := Find(d.Header.From.Credentials, "systemid", "ACME_ERP_PRD")
				equal(t, "second From credential", ok, true)
				equal(t, "secret unescaped", string(d.Header.Sender.Credentials[0].SharedSecret), "an-sh4red & secret")
				equal(t, "items", len(p.Items), 1)
				equal(t, "part", p.Items[0].ItemID.SupplierPartID, "prod-4kd8fj2nq0a7c")
				equal(t, "aux", p.Items[0].ItemID.SupplierPartAuxiliaryID, "offer-7h2k9d0s1x/terms-annual")
			},
		},
		{
			name: "order request with addresses and lines in varying element order",
			file: "order_new.xml",
			kind: "OrderRequest",
			check: func(t *testing.T, d *Document) {
				h := d.Request.OrderRequest.Header
				equal(t, "order id", h.OrderID, "PO-000187")
				equal(t, "type", h.Type, OrderNew)
				equal(t, "order date", h.OrderDate.Time.Equal(time.Date(2026, 11, 26, 10, 14, 52, 0, time.UTC)), true)
				equal(t, "total", h.Total.Money, Money{Currency: "USD", Value: "14400.00"})
				equal(t, "bill to", h.BillTo.Address.Name.Value, "Acme Accounts Payable")
				equal(t, "deliver to", h.ShipTo.Address.PostalAddress.DeliverTo[0], "Dana Lopez")
				items := d.Request.OrderRequest.Items
				equal(t, "lines", len(items), 2)
				equal(t, "description", items[0].ItemDetail.Description.Text, "Observability Suite \u2013 SaaS, per month")
				equal(t, "short name", items[0].ItemDetail.Description.ShortName, "Observability Suite")
				equal(t, "line 2 price (elements reordered)", items[1].ItemDetail.UnitPrice.Money.Value, "2400.00")
				equal(t, "line 2 part", items[1].ItemID.SupplierPartID, "prod-9xz0aa1bb2cc3")
				equal(t, "line 2 class", items[1].ItemDetail.Classifications[0].Code, UNSPSCApplicationServer)
			},
		},
		{
			name: "delete order without DOCTYPE, type in upper case, space-separated timestamp",
			file: "order_delete_nodoctype.xml",
			kind: "OrderRequest",
			check: func(t *testing.T, d *Document) {
				h := d.Request.OrderRequest.Header
				equal(t, "order id trimmed", h.OrderID, "PO-000187")
				equal(t, "type", h.Type, OrderDelete)
				equal(t, "timestamp", d.Timestamp.Time.Equal(time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)), true)
				equal(t, "order date without colon", h.OrderDate.Time.Equal(time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)), true)
				equal(t, "version absent", d.Version, "")
			},
		},
		{
			name:  "profile request",
			file:  "profile_request.xml",
			kind:  "ProfileRequest",
			check: func(t *testing.T, d *Document) {},
		},
		{
			name: "ISO-8859-1 cart with mixed-case names",
			file: "order_message_mixed_case.xml",
			kind: "PunchOutOrderMessage",
			check: func(t *testing.T, d *Document) {
				m := d.Message.PunchOutOrderMessage
				equal(t, "payloadId attribute", d.PayloadID, "cart.55@shop.example")
				equal(t, "operationAllowed", m.Header.OperationAllowed, OperationEdit)
				equal(t, "total", m.Header.Total.Money.Value, "44.00")
				equal(t, "latin-1 decoded", m.Items[0].ItemDetail.Description.Text, "Café crème")
			},
		},
		{
			name: "another supplier's invoice: InvoiceDetail.dtd, odd case, reordered line, date-only invoiceDate",
			file: "invoice_lenient.xml",
			kind: "InvoiceDetailRequest",
			check: func(t *testing.T, d *Document) {
				inv := d.Request.InvoiceDetailRequest
				equal(t, "mode", d.Request.DeploymentMode, DeploymentTest)
				equal(t, "invoiceID trimmed", inv.Header.InvoiceID, "INV-2026-0077")
				equal(t, "purpose", inv.Header.Purpose, InvoicePurposeStandard)
				equal(t, "operation", inv.Header.Operation, InvoiceOperationNew)
				equal(t, "invoice date", inv.Header.InvoiceDate.Time.Equal(time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)), true)
				ref := inv.Orders[0].Info.OrderReference
				equal(t, "orderID trimmed", ref.OrderID, "PO-000187")
				equal(t, "order payloadID", ref.DocumentReference.PayloadID, "1795706092000.a1b2@acme.coupahost.example")
				item := inv.Orders[0].Items[0]
				equal(t, "line number", item.Reference.LineNumber, "2")
				equal(t, "part", item.Reference.ItemID.SupplierPartID, "prod-9xz0aa1bb2cc3")
				equal(t, "unit price", item.UnitPrice.Money, Money{Currency: "EUR", Value: "2400.00"})
				equal(t, "tax", inv.Summary.Tax.Money.Value, "912.00")
				equal(t, "tax description", inv.Summary.Tax.Description.Text, "VAT 19%")
				equal(t, "net", inv.Summary.NetAmount.Money.Value, "5712.00")
				equal(t, "no due amount", inv.Summary.DueAmount == nil, true)
				c, ok := Find(d.Header.Sender.Credentials, "NetworkID", "gatehouse-supplier")
				equal(t, "sender", ok, true)
				equal(t, "secret", SecretEqual(string(c.SharedSecret), "inv s3cret"), true)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseBytes(readFile(t, tt.file))
			if err != nil {
				t.Fatalf("ParseBytes: %v", err)
			}
			equal(t, "kind", d.Kind(), tt.kind)
			tt.check(t, d)
		})
	}
}

// The cXML status table (Ariba support note "List of cXML Status Codes"):
// 406 Not Acceptable for a request the server could not parse, 400 Bad
// Request for one that parsed but is unacceptable.
func TestParseRefusesMalformedAndHostileInput(t *testing.T) {
	tests := []struct {
		name       string
		file       string
		wantErr    error
		wantStatus int
	}{
		{name: "DOCTYPE with an entity declaration", file: "doctype_entity.xml", wantErr: ErrForbiddenMarkup, wantStatus: 406},
		{name: "billion laughs", file: "billion_laughs.xml", wantErr: ErrForbiddenMarkup, wantStatus: 406},
		{name: "external entity (XXE)", file: "external_entity.xml", wantErr: ErrForbiddenMarkup, wantStatus: 406},
		{name: "undeclared entity is not expanded", file: "undeclared_entity.xml", wantErr: ErrMalformed, wantStatus: 406},
		{name: "wrong root", file: "wrong_root.xml", wantErr: ErrWrongRoot, wantStatus: 406},
		{name: "unclosed element", file: "unclosed.xml", wantErr: ErrMalformed, wantStatus: 406},
		{name: "two root elements", file: "two_roots.xml", wantErr: ErrMalformed, wantStatus: 406},
		{name: "unsupported encoding", file: "ebcdic.xml", wantErr: ErrMalformed, wantStatus: 406},
		{name: "empty body", file: "empty.xml", wantErr: ErrMalformed, wantStatus: 406},
		{name: "cXML 1.1", file: "version_1_1.xml", wantErr: ErrVersion, wantStatus: 400},
		{name: "unknown operation", file: "unknown_operation.xml", wantErr: ErrInvalid, wantStatus: 400},
		{name: "unsupported request", file: "unsupported_request.xml", wantErr: ErrInvalid, wantStatus: 400},
		{name: "no payloadID", file: "no_payload_id.xml", wantErr: ErrInvalid, wantStatus: 400},
		{name: "order without orderID", file: "order_without_id.xml", wantErr: ErrInvalid, wantStatus: 400},
		{name: "invoice without invoiceID", file: "invoice_without_id.xml", wantErr: ErrInvalid, wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseBytes(readFile(t, filepath.Join("bad", tt.file)))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v (doc %+v)", err, tt.wantErr, d)
			}
			equal(t, "status", StatusFor(err), tt.wantStatus)
		})
	}
}

func TestParseLimits(t *testing.T) {
	valid := readFile(t, "profile_request.xml")
	padded := append(bytes.Clone(valid), bytes.Repeat([]byte(" "), MaxDocumentSize)...)
	deep := `<cXML payloadID="p@h">` + strings.Repeat("<a>", maxDepth) + strings.Repeat("</a>", maxDepth) + `</cXML>`
	tests := []struct {
		name    string
		input   []byte
		wantErr error
	}{
		{name: "over the size cap", input: padded, wantErr: ErrTooLarge},
		{name: "nesting too deep", input: []byte(deep), wantErr: ErrMalformed},
		{name: "at the size cap", input: padded[:MaxDocumentSize], wantErr: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(bytes.NewReader(tt.input))
			if !errors.Is(err, tt.wantErr) && !(tt.wantErr == nil && err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{in: "2026-11-26T10:00:00-05:00", want: time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC), ok: true},
		{in: "2026-11-26T10:00:00Z", want: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), ok: true},
		{in: "2026-11-26T10:00:00.25+01:00", want: time.Date(2026, 11, 26, 9, 0, 0, 25e7, time.UTC), ok: true},
		{in: "2026-11-26T10:00:00-0500", want: time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC), ok: true},
		{in: "2026-11-26T10:00:00", want: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), ok: true},
		{in: "2026-11-26T10:00", want: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), ok: true},
		{in: "2026-11-26 10:00:00", want: time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), ok: true},
		{in: " 2026-11-26 ", want: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), ok: true},
		{in: "26/11/2026", ok: false},
		{in: "", ok: false},
	}
	for _, tt := range tests {
		got, ok := ParseTimestamp(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestUnreadableTimestampIsKept(t *testing.T) {
	in := strings.Replace(string(readFile(t, "profile_request.xml")), "2026-11-26T12:00:00Z", "Thu Nov 26 12:00", 1)
	d, err := ParseBytes([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "valid", d.Timestamp.Valid(), false)
	equal(t, "raw", d.Timestamp.Raw, "Thu Nov 26 12:00")
}

func equal[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
