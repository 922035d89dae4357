package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gatehouse/store"
	"gatehouse/store/internal/sqlstore"
)

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// tx is the store.Tx of Update and View.
type tx struct {
	q        querier
	readOnly bool
	bump     bool // BumpGeneration was called; the counter moves at commit
	// stmts are the statements prepared in the transaction, by text; the
	// transaction's end closes them.
	stmts map[string]*sql.Stmt
}

// stmt returns the statement of query, prepared once per transaction: a
// transaction that writes thousands of records, such as an import,
// parses each statement once instead of once a record.
func (t *tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := t.stmts[query]; ok {
		return s, nil
	}
	s, err := t.q.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = s
	return s, nil
}

// exec runs a statement through the transaction's statement cache.
func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// queryRow runs a query of one row through the statement cache; a
// failed preparation is reported by Scan.
func (t *tx) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

// rowScanner is a *sql.Row, or errRow.
type rowScanner interface{ Scan(dest ...any) error }

// errRow is a row whose statement failed to prepare.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

var _ store.Tx = (*tx)(nil)

// placeholder is SQLite's positional placeholder.
func placeholder(int) string { return "?" }

// Get returns the record of kind and id, or store.ErrNotFound.
func (t *tx) Get(ctx context.Context, kind, id string) (store.Record, error) {
	r := store.Record{Kind: kind, ID: id}
	err := t.queryRow(ctx, "SELECT parent, name, body FROM records WHERE kind = ? AND id = ?", kind, id).
		Scan(&r.Parent, &r.Name, &r.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Record{}, fmt.Errorf("sqlite: get %s %s: %w", kind, id, store.ErrNotFound)
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("sqlite: get %s %s: %w", kind, id, err)
	}
	return r, nil
}

// Put inserts r or replaces the record with the same kind and id. Kind
// and ID must not be empty.
func (t *tx) Put(ctx context.Context, r store.Record) error {
	if err := t.writable(); err != nil {
		return err
	}
	if err := sqlstore.CheckRecord(r); err != nil {
		return err
	}
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	_, err := t.exec(ctx, `INSERT INTO records (kind, id, parent, name, body) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET parent = excluded.parent, name = excluded.name, body = excluded.body`,
		r.Kind, r.ID, r.Parent, r.Name, body)
	if err != nil {
		return fmt.Errorf("sqlite: put %s %s: %w", r.Kind, r.ID, err)
	}
	return nil
}

// Delete removes the record of kind and id, or returns store.ErrNotFound.
func (t *tx) Delete(ctx context.Context, kind, id string) error {
	if err := t.writable(); err != nil {
		return err
	}
	res, err := t.exec(ctx, "DELETE FROM records WHERE kind = ? AND id = ?", kind, id)
	if err != nil {
		return fmt.Errorf("sqlite: delete %s %s: %w", kind, id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: delete %s %s: %w", kind, id, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: delete %s %s: %w", kind, id, store.ErrNotFound)
	}
	return nil
}

// List returns the records of q.Kind matching q, ordered by id in byte
// order. q.Kind must not be empty.
func (t *tx) List(ctx context.Context, q store.Query) ([]store.Record, error) {
	query, args, err := sqlstore.ListSQL(q, placeholder)
	if err != nil {
		return nil, err
	}
	rows, err := t.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list %s: %w", q.Kind, err)
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		var r store.Record
		if err := rows.Scan(&r.Kind, &r.ID, &r.Parent, &r.Name, &r.Body); err != nil {
			return nil, fmt.Errorf("sqlite: list %s: %w", q.Kind, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list %s: %w", q.Kind, err)
	}
	return out, nil
}

// BumpGeneration makes the transaction increment the generation counter
// once when it commits, however often it is called.
func (t *tx) BumpGeneration(context.Context) error {
	if err := t.writable(); err != nil {
		return err
	}
	t.bump = true
	return nil
}

// AppendEvents stores events with the transaction. Each event needs an ID
// and a Time; an ID already stored fails the call.
func (t *tx) AppendEvents(ctx context.Context, events ...store.Event) error {
	if err := t.writable(); err != nil {
		return err
	}
	return insertEvents(ctx, t.q, events)
}

func (t *tx) writable() error {
	if t.readOnly {
		return sqlstore.ErrReadOnly
	}
	return nil
}
