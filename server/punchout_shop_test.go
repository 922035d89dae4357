package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/audit"
	"gatehouse/catalog"
	"gatehouse/cxml"
	"gatehouse/procurement"
	"gatehouse/punchout"
)

// shopWorld is a PunchOut world with a catalog to shop from: three Public
// SaaS products of the shared services account with released offers —
// Vault (fixed upfront, USD 1200 for 12 months), Pipeline (configurable
// upfront, USD 10.5 per user for 12 months) and Shadow (BYOL) — and a
// buyer simulator that records the carts browsers post back.
type shopWorld struct {
	*punchOutWorld
	vault, pipeline, shadow           product
	mu                                sync.Mutex
	returned                          []url.Values
	brandTitle, brandInfo, brandColor string
}

// product is a released product and its released offer.
type product struct{ id, offer string }

func newShopWorld(t *testing.T) *shopWorld {
	t.Helper()
	w := &shopWorld{punchOutWorld: newPunchOutWorld(t)}
	// The buyer simulator records the fields of every form posted to it,
	// as a procurement system's BrowserFormPost endpoint receives them.
	w.buyer.Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		w.mu.Lock()
		w.returned = append(w.returned, r.PostForm)
		w.mu.Unlock()
		io.WriteString(rw, "cart received")
	})
	w.vault = w.releasedProduct(t, "Vault Secrets", map[string]any{"PricingModel": "Contract", "Terms": []any{map[string]any{
		"Type": "FixedUpfrontPricingTerm", "CurrencyCode": "USD", "Duration": "P12M", "Price": "1200",
		"Grants": []any{map[string]any{"DimensionKey": "Users", "MaxQuantity": 10}}}}})
	w.pipeline = w.releasedProduct(t, "Data Pipeline", map[string]any{"PricingModel": "Contract", "Terms": []any{map[string]any{
		"Type": "ConfigurableUpfrontPricingTerm", "CurrencyCode": "USD", "RateCards": []any{map[string]any{
			"Selector":    map[string]any{"Type": "Duration", "Value": "P12M"},
			"Constraints": map[string]any{"MultipleDimensionSelection": "Allowed", "QuantityConfiguration": "Allowed"},
			"RateCard":    []any{map[string]any{"DimensionKey": "Users", "Price": "10.5"}, map[string]any{"DimensionKey": "Admins", "Price": "20"}}}}}}})
	w.shadow = w.releasedProduct(t, "Shadow IT", map[string]any{"PricingModel": "Byol", "Terms": []any{map[string]any{"Type": "ByolPricingTerm"}}})
	return w
}

// releasedProduct creates a Public SaaS product of the shared services
// account with one released offer of the given pricing.
func (w *shopWorld) releasedProduct(t *testing.T, title string, pricing map[string]any) product {
	t.Helper()
	doc := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	ref := catalog.Entity{Type: "SaaSProduct@1.0", Identifier: "$P.Entity.Identifier"}
	offer := catalog.Entity{Type: "Offer@1.0", Identifier: "$O.Entity.Identifier"}
	ids := w.inProcess(t, w.shared,
		catalog.Change{ChangeType: "CreateProduct", ChangeName: "P", Entity: catalog.Entity{Type: "SaaSProduct@1.0"}, DetailsDocument: doc(map[string]any{"ProductTitle": title})},
		catalog.Change{ChangeType: "UpdateInformation", Entity: ref, DetailsDocument: doc(map[string]any{"ShortDescription": "About " + title + ".",
			"LongDescription": title + " for teams.", "LogoUrl": "https://example.com/" + strings.ReplaceAll(title, " ", "") + ".png", "Categories": []string{"Security"}})},
		catalog.Change{ChangeType: "AddDeliveryOptions", Entity: ref, DetailsDocument: doc(map[string]any{"DeliveryOptions": []any{map[string]any{"Details": map[string]any{
			"SaaSUrlDeliveryOptionDetails": map[string]any{"FulfillmentUrl": "https://example.com/register"}}}}})},
		catalog.Change{ChangeType: "ReleaseProduct", Entity: ref, Details: "{}"},
		catalog.Change{ChangeType: "UpdateVisibility", Entity: ref, DetailsDocument: doc(map[string]any{"TargetVisibility": "Public"})},
		catalog.Change{ChangeType: "CreateOffer", ChangeName: "O", Entity: catalog.Entity{Type: "Offer@1.0"}, DetailsDocument: doc(map[string]any{"ProductId": "$P.Entity.Identifier", "Name": title + " offer"})},
		catalog.Change{ChangeType: "UpdatePricingTerms", Entity: offer, DetailsDocument: doc(pricing)},
		catalog.Change{ChangeType: "UpdateLegalTerms", Entity: offer, DetailsDocument: doc(map[string]any{"Terms": []any{map[string]any{"Type": "LegalTerm",
			"Documents": []any{map[string]any{"Type": "StandardEula", "Version": "2022-07-14"}}}}})},
		catalog.Change{ChangeType: "ReleaseOffer", Entity: offer, Details: "{}"},
	)
	return product{id: ids[0], offer: ids[5]}
}

