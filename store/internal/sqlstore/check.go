package sqlstore

import (
	"errors"
	"fmt"

	"gatehouse/store"
)

// ErrReadOnly is returned by the write methods of a transaction that View
// opened.
var ErrReadOnly = errors.New("store: write in a read-only transaction")

// CheckRecord reports a record the store cannot key: one without a kind
// or an id.
func CheckRecord(r store.Record) error {
	if r.Kind == "" || r.ID == "" {
		return fmt.Errorf("store: record needs a kind and an id (kind %q, id %q)", r.Kind, r.ID)
	}
	return nil
}

// CheckEvents reports the first event the store cannot keep: one without
// an id or a time.
func CheckEvents(events []store.Event) error {
	for i, e := range events {
		if e.ID == "" {
			return fmt.Errorf("store: event %d has no id", i)
		}
		if e.Time.IsZero() {
			return fmt.Errorf("store: event %s has no time", e.ID)
		}
	}
	return nil
}

// Resources returns the event's resource names without duplicates, in
// their first order, for the resource index.
func Resources(e store.Event) []string {
	seen := make(map[string]bool, len(e.Resources))
	out := make([]string, 0, len(e.Resources))
	for _, r := range e.Resources {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}
