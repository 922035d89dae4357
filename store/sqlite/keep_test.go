package sqlite_test

import (
	"context"
	"errors"
	"testing"

	"gatehouse/store"
	"gatehouse/store/sqlite"
)

// TestKeepCommits: an error made by store.Keep commits the transaction's
// writes and is returned unwrapped; any other error rolls them back.
func TestKeepCommits(t *testing.T) {
	st, err := sqlite.Open(t.TempDir() + "/keep.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	answer := errors.New("the purchase awaits approval")
	tests := []struct {
		name    string
		err     error
		want    error
		written bool
	}{
		{name: "kept", err: store.Keep(answer), want: answer, written: true},
		{name: "plain", err: answer, want: answer, written: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := store.Update(ctx, st, func(tx store.Tx) error {
				if err := store.Put(ctx, tx, store.Record{Kind: "keep", ID: tt.name}, map[string]string{"a": "b"}); err != nil {
					return err
				}
				return tt.err
			})
			if err != tt.want {
				t.Errorf("Update = %v (%T), want %v unwrapped", err, err, tt.want)
			}
			var found bool
			st.View(ctx, func(tx store.Tx) error {
				_, err := store.Get[map[string]string](ctx, tx, "keep", tt.name)
				found = err == nil
				return nil
			})
			if found != tt.written {
				t.Errorf("record written = %v, want %v", found, tt.written)
			}
		})
	}
}
