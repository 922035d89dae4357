package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"gatehouse/store"
)

var searchTests = []test{
	{"SearchText", testSearchText},
	{"SearchRanksTitleFirst", testSearchRanking},
	{"SearchFiltersAndIDs", testSearchFilters},
	{"SearchFacets", testSearchFacets},
	{"SearchScopes", testSearchScopes},
	{"SearchManyMatches", testSearchManyMatches},
	{"SearchPaging", testSearchPaging},
	{"SearchReindexAndUnindex", testSearchReindex},
	{"SearchFollowsTransaction", testSearchTransaction},
	{"SearchReset", testSearchReset},
}

// searchCorpus is a small catalog of documents.
var searchCorpus = []store.Document{
	{Kind: "product", ID: "p1", Title: "Vault Secrets Manager", ShortDescription: "Store and rotate credentials.",
		LongDescription: "Encrypts secrets at rest and audits every access to them.", Categories: []string{"Security"},
		Keywords: []string{"secrets", "encryption"}, Attributes: map[string][]string{"category": {"Security"}, "pricing": {"USAGE", "FREE"}}},
	{Kind: "product", ID: "p2", Title: "Postgres Backup", ShortDescription: "Point-in-time recovery for databases.",
		LongDescription: "Continuous archiving of write-ahead logs to object storage.", Categories: []string{"Databases", "Storage"},
		Keywords: []string{"backup"}, Attributes: map[string][]string{"category": {"Databases", "Storage"}, "pricing": {"CONTRACT"}}},
	{Kind: "product", ID: "p3", Title: "Log Search", ShortDescription: "Search logs from every server.",
		LongDescription: "Indexes logs and keeps secrets out of them by masking credentials.", Categories: []string{"Monitoring"},
		Keywords: []string{"logging", "observability"}, Attributes: map[string][]string{"category": {"Monitoring"}, "pricing": {"USAGE"}}},
	{Kind: "product", ID: "p4", Title: "Database Migration Kit", ShortDescription: "Move a database between engines.",
		LongDescription: "Schema conversion and data replication.", Categories: []string{"Databases"},
		Keywords: []string{"migration"}, Attributes: map[string][]string{"category": {"Databases"}, "pricing": {"BYOL"}}},
	// Another kind with the same words: never found by product searches.
	{Kind: "offer", ID: "o1", Title: "Vault Secrets Manager annual", ShortDescription: "secrets database",
		Attributes: map[string][]string{"category": {"Security"}}},
}

