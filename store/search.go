package store

import (
	"context"
	"errors"
	"strings"
	"unicode"
)

// ErrNoSearch is returned by SearcherOf for a transaction of a store
// without full-text search.
var ErrNoSearch = errors.New("store: full-text search not supported")

// Document is an entity as full-text search sees it: the texts searched
// and the attributes filtered and counted. A store keeps its search
// index in the same database as the records, written in the same
// transaction, so a search sees exactly the entities the transaction
// sees.
type Document struct {
	Kind string
	ID   string
	// Title matters most to relevance, then Keywords and Categories, then
	// ShortDescription, then LongDescription.
	Title            string
	ShortDescription string
	LongDescription  string
	Categories       []string
	Keywords         []string
	// Attributes are exact values by name, such as "category": {"Security"},
	// for SearchQuery.Filters and SearchQuery.Facets. Names must not
	// contain "=".
	Attributes map[string][]string
	// Scope limits who finds the document: "" for every search, else only
	// the searches that name it in SearchQuery.Scopes (such as the owner
	// of a product not yet public).
	Scope string
}

// SearchQuery selects documents of one kind.
type SearchQuery struct {
	Kind string
	// Text is the full-text query: every word must occur in the document,
	// as a word or the start of one, in any text field and any case;
	// stores may stem words (databases finds database). "" matches every
	// document.
	Text string
	// Filters require, for each attribute named, one of the values given.
	Filters map[string][]string
	// IDs, when not nil, restricts the search to these documents.
	IDs []string
	// Scopes are the document scopes searched besides "" (see
	// Document.Scope).
	Scopes []string
	// Facets names the attributes whose values SearchResult.Facets counts
	// over every document matched, not only the page returned.
	Facets []string
	// Results come best match first (by the store's text relevance), then
	// by title and id; Ascending reverses that order.
	Ascending bool
	// Offset skips that many results; Limit bounds the page, 0 means no
	// bound.
	Offset, Limit int
}

// SearchResult is one page of a search.
type SearchResult struct {
	// IDs are the documents of the page, in order.
	IDs []string
	// Total is the number of documents matched.
	Total int
	// Facets counts the documents matched per value of each attribute of
	// SearchQuery.Facets; values no match has are absent.
	Facets map[string]map[string]int
}

// Searcher is full-text search over documents, offered by the Tx of
// stores that support it (both of Gatehouse's). Index and Unindex write
// in the transaction, so an entity and its document commit or roll back
// together.
type Searcher interface {
	// Index adds a document, or replaces the one of the same kind and id.
	Index(ctx context.Context, doc Document) error
	// Unindex removes a document; removing one that is not indexed does
	// nothing.
	Unindex(ctx context.Context, kind, id string) error
	// Search returns the documents matching q.
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
}

// SearcherOf returns the full-text search of tx, or ErrNoSearch.
func SearcherOf(tx Tx) (Searcher, error) {
	s, ok := tx.(Searcher)
	if !ok {
		return nil, ErrNoSearch
	}
	return s, nil
}

// maxTerms bounds the words of a query that count.
const maxTerms = 16

// SearchTerms splits a full-text query into the lower-case words stores
// search for: runs of letters and digits, at most 16 of them, each cut
// to 64 bytes at a rune boundary.
func SearchTerms(text string) []string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > maxTerms {
		words = words[:maxTerms]
	}
	for i, w := range words {
		if len(w) > 64 {
			cut := 64
			for cut > 0 && !isRuneStart(w[cut]) {
				cut--
			}
			words[i] = w[:cut]
		}
	}
	return words
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// CheckDocument reports a document a store cannot key or filter on.
func CheckDocument(d Document) error {
	if d.Kind == "" || d.ID == "" {
		return errors.New("store: document needs a kind and an id")
	}
	for name := range d.Attributes {
		if name == "" || strings.Contains(name, "=") {
			return errors.New("store: document attribute name " + name + " is empty or contains =")
		}
	}
	return nil
}
