package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"gatehouse/store"
)

// errTest is the error test transactions fail with on purpose.
var errTest = errors.New("storetest: deliberate failure")

func update(t *testing.T, s store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	t.Helper()
	ctx := t.Context()
	if err := s.Update(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	t.Helper()
	ctx := t.Context()
	if err := s.View(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func put(t *testing.T, s store.Store, recs ...store.Record) {
	t.Helper()
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		for _, r := range recs {
			if err := tx.Put(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// get returns the record of kind and id and the error of Get.
func get(t *testing.T, s store.Store, kind, id string) (store.Record, error) {
	t.Helper()
	var r store.Record
	var getErr error
	view(t, s, func(ctx context.Context, tx store.Tx) error {
		r, getErr = tx.Get(ctx, kind, id)
		return nil
	})
	return r, getErr
}

// wantRecord fails t unless the store holds exactly want under its kind
// and id.
func wantRecord(t *testing.T, s store.Store, want store.Record) {
	t.Helper()
	got, err := get(t, s, want.Kind, want.ID)
	if err != nil {
		t.Fatalf("Get(%s, %s): %v", want.Kind, want.ID, err)
	}
	if !sameRecord(got, want) {
		t.Fatalf("Get(%s, %s) = %s, want %s", want.Kind, want.ID, fmtRecord(got), fmtRecord(want))
	}
}

// wantNoRecord fails t unless Get of kind and id returns store.ErrNotFound.
func wantNoRecord(t *testing.T, s store.Store, kind, id string) {
	t.Helper()
	if _, err := get(t, s, kind, id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(%s, %s) error = %v, want ErrNotFound", kind, id, err)
	}
}

func list(t *testing.T, s store.Store, q store.Query) []store.Record {
	t.Helper()
	var recs []store.Record
	view(t, s, func(ctx context.Context, tx store.Tx) error {
		var err error
		recs, err = tx.List(ctx, q)
		return err
	})
	return recs
}

func generation(t *testing.T, s store.Store) int64 {
	t.Helper()
	g, err := s.Generation(t.Context())
	if err != nil {
		t.Fatalf("Generation: %v", err)
	}
	return g
}

func lookup(t *testing.T, s store.Store, q store.EventQuery) []store.Event {
	t.Helper()
	evs, err := s.LookupEvents(t.Context(), q)
	if err != nil {
		t.Fatalf("LookupEvents(%+v): %v", q, err)
	}
	return evs
}

// sameRecord reports whether two records are equal; a nil and an empty
// body are the same.
func sameRecord(a, b store.Record) bool {
	return a.Kind == b.Kind && a.ID == b.ID && a.Parent == b.Parent && a.Name == b.Name && bytes.Equal(a.Body, b.Body)
}

func fmtRecord(r store.Record) string {
	return fmt.Sprintf("{%s %s parent=%q name=%q body=%q}", r.Kind, r.ID, r.Parent, r.Name, r.Body)
}

// sameEvent reports whether two events are equal; nil and empty slices
// are the same and times are compared as instants.
func sameEvent(a, b store.Event) bool {
	return a.ID == b.ID && a.Time.Equal(b.Time) && a.Account == b.Account && a.Name == b.Name &&
		a.Source == b.Source && a.Username == b.Username && a.AccessKeyID == b.AccessKeyID &&
		a.ReadOnly == b.ReadOnly && slices.Equal(a.Resources, b.Resources) && bytes.Equal(a.Body, b.Body)
}

func eventIDs(evs []store.Event) []string {
	ids := make([]string, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	return ids
}

func recordIDs(recs []store.Record) []string {
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	return ids
}
