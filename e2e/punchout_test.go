package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"html"
	"io"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/marketplaceagreement"
	matypes "github.com/aws/aws-sdk-go-v2/service/marketplaceagreement/types"
	"github.com/aws/aws-sdk-go-v2/service/marketplacecatalog"
	mctypes "github.com/aws/aws-sdk-go-v2/service/marketplacecatalog/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"gatehouse/cxml"
	"gatehouse/punchout"
)

// The buyer's and the supplier's credentials of coupaPreference's
// production environment.
const (
	simBuyer    = "Acme"
	simSupplier = "gatehouse"
	simSecret   = "Coupa_Secret"
)

// buyerSim plays the procurement system (Coupa) over HTTP: it holds the
// shared secret, sends cXML requests to Gatehouse, receives the carts
// browsers post to its BrowserFormPost URL and the invoices Gatehouse
// posts to its cXML endpoint.
type buyerSim struct {
	t         *testing.T
	srv       *httptest.Server
	gatehouse string // Gatehouse's cXML URL
	cookie    string // the BuyerCookie of the last setup request

	mu       sync.Mutex
	carts    []url.Values
	invoices []*cxml.Document
	// refused counts invoices that did not carry the shared secret.
	refused int
}

// newBuyerSim starts a procurement system that talks to the Gatehouse
// at srv.
func newBuyerSim(t *testing.T, srv *server) *buyerSim {
	b := &buyerSim{t: t, gatehouse: srv.URL + "/cxml/punchout"}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /punchout/return", b.receiveCart)
	mux.HandleFunc("POST /cxml", b.receiveInvoice)
	b.srv = httptest.NewServer(mux)
	t.Cleanup(b.srv.Close)
	return b
}

// endpoint is the procurement portal's instance endpoint: where invoices
// go.
func (b *buyerSim) endpoint() string { return b.srv.URL + "/cxml" }

// formPost is the BrowserFormPost URL the carts come back to.
func (b *buyerSim) formPost() string { return b.srv.URL + "/punchout/return" }

// receiveCart records the form a browser posts back, as Coupa's
// BrowserFormPost endpoint does.
func (b *buyerSim) receiveCart(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 2*cxml.MaxDocumentSize)
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	b.carts = append(b.carts, r.PostForm)
	b.mu.Unlock()
	io.WriteString(w, "cart received")
}

// receiveInvoice accepts an InvoiceDetailRequest that carries the shared
// secret (cXML status 200) and refuses any other document (401).
func (b *buyerSim) receiveInvoice(w http.ResponseWriter, r *http.Request) {
	doc, err := cxml.Parse(io.LimitReader(r.Body, cxml.MaxDocumentSize+1))
	status := cxml.StatusOK
	switch {
	case err != nil:
		status = cxml.StatusFor(err)
	case doc.Header == nil || doc.Request == nil || doc.Request.InvoiceDetailRequest == nil || !carriesSecret(doc.Header, simSecret):
		status = cxml.StatusUnauthorized
	}
	b.mu.Lock()
	if status == cxml.StatusOK {
		b.invoices = append(b.invoices, doc)
	} else {
		b.refused++
	}
	b.mu.Unlock()
	body, err := cxml.Marshal(cxml.NewResponse(time.Now(), "buyer.example", cxml.NewStatus(status, "")))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(body)
}

// carriesSecret reports whether the Sender of h names the supplier with
// the shared secret.
func carriesSecret(h *cxml.Header, secret string) bool {
	c, ok := cxml.Find(h.Sender.Credentials, "NetworkID", simSupplier)
	return ok && cxml.SecretEqual(string(c.SharedSecret), secret)
}

// received returns the carts and invoices received so far.
func (b *buyerSim) received() (carts []url.Values, invoices []*cxml.Document, refused int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.carts), slices.Clone(b.invoices), b.refused
}

// request wraps a request in the buyer's envelope: From and Sender name
// the buyer, the Sender carries the shared secret, To names the supplier.
func (b *buyerSim) request(payloadID string, r *cxml.Request) *cxml.Document {
	r.DeploymentMode = cxml.DeploymentProduction
	return &cxml.Document{PayloadID: payloadID, Timestamp: cxml.At(time.Now()),
		Header: &cxml.Header{
			From:   cxml.Party{Credentials: []cxml.Credential{{Domain: "NetworkID", Identity: simBuyer}}},
			To:     cxml.Party{Credentials: []cxml.Credential{{Domain: "NetworkID", Identity: simSupplier}}},
			Sender: cxml.Sender{Credentials: []cxml.Credential{{Domain: "NetworkID", Identity: simBuyer, SharedSecret: simSecret}}, UserAgent: "Buyer simulator"},
		},
		Request: r}
}

