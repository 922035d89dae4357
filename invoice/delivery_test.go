package invoice

import (
	"bytes"
	"context"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gatehouse/cxml"
	"gatehouse/procurement"
)

// TestDeliveryRetriesUntilAccepted: a queued invoice is posted to the
// production endpoint with the supplier's credentials and shared secret;
// a 500 is retried once its back-off has passed, with the very same
// document; the portal's 200 delivers it and it leaves the outbox.
func TestDeliveryRetriesUntilAccepted(t *testing.T) {
	w := newWorld(t,
		answer{http: http.StatusInternalServerError, code: cxml.StatusInternalServerError, text: "Internal Server Error"},
		answer{http: http.StatusOK, code: cxml.StatusOK, text: "OK"},
	)
	inv := w.order()
	w.enqueue(t, inv)
	steps := []struct {
		name     string
		advance  time.Duration
		calls    int
		state    string
		attempts int
	}{
		{name: "first attempt answered 500", advance: 0, calls: 1, state: StatePending, attempts: 1},
		{name: "before the 1-minute back-off", advance: 59 * time.Second, calls: 1, state: StatePending, attempts: 1},
		{name: "retried and accepted", advance: 2 * time.Second, calls: 2, state: StateDelivered, attempts: 2},
		{name: "never sent again", advance: 24 * time.Hour, calls: 2, state: StateDelivered, attempts: 2},
	}
	for _, step := range steps {
		w.now = w.now.Add(step.advance)
		w.deliverDue(t)
		d, ok := w.lookup(t, inv)
		if got := len(w.portal.requests()); got != step.calls || !ok || d.State != step.state || d.Attempts != step.attempts {
			t.Fatalf("%s: %d requests, delivery %+v; want %d requests, %s after %d attempts", step.name, got, d, step.calls, step.state, step.attempts)
		}
	}
	if n := w.records(t, kindOutbox); n != 0 {
		t.Errorf("%d outbox records left", n)
	}
	got := w.portal.requests()
	if !bytes.Equal(got[0].raw, got[1].raw) {
		t.Errorf("the retry sent another document:\n%s\n%s", got[0].raw, got[1].raw)
	}
	r := got[1]
	if mt, _, _ := mime.ParseMediaType(r.contentType); mt != "text/xml" || r.userAgent != UserAgent || r.path != "/prod" {
		t.Errorf("posted to %s as %q by %q", r.path, r.contentType, r.userAgent)
	}
	d, _ := w.lookup(t, inv)
	checkDocument(t, r.doc, d, wantParties{from: "gatehouse", to: "acme", mode: cxml.DeploymentProduction})
	if logs := w.logs.String(); !strings.Contains(logs, "will be retried") || !strings.Contains(logs, "invoice delivered") {
		t.Errorf("the attempts were not logged:\n%s", logs)
	}
	w.noSecretLogged(t)
}

type wantParties struct{ from, to, mode string }

// checkDocument checks the invoice of world.order as the portal read it.
func checkDocument(t *testing.T, doc *cxml.Document, d Delivery, want wantParties) {
	t.Helper()
	h := doc.Header
	if _, ok := cxml.Find(h.From.Credentials, procurement.DomainNetworkID, want.from); !ok {
		t.Errorf("From = %+v, want %s", h.From, want.from)
	}
	if _, ok := cxml.Find(h.To.Credentials, procurement.DomainNetworkID, want.to); !ok {
		t.Errorf("To = %+v, want %s", h.To, want.to)
	}
	if _, ok := cxml.Find(h.Sender.Credentials, procurement.DomainNetworkID, want.from); !ok || h.Sender.UserAgent != UserAgent {
		t.Errorf("Sender = %+v", h.Sender)
	}
	if doc.Request.DeploymentMode != want.mode || doc.PayloadID != d.PayloadID {
		t.Errorf("deploymentMode %q, payloadID %q; want %q, %q", doc.Request.DeploymentMode, doc.PayloadID, want.mode, d.PayloadID)
	}
	inv := doc.Request.InvoiceDetailRequest
	if inv.Header.InvoiceID != d.InvoiceID || !strings.HasPrefix(d.InvoiceID, "GH-") || inv.Header.Purpose != "standard" || inv.Header.Operation != "new" {
		t.Errorf("header = %+v, delivery %+v", inv.Header, d)
	}
	ref := inv.Orders[0].Info.OrderReference
	if ref.OrderID != "PO-000187" || ref.DocumentReference.PayloadID != "1795706092000.a1b2@acme.coupahost.example" {
		t.Errorf("order reference = %+v", ref)
	}
	items := inv.Orders[0].Items
	if len(items) != 2 || items[0].SubtotalAmount.Money.Value != "14400.00" || items[1].SubtotalAmount.Money.Value != "4800.00" ||
		items[1].UnitPrice.Money.Value != "2400.00" || items[1].UnitOfMeasure != DefaultUnitOfMeasure || items[1].Reference.LineNumber != "2" {
		t.Errorf("items = %+v", items)
	}
	s := inv.Summary
	if s.SubtotalAmount.Money != (cxml.Money{Currency: "USD", Value: "19200.00"}) || s.NetAmount.Money.Value != "19200.00" ||
		s.DueAmount.Money.Value != "19200.00" || s.GrossAmount.Money.Value != "19200.00" || s.Tax.Money.Value != "0.00" || s.Tax.Description.Text == "" {
		t.Errorf("summary = %+v", s)
	}
}

