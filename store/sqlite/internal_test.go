package sqlite

import (
	"path/filepath"
	"testing"
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