// send posts a document to Gatehouse and returns the request's and the
// answer's bytes, and the answer.
func (b *buyerSim) send(doc *cxml.Document) (sent, answer []byte, res *cxml.Response) {
	b.t.Helper()
	sent, err := cxml.Marshal(doc)
	must(b.t, err, "marshal "+doc.Kind())
	answer, res = b.sendRaw(sent)
	return sent, answer, res
}

// sendRaw posts cXML bytes to Gatehouse, which answers every request with
// HTTP 200 and a cXML Response.
func (b *buyerSim) sendRaw(body []byte) ([]byte, *cxml.Response) {
	b.t.Helper()
	resp, err := http.Post(b.gatehouse, "text/xml; charset=utf-8", bytes.NewReader(body))
	must(b.t, err, "POST "+b.gatehouse)
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	must(b.t, err, "read the answer")
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("HTTP %d, want 200 with a cXML Response\n%s", resp.StatusCode, answer)
	}
	doc, err := cxml.ParseBytes(answer)
	if err != nil || doc.Response == nil {
		b.t.Fatalf("the answer is not a cXML Response: %v\n%s", err, answer)
	}
	return answer, doc.Response
}

// profile sends a ProfileRequest and returns the ProfileResponse.
func (b *buyerSim) profile() *cxml.ProfileResponse {
	b.t.Helper()
	_, _, res := b.send(b.request("profile-1@buyer.example", &cxml.Request{ProfileRequest: &cxml.ProfileRequest{}}))
	if res.Status.Code != cxml.StatusOK || res.ProfileResponse == nil {
		b.t.Fatalf("ProfileRequest: %+v", res.Status)
	}
	return res.ProfileResponse
}

// setup sends a PunchOutSetupRequest (create) for a shopper of account
// and returns the StartPage URL.
func (b *buyerSim) setup(account string) string {
	b.t.Helper()
	b.cookie = "cookie-" + account
	_, _, res := b.send(b.request("setup-1@buyer.example", &cxml.Request{PunchOutSetupRequest: &cxml.PunchOutSetupRequest{
		Operation: cxml.OperationCreate, BuyerCookie: b.cookie,
		Extrinsics:      []cxml.Extrinsic{{Name: "AwsAccountId", Value: account}},
		BrowserFormPost: &cxml.URLElement{URL: b.formPost()},
	}}))
	if res.Status.Code != cxml.StatusOK || res.PunchOutSetupResponse == nil {
		b.t.Fatalf("PunchOutSetupRequest: %+v", res.Status)
	}
	return res.PunchOutSetupResponse.StartPage.URL
}

// lastCart reads the PunchOutOrderMessage of the last cart a browser
// returned.
func (b *buyerSim) lastCart() *cxml.PunchOutOrderMessage {
	b.t.Helper()
	carts, _, _ := b.received()
	if len(carts) == 0 {
		b.t.Fatal("no cart was returned to the BrowserFormPost URL")
	}
	doc, err := cxml.ParseForm(carts[len(carts)-1])
	must(b.t, err, "read the returned cart")
	if doc.Message == nil || doc.Message.PunchOutOrderMessage == nil {
		b.t.Fatalf("the returned cart is a %s, want a PunchOutOrderMessage", doc.Kind())
	}
	return doc.Message.PunchOutOrderMessage
}

// order turns a returned cart into an OrderRequest, as the procurement
// system does once the requisition is approved: one ItemOut per ItemIn
// with the same ItemID, quantity and price, and the cart's total.
func (b *buyerSim) order(payloadID, orderID string, cart *cxml.PunchOutOrderMessage) *cxml.Document {
	req := &cxml.OrderRequest{Header: cxml.OrderRequestHeader{OrderID: orderID, OrderDate: cxml.At(time.Now()), Type: cxml.OrderNew,
		Total: cart.Header.Total}}
	for _, in := range cart.Items {
		detail := in.ItemDetail
		req.Items = append(req.Items, cxml.ItemOut{Quantity: in.Quantity, LineNumber: in.LineNumber, ItemID: in.ItemID, ItemDetail: &detail})
	}
	return b.request(payloadID, &cxml.Request{OrderRequest: req})
}

// deleteOrder is the OrderRequest that cancels an order.
func (b *buyerSim) deleteOrder(payloadID, orderID, currency string) *cxml.Document {
	return b.request(payloadID, &cxml.Request{OrderRequest: &cxml.OrderRequest{Header: cxml.OrderRequestHeader{OrderID: orderID,
		OrderDate: cxml.At(time.Now()), Type: cxml.OrderDelete, Total: cxml.Total{Money: cxml.Money{Currency: currency, Value: "0.00"}}}}})
}

