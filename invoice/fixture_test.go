package invoice

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/credentials"
	"gatehouse/cxml"
	"gatehouse/principal"
	"gatehouse/procurement"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

const (
	mgmt       = "111122223333"
	member     = "444455556666"
	prodSecret = "s3cret-prod&<more>"
	testSecret = "s3cret-test"
)

// oneOrg is an organization whose management account is mgmt.
type oneOrg struct{}

func (oneOrg) AccountContext(context.Context, store.Tx, string) (string, []string, string, error) {
	return "o-aaaaaaaaaa", nil, mgmt, nil
}

// answer is how the fake portal answers one request: an HTTP status
// and, when code is not 0, a cXML Response with that status; body, when
// set, replaces the cXML answer; location makes it a redirect.
type answer struct {
	http     int
	code     int
	text     string
	body     string
	location string
}

// received is a request the fake portal got.
type received struct {
	path        string
	contentType string
	userAgent   string
	doc         *cxml.Document
	raw         []byte
}

// portal plays Coupa: it reads each posted document with cxml.Parse,
// checks the Sender's shared secret against its environment's (prod or
// test, by path) and answers 401 when it does not match, as Coupa does;
// otherwise it answers from its script, repeating the last answer.
type portal struct {
	t       *testing.T
	mu      sync.Mutex
	script  []answer
	got     []received
	secrets map[string]string
	// hit, when set, is signalled after each request.
	hit chan struct{}
}

func (p *portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	doc, err := cxml.ParseBytes(raw)
	if err != nil {
		p.t.Errorf("the portal got an unreadable document: %v\n%s", err, raw)
	}
	p.mu.Lock()
	p.got = append(p.got, received{path: r.URL.Path, contentType: r.Header.Get("Content-Type"), userAgent: r.Header.Get("User-Agent"), doc: doc, raw: raw})
	a := answer{http: http.StatusOK, code: cxml.StatusOK, text: "OK"}
	if len(p.script) > 0 {
		a = p.script[0]
		if len(p.script) > 1 {
			p.script = p.script[1:]
		}
	}
	p.mu.Unlock()
	if doc != nil && !p.authentic(r.URL.Path, doc) {
		a = answer{http: http.StatusUnauthorized, code: cxml.StatusUnauthorized, text: "Unauthorized"}
	}
	p.answer(w, a)
	if p.hit != nil {
		p.hit <- struct{}{}
	}
}

// authentic checks the Sender's shared secret in constant time.
func (p *portal) authentic(path string, doc *cxml.Document) bool {
	if doc.Header == nil || len(doc.Header.Sender.Credentials) == 0 {
		return false
	}
	return cxml.SecretEqual(string(doc.Header.Sender.Credentials[0].SharedSecret), p.secrets[path])
}

func (p *portal) answer(w http.ResponseWriter, a answer) {
	if a.location != "" {
		w.Header().Set("Location", a.location)
	}
	body := []byte(a.body)
	if a.body == "" && a.code != 0 {
		resp := cxml.NewResponse(time.Now(), "coupa.example", cxml.Status{Code: a.code, Text: a.text, Message: "portal says " + a.text})
		var err error
		if body, err = cxml.Marshal(resp); err != nil {
			p.t.Errorf("marshal the answer: %v", err)
		}
		w.Header().Set("Content-Type", "text/xml")
	}
	w.WriteHeader(a.http)
	w.Write(body)
}

func (p *portal) requests() []received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]received(nil), p.got...)
}

// world is a store with a Coupa preference (e-invoice delivery enabled,
// production and test environments) whose endpoints are a fake portal's.
type world struct {
	st     store.Store
	prefs  *procurement.Service
	svc    *Service
	d      *Deliverer
	portal *portal
	server *httptest.Server
	arn    string
	now    time.Time
	logs   *bytes.Buffer
}

