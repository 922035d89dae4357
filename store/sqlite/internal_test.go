package sqlite

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/store"
	"gatehouse/store/internal/sqlstore"
)

// TestConnectionSettings checks the pragmas each pool runs with.
func TestConnectionSettings(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000"}
	for pragma, v := range want {
		for pool, db := range map[string]querier{"writer": s.w, "reader": s.r} {
			var got string
			if err := db.QueryRowContext(t.Context(), "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatalf("%s PRAGMA %s: %v", pool, pragma, err)
			}
			if got != v {
				t.Errorf("%s PRAGMA %s = %s, want %s", pool, pragma, got, v)
			}
		}
	}
	if _, err := s.r.ExecContext(t.Context(), "INSERT INTO records (kind, id, body) VALUES ('k', 'i', x'')"); err == nil {
		t.Error("a read connection accepted a write")
	}
}

// TestListQueryPlans checks that the lists the services run are answered
// from an index on every key they name, not by scanning every record of
// the kind: an account's agreements for a product must not cost more as
// other accounts buy the product.
func TestListQueryPlans(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tests := []struct {
		name  string
		query store.Query
		index string
	}{
		{name: "parent and name", query: store.Query{Kind: "k", Parent: "p", Name: "n"}, index: "records_parent_name (kind=? AND parent=? AND name=?)"},
		{name: "parent and name after a token", query: store.Query{Kind: "k", Parent: "p", Name: "n", After: "i", Limit: 10}, index: "records_parent_name (kind=? AND parent=? AND name=? AND id>?)"},
		{name: "parent", query: store.Query{Kind: "k", Parent: "p"}, index: "records_parent (kind=? AND parent=?)"},
		{name: "name", query: store.Query{Kind: "k", Name: "n"}, index: "records_name (kind=? AND name=?)"},
	}
	for _, tt := range tests {
		for pool, db := range map[string]querier{"writer": s.w, "reader": s.r} {
			t.Run(pool+" "+tt.name, func(t *testing.T) {
				q, args, err := sqlstore.ListSQL(tt.query, placeholder)
				if err != nil {
					t.Fatal(err)
				}
				plan := queryPlan(t, db, q, args)
				if len(plan) != 1 || !strings.HasSuffix(plan[0], "INDEX "+tt.index) {
					t.Fatalf("plan of %s:\n%s\nwant one search using %s", q, strings.Join(plan, "\n"), tt.index)
				}
			})
		}
	}
}

// queryPlan returns the details of EXPLAIN QUERY PLAN for q.
func queryPlan(t *testing.T, db querier, q string, args []any) []string {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestBackgroundCheckpoint: the checkpointer copies the WAL into the
// database file off the commit path, so the WAL starts over after a burst
// of commits although no commit reached the writer's checkpoint backstop.
func TestBackgroundCheckpoint(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	put := func(i int) {
		t.Helper()
		err := s.Update(t.Context(), func(tx store.Tx) error {
			return tx.Put(t.Context(), store.Record{Kind: "k", ID: fmt.Sprint(i), Body: []byte(`{}`)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 300 {
		put(i)
	}
	// walFrames is the number of frames in the WAL, which restarts once
	// a checkpoint copied all of it and the next commit begins.
	walFrames := func() int {
		var busy, log, done int
		if err := s.w.QueryRowContext(t.Context(), "PRAGMA wal_checkpoint(NOOP)").Scan(&busy, &log, &done); err != nil {
			t.Skipf("this SQLite has no NOOP checkpoint: %v", err)
		}
		return log
	}
	if n := walFrames(); n < 300 {
		t.Fatalf("the WAL holds %d frames after 300 commits; the test cannot tell a checkpoint", n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for i := 300; walFrames() >= 300; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("the WAL still holds %d frames: no background checkpoint", walFrames())
		}
		time.Sleep(checkpointInterval / 2)
		put(i)
	}
	// Close stops the checkpointer.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.stopped:
	default:
		t.Error("the checkpointer outlived Close")
	}
}
