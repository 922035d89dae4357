package agreement

import (
	"encoding/base64"
	"encoding/json"
)

// Paging: a nextToken holds the key of the last result returned, bound to
// the operation and its input; one that does not decode, belongs to
// another query or names no result is ValidationException
// (INVALID_NEXT_TOKEN). Results are never deleted, so the key of the last
// result returned stays in the list.

// maxResults is the model's MaxResults bound, also the default page size.
const maxResults = 50

type pageToken struct {
	Q string `json:"q"`
	A string `json:"a"`
}

// paginate returns the page of the ordered items after token, with
// key(i) the unique key of items[i].
func paginate[T any](items []T, key func(i int) string, query, token string, limit *int32) ([]T, string, error) {
	n := maxResults
	if limit != nil {
		if *limit < 1 || *limit > maxResults {
			return nil, "", errValidation(ReasonInvalidMaxResults, "maxResults must be between 1 and %d.", maxResults)
		}
		n = int(*limit)
	}
	start := 0
	if token != "" {
		after, ok := decodeToken(query, token)
		if !ok {
			return nil, "", errValidation(ReasonInvalidNextToken, "The nextToken is not valid for this request.")
		}
		start = -1
		for i := range items {
			if key(i) == after {
				start = i + 1
				break
			}
		}
		if start < 0 {
			return nil, "", errValidation(ReasonInvalidNextToken, "The nextToken is not valid for this request.")
		}
	}
	end := min(start+n, len(items))
	next := ""
	if end < len(items) {
		next = encodeToken(query, key(end-1))
	}
	out := items[start:end]
	if out == nil {
		out = []T{}
	}
	return out, next, nil
}

func encodeToken(query, after string) string {
	b, _ := json.Marshal(pageToken{Q: query, A: after})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(query, s string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", false
	}
	var t pageToken
	if json.Unmarshal(raw, &t) != nil || t.Q != query || t.A == "" {
		return "", false
	}
	return t.A, true
}

// queryKey binds a token to an operation and its input without paging.
func queryKey(op string, v any) string {
	b, _ := json.Marshal(v)
	return op + "\x00" + string(b)
}
