package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gatehouse/store"
)

var _ store.Searcher = (*tx)(nil)

// bm25Weights weigh the FTS5 columns for relevance: title,
// short_description, long_description, categories, keywords.
const bm25Weights = "10.0, 2.0, 1.0, 4.0, 4.0"

// Index adds or replaces a document in the transaction.
func (t *tx) Index(ctx context.Context, d store.Document) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := store.CheckDocument(d); err != nil {
		return err
	}
	doc, created, err := t.indexDoc(ctx, d)
	if err != nil {
		return fmt.Errorf("sqlite: index %s %s: %w", d.Kind, d.ID, err)
	}
	if !created {
		for _, q := range []string{"DELETE FROM search_text WHERE rowid = ?", "DELETE FROM search_attrs WHERE doc = ?"} {
			if _, err := t.exec(ctx, q, doc); err != nil {
				return fmt.Errorf("sqlite: index %s %s: %w", d.Kind, d.ID, err)
			}
		}
	}
	_, err = t.exec(ctx, "INSERT INTO search_text (rowid, title, short_description, long_description, categories, keywords) VALUES (?, ?, ?, ?, ?, ?)",
		doc, d.Title, d.ShortDescription, d.LongDescription, strings.Join(d.Categories, "\n"), strings.Join(d.Keywords, "\n"))
	if err == nil {
		err = t.indexAttributes(ctx, doc, d.Attributes)
	}
	if err != nil {
		return fmt.Errorf("sqlite: index %s %s: %w", d.Kind, d.ID, err)
	}
	return nil
}

// indexDoc adds or updates the search_docs row of a document and returns
// its doc number, and whether the row is new (and so has no text or
// attributes to replace).
func (t *tx) indexDoc(ctx context.Context, d store.Document) (doc int64, created bool, err error) {
	// No RETURNING: a write with RETURNING opens a statement journal (see
	// the migration's note on savepoints).
	err = t.queryRow(ctx, "SELECT doc FROM search_docs WHERE kind = ? AND id = ?", d.Kind, d.ID).Scan(&doc)
	if err == nil {
		_, err = t.exec(ctx, "UPDATE search_docs SET title = ?, scope = ? WHERE doc = ?", d.Title, d.Scope, doc)
		return doc, false, err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, err
	}
	res, err := t.exec(ctx, "INSERT INTO search_docs (kind, id, title, scope) VALUES (?, ?, ?, ?)", d.Kind, d.ID, d.Title, d.Scope)
	if err != nil {
		return 0, false, err
	}
	doc, err = res.LastInsertId()
	return doc, true, err
}