// TestTestEnvironment: an order that came with the test credentials is
// invoiced to the test endpoint, with the test environment's credentials
// and secret, in deploymentMode "test".
func TestTestEnvironment(t *testing.T) {
	w := newWorld(t)
	inv := w.order()
	inv.Test = true
	w.enqueue(t, inv)
	w.deliverDue(t)
	d, _ := w.lookup(t, inv)
	got := w.portal.requests()
	if len(got) != 1 || got[0].path != "/test" || d.State != StateDelivered {
		t.Fatalf("%d requests (%+v), delivery %+v", len(got), got, d)
	}
	checkDocument(t, got[0].doc, d, wantParties{from: "gatehouse-test", to: "acme-test", mode: cxml.DeploymentTest})
}

// TestAttemptOutcomes: what the portal answers, or what became of the
// preference, decides whether an invoice is delivered, retried or given
// up, and the reason is recorded.
func TestAttemptOutcomes(t *testing.T) {
	cxmlAnswer := func(httpStatus, code int, text string) answer {
		return answer{http: httpStatus, code: code, text: text}
	}
	tests := []struct {
		name        string
		script      []answer
		maxAttempts int
		change      func(t *testing.T, w *world)
		rounds      int
		calls       int
		state       string
		attempts    int
		reason      string
	}{
		{name: "201 Accepted delivers", script: []answer{cxmlAnswer(200, 201, "Accepted")}, calls: 1, state: StateDelivered, attempts: 1},
		{name: "cXML 401 is final", script: []answer{cxmlAnswer(401, 401, "Unauthorized")}, calls: 1, state: StateFailed, attempts: 1, reason: "refused with cXML status 401 Unauthorized: portal says Unauthorized (HTTP 401)"},
		{name: "cXML 400 in HTTP 200 is final", script: []answer{cxmlAnswer(200, 400, "Bad Request")}, calls: 1, state: StateFailed, attempts: 1, reason: "cXML status 400"},
		{name: "cXML 429 is retried", script: []answer{cxmlAnswer(429, 429, "Too Many Requests")}, calls: 1, state: StatePending, attempts: 1, reason: "cXML status 429"},
		{name: "HTTP 502 without cXML is retried", script: []answer{{http: 502}}, calls: 1, state: StatePending, attempts: 1, reason: "HTTP 502 without a cXML Response"},
		{name: "HTTP 200 that is not cXML is retried", script: []answer{{http: 200, body: "OK"}}, calls: 1, state: StatePending, attempts: 1, reason: "HTTP 200 without a cXML Response"},
		{name: "cXML 200 in HTTP 500 is retried", script: []answer{cxmlAnswer(500, 200, "OK")}, calls: 1, state: StatePending, attempts: 1, reason: "(HTTP 500)"},
		{name: "a redirect is not followed", script: []answer{{http: 302, location: "/prod"}}, calls: 1, state: StatePending, attempts: 1, reason: "HTTP 302"},
		{name: "given up after MaxAttempts", script: []answer{cxmlAnswer(500, 500, "Internal Server Error")}, maxAttempts: 3, rounds: 3, calls: 3, state: StateFailed, attempts: 3,
			reason: "gave up after 3 attempts; the last answered cXML status 500"},
		{name: "a rotated secret the portal does not know is refused", change: func(t *testing.T, w *world) {
			w.put(t, func(in *procurement.PutProcurementPortalPreferenceInput) {
				in.ProcurementPortalSharedSecret = "rotated-secret"
			})
		}, calls: 1, state: StateFailed, attempts: 1, reason: "401"},
		{name: "e-invoice delivery disabled since", change: func(t *testing.T, w *world) {
			w.put(t, func(in *procurement.PutProcurementPortalPreferenceInput) { in.EinvoiceDeliveryEnabled = boolPtr(false) })
		}, calls: 0, state: StateFailed, attempts: 1, reason: "disabled"},
		{name: "preference deleted since", change: func(t *testing.T, w *world) {
			if _, err := w.prefs.DeleteProcurementPortalPreference(context.Background(), root(), procurement.DeleteProcurementPortalPreferenceInput{ProcurementPortalPreferenceArn: w.arn}); err != nil {
				t.Fatal(err)
			}
		}, calls: 0, state: StateFailed, attempts: 1, reason: "no longer exists"},
		{name: "plain http endpoint on another host", change: func(t *testing.T, w *world) {
			w.put(t, func(in *procurement.PutProcurementPortalPreferenceInput) {
				in.ProcurementPortalInstanceEndpoint = "http://acme.coupahost.example/prod"
			})
		}, calls: 0, state: StateFailed, attempts: 1, reason: "not an https URL"},
		{name: "plain http endpoint on a loopback host", change: func(t *testing.T, w *world) {
			plain := httptest.NewServer(w.portal)
			t.Cleanup(plain.Close)
			w.put(t, func(in *procurement.PutProcurementPortalPreferenceInput) {
				in.ProcurementPortalInstanceEndpoint = plain.URL + "/prod"
			})
		}, calls: 1, state: StateDelivered, attempts: 1},
		{name: "plain http endpoint on another host with AllowHTTP", change: func(t *testing.T, w *world) {
			w.d.AllowHTTP = true
			w.put(t, func(in *procurement.PutProcurementPortalPreferenceInput) {
				in.ProcurementPortalInstanceEndpoint = "http://acme.coupahost.invalid/prod"
			})
		}, calls: 0, state: StatePending, attempts: 1},
		{name: "endpoint with user information", change: func(t *testing.T, w *world) {
			w.put(t, func(in *procurement.PutProcurementPortalPreferenceInput) {
				in.ProcurementPortalInstanceEndpoint = strings.Replace(w.server.URL, "https://", "https://user:pass@", 1) + "/prod"
			})
		}, calls: 0, state: StateFailed, attempts: 1, reason: "not a usable URL"},
		{name: "no endpoint", change: func(t *testing.T, w *world) {
			w.put(t, func(in *procurement.PutProcurementPortalPreferenceInput) { in.ProcurementPortalInstanceEndpoint = "" })
		}, calls: 0, state: StateFailed, attempts: 1, reason: "no instance endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tt.script...)
			w.d.MaxAttempts = tt.maxAttempts
			inv := w.order()
			w.enqueue(t, inv)
			if tt.change != nil {
				tt.change(t, w)
			}
			for range max(tt.rounds, 1) {
				w.deliverDue(t)
				w.now = w.now.Add(w.d.MaxBackoff)
			}
			d, _ := w.lookup(t, inv)
			if got := len(w.portal.requests()); got != tt.calls || d.State != tt.state || d.Attempts != tt.attempts || !strings.Contains(d.Reason, tt.reason) {
				t.Errorf("%d requests, delivery %+v; want %d requests, %s after %d attempts because %q", got, d, tt.calls, tt.state, tt.attempts, tt.reason)
			}
			if tt.state == StateDelivered && d.Reason != "" {
				t.Errorf("a delivered invoice keeps the reason %q", d.Reason)
			}
			w.noSecretLogged(t)
		})
	}
}