func newWorld(t *testing.T, script ...answer) *world {
	t.Helper()
	st, err := sqlite.Open(t.TempDir() + "/gatehouse.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cipher, err := credentials.NewCipher(make([]byte, credentials.MasterKeySize))
	if err != nil {
		t.Fatal(err)
	}
	w := &world{st: st, prefs: procurement.New(st, cipher, oneOrg{}), now: time.Date(2026, 11, 26, 15, 30, 0, 0, time.UTC), logs: &bytes.Buffer{}}
	w.portal = &portal{t: t, script: script}
	w.server = httptest.NewTLSServer(w.portal)
	t.Cleanup(w.server.Close)
	w.portal.secrets = map[string]string{"/prod": prodSecret, "/test": testSecret}
	out, err := w.prefs.CreateProcurementPortalPreference(context.Background(), root(), w.preference(true))
	if err != nil {
		t.Fatal(err)
	}
	w.arn = out.ProcurementPortalPreferenceArn
	clock := func() time.Time { return w.now }
	w.svc = &Service{Portals: w.prefs, Host: "gatehouse.example", Now: clock}
	w.d = &Deliverer{Store: st, Portals: w.prefs, Transport: w.server.Client().Transport, Now: clock,
		Backoff: time.Minute, MaxBackoff: time.Hour, Log: slog.New(slog.NewTextHandler(w.logs, nil))}
	return w
}

func root() *principal.Caller {
	return &principal.Caller{Type: principal.Root, Account: mgmt, ARN: principal.RootARN(mgmt), PrincipalARN: principal.RootARN(mgmt), UserID: mgmt}
}

func boolPtr(b bool) *bool { return &b }

// preference is the Coupa preference with its endpoints on the fake
// portal.
func (w *world) preference(einvoice bool) procurement.CreateProcurementPortalPreferenceInput {
	return procurement.CreateProcurementPortalPreferenceInput{
		ProcurementPortalName: procurement.PortalCoupa,
		BuyerDomain:           procurement.DomainNetworkID, BuyerIdentifier: "acme",
		SupplierDomain: procurement.DomainNetworkID, SupplierIdentifier: "gatehouse",
		ProcurementPortalSharedSecret: prodSecret, ProcurementPortalInstanceEndpoint: w.server.URL + "/prod",
		TestEnvPreference: &procurement.TestEnvPreferenceInput{
			BuyerDomain: procurement.DomainNetworkID, BuyerIdentifier: "acme-test",
			SupplierDomain: procurement.DomainNetworkID, SupplierIdentifier: "gatehouse-test",
			ProcurementPortalSharedSecret: testSecret, ProcurementPortalInstanceEndpoint: w.server.URL + "/test",
		},
		EinvoiceDeliveryEnabled: boolPtr(einvoice), PurchaseOrderRetrievalEnabled: boolPtr(false),
		Contacts: []procurement.Contact{{Name: "Accounts payable", Email: "ap@acme.example"}},
	}
}

// put changes the preference's settings through the Invoicing API.
func (w *world) put(t *testing.T, change func(in *procurement.PutProcurementPortalPreferenceInput)) {
	t.Helper()
	c := w.preference(true)
	in := procurement.PutProcurementPortalPreferenceInput{
		ProcurementPortalPreferenceArn: w.arn, ProcurementPortalInstanceEndpoint: c.ProcurementPortalInstanceEndpoint,
		TestEnvPreference: c.TestEnvPreference, EinvoiceDeliveryEnabled: boolPtr(true), PurchaseOrderRetrievalEnabled: boolPtr(false),
		Contacts: c.Contacts,
	}
	change(&in)
	if _, err := w.prefs.PutProcurementPortalPreference(context.Background(), root(), in); err != nil {
		t.Fatal(err)
	}
}

// order is a two-line upfront purchase from the member account.
func (w *world) order() Invoice {
	return Invoice{
		PreferenceARN: w.arn, Account: member,
		OrderID: "PO-000187", OrderPayloadID: "1795706092000.a1b2@acme.coupahost.example",
		AgreementIDs: []string{"agmt-5s8d7f6g5h4j3k2l1"}, Currency: "USD",
		Lines: []Line{
			{LineNumber: 1, ProductID: "prod-4kd8fj2nq0a7c", OfferTermsID: "offer-7h2k9d0s1x/terms-annual",
				Description: "Observability Suite, 12 months", Quantity: "12", UnitPrice: "1200.00", UnitOfMeasure: "MON", UNSPSC: cxml.UNSPSCSoftwareAsAService},
			{LineNumber: 2, ProductID: "prod-9xz0aa1bb2cc3", Description: "Application server", Quantity: "2", UnitPrice: "2400", UNSPSC: cxml.UNSPSCApplicationServer},
		},
	}
}

// enqueue queues inv in a transaction of its own.
func (w *world) enqueue(t *testing.T, inv Invoice) {
	t.Helper()
	err := w.st.Update(context.Background(), func(tx store.Tx) error {
		return w.svc.Enqueue(context.Background(), tx, inv)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// lookup returns the delivery of inv's order.
func (w *world) lookup(t *testing.T, inv Invoice) (Delivery, bool) {
	t.Helper()
	var d Delivery
	var ok bool
	err := w.st.View(context.Background(), func(tx store.Tx) error {
		var err error
		d, ok, err = w.svc.Lookup(context.Background(), tx, inv.PreferenceARN, inv.Test, inv.OrderID, inv.OrderPayloadID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d, ok
}

// records counts the records of kind.
func (w *world) records(t *testing.T, kind string) int {
	t.Helper()
	var n int
	err := w.st.View(context.Background(), func(tx store.Tx) error {
		recs, err := tx.List(context.Background(), store.Query{Kind: kind})
		n = len(recs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// deliverDue runs one DeliverDue.
func (w *world) deliverDue(t *testing.T) {
	t.Helper()
	if err := w.d.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// noSecretLogged fails when a shared secret reached the logs.
func (w *world) noSecretLogged(t *testing.T) {
	t.Helper()
	for _, s := range []string{prodSecret, testSecret, "s3cret"} {
		if strings.Contains(w.logs.String(), s) {
			t.Errorf("the logs reveal a shared secret:\n%s", w.logs)
		}
	}
}