// indexAttributes inserts the attributes of a document, one row a
// statement: a statement of several rows would open a statement journal
// (see the migration's note on savepoints).
func (t *tx) indexAttributes(ctx context.Context, doc int64, attrs map[string][]string) error {
	for _, name := range sortedKeys(attrs) {
		for _, v := range attrs[name] {
			if _, err := t.exec(ctx, "INSERT OR IGNORE INTO search_attrs (doc, name, value) VALUES (?, ?, ?)", doc, name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// Unindex removes a document in the transaction.
func (t *tx) Unindex(ctx context.Context, kind, id string) error {
	if err := t.writable(); err != nil {
		return err
	}
	var doc int64
	err := t.q.QueryRowContext(ctx, "DELETE FROM search_docs WHERE kind = ? AND id = ? RETURNING doc", kind, id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	for _, q := range []string{"DELETE FROM search_text WHERE rowid = ?", "DELETE FROM search_attrs WHERE doc = ?"} {
		if err == nil {
			_, err = t.exec(ctx, q, doc)
		}
	}
	if err != nil {
		return fmt.Errorf("sqlite: unindex %s %s: %w", kind, id, err)
	}
	return nil
}

// Search runs q: FTS5 MATCH for the text, ranked by bm25.
func (t *tx) Search(ctx context.Context, q store.SearchQuery) (store.SearchResult, error) {
	var res store.SearchResult
	if q.Kind == "" || q.Offset < 0 || q.Limit < 0 {
		return res, errors.New("store: search needs a kind and a non-negative offset and limit")
	}
	counted, countArgs := hitsSQL(q, drive)
	text := len(store.SearchTerms(q.Text)) > 0
	if text {
		// The text index is read once: the hits are materialized,
		// counted and sorted in one statement.
		var err error
		if res.IDs, res.Total, err = t.page(ctx, q, counted, countArgs, true); err != nil {
			return res, err
		}
	}
	if !text || (len(res.IDs) == 0 && q.Offset > 0) {
		if err := t.q.QueryRowContext(ctx, "SELECT count(*) FROM ("+counted+")", countArgs...).Scan(&res.Total); err != nil {
			return res, fmt.Errorf("sqlite: search %s: %w", q.Kind, err)
		}
	}
	if !text {
		mode := member
		if res.Total > probeAbove {
			mode = probe
		}
		hits, args := hitsSQL(q, mode)
		var err error
		if res.IDs, _, err = t.page(ctx, q, hits, args, false); err != nil {
			return res, err
		}
	}
	var err error
	if len(q.Facets) > 0 {
		if res.Facets, err = t.facets(ctx, q, counted, countArgs); err != nil {
			return res, err
		}
	}
	return res, nil
}

// hitsMode is how hitsSQL tests a search's filters.
type hitsMode int

const (
	// member tests membership in the set of documents each filter
	// selects, built once: best when the text or a small set drives.
	member hitsMode = iota
	// drive starts from the documents of the first filter, for counting:
	// counting a filter that holds for a third of 100,000 documents then
	// takes a third of the time.
	drive
	// probe looks each document's attributes up, for a page in title
	// order from the title index: best when the filters hold for many
	// documents, so a page fills after a few probes.
	probe
)

// hitsSQL returns the query of the matching documents (doc, id, title
// and, for a text search, score: a lower score is a better match) and its
// arguments. A text search always starts from the text index.
func hitsSQL(q store.SearchQuery, mode hitsMode) (string, []any) {
	var b strings.Builder
	var args []any
	terms := store.SearchTerms(q.Text)
	filters := sortedKeys(q.Filters)
	switch {
	case len(terms) > 0:
		b.WriteString("SELECT d.doc, d.id, d.title, bm25(search_text, " + bm25Weights + ") AS score FROM search_text JOIN search_docs d ON d.doc = search_text.rowid WHERE search_text MATCH ? AND d.kind = ?")
		args = append(args, matchExpr(terms), q.Kind)
		mode = member
	case mode == drive && len(filters) > 0:
		b.WriteString("SELECT d.doc, d.id, d.title FROM (SELECT DISTINCT a.doc FROM search_attrs a WHERE a.name = ? AND a.value IN (SELECT value FROM json_each(?))) f CROSS JOIN search_docs d ON d.doc = f.doc WHERE d.kind = ?")
		args = append(args, filters[0], jsonStrings(q.Filters[filters[0]]), q.Kind)
		filters = filters[1:]
	default:
		b.WriteString("SELECT d.doc, d.id, d.title FROM search_docs d WHERE d.kind = ?")
		args = append(args, q.Kind)
	}
	b.WriteString(" AND d.scope IN (SELECT value FROM json_each(?))")
	args = append(args, jsonStrings(append([]string{""}, q.Scopes...)))
	if q.IDs != nil {
		b.WriteString(" AND d.id IN (SELECT value FROM json_each(?))")
		args = append(args, jsonStrings(q.IDs))
	}
	for _, name := range filters {
		if mode == probe {
			b.WriteString(" AND EXISTS (SELECT 1 FROM search_attrs a WHERE a.doc = d.doc AND a.name = ? AND a.value IN (SELECT value FROM json_each(?)))")
		} else {
			b.WriteString(" AND d.doc IN (SELECT a.doc FROM search_attrs a WHERE a.name = ? AND a.value IN (SELECT value FROM json_each(?)))")
		}
		args = append(args, name, jsonStrings(q.Filters[name]))
	}
	return b.String(), args
}

// probeAbove is the number of matches above which a page without text
// probes each document's filters (see probe) rather than building the
// sets of documents the filters select: with at least 1,000 matches a
// page of 20 needs about 2,000 probes at worst in 100,000 documents.
const probeAbove = 1000

// matchExpr is the FTS5 query of the terms: each a quoted prefix, all
// required. Terms hold only letters and digits, so quoting is safe.
func matchExpr(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + t + `"*`
	}
	return strings.Join(parts, " ")
}

// page returns one page of the hits' ids and, when withTotal is set and
// the page is not empty, the number of hits.
func (t *tx) page(ctx context.Context, q store.SearchQuery, hits string, args []any, withTotal bool) (ids []string, total int, err error) {
	dir := ""
	if q.Ascending {
		dir = " DESC"
	}
	// Without text every score is equal: ordering by title alone lets
	// the title index give the page without sorting every hit.
	order := "title" + dir + ", id" + dir
	if len(store.SearchTerms(q.Text)) > 0 {
		order = "score" + dir + ", " + order
	}
	query := "SELECT id, 0 FROM (" + hits + ") ORDER BY " + order
	if withTotal {
		query = "WITH hits AS MATERIALIZED (" + hits + ") SELECT id, (SELECT count(*) FROM hits) FROM hits ORDER BY " + order
	}
	args = append([]any(nil), args...)
	if q.Limit > 0 || q.Offset > 0 {
		limit := q.Limit
		if limit == 0 {
			limit = -1
		}
		query += " LIMIT ? OFFSET ?"
		args = append(args, limit, q.Offset)
	}
	rows, err := t.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: search %s: %w", q.Kind, err)
	}
	defer rows.Close()
	ids = []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id, &total); err != nil {
			return nil, 0, fmt.Errorf("sqlite: search %s: %w", q.Kind, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("sqlite: search %s: %w", q.Kind, err)
	}
	return ids, total, nil
}

func (t *tx) facets(ctx context.Context, q store.SearchQuery, hits string, args []any) (map[string]map[string]int, error) {
	query := "SELECT a.name, a.value, count(*) FROM search_attrs a WHERE a.name IN (SELECT value FROM json_each(?)) AND a.doc IN (SELECT doc FROM (" + hits + ")) GROUP BY a.name, a.value"
	rows, err := t.q.QueryContext(ctx, query, append([]any{jsonStrings(q.Facets)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: search facets %s: %w", q.Kind, err)
	}
	defer rows.Close()
	out := map[string]map[string]int{}
	for _, f := range q.Facets {
		out[f] = map[string]int{}
	}
	for rows.Next() {
		var name, value string
		var n int
		if err := rows.Scan(&name, &value, &n); err != nil {
			return nil, fmt.Errorf("sqlite: search facets %s: %w", q.Kind, err)
		}
		out[name][value] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: search facets %s: %w", q.Kind, err)
	}
	return out, nil
}
