package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gatehouse/store"
	"gatehouse/store/sqlite"
	"gatehouse/store/storetest"
)

// opener is the storetest.Opener of SQLite: a new file in a temporary
// directory, opened again by path.
func opener(t *testing.T) (store.Store, func(*testing.T) store.Store) {
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	open := func(t *testing.T) store.Store {
		t.Helper()
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatalf("Open(%s): %v", path, err)
		}
		return s
	}
	return open(t), open
}

func TestConformance(t *testing.T) {
	storetest.Run(t, opener)
}

func TestOpenSetsPragmas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no WAL file beside the database: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestOpenMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	for i := range 3 {
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatalf("Open #%d: %v", i, err)
		}
		if err := s.Update(context.Background(), func(tx store.Tx) error {
			return tx.Put(context.Background(), store.Record{Kind: "k", ID: fmt.Sprint(i), Body: []byte("{}")})
		}); err != nil {
			t.Fatalf("Update #%d: %v", i, err)
		}
		s.Close()
	}
}

func TestOpenBadPath(t *testing.T) {
	if s, err := sqlite.Open(filepath.Join(t.TempDir(), "missing", "dir", "x.db")); err == nil {
		s.Close()
		t.Fatal("Open in a missing directory succeeded")
	}
}

func BenchmarkUpdateGet(b *testing.B) {
	s, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	body := []byte(`{"Name":"bench","Email":"bench@example.com","Status":"ACTIVE"}`)
	for i := 0; b.Loop(); i++ {
		id := fmt.Sprint("acct-", i%1000)
		err := s.Update(ctx, func(tx store.Tx) error {
			return tx.Put(ctx, store.Record{Kind: "account", ID: id, Parent: "r-root", Body: body})
		})
		if err != nil {
			b.Fatal(err)
		}
		err = s.View(ctx, func(tx store.Tx) error {
			_, err := tx.Get(ctx, "account", id)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
