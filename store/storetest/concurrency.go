package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"gatehouse/store"
)

var concurrencyTests = []test{
	{"ConcurrentUpdatesLoseNothing", testConcurrentUpdates},
	{"DurableAcrossReopen", testDurable},
	{"SharedDatabase", testSharedDatabase},
}

const (
	writers   = 20 // goroutines incrementing the counter, split over two stores
	increases = 5  // increments by each
)

// increment adds one to the counter record and bumps the generation.
func increment(ctx context.Context, tx store.Tx) error {
	n, err := store.Get[int](ctx, tx, "counter", "c")
	if err != nil {
		return err
	}
	if err := store.Put(ctx, tx, store.Record{Kind: "counter", ID: "c"}, n+1); err != nil {
		return err
	}
	return tx.BumpGeneration(ctx)
}

// testConcurrentUpdates runs read-modify-write transactions from many
// goroutines on two stores sharing one database, while readers watch
// the counter never go down.
func testConcurrentUpdates(t *testing.T, h *harness) {
	put(t, h.s, store.Record{Kind: "counter", ID: "c", Body: []byte("0")})
	g0 := generation(t, h.s)
	stores := []store.Store{h.s, h.open(t)}
	done := make(chan struct{})
	var readers sync.WaitGroup
	for _, s := range stores {
		readers.Go(func() { watchCounter(t, s, done) })
	}
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			for range increases {
				if err := stores[i%2].Update(t.Context(), func(tx store.Tx) error { return increment(t.Context(), tx) }); err != nil {
					t.Errorf("increment: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	readers.Wait()
	want := writers * increases
	if got := readCounter(t, h.s); got != want {
		t.Fatalf("counter = %d, want %d: updates were lost", got, want)
	}
	if g := generation(t, h.s); g != g0+int64(want) {
		t.Fatalf("generation = %d, want %d: one bump per committed transaction", g, g0+int64(want))
	}
}

// watchCounter reads the counter until done, failing t if it ever goes
// down or a read fails.
func watchCounter(t *testing.T, s store.Store, done <-chan struct{}) {
	last := 0
	for {
		select {
		case <-done:
			return
		default:
		}
		var n int
		err := s.View(t.Context(), func(tx store.Tx) error {
			var err error
			n, err = store.Get[int](t.Context(), tx, "counter", "c")
			return err
		})
		if err != nil {
			t.Errorf("read counter: %v", err)
			return
		}
		if n < last {
			t.Errorf("counter went from %d down to %d", last, n)
			return
		}
		last = n
		time.Sleep(time.Millisecond)
	}
}

func readCounter(t *testing.T, s store.Store) int {
	t.Helper()
	r, err := get(t, s, "counter", "c")
	if err != nil {
		t.Fatalf("read counter: %v", err)
	}
	var n int
	if err := json.Unmarshal(r.Body, &n); err != nil {
		t.Fatalf("counter body %q: %v", r.Body, err)
	}
	return n
}

// testDurable closes the store and checks a new one on the same
// database sees every committed change and none of a failed one.
func testDurable(t *testing.T, h *harness) {
	put(t, h.s, seed)
	evs := eventFixture()
	update(t, h.s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.AppendEvents(ctx, evs[0]); err != nil {
			return err
		}
		return tx.BumpGeneration(ctx)
	})
	h.s.Update(t.Context(), func(tx store.Tx) error {
		if err := spoil(t.Context(), tx); err != nil {
			t.Fatalf("spoil: %v", err)
		}
		return errTest
	})
	gen := generation(t, h.s)
	h.close(t, h.s)

	s := h.open(t)
	wantRecord(t, s, seed)
	wantNoRecord(t, s, "user", "bob")
	if got := lookup(t, s, store.EventQuery{}); len(got) != 1 || !sameEvent(got[0], evs[0]) {
		t.Fatalf("events after reopen = %+v, want [%+v]", got, evs[0])
	}
	if g := generation(t, s); g != gen {
		t.Fatalf("generation after reopen = %d, want %d", g, gen)
	}
	// The reopened store writes, and bumps from where the old one was.
	update(t, s, bump)
	if g := generation(t, s); g != gen+1 {
		t.Fatalf("generation after a bump = %d, want %d", g, gen+1)
	}
}

// testSharedDatabase checks that two stores open on one database see
// each other's commits.
func testSharedDatabase(t *testing.T, h *harness) {
	other := h.open(t)
	for i := range 3 {
		r := store.Record{Kind: "user", ID: fmt.Sprint("u", i), Body: []byte(fmt.Sprint(i))}
		writer, reader := h.s, other
		if i%2 == 1 {
			writer, reader = other, h.s
		}
		put(t, writer, r)
		wantRecord(t, reader, r)
		update(t, writer, bump)
		if g, w := generation(t, reader), generation(t, writer); g != w {
			t.Fatalf("generation seen by the other store = %d, want %d", g, w)
		}
	}
}