// TestRunDeliversOnWake: Run delivers an invoice queued after it started
// as soon as it is woken, long before its polling interval.
func TestRunDeliversOnWake(t *testing.T) {
	w := newWorld(t)
	w.d.Interval = 24 * time.Hour
	delivered := make(chan struct{}, 1)
	w.d.Log = slog.New(notify{msg: "invoice delivered", ch: delivered})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.d.Run(ctx)
		close(done)
	}()
	inv := w.order()
	w.enqueue(t, inv)
	w.d.Wake()
	<-delivered
	cancel()
	<-done
	if d, _ := w.lookup(t, inv); d.State != StateDelivered {
		t.Errorf("delivery = %+v", d)
	}
	var nobody *Deliverer
	nobody.Wake() // a nil Deliverer ignores Wake
}

// notify is a slog handler that signals ch when msg is logged.
type notify struct {
	msg string
	ch  chan struct{}
}

func (n notify) Enabled(context.Context, slog.Level) bool { return true }
func (n notify) WithAttrs([]slog.Attr) slog.Handler       { return n }
func (n notify) WithGroup(string) slog.Handler            { return n }
func (n notify) Handle(_ context.Context, r slog.Record) error {
	if r.Message == n.msg {
		n.ch <- struct{}{}
	}
	return nil
}

