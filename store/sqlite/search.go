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
	var doc int64
	err := t.q.QueryRowContext(ctx, `INSERT INTO search_docs (kind, id, title) VALUES (?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET title = excluded.title RETURNING doc`, d.Kind, d.ID, d.Title).Scan(&doc)
	if err != nil {
		return fmt.Errorf("sqlite: index %s %s: %w", d.Kind, d.ID, err)
	}
	stmts := []struct {
		sql  string
		args []any
	}{
		{"DELETE FROM search_text WHERE rowid = ?", []any{doc}},
		{"INSERT INTO search_text (rowid, title, short_description, long_description, categories, keywords) VALUES (?, ?, ?, ?, ?, ?)",
			[]any{doc, d.Title, d.ShortDescription, d.LongDescription, strings.Join(d.Categories, "\n"), strings.Join(d.Keywords, "\n")}},
		{"DELETE FROM search_attrs WHERE doc = ?", []any{doc}},
	}
	for _, s := range stmts {
		if _, err := t.q.ExecContext(ctx, s.sql, s.args...); err != nil {
			return fmt.Errorf("sqlite: index %s %s: %w", d.Kind, d.ID, err)
		}
	}
	for name, values := range d.Attributes {
		for _, v := range values {
			if _, err := t.q.ExecContext(ctx, "INSERT OR IGNORE INTO search_attrs (doc, name, value) VALUES (?, ?, ?)", doc, name, v); err != nil {
				return fmt.Errorf("sqlite: index %s %s: %w", d.Kind, d.ID, err)
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
	if err == nil {
		_, err = t.q.ExecContext(ctx, "DELETE FROM search_text WHERE rowid = ?", doc)
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
	hits, args := hitsSQL(q)
	if err := t.q.QueryRowContext(ctx, "SELECT count(*) FROM ("+hits+")", args...).Scan(&res.Total); err != nil {
		return res, fmt.Errorf("sqlite: search %s: %w", q.Kind, err)
	}
	ids, err := t.page(ctx, q, hits, args)
	if err != nil {
		return res, err
	}
	res.IDs = ids
	if len(q.Facets) > 0 {
		if res.Facets, err = t.facets(ctx, q, hits, args); err != nil {
			return res, err
		}
	}
	return res, nil
}

// hitsSQL returns the query of the matching documents (doc, id, title,
// score; a lower score is a better match) and its arguments.
func hitsSQL(q store.SearchQuery) (string, []any) {
	var b strings.Builder
	var args []any
	terms := store.SearchTerms(q.Text)
	if len(terms) > 0 {
		b.WriteString("SELECT d.doc, d.id, d.title, bm25(search_text, " + bm25Weights + ") AS score FROM search_text JOIN search_docs d ON d.doc = search_text.rowid WHERE search_text MATCH ? AND d.kind = ?")
		args = append(args, matchExpr(terms), q.Kind)
	} else {
		b.WriteString("SELECT d.doc, d.id, d.title, 0 AS score FROM search_docs d WHERE d.kind = ?")
		args = append(args, q.Kind)
	}
	if q.IDs != nil {
		b.WriteString(" AND d.id IN (SELECT value FROM json_each(?))")
		args = append(args, jsonStrings(q.IDs))
	}
	for _, name := range sortedKeys(q.Filters) {
		b.WriteString(" AND d.doc IN (SELECT a.doc FROM search_attrs a WHERE a.name = ? AND a.value IN (SELECT value FROM json_each(?)))")
		args = append(args, name, jsonStrings(q.Filters[name]))
	}
	return b.String(), args
}

// matchExpr is the FTS5 query of the terms: each a quoted prefix, all
// required. Terms hold only letters and digits, so quoting is safe.
func matchExpr(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + t + `"*`
	}
	return strings.Join(parts, " ")
}

func (t *tx) page(ctx context.Context, q store.SearchQuery, hits string, args []any) ([]string, error) {
	dir := ""
	if q.Ascending {
		dir = " DESC"
	}
	query := "SELECT id FROM (" + hits + ") ORDER BY score" + dir + ", title" + dir + ", id" + dir
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
		return nil, fmt.Errorf("sqlite: search %s: %w", q.Kind, err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: search %s: %w", q.Kind, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: search %s: %w", q.Kind, err)
	}
	return ids, nil
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