// govern puts the organization under a branded experience that approves
// the products.
func (w *shopWorld) govern(t *testing.T, products ...product) {
	t.Helper()
	w.brandTitle, w.brandInfo, w.brandColor = "Acme Software Store", "Approved software only.", "#123ABC"
	exp := w.experience(t)
	var ids []string
	for _, p := range products {
		ids = append(ids, p.id)
	}
	doc := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	entity := catalog.Entity{Type: "Experience@1.0", Identifier: exp}
	w.inProcess(t, w.shared,
		catalog.Change{ChangeType: "AllowProductProcurement", Entity: entity, DetailsDocument: doc(map[string]any{"Products": []any{map[string]any{"Ids": ids}}})},
		catalog.Change{ChangeType: "CreateBrandingSettings", Entity: entity, DetailsDocument: doc(map[string]any{"Name": "Brand", "Configuration": map[string]any{
			"Title": w.brandTitle, "Information": w.brandInfo, "ThemeColor": w.brandColor, "LogoUrl": "https://example.com/logo.png"}})},
	)
}

// shopper is a browser in a PunchOut session.
type shopper struct {
	client *http.Client
	w      *shopWorld
	start  string // the StartPage URL
}

// punchOut sends a setup request and opens its StartPage in a new
// browser, which lands on the storefront.
func (w *shopWorld) punchOut(t *testing.T, d setupDoc) (*shopper, string) {
	t.Helper()
	doc := w.post(t, d.xml(w.punchOutWorld))
	if doc.Response.Status.Code != cxml.StatusOK {
		t.Fatalf("setup: %+v", doc.Response.Status)
	}
	jar, _ := cookiejar.New(nil)
	b := &shopper{client: &http.Client{Jar: jar}, w: w, start: doc.Response.PunchOutSetupResponse.StartPage.URL}
	resp, page := b.get(t, b.start)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/cxml/shop" {
		t.Fatalf("StartPage: HTTP %d at %s\n%s", resp.StatusCode, resp.Request.URL, page)
	}
	return b, page
}

func (b *shopper) get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := b.client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

func (b *shopper) postForm(t *testing.T, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := b.client.PostForm(b.w.url+path, form)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// session returns the browser's live session, read from the store.
func (b *shopper) session(t *testing.T) punchout.Session {
	t.Helper()
	u, _ := url.Parse(b.w.url + "/cxml/shop")
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == punchOutCookie {
			sess, err := b.w.po.Session(context.Background(), c.Value)
			if err != nil {
				t.Fatalf("session: %v", err)
			}
			return sess
		}
	}
	t.Fatal("the browser has no session cookie")
	return punchout.Session{}
}

// add posts an add-to-cart form with the session's CSRF token.
func (b *shopper) add(t *testing.T, p product, extra url.Values) (*http.Response, string) {
	t.Helper()
	form := url.Values{"csrf": {b.session(t).CSRF}, "action": {"add"}, "product": {p.id}, "offer": {p.offer}}
	for k, v := range extra {
		form[k] = v
	}
	return b.postForm(t, "/cxml/shop/cart", form)
}