// browser is a shopper's web browser: it keeps cookies and follows
// redirects.
type browser struct {
	t      *testing.T
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	must(t, err, "cookie jar")
	return &browser{t: t, client: &http.Client{Jar: jar}}
}

// page is an HTML page the browser landed on.
type page struct {
	status int
	url    *url.URL
	body   string
}

func (b *browser) read(resp *http.Response, err error) page {
	b.t.Helper()
	must(b.t, err, "browser request")
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	must(b.t, err, "read the page")
	return page{status: resp.StatusCode, url: resp.Request.URL, body: string(body)}
}

func (b *browser) get(u string) page { return b.read(b.client.Get(u)) }

// submit posts a form of p to its action, resolved against the page's
// URL, as a browser does when the form is submitted.
func (b *browser) submit(p page, f htmlForm) page {
	b.t.Helper()
	action, err := p.url.Parse(f.action)
	must(b.t, err, "form action "+f.action)
	return b.read(b.client.PostForm(action.String(), f.fields))
}

// htmlForm is a POST form of a page: its action and its hidden fields.
type htmlForm struct {
	action string
	fields url.Values
}

var (
	reForm      = regexp.MustCompile(`(?s)<form([^>]*)>(.*?)</form>`)
	reAttr      = regexp.MustCompile(`\b(method|action)="([^"]*)"`)
	reHidden    = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
	reProductID = regexp.MustCompile(`id="product-([^"]+)"`)
	reLineID    = regexp.MustCompile(`id="line-([^"]+)"`)
)

