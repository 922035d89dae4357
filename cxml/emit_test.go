package cxml

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var goldenTime = time.Date(2026, 11, 26, 10, 30, 0, 0, time.FixedZone("", -5*3600))

const goldenPayloadID = "1795707000000.5e1f0c2a9b3d4e6f@gatehouse.example"

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func gatehouseHeader() *Header {
	return &Header{
		From: Party{Credentials: []Credential{{Domain: "DUNS", Identity: "gatehouse-supplier"}}},
		To:   Party{Credentials: []Credential{{Domain: "NetworkID", Identity: "acme-corp"}}},
		Sender: Sender{
			Credentials: []Credential{{Domain: "DUNS", Identity: "gatehouse-supplier"}},
			UserAgent:   "Gatehouse",
		},
	}
}

func cart() *Document {
	return &Document{
		PayloadID: goldenPayloadID,
		Timestamp: At(goldenTime),
		Lang:      "en-US",
		Header:    gatehouseHeader(),
		Message: &Message{PunchOutOrderMessage: &PunchOutOrderMessage{
			BuyerCookie: "c0ffee-4821-a9",
			Header: PunchOutOrderMessageHeader{
				OperationAllowed: OperationEdit,
				Total:            Total{Money{Currency: "USD", Value: "14400.00"}},
			},
			Items: []ItemIn{{
				Quantity:   "12",
				LineNumber: "1",
				ItemID:     ItemID{SupplierPartID: "prod-4kd8fj2nq0a7c", SupplierPartAuxiliaryID: "offer-7h2k9d0s1x/terms-monthly"},
				ItemDetail: ItemDetail{
					UnitPrice:       UnitPrice{Money{Currency: "USD", Value: "1200.00"}},
					Description:     Description{Lang: "en", Text: `Observability Suite "Pro" <SaaS> & support`, ShortName: "Observability Suite"},
					UnitOfMeasure:   "MON",
					Classifications: []Classification{{Domain: DomainUNSPSC, Code: UNSPSCSoftwareAsAService}},
				},
			}},
		}},
	}
}

