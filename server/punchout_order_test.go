package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/agreement"
	"gatehouse/audit"
	"gatehouse/catalog"
	"gatehouse/cxml"
	"gatehouse/procurement"
	"gatehouse/punchout"
	"gatehouse/store"
)

// invoiceLog is an Invoicer that records what it is asked to bill.
type invoiceLog struct {
	mu     sync.Mutex
	orders []punchout.PlacedOrder
	wakes  int
}

// Wake counts the wake-ups of committed, invoiced orders.
func (l *invoiceLog) Wake() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.wakes++
}

func (l *invoiceLog) woken() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.wakes
}

func (l *invoiceLog) Invoice(_ context.Context, _ store.Tx, o punchout.PlacedOrder) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.orders = append(l.orders, o)
	return nil
}

func (l *invoiceLog) placed() []punchout.PlacedOrder {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]punchout.PlacedOrder(nil), l.orders...)
}

// orderWorld is the PunchOut world with priced products, a shopping
// session of the preference and an invoicer that records its calls.
type orderWorld struct {
	*punchOutWorld
	sess     punchout.Session
	invoices *invoiceLog
}

func newOrderWorld(t testing.TB) *orderWorld {
	t.Helper()
	w := &orderWorld{punchOutWorld: newPunchOutWorld(t), invoices: &invoiceLog{}}
	w.po.Invoices = w.invoices
	w.sess = w.session(t, "")
	return w
}