// TestBackoffSchedule: the delay after each failed attempt doubles from
// Backoff up to MaxBackoff.
func TestBackoffSchedule(t *testing.T) {
	custom := &Deliverer{Backoff: time.Minute, MaxBackoff: 10 * time.Minute}
	defaults := &Deliverer{}
	tests := []struct {
		name     string
		d        *Deliverer
		attempts int
		want     time.Duration
	}{
		{name: "first failure", d: custom, attempts: 1, want: time.Minute},
		{name: "second", d: custom, attempts: 2, want: 2 * time.Minute},
		{name: "third", d: custom, attempts: 3, want: 4 * time.Minute},
		{name: "fourth", d: custom, attempts: 4, want: 8 * time.Minute},
		{name: "capped", d: custom, attempts: 5, want: 10 * time.Minute},
		{name: "stays capped", d: custom, attempts: 60, want: 10 * time.Minute},
		{name: "default first", d: defaults, attempts: 1, want: DefaultBackoff},
		{name: "default ninth", d: defaults, attempts: 9, want: 256 * time.Minute},
		{name: "default tenth capped", d: defaults, attempts: 10, want: DefaultMaxBackoff},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.backoff(tt.attempts); got != tt.want {
				t.Errorf("backoff(%d) = %v, want %v", tt.attempts, got, tt.want)
			}
		})
	}
}

// TestClassify: the verdict on each kind of answer.
func TestClassify(t *testing.T) {
	response := func(code int, text, msg string) *cxml.Document {
		return &cxml.Document{Response: &cxml.Response{Status: cxml.Status{Code: code, Text: text, Message: msg}}}
	}
	tests := []struct {
		name    string
		http    int
		doc     *cxml.Document
		readErr error
		want    verdict
		reason  string
	}{
		{name: "200 OK", http: 200, doc: response(200, "OK", ""), want: delivered},
		{name: "201 in HTTP 201", http: 201, doc: response(201, "Accepted", ""), want: delivered},
		{name: "202", http: 200, doc: response(202, "", ""), want: delivered},
		{name: "204 is not a receipt", http: 200, doc: response(204, "No Content", ""), want: retry},
		{name: "401 final", http: 200, doc: response(401, "Unauthorized", "bad secret"), want: final, reason: "refused with cXML status 401 Unauthorized: bad secret (HTTP 200)"},
		{name: "409 final", http: 409, doc: response(409, "Conflict", "duplicate invoice"), want: final},
		{name: "408 transient", http: 408, doc: response(408, "Request Timeout", ""), want: retry},
		{name: "429 transient", http: 429, doc: response(429, "Too Many Requests", ""), want: retry},
		{name: "500", http: 500, doc: response(500, "Internal Server Error", ""), want: retry},
		{name: "560 temporary", http: 200, doc: response(560, "Temporary server error", ""), want: retry},
		{name: "unreadable", http: 200, readErr: cxml.ErrMalformed, want: retry, reason: "HTTP 200 without a cXML Response"},
		{name: "not a Response", http: 200, doc: &cxml.Document{Message: &cxml.Message{}}, want: retry},
		{name: "message cleaned", http: 400, doc: response(400, "Bad\nRequest", "line one\r\n\tline\x00two"), want: final,
			reason: "refused with cXML status 400 Bad Request: line one line two (HTTP 400)"},
		{name: "long message cut", http: 400, doc: response(400, "Bad Request", strings.Repeat("x", 500)), want: final,
			reason: "cXML status 400 Bad Request: " + strings.Repeat("x", maxReason) + "… (HTTP 400)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.http, tt.doc, tt.readErr)
			if got.verdict != tt.want || !strings.Contains(got.reason, tt.reason) {
				t.Errorf("classify = %+v, want verdict %v with %q", got, tt.want, tt.reason)
			}
		})
	}
}