// invoiceDoc is an invoice for one upfront purchase of the order in
// testdata/order_new.xml. Its wire shape follows cXML 1.2's
// InvoiceDetail.dtd, whose content models were checked against these
// public texts: the DTD's declarations of InvoiceDetailRequestHeader
// (InvoiceDetailHeaderIndicator, InvoiceDetailLineIndicator,
// InvoicePartner*, ..., Comments?, IdReference*, Extrinsic*),
// InvoiceDetailOrder (InvoiceDetailOrderInfo, ..., InvoiceDetailItem+),
// InvoiceDetailItem (UnitOfMeasure, UnitPrice, PriceBasisQuantity?,
// InvoiceDetailItemReference, ..., SubtotalAmount?, ...),
// InvoiceDetailItemReference (ItemID?, Description?, Classification*, ...),
// InvoiceDetailSummary (SubtotalAmount, Tax, SpecialHandlingAmount?,
// ShippingAmount?, GrossAmount?, ..., NetAmount, DepositAmount?,
// DueAmount?, ...) and Tax (Money, TaxAdjustmentAmount?, Description, ...)
// as quoted in open-source cXML mappers; Coupa's "cXML Invoices" and
// "Sample cXML Unbacked Invoice" pages (compass.coupa.com: invoices are
// InvoiceDetailRequests under the InvoiceDetail.dtd DOCTYPE, with From,
// To and a Sender carrying the SharedSecret; header attributes invoiceID,
// purpose="standard", operation="new", invoiceDate); and Unimarket's
// "Invoice Integration - InvoiceDetailOrder" page (OrderReference orderID
// inside InvoiceDetailOrderInfo, InvoiceDetailItem invoiceLineNumber and
// quantity, InvoiceDetailItemReference lineNumber matching the order line).
func invoiceDoc() *Document {
	usd := func(v string) Money { return Money{Currency: "USD", Value: v} }
	return &Document{
		PayloadID: goldenPayloadID,
		Timestamp: At(goldenTime),
		Lang:      "en-US",
		Header: &Header{
			From: Party{Credentials: []Credential{{Domain: "NetworkID", Identity: "gatehouse-supplier"}}},
			To:   Party{Credentials: []Credential{{Domain: "NetworkID", Identity: "acme-corp"}}},
			Sender: Sender{
				Credentials: []Credential{{Domain: "NetworkID", Identity: "gatehouse-supplier", SharedSecret: "s3cr3t & <co>"}},
				UserAgent:   "Gatehouse",
			},
		},
		Request: &Request{DeploymentMode: DeploymentProduction, InvoiceDetailRequest: &InvoiceDetailRequest{
			Header: InvoiceDetailRequestHeader{
				InvoiceID: "GH-4E3A9C0B1D2F", Purpose: InvoicePurposeStandard, Operation: InvoiceOperationNew,
				InvoiceDate: At(goldenTime),
				Partners:    []InvoicePartner{{Contact: Contact{Role: "remitTo", Name: Name{Lang: "en", Value: "Gatehouse"}}}},
				Extrinsics:  []Extrinsic{{Name: "AgreementId", Value: "agmt-5s8d7f6g5h4j3k2l1"}},
			},
			Orders: []InvoiceDetailOrder{{
				Info: InvoiceDetailOrderInfo{OrderReference: OrderReference{
					OrderID: "PO-000187", DocumentReference: DocumentReference{PayloadID: "1795706092000.a1b2@acme.coupahost.example"},
				}},
				Items: []InvoiceDetailItem{{
					InvoiceLineNumber: "1", Quantity: "12", UnitOfMeasure: "MON",
					UnitPrice: UnitPrice{usd("1200.00")},
					Reference: InvoiceDetailItemReference{
						LineNumber:      "1",
						ItemID:          ItemID{SupplierPartID: "prod-4kd8fj2nq0a7c", SupplierPartAuxiliaryID: "offer-7h2k9d0s1x/terms-monthly"},
						Description:     &Description{Lang: "en", Text: "Observability Suite \u2013 SaaS, per month"},
						Classifications: []Classification{{Domain: DomainUNSPSC, Code: UNSPSCSoftwareAsAService}},
					},
					SubtotalAmount: &Amount{usd("14400.00")},
				}},
			}},
			Summary: InvoiceDetailSummary{
				SubtotalAmount: Amount{usd("14400.00")},
				Tax:            Tax{Money: usd("0.00"), Description: Description{Lang: "en", Text: "No tax charged by Gatehouse"}},
				GrossAmount:    &Amount{usd("14400.00")},
				NetAmount:      Amount{usd("14400.00")},
				DueAmount:      &Amount{usd("14400.00")},
			},
		}},
	}
}

func TestMarshalGolden(t *testing.T) {
	setup := NewResponse(goldenTime, "gatehouse.example", NewStatus(StatusOK, ""))
	setup.PayloadID = goldenPayloadID
	setup.Response.PunchOutSetupResponse = &PunchOutSetupResponse{
		StartPage: URLElement{URL: "https://gatehouse.example/punchout/start/Yk3q9TnV2xWc8LzA"},
	}
	denied := NewResponse(goldenTime, "gatehouse.example", NewStatus(StatusUnauthorized, "Sender credentials were not recognized."))
	denied.PayloadID = goldenPayloadID
	profile := NewResponse(goldenTime, "gatehouse.example", NewStatus(StatusOK, ""))
	profile.PayloadID = goldenPayloadID
	profile.Response.ProfileResponse = &ProfileResponse{
		EffectiveDate: At(goldenTime),
		Transactions: []Transaction{
			{RequestName: "PunchOutSetupRequest", URL: "https://gatehouse.example/cxml/punchout"},
			{RequestName: "OrderRequest", URL: "https://gatehouse.example/cxml/order"},
			{RequestName: "ProfileRequest", URL: "https://gatehouse.example/cxml/profile"},
		},
	}
	tests := []struct {
		name string
		doc  *Document
		dtd  string // the DOCTYPE's DTD file; "" means cXML.dtd
	}{
		{name: "setup_response.xml", doc: setup},
		{name: "unauthorized_response.xml", doc: denied},
		{name: "profile_response.xml", doc: profile},
		{name: "order_message.xml", doc: cart()},
		{name: "invoice_detail_request.xml", doc: invoiceDoc(), dtd: "InvoiceDetail.dtd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Marshal(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, got)
			dtd := tt.dtd
			if dtd == "" {
				dtd = "cXML.dtd"
			}
			if !strings.HasPrefix(string(got), `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
				`<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.063/`+dtd+`">`+"\n") {
				t.Errorf("prolog missing:\n%s", got)
			}
			back, err := ParseBytes(got)
			if err != nil {
				t.Fatalf("emitted document does not parse: %v", err)
			}
			again, err := Marshal(back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, again) {
				t.Errorf("parse and marshal is not stable:\n%s\n%s", got, again)
			}
		})
	}
}

