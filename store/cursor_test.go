package store

import (
	"testing"
	"time"
)

func TestParseCursorRoundTrip(t *testing.T) {
	for _, tm := range []time.Time{
		time.Unix(0, 0),
		time.Date(2025, 6, 7, 8, 9, 10, 123456789, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 1, time.UTC),
	} {
		e := Event{ID: "ev/with/slashes", Time: tm}
		gotTime, gotID, err := ParseCursor(e.Cursor())
		if err != nil {
			t.Fatalf("ParseCursor(%q): %v", e.Cursor(), err)
		}
		if !gotTime.Equal(tm) || gotID != e.ID {
			t.Errorf("ParseCursor(%q) = %v, %q; want %v, %q", e.Cursor(), gotTime, gotID, tm, e.ID)
		}
	}
}

func TestParseCursorRejects(t *testing.T) {
	for _, c := range []string{"", "/", "123", "123/", "/id", "abc/id", "1.5/id"} {
		if _, _, err := ParseCursor(c); err == nil {
			t.Errorf("ParseCursor(%q) succeeded, want an error", c)
		}
	}
}
