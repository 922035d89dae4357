package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"gatehouse/store"
	"gatehouse/store/internal/sqlstore"
)

// tx is the store.Tx of Update and View. It must not be used by several
// goroutines at once.
type tx struct {
	tx       pgx.Tx
	readOnly bool
	bump     bool // BumpGeneration was called; the counter moves at commit
	conflict bool // a statement failed with a serialization failure or deadlock
}

var _ store.Tx = (*tx)(nil)

// placeholder is PostgreSQL's numbered placeholder.
func placeholder(n int) string { return "$" + strconv.Itoa(n) }

// note records whether err is a conflict, so Update retries even when fn
// swallowed the error, and returns err.
func (t *tx) note(err error) error {
	if err != nil && isConflict(err) {
		t.conflict = true
	}
	return err
}

func (t *tx) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := t.tx.Exec(ctx, sql, args...)
	return tag, t.note(err)
}

// Get returns the record of kind and id, or store.ErrNotFound.
func (t *tx) Get(ctx context.Context, kind, id string) (store.Record, error) {
	r := store.Record{Kind: kind, ID: id}
	err := t.tx.QueryRow(ctx, "SELECT parent, name, body FROM records WHERE kind = $1 AND id = $2", kind, id).
		Scan(&r.Parent, &r.Name, &r.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Record{}, fmt.Errorf("postgres: get %s %s: %w", kind, id, store.ErrNotFound)
	}
	if err != nil {
		return store.Record{}, fmt.Errorf("postgres: get %s %s: %w", kind, id, t.note(err))
	}
	return r, nil
}

// Put inserts r or replaces the record with the same kind and id. Kind
// and ID must not be empty; no field may contain a NUL character, which
// PostgreSQL text cannot hold.
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
	_, err := t.exec(ctx, `INSERT INTO records (kind, id, parent, name, body) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (kind, id) DO UPDATE SET parent = excluded.parent, name = excluded.name, body = excluded.body`,
		r.Kind, r.ID, r.Parent, r.Name, body)
	if err != nil {
		return fmt.Errorf("postgres: put %s %s: %w", r.Kind, r.ID, err)
	}
	return nil
}

// Delete removes the record of kind and id, or returns store.ErrNotFound.
func (t *tx) Delete(ctx context.Context, kind, id string) error {
	if err := t.writable(); err != nil {
		return err
	}
	tag, err := t.exec(ctx, "DELETE FROM records WHERE kind = $1 AND id = $2", kind, id)
	if err != nil {
		return fmt.Errorf("postgres: delete %s %s: %w", kind, id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: delete %s %s: %w", kind, id, store.ErrNotFound)
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
	rows, err := t.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list %s: %w", q.Kind, t.note(err))
	}
	recs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Record, error) {
		var r store.Record
		err := row.Scan(&r.Kind, &r.ID, &r.Parent, &r.Name, &r.Body)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list %s: %w", q.Kind, t.note(err))
	}
	return recs, nil
}

// BumpGeneration makes the transaction increment the generation counter,
// and announce the new value, once when it commits, however often it is
// called. The counter row is written only at commit time, which keeps
// the window in which bumping transactions conflict short.
func (t *tx) BumpGeneration(context.Context) error {
	if err := t.writable(); err != nil {
		return err
	}
	t.bump = true
	return nil
}

// bumpGeneration increments the counter, queues the notification that
// goes out when the transaction commits, and returns the new value.
func (t *tx) bumpGeneration(ctx context.Context) (int64, error) {
	var gen int64
	err := t.tx.QueryRow(ctx, "UPDATE meta SET generation = generation + 1 WHERE id = 1 RETURNING generation").Scan(&gen)
	if err != nil {
		return 0, fmt.Errorf("postgres: bump generation: %w", t.note(err))
	}
	if _, err := t.exec(ctx, "SELECT pg_notify($1, $2)", Channel, strconv.FormatInt(gen, 10)); err != nil {
		return 0, fmt.Errorf("postgres: notify generation: %w", err)
	}
	return gen, nil
}

// AppendEvents stores events with the transaction. Each event needs an ID
// and a Time; an ID already stored fails the call.
func (t *tx) AppendEvents(ctx context.Context, events ...store.Event) error {
	if err := t.writable(); err != nil {
		return err
	}
	return t.note(insertEvents(ctx, t.tx, events))
}

func (t *tx) writable() error {
	if t.readOnly {
		return sqlstore.ErrReadOnly
	}
	return nil
}
