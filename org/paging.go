package org

import (
	"encoding/base64"
	"encoding/json"
	"sort"
)

// Pagination follows AWS Organizations: MaxResults from 1 to 20 (20 when
// absent), and an opaque NextToken returned while more results remain.
// A token is the sort key of the last result returned, bound to the
// operation and its filters; a token that does not decode or belongs to
// another query is InvalidInputException INVALID_NEXT_TOKEN.

const (
	defaultMaxResults = 20
	maxMaxResults     = 20
	tokenVersion      = "g1"
)

// page returns the page of items (sorted by key) that follows token, at
// most maxResults of them, and the token of the next page ("" after the
// last). query names the operation and its filters.
func page[T any](items []T, key func(T) string, query, token string, maxResults *int32) ([]T, string, error) {
	limit := defaultMaxResults
	if maxResults != nil {
		switch {
		case *maxResults < 1:
			return nil, "", errInput(reasonMinValue)
		case *maxResults > maxMaxResults:
			return nil, "", errInput(reasonMaxValue)
		}
		limit = int(*maxResults)
	}
	sort.SliceStable(items, func(i, j int) bool { return key(items[i]) < key(items[j]) })
	start := 0
	if token != "" {
		after, ok := decodeToken(query, token)
		if !ok {
			return nil, "", errInput(reasonNextToken)
		}
		start = sort.Search(len(items), func(i int) bool { return key(items[i]) > after })
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

// token is what a NextToken encodes.
type token struct {
	V string `json:"v"` // tokenVersion
	Q string `json:"q"` // the query the token belongs to
	A string `json:"a"` // the sort key of the last result returned
}

func encodeToken(query, after string) string {
	b, _ := json.Marshal(token{V: tokenVersion, Q: query, A: after})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(query, s string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", false
	}
	var t token
	if json.Unmarshal(raw, &t) != nil || t.V != tokenVersion || t.Q != query || t.A == "" {
		return "", false
	}
	return t.A, true
}
