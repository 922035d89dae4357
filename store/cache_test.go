package store_test

import (
	"context"
	"testing"

	"gatehouse/store"
	"gatehouse/store/sqlite"
)

func openSQLite(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(t.TempDir() + "/cache.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestCache(t *testing.T) {
	ctx := context.Background()
	s := openSQLite(t)
	c := store.NewCache[string, int](s, 2)
	defer c.Close()

	_, ok, e := c.Get("a")
	if ok {
		t.Fatal("empty cache hit")
	}
	c.Add(e, "a", 1)
	if v, ok, _ := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %d, %v; want 1, true", v, ok)
	}

	// A miss seen before a generation bump must not be cached after it:
	// the value may have been read before the write.
	_, _, stale := c.Get("b")
	bump(t, ctx, s)
	c.Add(stale, "b", 2)
	if _, ok, _ := c.Get("b"); ok {
		t.Error("value read before a bump was cached")
	}
	if _, ok, _ := c.Get("a"); ok {
		t.Error("bump did not empty the cache")
	}

	// A write that does not bump the generation leaves the cache alone.
	_, _, e = c.Get("a")
	c.Add(e, "a", 1)
	if err := s.Update(ctx, func(tx store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.Get("a"); !ok {
		t.Error("a transaction without a bump emptied the cache")
	}

	// Past its bound the cache starts over.
	for i, k := range []string{"b", "c"} {
		_, _, e := c.Get(k)
		c.Add(e, k, i)
	}
	if _, ok, _ := c.Get("a"); ok {
		t.Error("cache grew past its bound")
	}
	if _, ok, _ := c.Get("c"); !ok {
		t.Error("the value added at the bound is missing")
	}
}

func bump(t *testing.T, ctx context.Context, s store.Store) {
	t.Helper()
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.BumpGeneration(ctx) }); err != nil {
		t.Fatal(err)
	}
}
