package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/agreement"
	"gatehouse/audit"
	"gatehouse/cxml"
	"gatehouse/procurement"
	"gatehouse/punchout"
	"gatehouse/store"
)

const (
	buyerID    = "acme-coupa"
	supplierID = "gatehouse-supplier"
	portalKey  = "s3cret-coupa"
)

// punchOutWorld is the marketplace server with the PunchOut bridge, a
// Coupa preference of the management account whose endpoint is the buyer
// simulator, and a clock the test moves.
type punchOutWorld struct {
	*marketplaceServer
	url   string // the bridge's server
	buyer *httptest.Server
	po    *punchout.Service
	// agreements is the agreement service orders buy through.
	agreements *agreement.Service
	mu         sync.Mutex
	now        time.Time
}

func (w *punchOutWorld) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *punchOutWorld) advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

func newPunchOutWorld(t testing.TB) *punchOutWorld {
	t.Helper()
	w := &punchOutWorld{marketplaceServer: newMarketplaceServer(t, nil), now: time.Now().UTC()}
	// The buyer simulator plays the procurement system: its host is the
	// configured endpoint, so its BrowserFormPost URLs are allowed.
	w.buyer = httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(w.buyer.Close)
	cipher := w.Server.deps.Keys.Cipher
	portals := procurement.New(w.st, cipher, w.orgs)
	_, err := portals.CreateProcurementPortalPreference(context.Background(), rootCaller(testAccount), procurement.CreateProcurementPortalPreferenceInput{
		ProcurementPortalName: procurement.PortalCoupa, BuyerDomain: procurement.DomainNetworkID, BuyerIdentifier: buyerID,
		SupplierDomain: procurement.DomainNetworkID, SupplierIdentifier: supplierID,
		ProcurementPortalSharedSecret: portalKey, ProcurementPortalInstanceEndpoint: w.buyer.URL + "/cxml",
		EinvoiceDeliveryEnabled: new(false), PurchaseOrderRetrievalEnabled: new(true),
		Contacts: []procurement.Contact{{Name: "Procurement", Email: "procurement@example.com"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	deps := w.Server.deps
	w.agreements = agreement.New(w.st, w.catalog)
	w.agreements.Now = w.clock
	w.po = &punchout.Service{Store: w.st, Portals: portals, Orgs: w.orgs, Now: w.clock, Agreements: w.agreements, Catalog: w.catalog}
	deps.Agreements = w.agreements
	deps.PunchOut = w.po
	srv := New(Config{Region: "us-east-1", Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: w.clock}, deps)
	srv.SetReady(true)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	w.url = hs.URL
	return w
}

// setupDoc is what the buyer sends; fields left empty take the valid
// values.
type setupDoc struct {
	from, fromDomain, to, secret, operation, formPost, extrinsic string
}

func (d setupDoc) xml(w *punchOutWorld) string {
	def := func(s, v string) string {
		if s == "" {
			return v
		}
		return s
	}
	secret := ""
	if d.secret != "-" {
		secret = "<SharedSecret>" + def(d.secret, portalKey) + "</SharedSecret>"
	}
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">
<cXML version="1.2.014" payloadID="1.2@buyer.example" timestamp="2026-11-26T09:59:12">
<Header>
 <From><Credential domain="DUNS"><Identity>123</Identity></Credential><Credential domain="%s"><Identity>%s</Identity></Credential></From>
 <To><Credential domain="networkid"><Identity>%s</Identity></Credential></To>
 <Sender><Credential domain="NetworkID"><Identity>%s</Identity>%s</Credential><UserAgent>Buyer simulator</UserAgent></Sender>
</Header>
<Request><PunchOutSetupRequest operation="%s"><BuyerCookie>cookie-4821</BuyerCookie>%s
<BrowserFormPost><URL>%s</URL></BrowserFormPost></PunchOutSetupRequest></Request>
</cXML>`, def(d.fromDomain, "NetworkId"), def(d.from, buyerID), def(d.to, supplierID), buyerID, secret, def(d.operation, "create"),
		d.extrinsic, def(d.formPost, w.buyer.URL+"/punchout/return?id=17"))
}

// post sends a cXML body to the bridge and reads the Response.
func (w *punchOutWorld) post(t testing.TB, body string) *cxml.Document {
	t.Helper()
	resp, err := http.Post(w.url+"/cxml/punchout", "text/xml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
		t.Fatalf("HTTP %d %s, want 200 text/xml", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	doc, err := cxml.Parse(resp.Body)
	if err != nil {
		t.Fatalf("the answer is not well-formed cXML: %v", err)
	}
	if doc.Response == nil {
		t.Fatalf("the answer is a %s, want a Response", doc.Kind())
	}
	return doc
}

// records counts the stored records of a kind.
func (w *punchOutWorld) records(t testing.TB, kind string) int {
	t.Helper()
	var n int
	err := store.View(context.Background(), w.st, func(tx store.Tx) error {
		recs, err := tx.List(context.Background(), store.Query{Kind: kind})
		n = len(recs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (w *punchOutWorld) startPages(t *testing.T) int {
	t.Helper()
	return w.records(t, "punchout-startpage")
}

// TestPunchOutSetupBrowserSession plays the procurement system: setup
// request, then the StartPage in a browser with a cookie jar.
func TestPunchOutSetupBrowserSession(t *testing.T) {
	w := newPunchOutWorld(t)
	doc := w.post(t, setupDoc{}.xml(w))
	if doc.Response.Status.Code != cxml.StatusOK || doc.Response.PunchOutSetupResponse == nil {
		t.Fatalf("status = %+v, want 200 with a StartPage", doc.Response.Status)
	}
	start := doc.Response.PunchOutSetupResponse.StartPage.URL
	if !strings.HasPrefix(start, w.url+"/cxml/start/") {
		t.Fatalf("StartPage = %s", start)
	}
	if strings.Contains(start, portalKey) {
		t.Fatal("the StartPage URL carries the shared secret")
	}
	token := strings.TrimPrefix(start, w.url+"/cxml/start/")
	if len(token) < 22 { // 128 bits in base64
		t.Fatalf("token %q is shorter than 128 bits", token)
	}
	// Only the token's hash is stored.
	err := store.View(context.Background(), w.st, func(tx store.Tx) error {
		recs, err := tx.List(context.Background(), store.Query{Kind: "punchout-startpage"})
		for _, r := range recs {
			if strings.Contains(r.ID, token) || strings.Contains(string(r.Body), token) {
				t.Error("the StartPage token is stored in clear")
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "Shopping for account "+testAccount) {
		t.Fatalf("StartPage: HTTP %d\n%s", resp.StatusCode, page)
	}
	if strings.Contains(string(page), portalKey) {
		t.Fatal("the page carries the shared secret")
	}
	cookies := jar.Cookies(resp.Request.URL)
	if len(cookies) != 1 || cookies[0].Name != punchOutCookie {
		t.Fatalf("cookies = %v, want the session cookie", cookies)
	}
	if _, err := w.po.Session(context.Background(), cookies[0].Value); err != nil {
		t.Fatalf("the cookie opens no session: %v", err)
	}

	// Single use: the StartPage cannot be opened again, even by the same
	// browser.
	resp, err = browser.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("replayed StartPage: HTTP %d, want 404", resp.StatusCode)
	}

	// Both steps are audited in the preference's account.
	w.Server.deps.Audit.Flush()
	out, err := audit.Lookup(context.Background(), w.st, time.Now(), audit.LookupInput{Account: testAccount,
		Attributes: []audit.LookupAttribute{{Key: "EventSource", Value: punchOutEventSource}}})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, e := range out.Events {
		names[e.Name]++
		if strings.Contains(string(e.Body), portalKey) || strings.Contains(string(e.Body), token) {
			t.Errorf("audit event %s carries a secret", e.Name)
		}
	}
	if names["PunchOutSetupRequest"] != 1 || names["PunchOutStartPage"] != 2 {
		t.Fatalf("audit events = %v", names)
	}
}

// TestPunchOutStartPageExpires: a StartPage expires within minutes.
func TestPunchOutStartPageExpires(t *testing.T) {
	w := newPunchOutWorld(t)
	doc := w.post(t, setupDoc{}.xml(w))
	w.advance(punchout.DefaultStartPageTTL + time.Second)
	resp, err := http.Get(doc.Response.PunchOutSetupResponse.StartPage.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || len(resp.Cookies()) != 0 {
		t.Fatalf("expired StartPage: HTTP %d, cookies %v; want 404 and none", resp.StatusCode, resp.Cookies())
	}
	for _, bad := range []string{"x", strings.Repeat("A", 43), "%2e%2e"} {
		resp, err := http.Get(w.url + "/cxml/start/" + bad)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("StartPage %q: HTTP %d, want 404", bad, resp.StatusCode)
		}
	}
}

// TestPunchOutSetupRefusals: every refusal is a well-formed cXML Response
// with the protocol's status, and no StartPage is issued.
func TestPunchOutSetupRefusals(t *testing.T) {
	w := newPunchOutWorld(t)
	tests := []struct {
		name string
		body string
		want int
	}{
		{name: "wrong secret", body: setupDoc{secret: "guess"}.xml(w), want: cxml.StatusUnauthorized},
		{name: "missing secret", body: setupDoc{secret: "-"}.xml(w), want: cxml.StatusUnauthorized},
		{name: "unknown buyer", body: setupDoc{from: "someone-else"}.xml(w), want: cxml.StatusUnauthorized},
		{name: "wrong supplier", body: setupDoc{to: "other-supplier"}.xml(w), want: cxml.StatusUnauthorized},
		{name: "foreign BrowserFormPost host", body: setupDoc{formPost: "https://evil.example/steal"}.xml(w), want: cxml.StatusForbidden},
		{name: "BrowserFormPost on another port", body: setupDoc{formPost: "http://127.0.0.1:1/return"}.xml(w), want: cxml.StatusForbidden},
		{name: "BrowserFormPost not http", body: setupDoc{formPost: "javascript:alert(1)"}.xml(w), want: cxml.StatusBadRequest},
		{name: "account outside the organization", body: setupDoc{extrinsic: `<Extrinsic name="AwsAccountId">999999999999</Extrinsic>`}.xml(w), want: cxml.StatusForbidden},
		{name: "malformed XML", body: `<cXML><Header>`, want: cxml.StatusNotAcceptable},
		{name: "DOCTYPE with entities", body: `<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY x "y">]><cXML payloadID="1@b" timestamp="2026-01-01T00:00:00Z"/>`, want: cxml.StatusNotAcceptable},
		{name: "oversized body", body: setupDoc{extrinsic: `<Extrinsic name="pad">` + strings.Repeat("a", cxml.MaxDocumentSize) + `</Extrinsic>`}.xml(w), want: cxml.StatusNotAcceptable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := w.post(t, tt.body)
			if doc.Response.Status.Code != tt.want || doc.Response.PunchOutSetupResponse != nil {
				t.Fatalf("status = %+v, want %d without a StartPage", doc.Response.Status, tt.want)
			}
			if n := w.startPages(t); n != 0 {
				t.Fatalf("%d StartPages were issued", n)
			}
		})
	}
}

// TestPunchOutSetupAccepts: the leniency real buyers need.
func TestPunchOutSetupAccepts(t *testing.T) {
	w := newPunchOutWorld(t)
	tests := []struct {
		name    string
		doc     setupDoc
		account string
	}{
		{name: "domain in another case", doc: setupDoc{fromDomain: "NETWORKID"}, account: testAccount},
		{name: "edit", doc: setupDoc{operation: "edit"}, account: testAccount},
		{name: "inspect", doc: setupDoc{operation: "inspect"}, account: testAccount},
		{name: "member account named", doc: setupDoc{extrinsic: `<Extrinsic name="AwsAccountId">` + w.retail + `</Extrinsic>`}, account: w.retail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := w.post(t, tt.doc.xml(w))
			if doc.Response.Status.Code != cxml.StatusOK {
				t.Fatalf("status = %+v, want 200", doc.Response.Status)
			}
			sess, _, err := w.po.Open(context.Background(), strings.TrimPrefix(doc.Response.PunchOutSetupResponse.StartPage.URL, w.url+"/cxml/start/"))
			if err != nil {
				t.Fatal(err)
			}
			if sess.Account != tt.account || sess.BuyerCookie != "cookie-4821" {
				t.Fatalf("session = %+v, want account %s", sess, tt.account)
			}
		})
	}
}

// TestPunchOutSweep: StartPages and shopping sessions are deleted once
// they expired, and not before; a used StartPage is kept until then.
func TestPunchOutSweep(t *testing.T) {
	w := newPunchOutWorld(t)
	opened := w.post(t, setupDoc{}.xml(w)).Response.PunchOutSetupResponse.StartPage.URL
	w.post(t, setupDoc{}.xml(w)) // never opened
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(opened)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sweep := func() int {
		t.Helper()
		n, err := w.po.Sweep(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := sweep(); n != 0 || w.records(t, "punchout-startpage") != 2 || w.records(t, "punchout-session") != 1 {
		t.Fatalf("a sweep before any expiry deleted %d records", n)
	}
	w.advance(punchout.DefaultStartPageTTL)
	if n := sweep(); n != 2 || w.records(t, "punchout-startpage") != 0 || w.records(t, "punchout-session") != 1 {
		t.Fatalf("after the StartPage lifetime the sweep deleted %d records, want both StartPages", n)
	}
	w.advance(punchout.DefaultSessionTTL)
	if n := sweep(); n != 1 || w.records(t, "punchout-session") != 0 {
		t.Fatalf("after the session lifetime the sweep deleted %d records, want the session", n)
	}
	// More than one batch (200 records) is swept too.
	const many = 401
	for range many {
		w.post(t, setupDoc{}.xml(w))
	}
	w.advance(punchout.DefaultStartPageTTL)
	if n := sweep(); n != many || w.records(t, "punchout-startpage") != 0 {
		t.Fatalf("the sweep of %d StartPages deleted %d", many, n)
	}
}
