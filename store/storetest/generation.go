package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"gatehouse/store"
)

var generationTests = []test{
	{"GenerationBumpsOnCommit", testGenerationBumps},
	{"SubscribeSeesCommits", testSubscribe},
	{"SubscribeCancel", testSubscribeCancel},
	{"Reset", testReset},
}

func bump(ctx context.Context, tx store.Tx) error { return tx.BumpGeneration(ctx) }

func testGenerationBumps(t *testing.T, h *harness) {
	g0 := generation(t, h.s)
	update(t, h.s, bump)
	if g := generation(t, h.s); g != g0+1 {
		t.Fatalf("generation after one bump = %d, want %d", g, g0+1)
	}
	put(t, h.s, seed)
	if g := generation(t, h.s); g != g0+1 {
		t.Fatalf("generation after a write without bump = %d, want %d", g, g0+1)
	}
	update(t, h.s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.BumpGeneration(ctx); err != nil {
			return err
		}
		return tx.BumpGeneration(ctx)
	})
	if g := generation(t, h.s); g <= g0+1 {
		t.Fatalf("generation after a transaction bumping twice = %d, want > %d", g, g0+1)
	}
}

// recorder collects the generations a subscriber sees.
type recorder struct {
	mu   sync.Mutex
	gens []int64
}

func (r *recorder) record(gen int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gens = append(r.gens, gen)
}

func (r *recorder) seen() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.gens)
}

// subscribeCount subscribes to s for the rest of the test and returns a
// function that counts the calls so far.
func subscribeCount(t *testing.T, s store.Store) func() int {
	rec := new(recorder)
	t.Cleanup(s.Subscribe(rec.record))
	return func() int { return len(rec.seen()) }
}

func testSubscribe(t *testing.T, h *harness) {
	a, b := new(recorder), new(recorder)
	defer h.s.Subscribe(a.record)()
	defer h.s.Subscribe(b.record)()
	update(t, h.s, bump)
	g1 := generation(t, h.s)
	// Subscribers see a commit before Update returns.
	if got := a.seen(); !slices.Equal(got, []int64{g1}) {
		t.Fatalf("subscriber saw %v after the first bump, want [%d]", got, g1)
	}
	put(t, h.s, seed)
	update(t, h.s, bump)
	g2 := generation(t, h.s)
	// Give a store that also hears its own commits by another path (a
	// notification channel) time to do so: each generation comes once.
	time.Sleep(300 * time.Millisecond)
	for name, rec := range map[string]*recorder{"a": a, "b": b} {
		if got := rec.seen(); !slices.Equal(got, []int64{g1, g2}) {
			t.Errorf("subscriber %s saw %v, want [%d %d]", name, got, g1, g2)
		}
	}
}

func testSubscribeCancel(t *testing.T, h *harness) {
	rec := new(recorder)
	cancel := h.s.Subscribe(rec.record)
	update(t, h.s, bump)
	cancel()
	cancel() // a second call does nothing
	update(t, h.s, bump)
	time.Sleep(100 * time.Millisecond)
	if got := rec.seen(); len(got) != 1 {
		t.Fatalf("canceled subscriber saw %v, want one generation", got)
	}
}

func testReset(t *testing.T, h *harness) {
	put(t, h.s, seed, store.Record{Kind: "group", ID: "g-1", Body: []byte(`{}`)})
	if err := h.s.AppendEvents(t.Context(), eventFixture()...); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	g0 := generation(t, h.s)
	rec := new(recorder)
	defer h.s.Subscribe(rec.record)()
	if err := h.s.Reset(t.Context()); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	wantNoRecord(t, h.s, seed.Kind, seed.ID)
	wantNoRecord(t, h.s, "group", "g-1")
	if evs := lookup(t, h.s, store.EventQuery{}); len(evs) != 0 {
		t.Fatalf("events after Reset = %v, want none", eventIDs(evs))
	}
	if evs := lookup(t, h.s, store.EventQuery{Attribute: "ResourceName", Value: "arn:aws:iam::111111111111:user/alice"}); len(evs) != 0 {
		t.Fatalf("events by resource after Reset = %v, want none", eventIDs(evs))
	}
	g1 := generation(t, h.s)
	if g1 <= g0 {
		t.Fatalf("generation after Reset = %d, want > %d", g1, g0)
	}
	if got := rec.seen(); !slices.Equal(got, []int64{g1}) {
		t.Fatalf("subscriber saw %v after Reset, want [%d]", got, g1)
	}
	// The store works as new after a reset, event ids included.
	put(t, h.s, seed)
	wantRecord(t, h.s, seed)
	if err := h.s.AppendEvents(t.Context(), eventFixture()...); err != nil {
		t.Fatalf("AppendEvents after Reset: %v", err)
	}
}