func indexDocs(t *testing.T, s store.Store, docs ...store.Document) {
	t.Helper()
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		sr, err := store.SearcherOf(tx)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if err := sr.Index(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
}

func search(t *testing.T, s store.Store, q store.SearchQuery) store.SearchResult {
	t.Helper()
	var res store.SearchResult
	view(t, s, func(ctx context.Context, tx store.Tx) error {
		sr, err := store.SearcherOf(tx)
		if err != nil {
			return err
		}
		res, err = sr.Search(ctx, q)
		return err
	})
	return res
}

// sortedIDs returns the ids of a search, sorted, for tests where the
// order does not matter.
func sortedIDs(t *testing.T, s store.Store, q store.SearchQuery) []string {
	t.Helper()
	res := search(t, s, q)
	if res.Total != len(res.IDs) && q.Limit == 0 {
		t.Errorf("Search(%+v): Total %d, but %d ids", q, res.Total, len(res.IDs))
	}
	return slices.Sorted(slices.Values(res.IDs))
}

func testSearchText(t *testing.T, h *harness) {
	indexDocs(t, h.s, searchCorpus...)
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{name: "empty text matches the kind", text: "", want: []string{"p1", "p2", "p3", "p4"}},
		{name: "title word", text: "vault", want: []string{"p1"}},
		{name: "any case", text: "VAULT", want: []string{"p1"}},
		{name: "word in any field", text: "secrets", want: []string{"p1", "p3"}},
		{name: "keyword", text: "observability", want: []string{"p3"}},
		{name: "category", text: "storage", want: []string{"p2"}},
		{name: "prefix", text: "datab", want: []string{"p2", "p4"}},
		{name: "every word required", text: "secrets masking", want: []string{"p3"}},
		{name: "punctuation ignored", text: "point-in-time!", want: []string{"p2"}},
		{name: "no match", text: "kubernetes", want: []string{}},
		{name: "query syntax is plain text", text: `"vault" OR NOT * AND (x`, want: []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := sortedIDs(t, h.s, store.SearchQuery{Kind: "product", Text: tc.text})
			if !slices.Equal(got, tc.want) {
				t.Errorf("Search(%q) = %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

func testSearchRanking(t *testing.T, h *harness) {
	indexDocs(t, h.s, searchCorpus...)
	// "secrets" is p1's title and keyword, but only in p3's long
	// description.
	res := search(t, h.s, store.SearchQuery{Kind: "product", Text: "secrets"})
	if !slices.Equal(res.IDs, []string{"p1", "p3"}) {
		t.Errorf("Search(secrets) = %v, want [p1 p3], title match first", res.IDs)
	}
	res = search(t, h.s, store.SearchQuery{Kind: "product", Text: "secrets", Ascending: true})
	if !slices.Equal(res.IDs, []string{"p3", "p1"}) {
		t.Errorf("Search(secrets, ascending) = %v, want [p3 p1]", res.IDs)
	}
	// Without text, documents come by title.
	res = search(t, h.s, store.SearchQuery{Kind: "product"})
	if want := []string{"p4", "p3", "p2", "p1"}; !slices.Equal(res.IDs, want) {
		t.Errorf("Search() = %v, want %v (by title)", res.IDs, want)
	}
}

func testSearchFilters(t *testing.T, h *harness) {
	indexDocs(t, h.s, searchCorpus...)
	for _, tc := range []struct {
		name string
		q    store.SearchQuery
		want []string
	}{
		{name: "one value", q: store.SearchQuery{Filters: map[string][]string{"category": {"Databases"}}}, want: []string{"p2", "p4"}},
		{name: "any of the values", q: store.SearchQuery{Filters: map[string][]string{"category": {"Security", "Monitoring"}}}, want: []string{"p1", "p3"}},
		{name: "every attribute", q: store.SearchQuery{Filters: map[string][]string{"category": {"Databases"}, "pricing": {"BYOL"}}}, want: []string{"p4"}},
		{name: "unknown value", q: store.SearchQuery{Filters: map[string][]string{"category": {"Games"}}}, want: []string{}},
		{name: "unknown attribute", q: store.SearchQuery{Filters: map[string][]string{"rating": {"5"}}}, want: []string{}},
		{name: "filter and text", q: store.SearchQuery{Text: "secrets", Filters: map[string][]string{"pricing": {"USAGE"}}}, want: []string{"p1", "p3"}},
		{name: "ids", q: store.SearchQuery{IDs: []string{"p2", "p3", "o1", "missing"}}, want: []string{"p2", "p3"}},
		{name: "no ids", q: store.SearchQuery{IDs: []string{}}, want: []string{}},
		{name: "ids, text and filter", q: store.SearchQuery{IDs: []string{"p1", "p2", "p4"}, Text: "data", Filters: map[string][]string{"category": {"Databases"}}}, want: []string{"p2", "p4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Kind = "product"
			if got := sortedIDs(t, h.s, tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("Search(%+v) = %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}

func testSearchFacets(t *testing.T, h *harness) {
	indexDocs(t, h.s, searchCorpus...)
	res := search(t, h.s, store.SearchQuery{Kind: "product", Facets: []string{"category", "pricing", "none"}, Limit: 1})
	want := map[string]map[string]int{
		"category": {"Security": 1, "Databases": 2, "Storage": 1, "Monitoring": 1},
		"pricing":  {"USAGE": 2, "FREE": 1, "CONTRACT": 1, "BYOL": 1},
		"none":     {},
	}
	if !maps.EqualFunc(res.Facets, want, maps.Equal) {
		t.Errorf("Facets = %v, want %v", res.Facets, want)
	}
	if res.Total != 4 || len(res.IDs) != 1 {
		t.Errorf("Total %d, %d ids; want 4 and a page of 1", res.Total, len(res.IDs))
	}
	res = search(t, h.s, store.SearchQuery{Kind: "product", Text: "database", Facets: []string{"category"}})
	if want := map[string]int{"Databases": 2, "Storage": 1}; !maps.Equal(res.Facets["category"], want) {
		t.Errorf("Facets of a text search = %v, want %v", res.Facets["category"], want)
	}
}

func testSearchPaging(t *testing.T, h *harness) {
	indexDocs(t, h.s, searchCorpus...)
	var got []string
	for offset := 0; ; offset += 3 {
		res := search(t, h.s, store.SearchQuery{Kind: "product", Offset: offset, Limit: 3})
		if res.Total != 4 {
			t.Fatalf("Total = %d at offset %d, want 4", res.Total, offset)
		}
		if len(res.IDs) == 0 {
			break
		}
		got = append(got, res.IDs...)
	}
	if want := []string{"p4", "p3", "p2", "p1"}; !slices.Equal(got, want) {
		t.Errorf("pages = %v, want %v", got, want)
	}
	if res := search(t, h.s, store.SearchQuery{Kind: "product", Offset: 10}); res.Total != 4 || len(res.IDs) != 0 {
		t.Errorf("past the end: %v of %d, want none of 4", res.IDs, res.Total)
	}
	err := h.s.View(t.Context(), func(tx store.Tx) error {
		sr, err := store.SearcherOf(tx)
		if err != nil {
			return err
		}
		_, err = sr.Search(t.Context(), store.SearchQuery{Kind: "product", Limit: -1})
		return err
	})
	if err == nil {
		t.Error("Search with a negative limit succeeded")
	}
}

func testSearchReindex(t *testing.T, h *harness) {
	indexDocs(t, h.s, searchCorpus...)
	changed := searchCorpus[0]
	changed.Title, changed.Keywords = "Key Keeper", nil
	changed.Attributes = map[string][]string{"category": {"Identity"}}
	indexDocs(t, h.s, changed)
	if got := sortedIDs(t, h.s, store.SearchQuery{Kind: "product", Text: "vault"}); len(got) != 0 {
		t.Errorf("the replaced title still matches: %v", got)
	}
	if got := sortedIDs(t, h.s, store.SearchQuery{Kind: "product", Text: "keeper"}); !slices.Equal(got, []string{"p1"}) {
		t.Errorf("Search(keeper) = %v, want [p1]", got)
	}
	if got := sortedIDs(t, h.s, store.SearchQuery{Kind: "product", Filters: map[string][]string{"category": {"Security"}}}); len(got) != 0 {
		t.Errorf("the replaced attribute still matches: %v", got)
	}
	update(t, h.s, func(ctx context.Context, tx store.Tx) error {
		sr, err := store.SearcherOf(tx)
		if err != nil {
			return err
		}
		if err := sr.Unindex(ctx, "product", "p1"); err != nil {
			return err
		}
		return sr.Unindex(ctx, "product", "never-indexed")
	})
	if got := sortedIDs(t, h.s, store.SearchQuery{Kind: "product"}); !slices.Equal(got, []string{"p2", "p3", "p4"}) {
		t.Errorf("after Unindex(p1): %v", got)
	}
	if got := sortedIDs(t, h.s, store.SearchQuery{Kind: "offer", Text: "vault"}); !slices.Equal(got, []string{"o1"}) {
		t.Errorf("Unindex of a product removed the offer: %v", got)
	}
}

func testSearchTransaction(t *testing.T, h *harness) {
	err := h.s.Update(t.Context(), func(tx store.Tx) error {
		sr, err := store.SearcherOf(tx)
		if err != nil {
			return err
		}
		if err := sr.Index(t.Context(), searchCorpus[0]); err != nil {
			return err
		}
		// The transaction sees its own writes.
		res, err := sr.Search(t.Context(), store.SearchQuery{Kind: "product", Text: "vault"})
		if err != nil {
			return err
		}
		if !slices.Equal(res.IDs, []string{"p1"}) {
			t.Errorf("inside the transaction: %v, want [p1]", res.IDs)
		}
		return errTest
	})
	if !errors.Is(err, errTest) {
		t.Fatalf("Update = %v, want the deliberate failure", err)
	}
	if got := sortedIDs(t, h.s, store.SearchQuery{Kind: "product"}); len(got) != 0 {
		t.Errorf("a rolled-back document is found: %v", got)
	}
	err = h.s.View(t.Context(), func(tx store.Tx) error {
		sr, err := store.SearcherOf(tx)
		if err != nil {
			return err
		}
		return sr.Index(t.Context(), searchCorpus[0])
	})
	if err == nil {
		t.Error("Index in a read-only transaction succeeded")
	}
	err = h.s.Update(t.Context(), func(tx store.Tx) error {
		sr, err := store.SearcherOf(tx)
		if err != nil {
			return err
		}
		return sr.Index(t.Context(), store.Document{Kind: "product"})
	})
	if err == nil {
		t.Error("Index of a document without id succeeded")
	}
}

func testSearchReset(t *testing.T, h *harness) {
	indexDocs(t, h.s, searchCorpus...)
	if err := h.s.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := sortedIDs(t, h.s, store.SearchQuery{Kind: "product", Text: "vault"}); len(got) != 0 {
		t.Errorf("after Reset: %v", got)
	}
	indexDocs(t, h.s, searchCorpus[1])
	if got := sortedIDs(t, h.s, store.SearchQuery{Kind: "product"}); !slices.Equal(got, []string{"p2"}) {
		t.Errorf("index after Reset: %v", got)
	}
}

func testSearchScopes(t *testing.T, h *harness) {
	indexDocs(t, h.s, searchCorpus...)
	mine, theirs := searchCorpus[0], searchCorpus[1]
	mine.ID, mine.Scope = "draft-1", "111111111111"
	theirs.ID, theirs.Scope = "draft-2", "222222222222"
	indexDocs(t, h.s, mine, theirs)
	for _, tc := range []struct {
		name   string
		scopes []string
		text   string
		want   []string
	}{
		{name: "no scope finds the unscoped", want: []string{"p1", "p2", "p3", "p4"}},
		{name: "own scope", scopes: []string{"111111111111"}, want: []string{"draft-1", "p1", "p2", "p3", "p4"}},
		{name: "both scopes with text", scopes: []string{"111111111111", "222222222222"}, text: "backup", want: []string{"draft-2", "p2"}},
		{name: "another scope", scopes: []string{"333333333333"}, text: "vault", want: []string{"p1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := sortedIDs(t, h.s, store.SearchQuery{Kind: "product", Text: tc.text, Scopes: tc.scopes})
			if !slices.Equal(got, tc.want) {
				t.Errorf("Search(scopes %v) = %v, want %v", tc.scopes, got, tc.want)
			}
		})
	}
	// Re-indexing moves a document between scopes.
	mine.Scope = ""
	indexDocs(t, h.s, mine)
	if got := sortedIDs(t, h.s, store.SearchQuery{Kind: "product", Text: "vault"}); !slices.Equal(got, []string{"draft-1", "p1"}) {
		t.Errorf("after publishing draft-1: %v", got)
	}
}

// testSearchManyMatches searches 1,500 documents, enough for stores to
// plan differently for filters that hold for many documents.
func testSearchManyMatches(t *testing.T, h *harness) {
	var docs []store.Document
	for i := range 1500 {
		colour := []string{"red", "blue", "green"}[i%3]
		docs = append(docs, store.Document{Kind: "product", ID: fmt.Sprintf("m%04d", i), Title: fmt.Sprintf("Item %04d", 1500-i),
			ShortDescription: "a " + colour + " thing", Attributes: map[string][]string{"colour": {colour}, "size": {[]string{"s", "l"}[i%2]}}})
	}
	indexDocs(t, h.s, docs...)
	for _, tc := range []struct {
		name    string
		q       store.SearchQuery
		total   int
		firstID string
	}{
		// Titles run backwards from the ids: Item 0001 is m1499.
		{name: "one filter", q: store.SearchQuery{Filters: map[string][]string{"colour": {"red"}}}, total: 500, firstID: "m1497"},
		{name: "two values", q: store.SearchQuery{Filters: map[string][]string{"colour": {"red", "blue"}}}, total: 1000, firstID: "m1498"},
		{name: "two filters", q: store.SearchQuery{Filters: map[string][]string{"colour": {"red", "blue"}, "size": {"l"}}}, total: 500, firstID: "m1497"},
		{name: "text and filter", q: store.SearchQuery{Text: "thing", Filters: map[string][]string{"colour": {"green"}}}, total: 500},
		{name: "everything", q: store.SearchQuery{}, total: 1500, firstID: "m1499"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Kind, tc.q.Limit = "product", 10
			res := search(t, h.s, tc.q)
			if res.Total != tc.total || len(res.IDs) != 10 {
				t.Fatalf("Total %d with %d ids, want %d with 10", res.Total, len(res.IDs), tc.total)
			}
			if tc.firstID != "" && res.IDs[0] != tc.firstID {
				t.Errorf("first = %s, want %s (by title)", res.IDs[0], tc.firstID)
			}
			tc.q.Offset = tc.total - 3
			if res := search(t, h.s, tc.q); len(res.IDs) != 3 || res.Total != tc.total {
				t.Errorf("last page: %v of %d", res.IDs, res.Total)
			}
		})
	}
}