// forms returns the POST forms of the page. html/template writes every
// attribute double-quoted with markup characters escaped, so attributes
// are read with patterns and unescaped.
func (p page) forms() []htmlForm {
	var out []htmlForm
	for _, m := range reForm.FindAllStringSubmatch(p.body, -1) {
		attrs := map[string]string{}
		for _, a := range reAttr.FindAllStringSubmatch(m[1], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		if !strings.EqualFold(attrs["method"], "post") {
			continue
		}
		f := htmlForm{action: attrs["action"], fields: url.Values{}}
		for _, in := range reHidden.FindAllStringSubmatch(m[2], -1) {
			f.fields.Add(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
		}
		out = append(out, f)
	}
	return out
}

// form returns the page's POST form to action whose hidden field name
// has value (any form to action when name is empty).
func (p page) form(t *testing.T, action, name, value string) htmlForm {
	t.Helper()
	for _, f := range p.forms() {
		if f.action == action && (name == "" || f.fields.Get(name) == value) {
			return f
		}
	}
	t.Fatalf("the page has no form to %s with %s=%s\n%s", action, name, value, p.body)
	return htmlForm{}
}

// all returns the first group of every match of re in the page.
func (p page) all(re *regexp.Regexp) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(p.body, -1) {
		out = append(out, m[1])
	}
	return out
}

// listing is a released product and its released offer.
type listing struct{ product, offer string }

// sellFixedUpfront lists, with the seller's catalog client, a Public SaaS
// product with a released offer of a fixed upfront price in USD for a
// year and a standard EULA.
func sellFixedUpfront(ctx context.Context, t *testing.T, seller *marketplacecatalog.Client, title, price string) listing {
	t.Helper()
	p, o := "$P.Entity.Identifier", "$O.Entity.Identifier"
	d := changeSet(ctx, t, seller,
		mctypes.Change{ChangeType: aws.String("CreateProduct"), ChangeName: aws.String("P"), Entity: &mctypes.Entity{Type: aws.String("SaaSProduct@1.0")},
			Details: aws.String(`{"ProductTitle":"` + title + `"}`)},
		change("UpdateInformation", "SaaSProduct@1.0", p, `{"ShortDescription":"About `+title+`","LongDescription":"All about `+title+
			`","LogoUrl":"https://example.com/l.png","Categories":["Security"]}`),
		change("AddDeliveryOptions", "SaaSProduct@1.0", p, `{"DeliveryOptions":[{"Details":{"SaaSUrlDeliveryOptionDetails":{"FulfillmentUrl":"https://example.com/signup"}}}]}`),
		change("ReleaseProduct", "SaaSProduct@1.0", p, `{}`),
		change("UpdateVisibility", "SaaSProduct@1.0", p, `{"TargetVisibility":"Public"}`),
		mctypes.Change{ChangeType: aws.String("CreateOffer"), ChangeName: aws.String("O"), Entity: &mctypes.Entity{Type: aws.String("Offer@1.0")},
			Details: aws.String(`{"ProductId":"$P.Entity.Identifier","Name":"Annual"}`)},
		change("UpdatePricingTerms", "Offer@1.0", o, `{"PricingModel":"Contract","Terms":[{"Type":"FixedUpfrontPricingTerm","CurrencyCode":"USD","Duration":"P12M","Price":"`+
			price+`","Grants":[{"DimensionKey":"Users","MaxQuantity":10}]}]}`),
		change("UpdateLegalTerms", "Offer@1.0", o, `{"Terms":[{"Type":"LegalTerm","Documents":[{"Type":"StandardEula","Version":"2022-07-14"}]}]}`),
		change("ReleaseOffer", "Offer@1.0", o, `{}`),
	)
	if d.Status != mctypes.ChangeStatusSucceeded {
		t.Fatalf("listing %s: %s %+v", title, d.Status, d.ChangeSet)
	}
	id := func(i int) string {
		s, _, _ := strings.Cut(aws.ToString(d.ChangeSet[i].Entity.Identifier), "@")
		return s
	}
	return listing{product: id(0), offer: id(5)}
}

// punchOutOrg is the seed's organization as the bridge needs it: the
// retail OU with the member account developers shop for, and the shared
// services OU with the account that is delegated administrator for
// Private Marketplace, where the procurement manager works; the seed's
// SCP is attached to the root. It holds a session of the procurement
// manager, of the shared account's administrator (not the procurement
// manager) and of the member account's developer.
type punchOutOrg struct {
	devOrg
	shared               string
	pm, sharedAdmin, dev aws.Credentials
}

// developerPolicy lets the member account's developers read their
// agreements and deploy what they bought.
const developerPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["aws-marketplace:SearchAgreements","aws-marketplace:DescribeAgreement",` +
	`"aws-marketplace:GetAgreementTerms","aws-marketplace:ViewSubscriptions","gatehouse:CreateDeployment","gatehouse:ListDeployments"],"Resource":"*"}]}`

func buildPunchOutOrg(ctx context.Context, t *testing.T, srv *server) punchOutOrg {
	t.Helper()
	o := punchOutOrg{devOrg: buildRealOrg(ctx, t, srv)}
	ou := need(o.mgmt.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(o.rootID), Name: aws.String("shared-services")}))(t)
	o.shared = createAccount(t, o.mgmt, "shared-tools", "tools@shared.example.com")
	need(o.mgmt.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(o.shared), SourceParentId: aws.String(o.rootID),
		DestinationParentId: ou.OrganizationalUnit.Id}))(t)
	need(o.mgmt.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(pmpPrincipal)}))(t)
	need(o.mgmt.RegisterDelegatedAdministrator(ctx, &organizations.RegisterDelegatedAdministratorInput{AccountId: aws.String(o.shared), ServicePrincipal: aws.String(pmpPrincipal)}))(t)
	o.attach(t, o.createPolicy(t, "pmp-admin-scp", seedSCP(t)), o.rootID)

	// An operator of the management account administers the member
	// accounts through OrganizationAccountAccessRole and creates their
	// roles, which trust the management account.
	root := srv.as(srv.Key)
	ops := srv.as(newUser(ctx, t, root.iam, "ops", e2eAssumeAny))
	session := func(account, role string) aws.Credentials {
		return assume(ctx, t, ops.sts, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + account + ":role/" + role), RoleSessionName: aws.String("ops")})
	}
	trust := trustPolicy("", "arn:aws:iam::"+ManagementAccount+":root")
	o.sharedAdmin = session(o.shared, "OrganizationAccountAccessRole")
	newRole(ctx, t, srv.as(o.sharedAdmin).iam, "procurement-manager", trust, "arn:aws:iam::aws:policy/AWSPrivateMarketplaceAdminFullAccess")
	o.pm = session(o.shared, "procurement-manager")
	memberAdmin := srv.as(session(o.member, "OrganizationAccountAccessRole"))
	newRole(ctx, t, memberAdmin.iam, "developer", trust)
	need(memberAdmin.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("developer"), PolicyName: aws.String("buy-and-deploy"),
		PolicyDocument: aws.String(developerPolicy)}))(t)
	o.dev = session(o.member, "developer")
	return o
}

// governRetail has the procurement manager create an enabled experience
// for the retail OU that approves only the product given.
func (o punchOutOrg) governRetail(ctx context.Context, t *testing.T, srv *server, approved string) string {
	t.Helper()
	exp := "$Exp.Entity.Identifier"
	d := changeSet(ctx, t, srv.catalogSession(o.pm),
		mctypes.Change{ChangeType: aws.String("CreateExperience"), ChangeName: aws.String("Exp"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0")},
			Details: aws.String(`{"Name":"Retail marketplace"}`)},
		change("CreateProcurementPolicy", "Experience@1.0", exp, `{"Configuration":{"PolicyResourceRequests":"Allow"}}`),
		change("AllowProductProcurement", "Experience@1.0", exp, `{"Products":[{"Ids":["`+approved+`"]}]}`),
		change("AssociateAudience", "Experience@1.0", exp, `{"Principals":["`+o.retail+`"]}`),
		change("UpdateExperience", "Experience@1.0", exp, `{"Status":"Enabled"}`),
	)
	if d.Status != mctypes.ChangeStatusSucceeded {
		t.Fatalf("experience: %s %+v", d.Status, d.ChangeSet)
	}
	return aws.ToString(d.ChangeSet[0].Entity.Identifier)
}

// deployAs sends a request to Gatehouse's Deployment API signed with
// creds, a session token included, as no SDK has this API.
func (s *server) deployAs(t *testing.T, creds aws.Credentials, method, path, body string) (int, map[string]any) {
	t.Helper()
	r, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	must(t, err, "request")
	r.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256([]byte(body))
	must(t, v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "aws-marketplace", Region, time.Now()), "sign")
	resp, err := http.DefaultClient.Do(r)
	must(t, err, method+" "+path)
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestPunchOutBuyerSimulator plays a procurement system (Coupa) end to
// end over HTTP against the real binary, on SQLite and PostgreSQL: the
// management account configures the procurement portal with the SDK;
// the simulator asks for the profile, sets up a PunchOut session for a
// developer's member account, whose browser shops the governed
// storefront and returns the cart to the simulator; the simulator orders
// it; the developer finds the agreement and deploys; the invoice reaches
// the simulator; a retransmitted order is answered with the same bytes,
// and a delete cancels the agreement. Governance holds through the
// bridge: a product the account's Private Marketplace does not approve
// can be neither carted nor ordered, and the seed's SCP still binds
// whoever approves products.
func TestPunchOutBuyerSimulator(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		ctx := ctxFor(t)
		o := buildPunchOutOrg(ctx, t, srv)
		sim := newBuyerSim(t, srv)

		pref := coupaPreference(simBuyer)
		pref.ProcurementPortalInstanceEndpoint = aws.String(sim.endpoint())
		pref.PurchaseOrderRetrievalEnabled, pref.EinvoiceDeliveryEnabled = aws.Bool(true), aws.Bool(true)
		// E-invoicing started yesterday: orders from today on are invoiced.
		pref.EinvoiceDeliveryPreference.EinvoiceDeliveryActivationDate = aws.Time(time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Second))
		need(srv.invoicingAs(srv.Key).CreateProcurementPortalPreference(ctx, pref))(t)

		seller := srv.catalogAs(srv.Key)
		approved := sellFixedUpfront(ctx, t, seller, "Vault Secrets", "1200")
		unapproved := sellFixedUpfront(ctx, t, seller, "Shadow Miner", "300")
		exp := o.governRetail(ctx, t, srv, approved.product)
		t.Run("seed SCP binds approvers", func(t *testing.T) {
			// The seed's SCP denies the Private Marketplace's admin actions
			// to every principal but procurement-manager roles; approving
			// a product needs AssociateProductsWithPrivateMarketplace.
			_, err := srv.catalogSession(o.sharedAdmin).StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"),
				ChangeSet: []mctypes.Change{change("AllowProductProcurement", "Experience@1.0", exp, `{"Products":[{"Ids":["`+unapproved.product+`"]}]}`)}})
			wantCodeMessage(t, err, "AccessDeniedException", "aws-marketplace:AssociateProductsWithPrivateMarketplace")
			wantCodeMessage(t, err, "AccessDeniedException", explicitSCPDeny)
		})

		checkProfile(t, sim, srv)
		cart := shop(t, sim, o.member, approved, unapproved)
		checkCart(t, sim, cart, approved)

		orderID := "PO-" + b.name + "-4711"
		sent, answer, res := sim.send(sim.order("order-1@buyer.example", orderID, cart))
		if res.Status.Code != cxml.StatusOK {
			t.Fatalf("OrderRequest: %+v", res.Status)
		}
		forgeOrders(t, sim, cart, unapproved)

		dev := srv.agreementsAs(o.dev)
		agreementID := findAgreement(ctx, t, dev, o.member, approved)
		if n := len(searchByOffer(ctx, t, dev, unapproved.offer)); n != 0 {
			t.Errorf("%d agreements for the unapproved product, want none", n)
		}
		code, body := srv.deployAs(t, o.dev, "POST", "/deployments", `{"ProductId":"`+approved.product+`"}`)
		if dep, _ := body["Deployment"].(map[string]any); code != http.StatusOK || dep["AccountId"] != o.member {
			t.Fatalf("CreateDeployment as the developer: %d %v", code, body)
		}

		checkInvoice(t, sim, orderID, "order-1@buyer.example", cart)

		// cXML User's Guide: the payloadID is unique for each document, so
		// a document with a payloadID already received is a
		// retransmission; it gets the first answer and changes nothing.
		again, _ := sim.sendRaw(sent)
		if !bytes.Equal(again, answer) {
			t.Fatalf("the retransmitted OrderRequest got another answer:\n%s\n%s", answer, again)
		}
		if n := len(searchByOffer(ctx, t, dev, approved.offer)); n != 1 {
			t.Fatalf("%d agreements after the retransmission, want 1", n)
		}

		// cXML User's Guide, OrderRequestHeader type: "delete" cancels an
		// earlier order with the same orderID.
		if _, _, res := sim.send(sim.deleteOrder("order-2@buyer.example", orderID, cart.Header.Total.Money.Currency)); res.Status.Code != cxml.StatusOK {
			t.Fatalf("delete OrderRequest: %+v", res.Status)
		}
		d := need(dev.DescribeAgreement(ctx, &marketplaceagreement.DescribeAgreementInput{AgreementId: aws.String(agreementID)}))(t)
		if d.Status != matypes.AgreementStatusCancelled {
			t.Errorf("after the delete OrderRequest the agreement is %s, want CANCELLED", d.Status)
		}
		if code, body := srv.deployAs(t, o.dev, "POST", "/deployments", `{"ProductId":"`+approved.product+`"}`); code != http.StatusForbidden {
			t.Errorf("CreateDeployment after the delete: %d %v, want 403", code, body)
		}
		if _, invoices, refused := sim.received(); len(invoices) != 1 || refused != 0 {
			t.Errorf("%d invoices accepted and %d refused, want the one invoice", len(invoices), refused)
		}
		checkOrderTrail(t, srv, orderID)
	})
}

// checkOrderTrail reads the bridge's OrderRequest events back with
// CloudTrail as the preference's (management) account: the order, the
// two forged ones, the retransmission and the delete, each with the
// orderID the buyer sent and none with the shared secret. The Agreement
// API exposes no purchase orders, so the trail is where the purchase
// order number is seen.
func checkOrderTrail(t *testing.T, srv *server, orderID string) {
	t.Helper()
	evs := waitEvents(t, srv.trail(), cttypes.LookupAttributeKeyEventName, "OrderRequest", 5)
	var refused, ordered int
	for _, e := range evs {
		r := parseRecord(t, e)
		if strings.Contains(aws.ToString(e.CloudTrailEvent), simSecret) {
			t.Fatalf("an OrderRequest event carries the shared secret: %s", aws.ToString(e.CloudTrailEvent))
		}
		var params struct{ OrderID string }
		must(t, json.Unmarshal(r.RequestParameters, &params), "requestParameters")
		switch {
		case r.ErrorCode != "":
			refused++
		case params.OrderID == orderID:
			ordered++
		}
	}
	if len(evs) != 5 || refused != 2 || ordered != 3 {
		t.Errorf("OrderRequest events: %d, %d refused, %d for %s; want 5, 2 and 3", len(evs), refused, ordered, orderID)
	}
}

// checkProfile: cXML User's Guide, ProfileRequest: the answer lists each
// transaction the supplier supports with the URL it is posted to.
func checkProfile(t *testing.T, sim *buyerSim, srv *server) {
	t.Helper()
	got := map[string]string{}
	for _, tr := range sim.profile().Transactions {
		got[tr.RequestName] = tr.URL
	}
	want := srv.URL + "/cxml/punchout"
	for _, name := range []string{"PunchOutSetupRequest", "OrderRequest", "ProfileRequest"} {
		if got[name] != want {
			t.Errorf("ProfileResponse: %s at %q, want %q (all: %v)", name, got[name], want, got)
		}
	}
}

// shop sets up a PunchOut session for the account and plays its browser:
// the StartPage leads to the storefront, which lists only the approved
// product; posting the add form with the unapproved product's offer is
// refused and adds nothing; the approved product is added; "Request
// approval" answers a page whose form the browser posts to the
// BrowserFormPost URL. It returns the cart the simulator received.
func shop(t *testing.T, sim *buyerSim, account string, approved, unapproved listing) *cxml.PunchOutOrderMessage {
	t.Helper()
	br := newBrowser(t)
	p := br.get(sim.setup(account))
	if p.status != http.StatusOK || p.url.Path != "/cxml/shop" || !strings.Contains(p.body, "Shopping for account "+account) {
		t.Fatalf("StartPage: HTTP %d at %s\n%s", p.status, p.url, p.body)
	}
	if got := p.all(reProductID); !slices.Equal(got, []string{approved.product}) {
		t.Fatalf("the storefront lists %v, want only the approved %s", got, approved.product)
	}

	add := p.form(t, "/cxml/shop/cart", "product", approved.product)
	forged := htmlForm{action: add.action, fields: url.Values{"csrf": add.fields["csrf"], "action": {"add"},
		"product": {unapproved.product}, "offer": {unapproved.offer}}}
	refused := br.submit(p, forged)
	if refused.status != http.StatusForbidden || !strings.Contains(refused.body, "is not approved in the Private Marketplace") {
		t.Fatalf("adding the unapproved product: HTTP %d\n%s", refused.status, refused.body)
	}
	if lines := refused.all(reLineID); len(lines) != 0 {
		t.Fatalf("the refused product was added: lines %v", lines)
	}

	p = br.submit(p, add)
	if lines := p.all(reLineID); p.status != http.StatusOK || len(lines) != 1 || !strings.Contains(p.body, "Total: USD 1200") {
		t.Fatalf("after adding the approved product: HTTP %d, lines %v\n%s", p.status, lines, p.body)
	}
	checkout := br.submit(p, p.form(t, "/cxml/shop/checkout", "", ""))
	if checkout.status != http.StatusOK {
		t.Fatalf("Request approval: HTTP %d\n%s", checkout.status, checkout.body)
	}
	back := checkout.form(t, sim.formPost(), "", "")
	if returned := br.submit(checkout, back); returned.status != http.StatusOK || returned.body != "cart received" {
		t.Fatalf("posting the cart to the BrowserFormPost URL: HTTP %d %s", returned.status, returned.body)
	}
	return sim.lastCart()
}

// checkCart: cXML User's Guide, PunchOutOrderMessage: the BuyerCookie is
// the setup request's; each ItemIn names the item by SupplierPartID and
// SupplierPartAuxiliaryID, with quantity, UnitPrice, UnitOfMeasure and
// a Classification.
func checkCart(t *testing.T, sim *buyerSim, cart *cxml.PunchOutOrderMessage, approved listing) {
	t.Helper()
	if cart.BuyerCookie != sim.cookie || cart.Header.Total.Money != (cxml.Money{Currency: "USD", Value: "1200"}) || len(cart.Items) != 1 {
		t.Fatalf("cart: cookie %q, total %+v, %d items", cart.BuyerCookie, cart.Header.Total.Money, len(cart.Items))
	}
	item := cart.Items[0]
	offer, line, ok := punchout.ParseAuxID(item.ItemID.SupplierPartAuxiliaryID)
	d := item.ItemDetail
	if item.ItemID.SupplierPartID != approved.product || !ok || offer != approved.offer || !strings.HasPrefix(line, "cl-") || item.Quantity != "1" ||
		d.UnitPrice.Money != (cxml.Money{Currency: "USD", Value: "1200"}) || d.UnitOfMeasure != "EA" ||
		len(d.Classifications) != 1 || !strings.EqualFold(d.Classifications[0].Domain, "UNSPSC") {
		t.Fatalf("ItemIn = %+v", item)
	}
}

// forgeOrders: the simulator has no cart line for the unapproved product,
// so it forges lines from the approved one's SupplierPartAuxiliaryID; the
// bridge refuses them with 400 and buys nothing.
func forgeOrders(t *testing.T, sim *buyerSim, cart *cxml.PunchOutOrderMessage, unapproved listing) {
	t.Helper()
	_, line, _ := punchout.ParseAuxID(cart.Items[0].ItemID.SupplierPartAuxiliaryID)
	tests := []struct {
		name          string
		partID, auxID string
	}{
		{name: "the unapproved product on the approved line", partID: unapproved.product, auxID: cart.Items[0].ItemID.SupplierPartAuxiliaryID},
		{name: "the unapproved product's offer on the approved line", partID: unapproved.product, auxID: unapproved.offer + "/" + line},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forged := *cart
			forged.Items = slices.Clone(cart.Items)
			forged.Items[0].ItemID = cxml.ItemID{SupplierPartID: tt.partID, SupplierPartAuxiliaryID: tt.auxID}
			_, answer, res := sim.send(sim.order("forged-"+strconv.Itoa(i)+"@buyer.example", "PO-FORGED", &forged))
			if res.Status.Code != cxml.StatusBadRequest {
				t.Fatalf("forged OrderRequest: %+v, want 400\n%s", res.Status, answer)
			}
		})
	}
}

// findAgreement finds, as the developer, the agreement the order made in
// the member account for the listing, and returns its id.
func findAgreement(ctx context.Context, t *testing.T, dev *marketplaceagreement.Client, member string, l listing) string {
	t.Helper()
	found := searchByOffer(ctx, t, dev, l.offer)
	if len(found) != 1 {
		t.Fatalf("SearchAgreements as the developer: %+v, want the ordered agreement", found)
	}
	id := found[0].AgreementId
	d := need(dev.DescribeAgreement(ctx, &marketplaceagreement.DescribeAgreementInput{AgreementId: id}))(t)
	if d.Status != matypes.AgreementStatusActive || d.Acceptor == nil || aws.ToString(d.Acceptor.AccountId) != member ||
		d.ProposalSummary == nil || aws.ToString(d.ProposalSummary.OfferId) != l.offer {
		t.Fatalf("DescribeAgreement = %+v, want ACTIVE, accepted by %s for %s", d, member, l.offer)
	}
	terms := need(dev.GetAgreementTerms(ctx, &marketplaceagreement.GetAgreementTermsInput{AgreementId: id}))(t)
	var price string
	for _, term := range terms.AcceptedTerms {
		if fixed, ok := term.(*matypes.AcceptedTermMemberFixedUpfrontPricingTerm); ok {
			price = aws.ToString(fixed.Value.Price)
		}
	}
	if price != "1200" {
		t.Errorf("GetAgreementTerms: fixed upfront price %q, want 1200 (%#v)", price, terms.AcceptedTerms)
	}
	return aws.ToString(id)
}

// searchByOffer returns the caller's agreements for an offer.
func searchByOffer(ctx context.Context, t *testing.T, c *marketplaceagreement.Client, offer string) []matypes.AgreementViewSummary {
	t.Helper()
	out := need(c.SearchAgreements(ctx, &marketplaceagreement.SearchAgreementsInput{Filters: []matypes.Filter{{Name: aws.String("OfferId"), Values: []string{offer}}}}))(t)
	return out.AgreementViewSummaries
}

// checkInvoice waits for the invoice of the order: cXML User's Guide,
// InvoiceDetailRequest: InvoiceDetailOrder's OrderReference names the
// order by orderID and its document's payloadID; the summary's amounts
// are the order's total (no tax).
func checkInvoice(t *testing.T, sim *buyerSim, orderID, orderPayloadID string, cart *cxml.PunchOutOrderMessage) {
	t.Helper()
	eventually(t, "the invoice reaches the procurement system", func() bool {
		_, invoices, refused := sim.received()
		return len(invoices) > 0 || refused > 0
	})
	_, invoices, refused := sim.received()
	if refused != 0 || len(invoices) != 1 {
		t.Fatalf("%d invoices refused (no shared secret), %d accepted", refused, len(invoices))
	}
	doc := invoices[0]
	inv := doc.Request.InvoiceDetailRequest
	if doc.Request.DeploymentMode != cxml.DeploymentProduction || !doc.Header.To.Credentials[0].Matches("NetworkID", simBuyer) || len(inv.Orders) != 1 {
		t.Fatalf("invoice: mode %q, to %+v, %d orders", doc.Request.DeploymentMode, doc.Header.To, len(inv.Orders))
	}
	ref := inv.Orders[0].Info.OrderReference
	if ref.OrderID != orderID || ref.DocumentReference.PayloadID != orderPayloadID {
		t.Errorf("invoice refers to order %q (payloadID %q), want %q (%q)", ref.OrderID, ref.DocumentReference.PayloadID, orderID, orderPayloadID)
	}
	total := cart.Header.Total.Money
	for name, m := range map[string]cxml.Money{"SubtotalAmount": inv.Summary.SubtotalAmount.Money, "NetAmount": inv.Summary.NetAmount.Money} {
		if !sameAmount(m, total) {
			t.Errorf("invoice %s = %+v, want %+v", name, m, total)
		}
	}
}

// sameAmount reports whether two amounts are the same number in the same
// currency, however many decimals they are written with.
func sameAmount(a, b cxml.Money) bool {
	x, okA := new(big.Rat).SetString(a.Value)
	y, okB := new(big.Rat).SetString(b.Value)
	return okA && okB && a.Currency == b.Currency && x.Cmp(y) == 0
}