var (
	reProductIDs = regexp.MustCompile(`id="product-([^"]+)"`)
	reLineIDs    = regexp.MustCompile(`id="line-([^"]+)"`)
	reCSRF       = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

func matches(re *regexp.Regexp, page string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1])
	}
	return out
}

// lineCount counts the stored cart lines.
func (w *shopWorld) lineCount(t *testing.T) int {
	t.Helper()
	return w.records(t, "punchout-line")
}

// TestPunchOutShopGoverned: the StartPage redirects to a storefront
// branded as the governing experience that lists exactly the products it
// approves.
func TestPunchOutShopGoverned(t *testing.T) {
	w := newShopWorld(t)
	w.govern(t, w.vault, w.pipeline)
	b, page := w.punchOut(t, setupDoc{})
	got := matches(reProductIDs, page)
	slices.Sort(got)
	want := []string{w.vault.id, w.pipeline.id}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("products listed = %v, want the approved %v", got, want)
	}
	for _, s := range []string{"<title>" + w.brandTitle + "</title>", w.brandInfo, "background:#123ABC", `src="https://example.com/logo.png"`,
		"USD 1200 upfront for 12 months", "USD 10.5 per Users for 12 months", `name="qty.Users"`, `<option value="P12M">`} {
		if !strings.Contains(page, s) {
			t.Errorf("the storefront lacks %q", s)
		}
	}
	if strings.Contains(page, portalKey) {
		t.Fatal("the storefront carries the shared secret")
	}
	// The title filter narrows the page.
	_, page = b.get(t, w.url+"/cxml/shop?q=pipeline")
	if got := matches(reProductIDs, page); !slices.Equal(got, []string{w.pipeline.id}) {
		t.Fatalf("products for q=pipeline = %v", got)
	}
}

// TestPunchOutShopPublic: without a governing experience the storefront
// lists the Public products.
func TestPunchOutShopPublic(t *testing.T) {
	w := newShopWorld(t)
	_, page := w.punchOut(t, setupDoc{})
	if got := matches(reProductIDs, page); len(got) != 3 {
		t.Fatalf("products listed = %v, want the three Public products", got)
	}
	if !strings.Contains(page, "<title>Gatehouse Marketplace</title>") {
		t.Error("an ungoverned storefront is not Gatehouse's")
	}
}

