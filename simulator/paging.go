package simulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"

	"gatehouse/awserr"
)

// Paging follows IAM: MaxItems from 1 to 1000 (100 when absent) results,
// one per action, and an opaque Marker while more remain. A marker is the
// index of the next action, bound to the request's list of actions; one
// that does not decode or belongs to another list is InvalidInput.
const (
	defaultMaxItems = 100
	maxMaxItems     = 1000
	maxMarker       = 320
	markerVersion   = "s1"
)

// page returns the range of actions of the page a request asks for and
// the marker of the next page ("" after the last).
func page(actions []string, maxItems *int32, marker string) (start, end int, next string, err error) {
	limit := defaultMaxItems
	if maxItems != nil {
		if *maxItems < 1 || *maxItems > maxMaxItems {
			return 0, 0, "", awserr.ErrValidationError.Newf("1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and %d", *maxItems, maxMaxItems)
		}
		limit = int(*maxItems)
	}
	if marker != "" {
		var ok bool
		if start, ok = decodeMarker(actions, marker); !ok {
			return 0, 0, "", errInput("Invalid Marker.")
		}
	}
	end = min(start+limit, len(actions))
	if end < len(actions) {
		next = encodeMarker(actions, end)
	}
	return start, end, next, nil
}

// digest binds a marker to a list of actions.
func digest(actions []string) string {
	h := sha256.Sum256([]byte(strings.Join(actions, "\x00")))
	return hex.EncodeToString(h[:8])
}

func encodeMarker(actions []string, next int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(markerVersion + ":" + digest(actions) + ":" + strconv.Itoa(next)))
}

func decodeMarker(actions []string, marker string) (int, bool) {
	if len(marker) > maxMarker {
		return 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(marker)
	if err != nil {
		return 0, false
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 || parts[0] != markerVersion || parts[1] != digest(actions) {
		return 0, false
	}
	n, err := strconv.Atoi(parts[2])
	if err != nil || n <= 0 || n >= len(actions) {
		return 0, false
	}
	return n, true
}
