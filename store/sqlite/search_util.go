package sqlite

import (
	"encoding/json"
	"slices"
)

// jsonStrings encodes a list of strings as a JSON array, for json_each:
// one argument however long the list.
func jsonStrings(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v) // strings always marshal
	return string(b)
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
