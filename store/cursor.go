package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseCursor splits a cursor made by Event.Cursor into the event's time
// and id. It returns an error for any string Event.Cursor cannot have
// made, so a service can reject a forged or corrupted paging token before
// it reaches a store.
func ParseCursor(cursor string) (time.Time, string, error) {
	ns, id, ok := strings.Cut(cursor, "/")
	if !ok || ns == "" || id == "" {
		return time.Time{}, "", fmt.Errorf("store: malformed event cursor %q", cursor)
	}
	n, err := strconv.ParseInt(ns, 10, 64)
	if err != nil {
		return time.Time{}, "", fmt.Errorf("store: malformed event cursor %q: %w", cursor, err)
	}
	return time.Unix(0, n).UTC(), id, nil
}