func TestMarshalRefusesIncompleteDocuments(t *testing.T) {
	noTotal := cart()
	noTotal.Message.PunchOutOrderMessage.Header.Total = Total{}
	badOp := cart()
	badOp.Message.PunchOutOrderMessage.Header.OperationAllowed = "destroy"
	noClass := cart()
	noClass.Message.PunchOutOrderMessage.Items[0].ItemDetail.Classifications = nil
	noHeader := cart()
	noHeader.Header = nil
	noTime := cart()
	noTime.Timestamp = Timestamp{}
	both := cart()
	both.Response = &Response{Status: NewStatus(StatusOK, "")}
	emptyStatus := NewResponse(goldenTime, "h", Status{})
	invoiceWithout := func(change func(r *InvoiceDetailRequest)) *Document {
		d := invoiceDoc()
		change(d.Request.InvoiceDetailRequest)
		return d
	}
	noTransaction := NewResponse(goldenTime, "h", NewStatus(StatusOK, ""))
	noTransaction.Response.ProfileResponse = &ProfileResponse{EffectiveDate: At(goldenTime)}
	noURL := NewResponse(goldenTime, "h", NewStatus(StatusOK, ""))
	noURL.Response.ProfileResponse = &ProfileResponse{EffectiveDate: At(goldenTime), Transactions: []Transaction{{RequestName: "OrderRequest"}}}
	tests := []struct {
		name string
		doc  *Document
	}{
		{name: "invoice without invoiceID", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Header.InvoiceID = "" })},
		{name: "invoice purpose other than standard", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Header.Purpose = "creditMemo" })},
		{name: "invoice operation other than new", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Header.Operation = "delete" })},
		{name: "invoice without invoiceDate", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Header.InvoiceDate = Timestamp{} })},
		{name: "invoice without order", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Orders = nil })},
		{name: "invoice order without orderID", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Orders[0].Info.OrderReference.OrderID = "" })},
		{name: "invoice order without payloadID", doc: invoiceWithout(func(r *InvoiceDetailRequest) {
			r.Orders[0].Info.OrderReference.DocumentReference.PayloadID = ""
		})},
		{name: "invoice order without items", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Orders[0].Items = nil })},
		{name: "invoice item without quantity", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Orders[0].Items[0].Quantity = "" })},
		{name: "invoice item without unit", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Orders[0].Items[0].UnitOfMeasure = "" })},
		{name: "invoice item without price", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Orders[0].Items[0].UnitPrice = UnitPrice{} })},
		{name: "invoice item without line number", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Orders[0].Items[0].Reference.LineNumber = "" })},
		{name: "invoice item with empty subtotal", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Orders[0].Items[0].SubtotalAmount = &Amount{} })},
		{name: "invoice without subtotal", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Summary.SubtotalAmount = Amount{} })},
		{name: "invoice tax without description", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Summary.Tax.Description = Description{} })},
		{name: "invoice without net amount", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Summary.NetAmount = Amount{} })},
		{name: "invoice with empty due amount", doc: invoiceWithout(func(r *InvoiceDetailRequest) { r.Summary.DueAmount = &Amount{} })},
		{name: "no Total", doc: noTotal},
		{name: "bad operationAllowed", doc: badOp},
		{name: "no Classification", doc: noClass},
		{name: "Message without Header", doc: noHeader},
		{name: "no timestamp", doc: noTime},
		{name: "Message and Response", doc: both},
		{name: "Response without Status", doc: emptyStatus},
		// cXML DTD: <!ELEMENT ProfileResponse (Option*, Transaction+)> and
		// <!ELEMENT Transaction (URL, Option*)>.
		{name: "ProfileResponse without Transaction", doc: noTransaction},
		{name: "Transaction without URL", doc: noURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Marshal(tt.doc); !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestNewPayloadID(t *testing.T) {
	a := NewPayloadID(goldenTime, "gatehouse.example")
	b := NewPayloadID(goldenTime, "gatehouse.example")
	if !regexp.MustCompile(`^` + strconv.FormatInt(goldenTime.UnixMilli(), 10) + `\.[0-9a-f]{16}@gatehouse\.example$`).MatchString(a) {
		t.Errorf("payloadID %q has the wrong form", a)
	}
	if a == b {
		t.Errorf("two payloadIDs are equal: %q", a)
	}
}

func TestStatusText(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{200, "OK"}, {400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"},
		{406, "Not Acceptable"}, {409, "Conflict"}, {417, "Expectation Failed"}, {500, "Internal Server Error"}, {418, ""},
	}
	for _, tt := range tests {
		equal(t, "text", StatusText(tt.code), tt.want)
	}
}

func TestFormValuesRoundTrip(t *testing.T) {
	v, err := FormValues(cart(), true)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "order_message.form", []byte(v.Encode()+"\n"))
	raw, err := base64.StdEncoding.DecodeString(v.Get(FieldBase64))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "both fields carry the same document", string(raw), v.Get(FieldURLEncoded))

	// The browser posts the form; the buyer reads it back.
	posted, err := url.ParseQuery(v.Encode())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		form url.Values
	}{
		{name: "both fields", form: posted},
		{name: "urlencoded only, mixed-case name", form: url.Values{"cXML-urlencoded": {posted.Get(FieldURLEncoded)}}},
		{name: "base64 only", form: url.Values{FieldBase64: {posted.Get(FieldBase64)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseForm(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			m := d.Message.PunchOutOrderMessage
			equal(t, "cookie", m.BuyerCookie, "c0ffee-4821-a9")
			equal(t, "description", m.Items[0].ItemDetail.Description.Text, `Observability Suite "Pro" <SaaS> & support`)
		})
	}
}

func TestFormRefusals(t *testing.T) {
	notCart := NewResponse(goldenTime, "h", NewStatus(StatusOK, ""))
	if _, err := FormValues(notCart, false); !errors.Is(err, ErrInvalid) {
		t.Errorf("FormValues(Response) err = %v", err)
	}
	resp, _ := Marshal(notCart)
	tests := []struct {
		name    string
		form    url.Values
		wantErr error
	}{
		{name: "no field", form: url.Values{"other": {"x"}}, wantErr: ErrMalformed},
		{name: "bad base64", form: url.Values{FieldBase64: {"!!!"}}, wantErr: ErrMalformed},
		{name: "not a cart", form: url.Values{FieldURLEncoded: {string(resp)}}, wantErr: ErrInvalid},
		{name: "hostile", form: url.Values{FieldURLEncoded: {string(readFile(t, "bad/billion_laughs.xml"))}}, wantErr: ErrForbiddenMarkup},
		{name: "oversized base64", form: url.Values{FieldBase64: {strings.Repeat("A", 2*MaxDocumentSize)}}, wantErr: ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseForm(tt.form); !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
