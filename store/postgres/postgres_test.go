package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"gatehouse/store"
	"gatehouse/store/postgres"
	"gatehouse/store/storetest"
)

// serverURLs are the servers tried, in order, when
// GATEHOUSE_TEST_POSTGRES_URL is not set: the machine's own server, as
// root or postgres, with trust authentication.
var serverURLs = []string{
	"postgres://root@127.0.0.1:5432/test?sslmode=disable",
	"postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
}

var server struct {
	once sync.Once
	url  string
	err  error
}

// serverURL returns the URL of a reachable test server. Without one the
// test is skipped, or fails under CI=true, where the database must be
// there.
func serverURL(t *testing.T) string {
	t.Helper()
	server.once.Do(func() { server.url, server.err = findServer() })
	if server.err == nil {
		return server.url
	}
	msg := "no PostgreSQL server for the store tests (set GATEHOUSE_TEST_POSTGRES_URL): " + server.err.Error()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func findServer() (string, error) {
	urls := serverURLs
	if u := os.Getenv("GATEHOUSE_TEST_POSTGRES_URL"); u != "" {
		urls = []string{u}
	}
	var errs []error
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, err := pgx.Connect(ctx, u)
		cancel()
		if err == nil {
			conn.Close(context.Background())
			return u, nil
		}
		errs = append(errs, err)
	}
	return "", errors.Join(errs...)
}

// admin runs one statement on the test server.
func admin(t *testing.T, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, serverURL(t))
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// newSchema creates a schema of its own for the test, dropped when the
// test ends, and returns a connection URL whose search_path is that
// schema and whose application_name is the schema's name.
func newSchema(t *testing.T) (schemaURL, schema string) {
	t.Helper()
	base := serverURL(t)
	var b [8]byte
	rand.Read(b[:])
	schema = "gh_test_" + hex.EncodeToString(b[:])
	admin(t, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { admin(t, "DROP SCHEMA "+schema+" CASCADE") })
	return withParams(t, base, map[string]string{"search_path": schema, "application_name": schema}), schema
}

// withParams adds connection parameters to a URL or key=value string.
func withParams(t *testing.T, base string, params map[string]string) string {
	if !strings.HasPrefix(base, "postgres://") && !strings.HasPrefix(base, "postgresql://") {
		for k, v := range params {
			base += " " + k + "=" + v
		}
		return base
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	for k, v := range params {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t *testing.T, u string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), u)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func opener(t *testing.T) (store.Store, func(*testing.T) store.Store) {
	u, _ := newSchema(t)
	reopen := func(t *testing.T) store.Store { return open(t, u) }
	return reopen(t), reopen
}

func TestConformance(t *testing.T) {
	storetest.Run(t, opener)
}

// recorder collects the generations a subscriber sees.
type recorder struct {
	mu   sync.Mutex
	gens []int64
}

func (r *recorder) record(g int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gens = append(r.gens, g)
}

func (r *recorder) last() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.gens) == 0 {
		return 0
	}
	return r.gens[len(r.gens)-1]
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.gens)
}

func bump(s store.Store, ctx context.Context) error {
	return s.Update(ctx, func(tx store.Tx) error { return tx.BumpGeneration(ctx) })
}

func waitGeneration(t *testing.T, rec *recorder, want int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for rec.last() < want {
		if time.Now().After(deadline) {
			t.Fatalf("subscriber saw generation %d, want %d", rec.last(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSubscribeOtherInstance checks that a commit by one instance reaches
// the subscribers of another through NOTIFY.
func TestSubscribeOtherInstance(t *testing.T) {
	u, _ := newSchema(t)
	a, b := open(t, u), open(t, u)
	defer a.Close()
	defer b.Close()
	rec := new(recorder)
	defer b.Subscribe(rec.record)()
	for range 3 {
		if err := bump(a, t.Context()); err != nil {
			t.Fatal(err)
		}
		g, err := a.Generation(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		waitGeneration(t, rec, g)
	}
}

// TestSchemasAreSeparate checks that stores in different schemas of one
// database share no data and no generations, though they share the
// notification channel.
func TestSchemasAreSeparate(t *testing.T) {
	u1, _ := newSchema(t)
	u2, _ := newSchema(t)
	a, b := open(t, u1), open(t, u2)
	defer a.Close()
	defer b.Close()
	rec := new(recorder)
	defer b.Subscribe(rec.record)()
	ctx := t.Context()
	err := a.Update(ctx, func(tx store.Tx) error {
		if err := tx.Put(ctx, store.Record{Kind: "k", ID: "1", Body: []byte("{}")}); err != nil {
			return err
		}
		return tx.BumpGeneration(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := rec.count(); n != 0 {
		t.Fatalf("a bump in another schema reached a subscriber %d times", n)
	}
	err = b.View(ctx, func(tx store.Tx) error {
		_, err := tx.Get(ctx, "k", "1")
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("record of another schema: error = %v, want ErrNotFound", err)
	}
}

// TestConcurrentOpen starts several instances on a new schema at once:
// the migration lock must let exactly one create the tables.
func TestConcurrentOpen(t *testing.T) {
	u, _ := newSchema(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), u)
			if err != nil {
				t.Errorf("Open: %v", err)
				return
			}
			s.Close()
		})
	}
	wg.Wait()
}

func TestOpenWithoutSchema(t *testing.T) {
	u := withParams(t, serverURL(t), map[string]string{"search_path": "gh_test_missing_schema"})
	s, err := postgres.Open(t.Context(), u)
	if err == nil {
		s.Close()
		t.Fatal("Open with a search_path naming no schema succeeded")
	}
	if !strings.Contains(err.Error(), "search_path") {
		t.Errorf("Open error %q does not name the cause", err)
	}
}

// TestUpdateGivesUpOnConflicts checks the bounded retry: a transaction
// that always conflicts runs a bounded number of times, then Update
// returns ErrConflict.
func TestUpdateGivesUpOnConflicts(t *testing.T) {
	u, _ := newSchema(t)
	s := open(t, u)
	defer s.Close()
	var runs atomic.Int32
	err := s.Update(t.Context(), func(store.Tx) error {
		runs.Add(1)
		return &pgconn.PgError{Code: "40001", Message: "could not serialize access"}
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("Update error = %v, want ErrConflict", err)
	}
	if n := runs.Load(); n < 2 || n > 100 {
		t.Fatalf("callback ran %d times, want a few retries", n)
	}
	runs.Store(0)
	err = s.Update(t.Context(), func(store.Tx) error {
		if runs.Add(1) < 3 {
			return &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}
		}
		return nil
	})
	if err != nil || runs.Load() != 3 {
		t.Fatalf("Update after two deadlocks = %v after %d runs, want success after 3", err, runs.Load())
	}
}

// TestListenerReconnects kills the listening connection and checks that
// notifications from another instance still arrive.
func TestListenerReconnects(t *testing.T) {
	u, schema := newSchema(t)
	listener, writer := open(t, u), open(t, u)
	defer listener.Close()
	defer writer.Close()
	rec := new(recorder)
	defer listener.Subscribe(rec.record)()
	admin(t, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"+schema+
		"' AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()")
	if err := bump(writer, t.Context()); err != nil {
		t.Fatal(err)
	}
	g, err := writer.Generation(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	waitGeneration(t, rec, g)
}
