package iam

import (
	"encoding/base64"
	"sort"
)

// Pagination follows IAM: MaxItems from 1 to 1000 (100 when absent);
// while more results remain, IsTruncated is true and Marker is where the
// next page starts. A Marker is the sort key of the last result returned;
// one that does not decode is a ValidationError.

// page returns the page of items (sorted by key) after the marker.
func page[T any](items []T, key func(T) string, in Page) ([]T, PageOut, error) {
	limit, err := checkMaxItems(in.MaxItems)
	if err != nil {
		return nil, PageOut{}, err
	}
	sort.SliceStable(items, func(i, j int) bool { return key(items[i]) < key(items[j]) })
	start := 0
	if in.Marker != "" {
		after, err := base64.RawURLEncoding.DecodeString(in.Marker)
		if err != nil || len(after) == 0 {
			return nil, PageOut{}, validation(quote(in.Marker), "marker", "Member must be a Marker from a previous response")
		}
		start = sort.Search(len(items), func(i int) bool { return key(items[i]) > string(after) })
	}
	end := min(start+limit, len(items))
	var out PageOut
	if end < len(items) {
		out = PageOut{IsTruncated: true, Marker: base64.RawURLEncoding.EncodeToString([]byte(key(items[end-1])))}
	}
	res := items[start:end]
	if res == nil {
		res = []T{}
	}
	return res, out, nil
}
