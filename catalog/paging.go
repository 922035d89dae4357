package catalog

import (
	"encoding/base64"
	"encoding/json"
	"sort"
)

// A NextToken is the sort key of the last result returned, bound to the
// operation and its filters; one that does not decode or belongs to
// another query is ValidationException.

const tokenVersion = "c1"

type pageToken struct {
	V string `json:"v"`
	Q string `json:"q"`
	A string `json:"a"`
}

// page sorts items by key (unique keys; descending when desc) and returns
// the page after token of at most maxResults items (def when nil, at most
// max) and the next page's token.
func page[T any](items []T, key func(T) string, desc bool, query, token string, maxResults *int32, def, max int) ([]T, string, error) {
	limit := def
	if maxResults != nil {
		if *maxResults < 1 || int(*maxResults) > max {
			return nil, "", errValidationf("MaxResults must be between 1 and %d.", max)
		}
		limit = int(*maxResults)
	}
	less := func(a, b string) bool { return a < b }
	if desc {
		less = func(a, b string) bool { return a > b }
	}
	sort.SliceStable(items, func(i, j int) bool { return less(key(items[i]), key(items[j])) })
	start := 0
	if token != "" {
		after, ok := decodeToken(query, token)
		if !ok {
			return nil, "", errValidation("The NextToken is not valid for this request.")
		}
		start = sort.Search(len(items), func(i int) bool { return less(after, key(items[i])) })
	}
	end := min(start+limit, len(items))
	next := ""
	if end < len(items) {
		next = encodeToken(query, key(items[end-1]))
	}
	out := items[start:end]
	if out == nil {
		out = []T{}
	}
	return out, next, nil
}

func encodeToken(query, after string) string {
	b, _ := json.Marshal(pageToken{V: tokenVersion, Q: query, A: after})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(query, s string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", false
	}
	var t pageToken
	if json.Unmarshal(raw, &t) != nil || t.V != tokenVersion || t.Q != query || t.A == "" {
		return "", false
	}
	return t.A, true
}

// queryKey binds a token to an operation and its input.
func queryKey(op string, v any) string {
	b, _ := json.Marshal(v)
	return op + "\x00" + string(b)
}
