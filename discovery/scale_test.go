package discovery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"gatehouse/catalog"
	"gatehouse/store"
	"gatehouse/store/postgres"
	"gatehouse/store/sqlite"
)

// scaleProducts is the size of the generated catalog of the scale test
// and the benchmark: the issue's "Catalog search at scale: 100,000
// products".
const scaleProducts = 100_000

// scaleSeller owns the generated products.
const scaleSeller = "222222222222"

var (
	// scaleTopics are what products are about: a product draws most of
	// its title and keywords from one topic.
	scaleTopics = [][]string{
		strings.Fields("vault secret key rotation encryption kms hsm certificate"),
		strings.Fields("backup snapshot restore recovery disaster replication archive"),
		strings.Fields("log logging trace tracing metric monitoring alert observability"),
		strings.Fields("firewall waf ddos intrusion threat detection siem"),
		strings.Fields("kubernetes container cluster helm operator mesh ingress"),
		strings.Fields("database postgres mysql nosql query index cache redis"),
		strings.Fields("analytics dashboard report bi warehouse lakehouse etl"),
		strings.Fields("machine learning model inference training vision speech"),
		strings.Fields("identity sso saml oauth directory access mfa"),
		strings.Fields("ci cd pipeline build deploy release artifact"),
		strings.Fields("network vpn gateway proxy dns cdn edge"),
		strings.Fields("billing invoice payment ledger finance tax"),
		strings.Fields("crm sales marketing email campaign lead"),
		strings.Fields("ticket helpdesk support chat contact center"),
		strings.Fields("storage object block file nas transfer sync"),
		strings.Fields("compliance audit policy governance risk gdpr"),
	}
	scaleCategories = strings.Fields(`Security Storage Databases Monitoring DevOps Networking Analytics MachineLearning
		Identity Finance Sales Support Migration Compliance Infrastructure Operations`)
	scaleTypes = []string{catalog.TypeSaaSProduct, catalog.TypeContainerProduct, catalog.TypeAmiProduct}
)

// fillerWord returns one of 5,000 made-up words ("bakadi", "rumeso"
// ...), the rest of a description's vocabulary.
func fillerWord(r *mrand.Rand) string {
	const syllables = "ba ka di ru me so te lo vi na fe gu po zi ha"
	s := strings.Fields(syllables)
	n := r.IntN(5000)
	return s[n%15] + s[n/15%15] + s[n/225%15] + s[n/3375]
}

// generate returns n deterministic products, each about one topic: a
// title of two topic words, a short description of ten and a long one of
// forty words (a quarter of them the topic's, the rest of a 5,000-word
// vocabulary), the topic's category and sometimes another, and three
// topic keywords. A topic word then occurs in about 5% of the products,
// another word in about 1%.
func generate(n int) []catalog.SeedProduct {
	r := mrand.New(mrand.NewPCG(5, 42))
	out := make([]catalog.SeedProduct, n)
	for i := range out {
		t := r.IntN(len(scaleTopics))
		topic := scaleTopics[t]
		words := func(k int) string {
			w := make([]string, k)
			for j := range w {
				if r.IntN(4) == 0 {
					w[j] = topic[r.IntN(len(topic))]
				} else {
					w[j] = fillerWord(r)
				}
			}
			return strings.Join(w, " ")
		}
		cats := []string{scaleCategories[t]}
		if r.IntN(3) == 0 {
			cats = append(cats, scaleCategories[r.IntN(len(scaleCategories))])
		}
		out[i] = catalog.SeedProduct{
			Type: scaleTypes[r.IntN(len(scaleTypes))], Owner: scaleSeller,
			Title:            fmt.Sprintf("%s %s %s %d", fillerWord(r), topic[r.IntN(len(topic))], topic[r.IntN(len(topic))], i),
			ShortDescription: words(10), LongDescription: words(40),
			Categories: slices.Compact(cats), Keywords: []string{topic[r.IntN(len(topic))], topic[r.IntN(len(topic))], fillerWord(r)},
			LogoUrl: "https://example.com/logo.png", FulfillmentUrl: "https://example.com/register",
		}
	}
	return out
}