// TestPunchOutShopCart: lines are added priced and removed; a product the
// Private Marketplace does not approve, a configuration without quantity
// and a form without the session's CSRF token are refused and change
// nothing.
func TestPunchOutShopCart(t *testing.T) {
	w := newShopWorld(t)
	w.govern(t, w.vault, w.pipeline)
	b, _ := w.punchOut(t, setupDoc{})

	// The add form carries the shopper's search, which the storefront
	// shows again after the redirect.
	resp, page := b.add(t, w.vault, url.Values{"q": {"Vault"}, "page": {"1"}})
	if resp.StatusCode != http.StatusOK || resp.Request.Method != http.MethodGet || resp.Request.URL.RawQuery != "q=Vault" {
		t.Fatalf("add: HTTP %d %s %s, want 200 after a redirect to the search\n%s", resp.StatusCode, resp.Request.Method, resp.Request.URL, page)
	}
	_, page = b.add(t, w.pipeline, url.Values{"selector": {"P12M"}, "qty.Users": {"3"}, "qty.Admins": {""}})
	lines := matches(reLineIDs, page)
	if len(lines) != 2 || !strings.Contains(page, "USD 31.5") || !strings.Contains(page, "Total: USD 1231.5") {
		t.Fatalf("cart lines %v; want two and the total USD 1231.5\n%s", lines, page)
	}

	refusals := []struct {
		name   string
		form   url.Values
		status int
		says   string
	}{
		{name: "product not approved", form: url.Values{"csrf": {b.session(t).CSRF}, "action": {"add"}, "product": {w.shadow.id}, "offer": {w.shadow.offer}},
			status: http.StatusForbidden, says: "is not approved in the Private Marketplace"},
		{name: "no quantity", form: url.Values{"csrf": {b.session(t).CSRF}, "action": {"add"}, "product": {w.pipeline.id}, "offer": {w.pipeline.offer}, "selector": {"P12M"}},
			status: http.StatusBadRequest, says: "Enter a quantity"},
		{name: "unknown duration", form: url.Values{"csrf": {b.session(t).CSRF}, "action": {"add"}, "product": {w.pipeline.id}, "offer": {w.pipeline.offer}, "selector": {"P99M"}, "qty.Users": {"1"}},
			status: http.StatusBadRequest, says: "contract durations"},
		{name: "offer of another product", form: url.Values{"csrf": {b.session(t).CSRF}, "action": {"add"}, "product": {w.vault.id}, "offer": {w.pipeline.offer}},
			status: http.StatusBadRequest, says: "is not available"},
		{name: "wrong CSRF token", form: url.Values{"csrf": {strings.Repeat("A", 43)}, "action": {"add"}, "product": {w.vault.id}, "offer": {w.vault.offer}},
			status: http.StatusForbidden, says: "The form has expired"},
		{name: "no CSRF token", form: url.Values{"action": {"remove"}, "line": {lines[0]}}, status: http.StatusForbidden, says: "The form has expired"},
		{name: "line not in the cart", form: url.Values{"csrf": {b.session(t).CSRF}, "action": {"remove"}, "line": {"cl-00000000000000000000000000"}},
			status: http.StatusBadRequest, says: "not in the cart"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			before := w.lineCount(t)
			resp, page := b.postForm(t, "/cxml/shop/cart", tt.form)
			if resp.StatusCode != tt.status || !strings.Contains(page, tt.says) {
				t.Fatalf("HTTP %d, want %d saying %q\n%s", resp.StatusCode, tt.status, tt.says, page)
			}
			if n := w.lineCount(t); n != before {
				t.Fatalf("%d lines stored, want %d", n, before)
			}
			if got := b.session(t).Cart; !slices.Equal(got, lines) {
				t.Fatalf("cart = %v, want it unchanged %v", got, lines)
			}
		})
	}

	_, page = b.postForm(t, "/cxml/shop/cart", url.Values{"csrf": {b.session(t).CSRF}, "action": {"remove"}, "line": {lines[0]}})
	if got := matches(reLineIDs, page); !slices.Equal(got, lines[1:]) || !strings.Contains(page, "Total: USD 31.5") {
		t.Fatalf("after remove: lines %v, want %v\n%s", got, lines[1:], page)
	}
	// The page's forms carry the session's token.
	if got := matches(reCSRF, page); len(got) == 0 || got[0] != b.session(t).CSRF {
		t.Fatalf("forms carry CSRF %v", got)
	}
}

// TestPunchOutShopCartBound: a cart holds at most MaxCartLines lines.
func TestPunchOutShopCartBound(t *testing.T) {
	w := newShopWorld(t)
	b, _ := w.punchOut(t, setupDoc{})
	for range punchout.MaxCartLines {
		if resp, page := b.add(t, w.shadow, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("add: HTTP %d\n%s", resp.StatusCode, page)
		}
	}
	resp, page := b.add(t, w.shadow, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "The cart is full") {
		t.Fatalf("add beyond the bound: HTTP %d\n%s", resp.StatusCode, page)
	}
	if n := w.lineCount(t); n != punchout.MaxCartLines {
		t.Fatalf("%d lines stored, want %d", n, punchout.MaxCartLines)
	}
}

// checkoutPage is the parsed answer to "Request approval".
type checkoutPage struct {
	action string
	fields url.Values
}

var (
	reFormTag = regexp.MustCompile(`<form id="cart" method="post" action="([^"]*)"`)
	reInput   = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
)

// parseCheckout reads the form of the checkout page. html/template
// writes every attribute double-quoted with the quote and the markup
// characters escaped, so the attributes are read with a pattern and
// unescaped.
func parseCheckout(t *testing.T, page string) checkoutPage {
	t.Helper()
	m := reFormTag.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no cart form in the checkout page\n%s", page)
	}
	c := checkoutPage{action: html.UnescapeString(m[1]), fields: url.Values{}}
	for _, in := range reInput.FindAllStringSubmatch(page, -1) {
		c.fields.Add(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
	}
	return c
}

