package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"gatehouse/store"
)

var _ store.Searcher = (*tx)(nil)

// Index adds or replaces a document in the transaction.
func (t *tx) Index(ctx context.Context, d store.Document) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := store.CheckDocument(d); err != nil {
		return err
	}
	keywords := strings.Join(append(slices.Clone(d.Keywords), d.Categories...), "\n")
	_, err := t.exec(ctx, `INSERT INTO search_docs (kind, id, title, scope, attrs, tsv) VALUES ($1, $2, $3, $8, $4,
			setweight(to_tsvector('english', $3), 'A') || setweight(to_tsvector('english', $5), 'B') ||
			setweight(to_tsvector('english', $6), 'C') || setweight(to_tsvector('english', $7), 'D'))
		ON CONFLICT (kind, id) DO UPDATE SET title = excluded.title, scope = excluded.scope, attrs = excluded.attrs, tsv = excluded.tsv`,
		d.Kind, d.ID, d.Title, attrStrings(d.Attributes), keywords, d.ShortDescription, d.LongDescription, d.Scope)
	if err != nil {
		return fmt.Errorf("postgres: index %s %s: %w", d.Kind, d.ID, err)
	}
	return nil
}

// attrStrings flattens attributes to "name=value" strings.
func attrStrings(attrs map[string][]string) []string {
	out := []string{}
	for name, values := range attrs {
		for _, v := range values {
			out = append(out, name+"="+v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Unindex removes a document in the transaction.
func (t *tx) Unindex(ctx context.Context, kind, id string) error {
	if err := t.writable(); err != nil {
		return err
	}
	if _, err := t.exec(ctx, "DELETE FROM search_docs WHERE kind = $1 AND id = $2", kind, id); err != nil {
		return fmt.Errorf("postgres: unindex %s %s: %w", kind, id, err)
	}
	return nil
}

// Search runs q: the text as a tsquery of required prefixes, ranked by
// ts_rank.
func (t *tx) Search(ctx context.Context, q store.SearchQuery) (store.SearchResult, error) {
	var res store.SearchResult
	if q.Kind == "" || q.Offset < 0 || q.Limit < 0 {
		return res, errors.New("store: search needs a kind and a non-negative offset and limit")
	}
	hits, args := hitsSQL(q, false)
	// A text search reads the text index once, counting the hits as it
	// sorts them; a search without text counts from the indexes and takes
	// its page in title order.
	text := len(store.SearchTerms(q.Text)) > 0
	var err error
	if res.IDs, res.Total, err = t.page(ctx, q, hits, args, text); err != nil {
		return res, err
	}
	if !text || (len(res.IDs) == 0 && q.Offset > 0) {
		if err := t.tx.QueryRow(ctx, "SELECT count(*) FROM ("+hits+") h", args...).Scan(&res.Total); err != nil {
			return res, fmt.Errorf("postgres: search %s: %w", q.Kind, t.note(err))
		}
	}
	if len(q.Facets) > 0 {
		withAttrs, attrArgs := hitsSQL(q, true)
		if res.Facets, err = t.facets(ctx, q, withAttrs, attrArgs); err != nil {
			return res, err
		}
	}
	return res, nil
}

// hitsSQL returns the query of the matching documents (id, title, score:
// a higher score is a better match; and attrs when withAttrs is set,
// which makes every row wide for sorting) and its arguments.
func hitsSQL(q store.SearchQuery, withAttrs bool) (string, []any) {
	args := []any{q.Kind}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	score, where := "0::real", "d.kind = $1"
	if terms := store.SearchTerms(q.Text); len(terms) > 0 {
		tsq := "to_tsquery('english', " + arg(tsQuery(terms)) + ")"
		score = "ts_rank(d.tsv, " + tsq + ")"
		where += " AND d.tsv @@ " + tsq
	}
	where += " AND d.scope = ANY(" + arg(append([]string{""}, q.Scopes...)) + "::text[])"
	if q.IDs != nil {
		where += " AND d.id = ANY(" + arg(q.IDs) + "::text[])"
	}
	names := make([]string, 0, len(q.Filters))
	for name := range q.Filters {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		where += " AND d.attrs && " + arg(attrStrings(map[string][]string{name: q.Filters[name]})) + "::text[]"
	}
	cols := "d.id, d.title, "
	if withAttrs {
		cols += "d.attrs, "
	}
	return "SELECT " + cols + score + " AS score FROM search_docs d WHERE " + where, args
}

// tsQuery is the tsquery text of the terms: each a prefix, all required.
// Terms hold only letters and digits, so they need no quoting.
func tsQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t + ":*"
	}
	return strings.Join(parts, " & ")
}

// page returns one page of the hits' ids and, when withTotal is set and
// the page is not empty, the number of hits.
func (t *tx) page(ctx context.Context, q store.SearchQuery, hits string, args []any, withTotal bool) (ids []string, total int, err error) {
	dir, scoreDir := "", " DESC"
	if q.Ascending {
		dir, scoreDir = " DESC", ""
	}
	order := "title" + dir + ", id" + dir
	if len(store.SearchTerms(q.Text)) > 0 {
		order = "score" + scoreDir + ", " + order
	}
	total64 := "0::bigint"
	if withTotal {
		total64 = "count(*) OVER ()"
	}
	query := "SELECT id, " + total64 + " FROM (" + hits + ") h ORDER BY " + order
	args = slices.Clone(args)
	if q.Limit > 0 {
		args = append(args, q.Limit)
		query += " LIMIT $" + strconv.Itoa(len(args))
	}
	if q.Offset > 0 {
		args = append(args, q.Offset)
		query += " OFFSET $" + strconv.Itoa(len(args))
	}
	rows, err := t.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: search %s: %w", q.Kind, t.note(err))
	}
	ids = []string{}
	var id string
	var n int64
	_, err = pgx.ForEachRow(rows, []any{&id, &n}, func() error {
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: search %s: %w", q.Kind, t.note(err))
	}
	return ids, int(n), nil
}

func (t *tx) facets(ctx context.Context, q store.SearchQuery, hits string, args []any) (map[string]map[string]int, error) {
	args = append(slices.Clone(args), q.Facets)
	query := "SELECT a, count(*) FROM (" + hits + ") h, unnest(h.attrs) a WHERE split_part(a, '=', 1) = ANY($" + strconv.Itoa(len(args)) + "::text[]) GROUP BY a"
	rows, err := t.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search facets %s: %w", q.Kind, t.note(err))
	}
	out := map[string]map[string]int{}
	for _, f := range q.Facets {
		out[f] = map[string]int{}
	}
	var a string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&a, &n}, func() error {
		name, value, _ := strings.Cut(a, "=")
		out[name][value] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: search facets %s: %w", q.Kind, t.note(err))
	}
	return out, nil
}