// seed writes the products in transactions of batch products, workers
// transactions at a time.
func seed(tb testing.TB, st store.Store, c *catalog.Service, products []catalog.SeedProduct, workers, batch int) {
	tb.Helper()
	batches := make(chan []catalog.SeedProduct)
	errs := make(chan error, workers)
	for range workers {
		go func() {
			for b := range batches {
				err := st.Update(context.Background(), func(tx store.Tx) error {
					_, err := c.Seed(context.Background(), tx, b)
					return err
				})
				if err != nil {
					errs <- err
					for range batches {
					}
					return
				}
			}
			errs <- nil
		}()
	}
	for start := 0; start < len(products); start += batch {
		batches <- products[start:min(start+batch, len(products))]
	}
	close(batches)
	for range workers {
		if err := <-errs; err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
}

// scaleQueries are searches a buyer makes.
var scaleQueries = []SearchListingsInput{
	{SearchText: "vault"},
	{SearchText: "kubernetes backup"},
	{SearchText: "observ"},
	{SearchText: "machine learning model"},
	{SearchText: "postgres", Filters: []SearchFilter{{FilterType: "CATEGORY", FilterValues: []string{"Databases"}}}},
	{SearchText: "bakadiba"},
	{Filters: []SearchFilter{{FilterType: "FULFILLMENT_OPTION_TYPE", FilterValues: []string{"CONTAINER"}}}},
	{Filters: []SearchFilter{{FilterType: "CATEGORY", FilterValues: []string{"Security", "Identity"}}}},
	{},
	{SearchText: "dashboard 4711"},
}

// scaleStore is a store of the scale test, with what vacuums and
// analyzes it after the bulk load, as PostgreSQL's autovacuum would a
// little later (its planner needs the statistics to use the text index,
// and index-only scans the visibility map).
type scaleStore struct {
	store.Store
	analyze func(testing.TB)
	// workers and batch are how seed loads it fastest: SQLite in large
	// transactions one at a time (FTS5 merges fewer segments), PostgreSQL
	// in smaller ones, four at a time.
	workers, batch int
}

// openScaleStores returns the stores the scale test runs on: SQLite,
// and PostgreSQL when a server is reachable (required under CI=true).
func openScaleStores(tb testing.TB) map[string]scaleStore {
	tb.Helper()
	sq, err := sqlite.Open(filepath.Join(tb.TempDir(), "scale.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sq.Close() })
	stores := map[string]scaleStore{"sqlite": {Store: sq, analyze: func(testing.TB) {}, workers: 1, batch: 5000}}
	if pg, ok := openPostgres(tb); ok {
		stores["postgres"] = pg
	}
	return stores
}

// openPostgres opens a store in a schema of its own on the test server
// (GATEHOUSE_TEST_POSTGRES_URL, else the machine's own); ok is false
// when there is none outside CI.
func openPostgres(tb testing.TB) (s scaleStore, ok bool) {
	tb.Helper()
	urls := []string{"postgres://root@127.0.0.1:5432/test?sslmode=disable", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"}
	if u := os.Getenv("GATEHOUSE_TEST_POSTGRES_URL"); u != "" {
		urls = []string{u}
	}
	ctx := context.Background()
	for _, base := range urls {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			continue
		}
		var b [8]byte
		rand.Read(b[:])
		schema := "gh_scale_" + hex.EncodeToString(b[:])
		if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			conn.Close(ctx)
			tb.Fatal(err)
		}
		tb.Cleanup(func() {
			conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			conn.Close(context.Background())
		})
		u, err := url.Parse(base)
		if err != nil {
			tb.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		st, err := postgres.Open(ctx, u.String())
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { st.Close() })
		analyze := func(tb testing.TB) {
			if _, err := conn.Exec(ctx, "VACUUM ANALYZE "+schema+".search_docs, "+schema+".records"); err != nil {
				tb.Fatal(err)
			}
		}
		return scaleStore{Store: st, analyze: analyze, workers: 4, batch: 1000}, true
	}
	if os.Getenv("CI") == "true" {
		tb.Fatal("no PostgreSQL server for the scale test (set GATEHOUSE_TEST_POSTGRES_URL)")
	}
	tb.Log("no PostgreSQL server: the scale test runs on SQLite only")
	return s, false
}

// TestCatalogSearchAtScale generates 100,000 products on each store and
// checks that searches over them find what they should: every search of
// scaleQueries answers, and an exact title is found first. It logs how
// long each took but asserts no time: BenchmarkSearchListings measures
// speed against the 50 ms p99 goal.
func TestCatalogSearchAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 100,000 products")
	}
	products := generate(scaleProducts)
	for name, st := range openScaleStores(t) {
		t.Run(name, func(t *testing.T) {
			c := catalog.New(st, noOrgs{}, "us-east-1")
			s := New(st, c)
			began := time.Now()
			seed(t, st, c, products, st.workers, st.batch)
			st.analyze(t)
			t.Logf("%s: seeded %d products in %v", name, len(products), time.Since(began).Round(time.Millisecond))
			caller := rootOf("333333333333")
			all := must(s.SearchListings(context.Background(), caller, SearchListingsInput{}))(t)
			if all.TotalResults != scaleProducts || len(all.ListingSummaries) != 20 {
				t.Fatalf("everything: %d results, page of %d", all.TotalResults, len(all.ListingSummaries))
			}
			exact := must(s.SearchListings(context.Background(), caller, SearchListingsInput{SearchText: products[4711].Title}))(t)
			if len(exact.ListingSummaries) == 0 || exact.ListingSummaries[0].ListingName != products[4711].Title {
				t.Errorf("searching a title does not find it first: %+v", exact.ListingSummaries)
			}
			for _, q := range scaleQueries {
				start := time.Now()
				out := must(s.SearchListings(context.Background(), caller, q))(t)
				took := time.Since(start)
				t.Logf("%s: %q %v: %d results in %v", name, q.SearchText, q.Filters, out.TotalResults, took.Round(time.Microsecond))
			}
		})
	}
}

