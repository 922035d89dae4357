package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/agreement"
	"gatehouse/catalog"
	"gatehouse/cxml"
	"gatehouse/org"
	"gatehouse/punchout"
	"gatehouse/store"
)

// The speed goals for the PunchOut bridge, measured below: a
// PunchOutSetupRequest answered with a p99 under 50 ms and an
// OrderRequest with a p99 under 100 ms (Coupa waits 60 s at most).
//
// Every benchmark talks to the real server over loopback HTTP with a
// client that keeps a connection per buyer, and checks every answer. Each
// has a serial variant, one buyer at a time, and a parallel16 variant in
// which each iteration is a burst of 16 buyers sending at the same
// instant: the worst arrival pattern for 16 concurrent buyers, whose
// requests all queue behind one another for the store's single writer,
// so its p99 is a pessimistic figure for that concurrency. Latencies are
// per request; p50-ms and p99-ms are reported over every request of the
// run, and req/s over the timed part of the run.

// concurrentBuyers is the concurrency of the parallel variants.
const concurrentBuyers = 16

// benchClient is an HTTP client that keeps enough idle connections for
// every concurrent buyer, so that no request pays for a new connection.
func benchClient(b *testing.B) *http.Client {
	tr := &http.Transport{MaxIdleConns: concurrentBuyers, MaxIdleConnsPerHost: concurrentBuyers}
	b.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// exchange posts a cXML document to the bridge and returns its Response.
// It fails unless the answer is HTTP 200 text/xml holding a cXML
// Response with status want. It returns errors rather than failing the
// benchmark, since it runs on buyers' goroutines.
func exchange(c *http.Client, url, body string, want int) (*cxml.Response, error) {
	resp, err := c.Post(url+punchOutPath, "text/xml", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
		return nil, fmt.Errorf("HTTP %d %s, want 200 text/xml", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	doc, err := cxml.ParseBytes(raw)
	if err != nil || doc.Response == nil {
		return nil, fmt.Errorf("the answer is not a cXML Response (%v):\n%s", err, raw)
	}
	if doc.Response.Status.Code != want {
		return nil, fmt.Errorf("cXML status %+v, want %d", doc.Response.Status, want)
	}
	return doc.Response, nil
}

// burst has n buyers call send(i) at the same instant and returns how
// long each call took, in the order of i, and the first error.
func burst(n int, send func(i int) error) ([]time.Duration, error) {
	took := make([]time.Duration, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			t := time.Now()
			errs[i] = send(i)
			took[i] = time.Since(t)
		})
	}
	close(start)
	wg.Wait()
	return took, errors.Join(errs...)
}

// reportLatency reports the p50 and p99 of the requests' latencies in
// milliseconds, and how many requests the timed part of the run answered
// per second.
func reportLatency(b *testing.B, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	s := slices.Clone(took)
	slices.Sort(s)
	ms := func(p float64) float64 { return float64(s[int(p*float64(len(s)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	if e := b.Elapsed(); e > 0 {
		b.ReportMetric(float64(len(s))/e.Seconds(), "req/s")
	}
}

// BenchmarkPunchOutSetupRequest measures an authenticated
// PunchOutSetupRequest: parsing, authentication by shared secret, the
// BrowserFormPost check, the stored StartPage, the rendered Response and
// the audit event. Every answer must be status 200 with a StartPage of
// this server.
func BenchmarkPunchOutSetupRequest(b *testing.B) {
	w := newPunchOutWorld(b)
	client := benchClient(b)
	body := setupDoc{}.xml(w)
	setup := func() error {
		res, err := exchange(client, w.url, body, cxml.StatusOK)
		if err != nil {
			return err
		}
		if res.PunchOutSetupResponse == nil || !strings.HasPrefix(res.PunchOutSetupResponse.StartPage.URL, w.url+startPagePath) {
			return fmt.Errorf("no StartPage of this server in %+v", res)
		}
		return nil
	}
	b.Run("serial", func(b *testing.B) {
		var took []time.Duration
		for b.Loop() {
			start := time.Now()
			if err := setup(); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
		reportLatency(b, took)
	})
	b.Run(fmt.Sprintf("parallel%d", concurrentBuyers), func(b *testing.B) {
		var took []time.Duration
		for b.Loop() {
			d, err := burst(concurrentBuyers, func(int) error { return setup() })
			if err != nil {
				b.Fatal(err)
			}
			took = append(took, d...)
		}
		reportLatency(b, took)
	})
}

// orderBench is an order world in which buyers order products the
// Private Marketplace approves through the Coupa preference, each order
// from a shopping session of its own new account of the organization. An
// account holds one active agreement per product, and how long the
// agreement checks take grows with the account's agreements for the
// product; a new account per order keeps every order the first purchase
// of its products, as a growing organization's orders mostly are, rather
// than measuring an account that bought and cancelled the same products
// hundreds of times.
type orderBench struct {
	*orderWorld
	client *http.Client
	// offers are the lines accepting every term of each product's offer.
	offers   []agreement.Line
	accounts int
	orders   int
}

// newOrderBench makes a world with products priced products, governed by
// an enabled experience approving every one of them, so that pricing and
// ordering run the Private Marketplace checks a governed organization
// pays for.
func newOrderBench(b *testing.B, products int) *orderBench {
	ob := &orderBench{orderWorld: newOrderWorld(b), client: benchClient(b)}
	var ids []string
	for i := range products {
		l := ob.pricedOffer(b, fmt.Sprintf("Product %d", i), fmt.Sprintf("%d.50", 100+i))
		ob.offers = append(ob.offers, l)
		ids = append(ids, ob.productOf(b, l.OfferId))
	}
	exp := ob.experience(b)
	ob.inProcess(b, ob.shared, catalog.Change{ChangeType: "AllowProductProcurement",
		Entity:  catalog.Entity{Type: "Experience@1.0", Identifier: exp},
		Details: `{"Products":[{"Ids":["` + strings.Join(ids, `","`) + `"]}]}`})
	return ob
}

// productOf returns the product of an offer.
func (ob *orderBench) productOf(b *testing.B, offerID string) string {
	var product string
	err := store.View(context.Background(), ob.st, func(tx store.Tx) error {
		o, ok, err := ob.catalog.OfferForAgreement(context.Background(), tx, offerID)
		if !ok && err == nil {
			err = fmt.Errorf("no offer %s", offerID)
		}
		product = o.ProductId
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return product
}

// buyer creates an account of the organization and opens a shopping
// session for it through the setup request and its StartPage.
func (ob *orderBench) buyer(b *testing.B) punchout.Session {
	ctx := context.Background()
	mgmt := rootCaller(testAccount)
	ob.accounts++
	name := fmt.Sprintf("buyer-%d", ob.accounts)
	st := mustDo[org.CreateAccountOutput](b, "CreateAccount")(ob.orgs.CreateAccount(ctx, mgmt, org.CreateAccountInput{Email: name + "@example.com", AccountName: name}))
	account := mustDo[org.DescribeCreateAccountStatusOutput](b, "DescribeCreateAccountStatus")(ob.orgs.DescribeCreateAccountStatus(ctx, mgmt,
		org.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.CreateAccountStatus.Id})).CreateAccountStatus.AccountId
	if account == "" {
		b.Fatalf("account %s was not created: %+v", name, st.CreateAccountStatus)
	}
	return ob.session(b, account)
}

// prepare returns buyers new OrderRequests of n lines, each with a fresh
// orderID and payloadID, over lines priced in a new buyer's session as
// its cart's were.
func (ob *orderBench) prepare(b *testing.B, buyers, n int) []string {
	docs := make([]string, buyers)
	for i := range docs {
		sess := ob.buyer(b)
		var lines []punchout.Line
		for _, offer := range ob.offers[:n] {
			lines = append(lines, ob.cartLine(b, sess, offer))
		}
		ob.orders++
		docs[i] = orderDoc{payloadID: fmt.Sprintf("bench-%d@buyer.example", ob.orders), orderID: fmt.Sprintf("PO-%d", ob.orders), lines: lines}.xml()
	}
	return docs
}

// BenchmarkOrderRequest measures a new OrderRequest of 1 and of 5 lines
// over freshly priced cart lines: parsing, authentication, the check of
// every line against its stored cart line, one agreement per line under
// the Private Marketplace, the stored order and reply, and the audit
// event. Making the buyers' accounts and sessions and pricing their lines
// are outside the timer and the latencies.
func BenchmarkOrderRequest(b *testing.B) {
	const maxLines = 5
	ob := newOrderBench(b, maxLines)
	for _, n := range []int{1, maxLines} {
		b.Run(fmt.Sprintf("lines%d/serial", n), func(b *testing.B) { ob.run(b, 1, n) })
		b.Run(fmt.Sprintf("lines%d/parallel%d", n, concurrentBuyers), func(b *testing.B) { ob.run(b, concurrentBuyers, n) })
	}
}

// run orders n lines per buyer in bursts of buyers and reports the
// latencies of the OrderRequests.
func (ob *orderBench) run(b *testing.B, buyers, n int) {
	var took []time.Duration
	for b.Loop() {
		b.StopTimer()
		docs := ob.prepare(b, buyers, n)
		b.StartTimer()
		d, err := burst(buyers, func(i int) error {
			_, err := exchange(ob.client, ob.url, docs[i], cxml.StatusOK)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, d...)
	}
	reportLatency(b, took)
}
