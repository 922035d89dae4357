package awsapi

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNewRequestID(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		id := NewRequestID()
		if !uuidV4.MatchString(id) {
			t.Fatalf("%q is not a lower-case UUID v4", id)
		}
		if seen[id] {
			t.Fatalf("duplicate request ID %q", id)
		}
		seen[id] = true
	}
}

var uuidV7 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestNewTimeOrderedID: version 7 UUIDs (RFC 9562) whose text order
// follows their times to the millisecond, and whose first 48 bits are
// the Unix milliseconds.
func TestNewTimeOrderedID(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	prev := ""
	seen := map[string]bool{}
	for i := range 1000 {
		id := NewTimeOrderedID(t0.Add(time.Duration(i) * time.Millisecond))
		if !uuidV7.MatchString(id) {
			t.Fatalf("%q is not a lower-case UUID v7", id)
		}
		if id <= prev {
			t.Fatalf("%q made after %q sorts before it", id, prev)
		}
		if seen[id] {
			t.Fatalf("duplicate ID %q", id)
		}
		seen[id], prev = true, id
	}
	id := NewTimeOrderedID(t0)
	if got, want := strings.ReplaceAll(id[:13], "-", ""), fmt.Sprintf("%012x", t0.UnixMilli()); got != want {
		t.Errorf("time bits %s, want %s", got, want)
	}
}

func BenchmarkNewRequestID(b *testing.B) {
	for b.Loop() {
		_ = NewRequestID()
	}
}