// session opens a shopping session through the setup request and its
// StartPage, for the account an Extrinsic names ("" for the preference's).
func (w *orderWorld) session(t testing.TB, account string) punchout.Session {
	t.Helper()
	d := setupDoc{}
	if account != "" {
		d.extrinsic = `<Extrinsic name="AwsAccountId">` + account + `</Extrinsic>`
	}
	doc := w.post(t, d.xml(w.punchOutWorld))
	if doc.Response.PunchOutSetupResponse == nil {
		t.Fatalf("setup: %+v", doc.Response.Status)
	}
	sess, _, err := w.po.Open(context.Background(), strings.TrimPrefix(doc.Response.PunchOutSetupResponse.StartPage.URL, w.url+startPagePath))
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// pricedOffer creates a released public SaaS product of the management
// account with a released offer of a fixed upfront price for a year and
// a standard EULA, and returns the line accepting all its terms.
func (w *orderWorld) pricedOffer(t testing.TB, title, price string) agreement.Line {
	t.Helper()
	details := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	prod := catalog.Entity{Type: "SaaSProduct@1.0", Identifier: "$P.Entity.Identifier"}
	offer := catalog.Entity{Type: "Offer@1.0", Identifier: "$O.Entity.Identifier"}
	ids := w.inProcess(t, testAccount,
		catalog.Change{ChangeType: "CreateProduct", ChangeName: "P", Entity: catalog.Entity{Type: "SaaSProduct@1.0"}, DetailsDocument: details(map[string]any{"ProductTitle": title})},
		catalog.Change{ChangeType: "UpdateInformation", Entity: prod, DetailsDocument: details(map[string]any{"ShortDescription": title + ".",
			"LongDescription": title + ".", "LogoUrl": "https://example.com/logo.png", "Categories": []string{"Security"}})},
		catalog.Change{ChangeType: "AddDeliveryOptions", Entity: prod, DetailsDocument: details(map[string]any{"DeliveryOptions": []any{map[string]any{"Details": map[string]any{
			"SaaSUrlDeliveryOptionDetails": map[string]any{"FulfillmentUrl": "https://example.com/register"}}}}})},
		catalog.Change{ChangeType: "ReleaseProduct", Entity: prod, Details: "{}"},
		catalog.Change{ChangeType: "UpdateVisibility", Entity: prod, DetailsDocument: details(map[string]any{"TargetVisibility": "Public"})},
		catalog.Change{ChangeType: "CreateOffer", ChangeName: "O", Entity: catalog.Entity{Type: "Offer@1.0"}, DetailsDocument: details(map[string]any{"ProductId": "$P.Entity.Identifier", "Name": "Annual"})},
		catalog.Change{ChangeType: "UpdatePricingTerms", Entity: offer, DetailsDocument: details(map[string]any{"PricingModel": "Contract", "Terms": []any{
			map[string]any{"Type": "FixedUpfrontPricingTerm", "CurrencyCode": "USD", "Duration": "P12M", "Price": price,
				"Grants": []any{map[string]any{"DimensionKey": "seats", "MaxQuantity": 10}}}}})},
		catalog.Change{ChangeType: "UpdateLegalTerms", Entity: offer, DetailsDocument: details(map[string]any{"Terms": []any{map[string]any{"Type": "LegalTerm",
			"Documents": []any{map[string]any{"Type": "StandardEula", "Version": "2022-07-14"}}}}})},
		catalog.Change{ChangeType: "ReleaseOffer", Entity: offer, Details: "{}"},
	)
	offerID := ids[5]
	var l agreement.Line
	err := store.View(context.Background(), w.st, func(tx store.Tx) error {
		o, ok, err := w.catalog.OfferForAgreement(context.Background(), tx, offerID)
		if err != nil || !ok {
			return fmt.Errorf("offer %s: %v %v", offerID, ok, err)
		}
		l.OfferId = o.OfferId
		for _, term := range o.Terms {
			l.Terms = append(l.Terms, agreement.RequestedTerm{Id: term.Id})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// cartLine prices a line in a session through the punchout package, as
// the storefront's cart does.
func (w *orderWorld) cartLine(t testing.TB, sess punchout.Session, l agreement.Line) punchout.Line {
	t.Helper()
	line, err := w.po.PriceLine(context.Background(), sess, l)
	if err != nil {
		t.Fatalf("PriceLine: %v", err)
	}
	return line
}

// orderDoc is an OrderRequest; fields left empty take valid values.
type orderDoc struct {
	payloadID, orderID, typ, secret, total string
	lines                                  []punchout.Line
	// price, currency, quantity and product override every line's.
	price, currency, quantity, product string
}

func (d orderDoc) xml() string {
	def := func(s, v string) string {
		if s == "" {
			return v
		}
		return s
	}
	sum := new(big.Rat)
	var items strings.Builder
	for i, l := range d.lines {
		v, _ := new(big.Rat).SetString(l.Quote.Value)
		sum.Add(sum, v)
		// Prices as buyers write them: two decimals.
		fmt.Fprintf(&items, `<ItemOut quantity="%s" lineNumber="%d"><ItemID><SupplierPartID>%s</SupplierPartID><SupplierPartAuxiliaryID>%s</SupplierPartAuxiliaryID></ItemID>
<ItemDetail><UnitPrice><Money currency="%s">%s</Money></UnitPrice><Description xml:lang="en">%s</Description><UnitOfMeasure>EA</UnitOfMeasure>
<Classification domain="UNSPSC">81162000</Classification></ItemDetail></ItemOut>`,
			def(d.quantity, "1"), i+1, def(d.product, l.Quote.ProductId), l.AuxID(), def(d.currency, l.Quote.Currency), def(d.price, v.FloatString(2)), l.Quote.ProductTitle)
	}
	typ := ""
	if d.typ != "" {
		typ = ` type="` + d.typ + `"`
	}
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">
<cXML version="1.2.014" payloadID="%s" timestamp="2026-11-26T11:15:00+01:00">
<Header>
 <From><Credential domain="NetworkId"><Identity>%s</Identity></Credential></From>
 <To><Credential domain="NetworkId"><Identity>%s</Identity></Credential></To>
 <Sender><Credential domain="NetworkId"><Identity>%s</Identity><SharedSecret>%s</SharedSecret></Credential><UserAgent>Buyer simulator</UserAgent></Sender>
</Header>
<Request deploymentMode="production"><OrderRequest>
<OrderRequestHeader orderID="%s" orderDate="2026-11-26T11:14:52+01:00"%s><Total><Money currency="USD">%s</Money></Total></OrderRequestHeader>
%s
</OrderRequest></Request>
</cXML>`, def(d.payloadID, "po-1@buyer.example"), buyerID, supplierID, buyerID, def(d.secret, portalKey),
		def(d.orderID, "PO-1001"), typ, def(d.total, sum.FloatString(2)), items.String())
}

// postRaw sends a cXML body and returns the answer's bytes and status.
func (w *orderWorld) postRaw(t *testing.T, body string) ([]byte, int) {
	t.Helper()
	resp, err := http.Post(w.url+punchOutPath, "text/xml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d, want 200", resp.StatusCode)
	}
	doc, err := cxml.ParseBytes(b)
	if err != nil || doc.Response == nil {
		t.Fatalf("the answer is not a cXML Response: %v\n%s", err, b)
	}
	return b, doc.Response.Status.Code
}

// order posts an OrderRequest and checks its cXML status.
func (w *orderWorld) order(t *testing.T, d orderDoc, want int) {
	t.Helper()
	doc := w.post(t, d.xml())
	if doc.Response.Status.Code != want {
		t.Fatalf("status = %+v, want %d", doc.Response.Status, want)
	}
}

// state counts what orders change: agreements, active ones, order and
// reply records.
type orderState struct{ agreements, active, orders, replies int }

func (w *orderWorld) state(t *testing.T) orderState {
	t.Helper()
	ctx := context.Background()
	var s orderState
	err := store.View(ctx, w.st, func(tx store.Tx) error {
		recs, err := tx.List(ctx, store.Query{Kind: "agreement.agreement"})
		if err != nil {
			return err
		}
		s.agreements = len(recs)
		for _, r := range recs {
			if strings.Contains(string(r.Body), `"Status":"ACTIVE"`) {
				s.active++
			}
		}
		orders, err := tx.List(ctx, store.Query{Kind: "punchout-order"})
		s.orders = len(orders)
		if err != nil {
			return err
		}
		replies, err := tx.List(ctx, store.Query{Kind: "punchout-reply"})
		s.replies = len(replies)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// active returns the account's active agreement for the line's product.
func (w *orderWorld) active(t testing.TB, l punchout.Line) (agreement.Agreement, bool) {
	t.Helper()
	var (
		a  agreement.Agreement
		ok bool
	)
	err := store.View(context.Background(), w.st, func(tx store.Tx) error {
		var err error
		a, ok, err = w.agreements.ActiveAgreement(context.Background(), tx, l.Account, l.Quote.ProductId)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return a, ok
}

// TestOrderRequestNew: a new order buys every line in its line's account
// with the orderID as purchase order; the same order again is accepted
// without a second purchase, and the same orderID with other content is a
// conflict that changes nothing. cXML User's Guide, OrderRequest: the
// orderID identifies the order for later updates and deletes, so it is
// the key of the order.
func TestOrderRequestNew(t *testing.T) {
	w := newOrderWorld(t)
	member := w.session(t, w.retail)
	vault := w.cartLine(t, w.sess, w.pricedOffer(t, "Vault Secrets", "1200.00"))
	scan := w.cartLine(t, member, w.pricedOffer(t, "Code Scanner", "300.50"))
	if vault.Quote.Value != "1200" || scan.Quote.Value != "300.5" || scan.Account != w.retail {
		t.Fatalf("quotes = %+v, %+v", vault.Quote, scan.Quote)
	}

	w.order(t, orderDoc{lines: []punchout.Line{vault, scan}}, cxml.StatusOK)
	for _, l := range []punchout.Line{vault, scan} {
		a, ok := w.active(t, l)
		if !ok {
			t.Fatalf("no active agreement for %s in %s", l.Quote.ProductTitle, l.Account)
		}
		if a.Acceptor != l.Account || a.AcceptedBy != l.PreferenceARN || len(a.PurchaseOrders) != 1 || a.PurchaseOrders[0].PurchaseOrderReference != "PO-1001" {
			t.Errorf("agreement = %+v, want one accepted by the preference in %s with PO-1001", a, l.Account)
		}
	}
	placed := w.invoices.placed()
	if len(placed) != 1 || placed[0].OrderID != "PO-1001" || placed[0].PayloadID != "po-1@buyer.example" || len(placed[0].Lines) != 2 || placed[0].Test {
		t.Fatalf("invoiced = %+v, want PO-1001 with both lines", placed)
	}
	if n := w.invoices.woken(); n != 1 {
		t.Fatalf("the invoicer was woken %d times after the order committed, want 1", n)
	}
	before := w.state(t)

	// The same order, resent with another payloadID, in another line
	// order and with the type spelled out: accepted, nothing bought.
	w.order(t, orderDoc{payloadID: "po-2@buyer.example", typ: "new", lines: []punchout.Line{scan, vault}}, cxml.StatusOK)
	if got := w.state(t); got.agreements != before.agreements || got.orders != before.orders {
		t.Fatalf("a duplicate order changed %+v to %+v", before, got)
	}
	// The same orderID with other content: a conflict, nothing changed.
	w.order(t, orderDoc{payloadID: "po-3@buyer.example", lines: []punchout.Line{vault}}, cxml.StatusConflict)
	if got := w.state(t); got.agreements != before.agreements || got.active != before.active || got.orders != before.orders {
		t.Fatalf("a conflicting order changed %+v to %+v", before, got)
	}
	// An order whose second line cannot be bought, since the account
	// already has an active agreement for its product, buys nothing.
	fresh := w.cartLine(t, w.sess, w.pricedOffer(t, "Log Search", "99.99"))
	vaultAgain := w.cartLine(t, w.sess, vault.Line)
	before = w.state(t)
	w.order(t, orderDoc{payloadID: "po-4@buyer.example", orderID: "PO-1002", lines: []punchout.Line{fresh, vaultAgain}}, cxml.StatusConflict)
	if _, ok := w.active(t, fresh); ok {
		t.Fatal("the first line of a failed order was bought")
	}
	if got := w.state(t); got != before {
		t.Fatalf("a failed order changed %+v to %+v", before, got)
	}
	if n, woken := len(w.invoices.placed()), w.invoices.woken(); n != 1 || woken != 1 {
		t.Fatalf("%d invoices, %d wake-ups; want 1 and 1 (a failed order invoices nothing)", n, woken)
	}

	// Every request is audited in the preference's account.
	w.Server.deps.Audit.Flush()
	out, err := audit.Lookup(context.Background(), w.st, time.Now().Add(time.Hour), audit.LookupInput{Account: testAccount,
		Attributes: []audit.LookupAttribute{{Key: "EventName", Value: "OrderRequest"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Events) != 4 {
		t.Fatalf("%d OrderRequest events, want 4", len(out.Events))
	}
	for _, e := range out.Events {
		body := string(e.Body)
		if strings.Contains(body, portalKey) || !strings.Contains(body, `"orderID":"PO-100`) {
			t.Errorf("event = %s", body)
		}
	}
	conflicts := 0
	for _, e := range out.Events {
		if strings.Contains(string(e.Body), `"errorCode":"Conflict"`) {
			conflicts++
		}
	}
	if conflicts != 2 {
		t.Errorf("%d events record a conflict, want 2", conflicts)
	}
}

// TestOrderRequestUpdateDelete: cXML User's Guide, OrderRequestHeader
// type: "update" replaces an earlier order with the same orderID and
// "delete" cancels it. Kept lines keep their agreements, dropped lines'
// agreements are cancelled, new lines are bought. An update or delete of
// an order never received refers to a document the supplier does not
// have: the cXML status table's 417 Expectation Failed, the status Coupa
// itself answers for a document referencing an unknown order ("invalid
// order/document reference").
func TestOrderRequestUpdateDelete(t *testing.T) {
	w := newOrderWorld(t)
	a := w.cartLine(t, w.sess, w.pricedOffer(t, "Alpha", "100"))
	b := w.cartLine(t, w.sess, w.pricedOffer(t, "Beta", "200"))
	c := w.cartLine(t, w.sess, w.pricedOffer(t, "Gamma", "50.25"))

	w.order(t, orderDoc{payloadID: "p1", lines: []punchout.Line{a, b}}, cxml.StatusOK)
	keptBefore, _ := w.active(t, a)
	w.order(t, orderDoc{payloadID: "p2", typ: "update", lines: []punchout.Line{a, c}}, cxml.StatusOK)
	keptAfter, ok := w.active(t, a)
	if !ok || keptAfter.AgreementId != keptBefore.AgreementId {
		t.Fatalf("kept line's agreement %s became %s", keptBefore.AgreementId, keptAfter.AgreementId)
	}
	if _, ok := w.active(t, b); ok {
		t.Fatal("the dropped line's agreement is still active")
	}
	if _, ok := w.active(t, c); !ok {
		t.Fatal("the added line was not bought")
	}
	placed := w.invoices.placed()
	if len(placed) != 2 || len(placed[1].Lines) != 1 || placed[1].Lines[0].Line.Id != c.Id {
		t.Fatalf("invoiced = %+v, want the new order then the added line", placed)
	}

	// An update identical to the order is a no-op.
	before := w.state(t)
	w.order(t, orderDoc{payloadID: "p3", typ: "update", lines: []punchout.Line{c, a}}, cxml.StatusOK)
	if got := w.state(t); got.agreements != before.agreements || got.active != before.active {
		t.Fatalf("an identical update changed %+v to %+v", before, got)
	}

	w.order(t, orderDoc{payloadID: "p4", typ: "delete", total: "0.00"}, cxml.StatusOK)
	if got := w.state(t); got.active != 0 {
		t.Fatalf("%d agreements active after delete", got.active)
	}
	tests := []struct {
		name string
		doc  orderDoc
		want int
	}{
		{name: "delete again", doc: orderDoc{payloadID: "p5", typ: "DELETE", total: "0"}, want: cxml.StatusOK},
		{name: "update of a deleted order", doc: orderDoc{payloadID: "p6", typ: "update", lines: []punchout.Line{a}}, want: cxml.StatusConflict},
		{name: "new of a deleted order", doc: orderDoc{payloadID: "p7", lines: []punchout.Line{a, b}}, want: cxml.StatusConflict},
		{name: "update of an unknown order", doc: orderDoc{payloadID: "p8", orderID: "PO-404", typ: "update", lines: []punchout.Line{a}}, want: cxml.StatusExpectationFailed},
		{name: "delete of an unknown order", doc: orderDoc{payloadID: "p9", orderID: "PO-404", typ: "delete", total: "0"}, want: cxml.StatusExpectationFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := w.state(t)
			w.order(t, tt.doc, tt.want)
			after := w.state(t)
			if after.agreements != before.agreements || after.active != before.active || after.orders != before.orders {
				t.Fatalf("state %+v became %+v", before, after)
			}
		})
	}
}

// TestOrderRequestReplay: a request repeating a payloadID gets the stored
// answer back byte for byte, and nothing is done again, even when the
// order it carries would now be refused. cXML User's Guide: the payloadID
// is unique for each document, so a document with a payloadID already
// received is a retransmission.
func TestOrderRequestReplay(t *testing.T) {
	w := newOrderWorld(t)
	l := w.cartLine(t, w.sess, w.pricedOffer(t, "Vault Secrets", "1200"))
	body := orderDoc{lines: []punchout.Line{l}}.xml()
	first, code := w.postRaw(t, body)
	if code != cxml.StatusOK {
		t.Fatalf("status %d\n%s", code, first)
	}
	before := w.state(t)
	w.advance(time.Minute)
	again, _ := w.postRaw(t, body)
	if string(again) != string(first) {
		t.Fatalf("the replayed answer differs:\n%s\n%s", first, again)
	}
	// Same payloadID, other content: still the retransmission's answer.
	other, _ := w.postRaw(t, orderDoc{orderID: "PO-2002", lines: []punchout.Line{l}}.xml())
	if string(other) != string(first) {
		t.Fatalf("a reused payloadID was carried out:\n%s", other)
	}
	if got := w.state(t); got != before {
		t.Fatalf("replays changed %+v to %+v", before, got)
	}
	if n := len(w.invoices.placed()); n != 1 {
		t.Fatalf("%d invoices, want 1", n)
	}
}

// TestOrderRequestRefusals: every refusal is a well-formed cXML Response
// with the protocol's status and changes nothing.
func TestOrderRequestRefusals(t *testing.T) {
	w := newOrderWorld(t)
	l := w.cartLine(t, w.sess, w.pricedOffer(t, "Vault Secrets", "1200"))
	foreign := w.sess
	foreign.PreferenceARN = strings.Replace(foreign.PreferenceARN, "/", "/other-", 1)
	other := w.cartLine(t, foreign, w.pricedOffer(t, "Code Scanner", "10"))
	unknown := l
	unknown.Id = "cl-00000000000000000000000000"
	badAux := l
	badAux.Id = "not-a-line"
	lines := []punchout.Line{l}
	tests := []struct {
		name string
		body string
		want int
	}{
		{name: "wrong secret", body: orderDoc{secret: "guess", lines: lines}.xml(), want: cxml.StatusUnauthorized},
		{name: "price mismatch", body: orderDoc{price: "1199.99", total: "1199.99", lines: lines}.xml(), want: cxml.StatusBadRequest},
		{name: "currency mismatch", body: orderDoc{currency: "EUR", lines: lines}.xml(), want: cxml.StatusBadRequest},
		{name: "other product", body: orderDoc{product: "prod-other", lines: lines}.xml(), want: cxml.StatusBadRequest},
		{name: "quantity 2", body: orderDoc{quantity: "2", lines: lines}.xml(), want: cxml.StatusBadRequest},
		{name: "total mismatch", body: orderDoc{total: "1300.00", lines: lines}.xml(), want: cxml.StatusBadRequest},
		{name: "line ordered twice", body: orderDoc{lines: []punchout.Line{l, l}}.xml(), want: cxml.StatusBadRequest},
		{name: "no lines", body: orderDoc{total: "0"}.xml(), want: cxml.StatusBadRequest},
		{name: "line of another preference", body: orderDoc{lines: []punchout.Line{other}}.xml(), want: cxml.StatusBadRequest},
		{name: "unknown line", body: orderDoc{lines: []punchout.Line{unknown}}.xml(), want: cxml.StatusBadRequest},
		{name: "not a line", body: orderDoc{lines: []punchout.Line{badAux}}.xml(), want: cxml.StatusBadRequest},
		{name: "unknown order type", body: orderDoc{typ: "replace", lines: lines}.xml(), want: cxml.StatusBadRequest},
		{name: "malformed XML", body: `<cXML><Header>`, want: cxml.StatusNotAcceptable},
		{name: "DOCTYPE with entities", body: `<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY x "y">]><cXML payloadID="1@b" timestamp="2026-01-01T00:00:00Z"><Request><OrderRequest/></Request></cXML>`, want: cxml.StatusNotAcceptable},
		{name: "oversized body", body: strings.Replace(orderDoc{lines: lines}.xml(), "</OrderRequest>", "<!--"+strings.Repeat("a", cxml.MaxDocumentSize)+"--></OrderRequest>", 1), want: cxml.StatusNotAcceptable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := w.state(t)
			if b, code := w.postRaw(t, tt.body); code != tt.want {
				t.Fatalf("status %d, want %d\n%s", code, tt.want, b)
			}
			if got := w.state(t); got != before {
				t.Fatalf("state %+v became %+v", before, got)
			}
		})
	}
	if n := len(w.invoices.placed()); n != 0 {
		t.Fatalf("%d invoices after refusals", n)
	}
}

// TestOrderRequestGovernance: a product the Private Marketplace no longer
// approves when the order comes is refused with 403 and nothing is
// bought; an order of a preference without purchase order retrieval is
// refused with 403, and so is one while retrieval is suspended.
func TestOrderRequestGovernance(t *testing.T) {
	w := newOrderWorld(t)
	offer := w.pricedOffer(t, "Vault Secrets", "1200")
	exp := w.experience(t)
	var product string
	err := store.View(context.Background(), w.st, func(tx store.Tx) error {
		o, _, err := w.catalog.OfferForAgreement(context.Background(), tx, offer.OfferId)
		product = o.ProductId
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	procurementChange := func(changeType string) catalog.Change {
		return catalog.Change{ChangeType: changeType, Entity: catalog.Entity{Type: "Experience@1.0", Identifier: exp},
			Details: `{"Products":[{"Ids":["` + product + `"]}]}`}
	}
	w.inProcess(t, w.shared, procurementChange("AllowProductProcurement"))
	l := w.cartLine(t, w.sess, offer)
	w.inProcess(t, w.shared, procurementChange("DenyProductProcurement"))

	before := w.state(t)
	w.order(t, orderDoc{lines: []punchout.Line{l}}, cxml.StatusForbidden)
	if got := w.state(t); got != before {
		t.Fatalf("state %+v became %+v", before, got)
	}

	w.inProcess(t, w.shared, procurementChange("AllowProductProcurement"))
	portals := procurement.New(w.st, w.Server.deps.Keys.Cipher, w.orgs)
	// Suspended purchase order retrieval refuses orders, and the profile
	// stops offering OrderRequest.
	_, err = portals.UpdateProcurementPortalPreferenceStatus(context.Background(), rootCaller(testAccount), procurement.UpdateProcurementPortalPreferenceStatusInput{
		ProcurementPortalPreferenceArn: l.PreferenceARN, PurchaseOrderRetrievalPreferenceStatus: procurement.StatusSuspended,
		PurchaseOrderRetrievalPreferenceStatusReason: "audit"})
	if err != nil {
		t.Fatal(err)
	}
	w.order(t, orderDoc{payloadID: "po-s@buyer.example", lines: []punchout.Line{l}}, cxml.StatusForbidden)
	if got := w.state(t); got != before {
		t.Fatalf("state %+v became %+v", before, got)
	}
	raw, code := w.postRaw(t, profileDoc(portalKey))
	body := string(raw)
	if code != cxml.StatusOK || strings.Contains(body, `requestName="OrderRequest"`) || !strings.Contains(body, `requestName="PunchOutSetupRequest"`) {
		t.Fatalf("profile of a suspended portal: status %d\n%s", code, body)
	}

	_, err = portals.PutProcurementPortalPreference(context.Background(), rootCaller(testAccount), procurement.PutProcurementPortalPreferenceInput{
		ProcurementPortalPreferenceArn: l.PreferenceARN, ProcurementPortalInstanceEndpoint: w.buyer.URL + "/cxml",
		EinvoiceDeliveryEnabled: new(false), PurchaseOrderRetrievalEnabled: new(false),
		Contacts: []procurement.Contact{{Name: "Procurement", Email: "procurement@example.com"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	w.order(t, orderDoc{payloadID: "po-2@buyer.example", lines: []punchout.Line{l}}, cxml.StatusForbidden)
	if got := w.state(t); got != before {
		t.Fatalf("state %+v became %+v", before, got)
	}
}

var (
	payloadIDs = regexp.MustCompile(`payloadID="[^"]+"`)
	timestamps = regexp.MustCompile(`(timestamp|effectiveDate)="[^"]+"`)
)

// TestProfileRequest: cXML User's Guide, ProfileRequest: the answer
// lists each transaction the server supports with the URL it is posted
// to (Transaction requestName, URL), effective now.
func TestProfileRequest(t *testing.T) {
	w := newOrderWorld(t)
	profile := profileDoc(portalKey)
	// The buyer reached Gatehouse as gatehouse.example.
	req, err := http.NewRequest(http.MethodPost, w.url+punchOutPath, strings.NewReader(profile))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "gatehouse.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rec := httptest.NewRecorder()
	rec.Code = resp.StatusCode
	if _, err := io.Copy(rec.Body, resp.Body); err != nil {
		t.Fatal(err)
	}
	doc, err := cxml.ParseBytes(rec.Body.Bytes())
	if err != nil || doc.Response == nil || doc.Response.ProfileResponse == nil {
		t.Fatalf("not a ProfileResponse: %v\n%s", err, rec.Body)
	}
	if got := doc.Response.ProfileResponse.EffectiveDate.Time; got.Sub(w.clock()).Abs() > time.Second {
		t.Errorf("effectiveDate %v, want now (%v)", got, w.clock())
	}
	rec.Body = bytes.NewBufferString(timestamps.ReplaceAllString(payloadIDs.ReplaceAllString(rec.Body.String(), `payloadID="PAYLOAD"`), `$1="TIME"`))
	golden(t, "punchout_profile_response", rec)

	if _, code := w.postRaw(t, profileDoc("guess")); code != cxml.StatusUnauthorized {
		t.Fatalf("wrong secret: status %d, want 401", code)
	}
}

// profileDoc is a ProfileRequest sent with the secret.
func profileDoc(secret string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">
<cXML version="1.2.014" payloadID="profile-1@buyer.example" timestamp="2026-11-26T12:00:00Z">
<Header>
 <From><Credential domain="NetworkId"><Identity>` + buyerID + `</Identity></Credential></From>
 <To><Credential domain="NetworkId"><Identity>` + supplierID + `</Identity></Credential></To>
 <Sender><Credential domain="NetworkId"><Identity>` + buyerID + `</Identity><SharedSecret>` + secret + `</SharedSecret></Credential><UserAgent>Buyer simulator</UserAgent></Sender>
</Header>
<Request><ProfileRequest/></Request>
</cXML>`
}
