package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"gatehouse/store"
)

var txTests = []test{
	{"UpdateRollsBackOnError", testUpdateRollsBack},
	{"UpdateRollsBackOnPanic", testUpdateRollsBackOnPanic},
	{"UpdateCanceledContext", testUpdateCanceledContext},
	{"UpdateReadsOwnWrites", testUpdateReadsOwnWrites},
	{"UncommittedWritesInvisible", testUncommittedInvisible},
	{"ViewIsReadOnly", testViewIsReadOnly},
}

// seed is a record that failed transactions try to change.
var seed = store.Record{Kind: "user", ID: "alice", Parent: "g-1", Name: "alice", Body: []byte(`{"v":1}`)}

// spoil changes everything a transaction can change: it replaces and
// deletes seed, adds a record and an event, and bumps the generation.
func spoil(ctx context.Context, tx store.Tx) error {
	if err := tx.Put(ctx, store.Record{Kind: "user", ID: "alice", Body: []byte(`{"v":2}`)}); err != nil {
		return err
	}
	if err := tx.Put(ctx, store.Record{Kind: "user", ID: "bob", Body: []byte(`{}`)}); err != nil {
		return err
	}
	if err := tx.Delete(ctx, seed.Kind, seed.ID); err != nil {
		return err
	}
	if err := tx.AppendEvents(ctx, store.Event{ID: "spoiled", Time: time.Now()}); err != nil {
		return err
	}
	return tx.BumpGeneration(ctx)
}

// wantUnspoiled fails t unless the store is as seed left it.
func wantUnspoiled(t *testing.T, s store.Store, gen int64) {
	t.Helper()
	wantRecord(t, s, seed)
	wantNoRecord(t, s, "user", "bob")
	if evs := lookup(t, s, store.EventQuery{}); len(evs) != 0 {
		t.Fatalf("events after rollback = %v, want none", eventIDs(evs))
	}
	if g := generation(t, s); g != gen {
		t.Fatalf("generation after rollback = %d, want %d", g, gen)
	}
}

func testUpdateRollsBack(t *testing.T, h *harness) {
	put(t, h.s, seed)
	gen := generation(t, h.s)
	notified := subscribeCount(t, h.s)
	err := h.s.Update(t.Context(), func(tx store.Tx) error {
		if err := spoil(t.Context(), tx); err != nil {
			t.Fatalf("spoil: %v", err)
		}
		return errTest
	})
	if !errors.Is(err, errTest) {
		t.Fatalf("Update error = %v, want the callback's error", err)
	}
	wantUnspoiled(t, h.s, gen)
	if n := notified(); n != 0 {
		t.Fatalf("subscriber called %d times for a rolled-back transaction", n)
	}
}

func testUpdateRollsBackOnPanic(t *testing.T, h *harness) {
	put(t, h.s, seed)
	gen := generation(t, h.s)
	func() {
		defer func() {
			if r := recover(); r != errTest {
				t.Fatalf("recovered %v, want the callback's panic", r)
			}
		}()
		h.s.Update(t.Context(), func(tx store.Tx) error {
			if err := spoil(t.Context(), tx); err != nil {
				t.Fatalf("spoil: %v", err)
			}
			panic(errTest)
		})
	}()
	wantUnspoiled(t, h.s, gen)
	// The store must still take writes: a panic must not leak the
	// transaction or its connection.
	r := store.Record{Kind: "user", ID: "carol", Body: []byte(`{}`)}
	put(t, h.s, r)
	wantRecord(t, h.s, r)
}

func testUpdateCanceledContext(t *testing.T, h *harness) {
	put(t, h.s, seed)
	gen := generation(t, h.s)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := h.s.Update(ctx, func(tx store.Tx) error { return spoil(ctx, tx) })
	if err == nil {
		t.Fatal("Update with a canceled context succeeded")
	}
	wantUnspoiled(t, h.s, gen)
}

func testUpdateReadsOwnWrites(t *testing.T, h *harness) {
	put(t, h.s, seed)
	update(t, h.s, func(ctx context.Context, tx store.Tx) error {
		r := store.Record{Kind: "user", ID: "bob", Parent: "g-1", Body: []byte(`{"new":true}`)}
		if err := tx.Put(ctx, r); err != nil {
			return err
		}
		if got, err := tx.Get(ctx, "user", "bob"); err != nil || !sameRecord(got, r) {
			t.Errorf("Get own write = %s, %v; want %s", fmtRecord(got), err, fmtRecord(r))
		}
		if got, err := tx.List(ctx, store.Query{Kind: "user", Parent: "g-1"}); err != nil || len(got) != 2 {
			t.Errorf("List with own write = %v, %v; want [alice bob]", recordIDs(got), err)
		}
		if err := tx.Delete(ctx, seed.Kind, seed.ID); err != nil {
			return err
		}
		if _, err := tx.Get(ctx, seed.Kind, seed.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get own delete: error = %v, want ErrNotFound", err)
		}
		return nil
	})
	wantNoRecord(t, h.s, seed.Kind, seed.ID)
}

// testUncommittedInvisible reads, from outside, a transaction that has
// written but not committed.
func testUncommittedInvisible(t *testing.T, h *harness) {
	put(t, h.s, seed)
	update(t, h.s, func(ctx context.Context, tx store.Tx) error {
		changed := store.Record{Kind: "user", ID: "alice", Body: []byte(`{"v":2}`)}
		if err := tx.Put(ctx, changed); err != nil {
			return err
		}
		wantRecord(t, h.s, seed)
		if evs := lookup(t, h.s, store.EventQuery{}); len(evs) != 0 {
			t.Errorf("uncommitted events visible: %v", eventIDs(evs))
		}
		return tx.AppendEvents(ctx, store.Event{ID: "e", Time: time.Now()})
	})
	wantRecord(t, h.s, store.Record{Kind: "user", ID: "alice", Body: []byte(`{"v":2}`)})
}

func testViewIsReadOnly(t *testing.T, h *harness) {
	put(t, h.s, seed)
	gen := generation(t, h.s)
	writes := map[string]func(ctx context.Context, tx store.Tx) error{
		"Put": func(ctx context.Context, tx store.Tx) error {
			return tx.Put(ctx, store.Record{Kind: "user", ID: "bob", Body: []byte(`{}`)})
		},
		"Delete":         func(ctx context.Context, tx store.Tx) error { return tx.Delete(ctx, seed.Kind, seed.ID) },
		"BumpGeneration": func(ctx context.Context, tx store.Tx) error { return tx.BumpGeneration(ctx) },
		"AppendEvents": func(ctx context.Context, tx store.Tx) error {
			return tx.AppendEvents(ctx, store.Event{ID: "e", Time: time.Now()})
		},
	}
	for name, write := range writes {
		var writeErr error
		err := h.s.View(t.Context(), func(tx store.Tx) error {
			writeErr = write(t.Context(), tx)
			return nil
		})
		if writeErr == nil {
			t.Errorf("%s inside View succeeded", name)
		}
		if err != nil {
			t.Errorf("View after a refused %s: %v", name, err)
		}
	}
	wantUnspoiled(t, h.s, gen)
	if err := h.s.View(t.Context(), func(store.Tx) error { return errTest }); !errors.Is(err, errTest) {
		t.Errorf("View error = %v, want the callback's error", err)
	}
}