// TestPunchOutShopCheckout: "Request approval" answers a page whose form
// the browser posts to the BrowserFormPost URL, and the procurement
// system reads the cart from it.
//
// cXML User's Guide, PunchOut Transaction, PunchOutOrderMessage: the
// document is sent through the user's browser as a hidden form field
// (cxml-urlencoded) to the BrowserFormPost URL; its BuyerCookie is the one
// of the PunchOutSetupRequest; operationAllowed "edit" lets later PunchOut
// sessions inspect and change the items; each ItemIn carries its
// SupplierPartID, SupplierPartAuxiliaryID, UnitPrice, UnitOfMeasure and
// Classification. The browser is not trusted with a SharedSecret.
func TestPunchOutShopCheckout(t *testing.T) {
	w := newShopWorld(t)
	w.govern(t, w.vault, w.pipeline)
	b, _ := w.punchOut(t, setupDoc{})
	b.add(t, w.vault, nil)
	b.add(t, w.pipeline, url.Values{"selector": {"P12M"}, "qty.Users": {"3"}})
	sess := b.session(t)

	resp, page := b.postForm(t, "/cxml/shop/checkout", url.Values{"csrf": {sess.CSRF}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("checkout: HTTP %d\n%s", resp.StatusCode, page)
	}
	formPost := w.buyer.URL + "/punchout/return?id=17"
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.Header.Get("Cache-Control") != "no-store" || !strings.Contains(csp, "form-action "+w.buyer.URL+"/punchout/return;") &&
		!strings.HasSuffix(csp, "form-action "+w.buyer.URL+"/punchout/return") {
		t.Errorf("headers: Cache-Control %q, CSP %q", resp.Header.Get("Cache-Control"), csp)
	}
	nonce := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(csp)
	if nonce == nil || !strings.Contains(page, `<script nonce="`+nonce[1]+`">`) || !strings.Contains(page, `<button type="submit">`) {
		t.Errorf("the page lacks the nonced script or the submit button\n%s", page)
	}
	if strings.Contains(page, portalKey) || strings.Contains(page, "SharedSecret") {
		t.Fatal("the checkout page carries a shared secret")
	}
	form := parseCheckout(t, page)
	if form.action != formPost || form.fields.Get(cxml.FieldBase64) != "" {
		t.Fatalf("form posts to %q with %d fields, want %q with cxml-urlencoded only (Coupa)", form.action, len(form.fields), formPost)
	}

	// The browser posts the form; the procurement system reads the cart.
	resp, body := postTo(t, b.client, form.action, form.fields)
	if resp.StatusCode != http.StatusOK || body != "cart received" {
		t.Fatalf("buyer simulator: HTTP %d %s", resp.StatusCode, body)
	}
	w.mu.Lock()
	received := w.returned[len(w.returned)-1]
	w.mu.Unlock()
	doc, err := cxml.ParseForm(received)
	if err != nil {
		t.Fatal(err)
	}
	h, msg := doc.Header, doc.Message.PunchOutOrderMessage
	if !h.From.Credentials[0].Matches("NetworkID", supplierID) || !h.To.Credentials[0].Matches("NetworkID", buyerID) ||
		!h.Sender.Credentials[0].Matches("NetworkID", supplierID) || h.Sender.Credentials[0].SharedSecret != "" || h.Sender.UserAgent != "Gatehouse" {
		t.Errorf("header = %+v", h)
	}
	if msg.BuyerCookie != "cookie-4821" || msg.Header.OperationAllowed != "edit" || msg.Header.Total.Money != (cxml.Money{Currency: "USD", Value: "1231.5"}) {
		t.Errorf("message: cookie %q, operationAllowed %q, total %+v", msg.BuyerCookie, msg.Header.OperationAllowed, msg.Header.Total.Money)
	}
	if len(msg.Items) != 2 {
		t.Fatalf("%d ItemIn, want 2", len(msg.Items))
	}
	for i, want := range []struct {
		product product
		price   string
	}{{w.vault, "1200"}, {w.pipeline, "31.5"}} {
		item := msg.Items[i]
		offer, lineID, ok := punchout.ParseAuxID(item.ItemID.SupplierPartAuxiliaryID)
		d := item.ItemDetail
		if item.ItemID.SupplierPartID != want.product.id || !ok || offer != want.product.offer || lineID != sess.Cart[i] || item.Quantity != "1" ||
			d.UnitPrice.Money != (cxml.Money{Currency: "USD", Value: want.price}) || d.UnitOfMeasure != "EA" ||
			len(d.Classifications) != 1 || d.Classifications[0] != (cxml.Classification{Domain: "UNSPSC", Code: cxml.UNSPSCSoftwareAsAService}) {
			t.Errorf("ItemIn %d = %+v", i+1, item)
		}
	}

	// The session has ended: a second checkout and the storefront are 401.
	resp, _ = b.postForm(t, "/cxml/shop/checkout", url.Values{"csrf": {sess.CSRF}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("second checkout: HTTP %d, want 401", resp.StatusCode)
	}
	if resp, page := b.get(t, w.url+"/cxml/shop"); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "start again from your procurement system") {
		t.Fatalf("storefront after checkout: HTTP %d %s", resp.StatusCode, page)
	}

	// The checkout is audited with its lines and total, and no token.
	w.Server.deps.Audit.Flush()
	out, err := audit.Lookup(context.Background(), w.st, time.Now().Add(time.Hour), audit.LookupInput{Account: testAccount,
		Attributes: []audit.LookupAttribute{{Key: "EventName", Value: "PunchOutOrderMessage"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Events) != 1 {
		t.Fatalf("%d PunchOutOrderMessage events, want 1", len(out.Events))
	}
	ev := string(out.Events[0].Body)
	if !strings.Contains(ev, `"lines":"2"`) || !strings.Contains(ev, `"total":"1231.5"`) || strings.Contains(ev, sess.CSRF) || strings.Contains(ev, portalKey) {
		t.Errorf("audit event = %s", ev)
	}
}

// postTo posts a form to an absolute URL.
func postTo(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	return resp, readBody(t, resp)
}

// checkoutCart fills a cart in a new session and returns it, as the
// procurement system received it.
func (w *shopWorld) checkoutCart(t *testing.T, products ...product) *cxml.PunchOutOrderMessage {
	t.Helper()
	b, _ := w.punchOut(t, setupDoc{})
	for _, p := range products {
		b.add(t, p, nil)
	}
	_, page := b.postForm(t, "/cxml/shop/checkout", url.Values{"csrf": {b.session(t).CSRF}})
	form := parseCheckout(t, page)
	postTo(t, b.client, form.action, form.fields)
	w.mu.Lock()
	received := w.returned[len(w.returned)-1]
	w.mu.Unlock()
	doc, err := cxml.ParseForm(received)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Message.PunchOutOrderMessage
}

// itemOuts returns a cart as an edit or inspect setup request sends it
// back, with an extra item naming no line of Gatehouse's.
func itemOuts(msg *cxml.PunchOutOrderMessage) string {
	var b strings.Builder
	for _, it := range msg.Items {
		b.WriteString(`<ItemOut quantity="1"><ItemID><SupplierPartID>` + it.ItemID.SupplierPartID + `</SupplierPartID><SupplierPartAuxiliaryID>` +
			it.ItemID.SupplierPartAuxiliaryID + `</SupplierPartAuxiliaryID></ItemID></ItemOut>`)
	}
	b.WriteString(`<ItemOut quantity="1"><ItemID><SupplierPartID>prod-gone</SupplierPartID><SupplierPartAuxiliaryID>offer-gone/cl-00000000000000000000000000</SupplierPartAuxiliaryID></ItemID>` +
		`<ItemDetail><UnitPrice><Money currency="USD">5</Money></UnitPrice><Description xml:lang="en">Retired tool</Description><UnitOfMeasure>EA</UnitOfMeasure></ItemDetail></ItemOut>`)
	return b.String()
}

// TestPunchOutShopEdit: an edit session restores the returned cart's
// lines, lists what it cannot restore, and can change and return the
// cart again.
//
// cXML User's Guide, PunchOutSetupRequest: for operation "edit" and
// "inspect" the request carries the ItemOut of the cart returned earlier,
// identified by their SupplierPartAuxiliaryID.
func TestPunchOutShopEdit(t *testing.T) {
	w := newShopWorld(t)
	first := w.checkoutCart(t, w.vault, w.shadow)
	b, page := w.punchOut(t, setupDoc{operation: "edit", extrinsic: itemOuts(first)})
	_, want0, _ := punchout.ParseAuxID(first.Items[0].ItemID.SupplierPartAuxiliaryID)
	_, want1, _ := punchout.ParseAuxID(first.Items[1].ItemID.SupplierPartAuxiliaryID)
	if got := matches(reLineIDs, page); !slices.Equal(got, []string{want0, want1}) {
		t.Fatalf("restored lines = %v, want %v\n%s", got, []string{want0, want1}, page)
	}
	if !strings.Contains(page, "No longer available") || !strings.Contains(page, "Retired tool") {
		t.Errorf("the unavailable item is not listed\n%s", page)
	}
	_, page = b.postForm(t, "/cxml/shop/cart", url.Values{"csrf": {b.session(t).CSRF}, "action": {"remove"}, "line": {want1}})
	if got := matches(reLineIDs, page); !slices.Equal(got, []string{want0}) {
		t.Fatalf("after remove: %v", got)
	}

	// A line of another account (the retail account's session) is not
	// restored into this one.
	other, page := w.punchOut(t, setupDoc{operation: "edit", extrinsic: itemOuts(first) + `<Extrinsic name="AwsAccountId">` + w.retail + `</Extrinsic>`})
	if got := matches(reLineIDs, page); len(got) != 0 {
		t.Fatalf("a session of account %s restored lines %v of account %s", w.retail, got, testAccount)
	}
	if n := len(other.session(t).Unavailable); n != 3 {
		t.Fatalf("%d unavailable items, want 3", n)
	}
}

// TestPunchOutShopInspect: an inspect session shows the restored cart
// and can neither change nor return it.
func TestPunchOutShopInspect(t *testing.T) {
	w := newShopWorld(t)
	first := w.checkoutCart(t, w.vault)
	before := w.lineCount(t)
	b, page := w.punchOut(t, setupDoc{operation: "inspect", extrinsic: itemOuts(first)})
	if got := matches(reLineIDs, page); len(got) != 1 {
		t.Fatalf("restored lines = %v, want 1", got)
	}
	for _, s := range []string{"Add to cart", "Remove", "Request approval", `name="csrf"`} {
		if strings.Contains(page, s) {
			t.Errorf("the inspect page offers %q", s)
		}
	}
	sess := b.session(t)
	for _, post := range []struct {
		path string
		form url.Values
	}{
		{"/cxml/shop/cart", url.Values{"csrf": {sess.CSRF}, "action": {"add"}, "product": {w.vault.id}, "offer": {w.vault.offer}}},
		{"/cxml/shop/cart", url.Values{"csrf": {sess.CSRF}, "action": {"remove"}, "line": {sess.Cart[0]}}},
		{"/cxml/shop/checkout", url.Values{"csrf": {sess.CSRF}}},
	} {
		resp, page := b.postForm(t, post.path, post.form)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "only shows the cart") {
			t.Errorf("%s %v: HTTP %d, want 403\n%s", post.path, post.form.Get("action"), resp.StatusCode, page)
		}
	}
	if got := b.session(t).Cart; !slices.Equal(got, sess.Cart) || w.lineCount(t) != before {
		t.Fatalf("the inspect session changed: cart %v, %d lines", got, w.lineCount(t))
	}
}

// TestPunchOutShopStartPageOnce: the StartPage opens one session; a
// replayed or expired StartPage is refused, and a session ends after its
// lifetime.
func TestPunchOutShopStartPageOnce(t *testing.T) {
	w := newShopWorld(t)
	b, _ := w.punchOut(t, setupDoc{})
	if resp, _ := b.get(t, b.start); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("replayed StartPage: HTTP %d, want 404", resp.StatusCode)
	}
	// The replay did not touch the session the first use opened.
	if resp, _ := b.get(t, w.url+"/cxml/shop"); resp.StatusCode != http.StatusOK {
		t.Fatalf("storefront after a replay: HTTP %d", resp.StatusCode)
	}
	late := w.post(t, setupDoc{}.xml(w.punchOutWorld)).Response.PunchOutSetupResponse.StartPage.URL
	w.advance(punchout.DefaultStartPageTTL + time.Second)
	jar, _ := cookiejar.New(nil)
	fresh := &shopper{client: &http.Client{Jar: jar}, w: w}
	if resp, _ := fresh.get(t, late); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("expired StartPage: HTTP %d, want 404", resp.StatusCode)
	}
	if resp, _ := fresh.get(t, w.url+"/cxml/shop"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("storefront without a session: HTTP %d, want 401", resp.StatusCode)
	}
	w.advance(punchout.DefaultSessionTTL)
	if resp, _ := b.get(t, w.url+"/cxml/shop"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("storefront after the session's lifetime: HTTP %d, want 401", resp.StatusCode)
	}
}

// TestPunchOutShopCheckoutSAP: a cart returned to SAP Business Network
// carries the document in cxml-base64 too, the field SAP Ariba's catalog
// guidance prefers because it carries characters the URL-encoded field
// does not; both fields hold the same document.
func TestPunchOutShopCheckoutSAP(t *testing.T) {
	w := newShopWorld(t)
	portals := procurement.New(w.st, w.Server.deps.Keys.Cipher, w.orgs)
	_, err := portals.CreateProcurementPortalPreference(context.Background(), rootCaller(testAccount), procurement.CreateProcurementPortalPreferenceInput{
		ProcurementPortalName: procurement.PortalSAPBusinessNetwork, BuyerDomain: procurement.DomainNetworkID, BuyerIdentifier: "acme-ariba",
		SupplierDomain: procurement.DomainNetworkID, SupplierIdentifier: supplierID,
		ProcurementPortalSharedSecret: portalKey, ProcurementPortalInstanceEndpoint: w.buyer.URL + "/cxml",
		EinvoiceDeliveryEnabled: new(false), PurchaseOrderRetrievalEnabled: new(true),
		Contacts: []procurement.Contact{{Name: "Procurement", Email: "procurement@example.com"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := w.punchOut(t, setupDoc{from: "acme-ariba"})
	b.add(t, w.vault, nil)
	_, page := b.postForm(t, "/cxml/shop/checkout", url.Values{"csrf": {b.session(t).CSRF}})
	form := parseCheckout(t, page)
	raw, err := base64.StdEncoding.DecodeString(form.fields.Get(cxml.FieldBase64))
	if err != nil || string(raw) != form.fields.Get(cxml.FieldURLEncoded) || len(raw) == 0 {
		t.Fatalf("cxml-base64 does not carry the cxml-urlencoded document: %v", err)
	}
	doc, err := cxml.ParseForm(form.fields)
	if err != nil {
		t.Fatal(err)
	}
	if !doc.Header.To.Credentials[0].Matches("NetworkID", "acme-ariba") {
		t.Fatalf("To = %+v, want the SAP buyer", doc.Header.To)
	}
}

func TestShopURL(t *testing.T) {
	tests := []struct{ query, page, want string }{
		{want: "/cxml/shop"},
		{query: "vault", page: "1", want: "/cxml/shop?q=vault"},
		{query: "data & ml", page: "3", want: "/cxml/shop?page=3&q=data+%26+ml"},
		{page: "x", want: "/cxml/shop"},
		{page: "-2", want: "/cxml/shop"},
	}
	for _, tt := range tests {
		if got := shopURL(tt.query, tt.page); got != tt.want {
			t.Errorf("shopURL(%q, %q) = %q, want %q", tt.query, tt.page, got, tt.want)
		}
	}
}