// BenchmarkSearchListings runs scaleQueries over 100,000 products on
// each store and reports the p50 and p99 latency of SearchListings (the
// issue's goal: p99 under 50 ms).
func BenchmarkSearchListings(b *testing.B) {
	products := generate(scaleProducts)
	for name, st := range openScaleStores(b) {
		b.Run(name, func(b *testing.B) {
			c := catalog.New(st, noOrgs{}, "us-east-1")
			s := New(st, c)
			seed(b, st, c, products, st.workers, st.batch)
			st.analyze(b)
			caller := rootOf("333333333333")
			ctx := context.Background()
			var took []time.Duration
			perQuery := make([][]time.Duration, len(scaleQueries))
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if _, err := s.SearchListings(ctx, caller, scaleQueries[i%len(scaleQueries)]); err != nil {
					b.Fatal(err)
				}
				d := time.Since(start)
				took = append(took, d)
				perQuery[i%len(scaleQueries)] = append(perQuery[i%len(scaleQueries)], d)
			}
			b.ReportMetric(percentile(took, 0.50), "p50-ms")
			b.ReportMetric(percentile(took, 0.99), "p99-ms")
			for i, q := range scaleQueries {
				b.Logf("%q %v: p50 %.1f ms, p99 %.1f ms", q.SearchText, q.Filters, percentile(perQuery[i], 0.5), percentile(perQuery[i], 0.99))
			}
		})
	}
}

// percentile returns the p-th percentile of the durations, in
// milliseconds.
func percentile(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	d = slices.Clone(d)
	slices.Sort(d)
	return float64(d[int(p*float64(len(d)-1))].Microseconds()) / 1000
}

// noOrgs is an Organizations without organizations: every account is
// standalone, so none is governed.
type noOrgs struct{}

func (noOrgs) AccountContext(context.Context, store.Tx, string) (string, []string, string, error) {
	return "", nil, "", nil
}

func (noOrgs) IsDelegatedAdministrator(context.Context, store.Tx, string, string) (bool, error) {
	return false, nil
}
