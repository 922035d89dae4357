package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"gatehouse/store"
	"gatehouse/store/internal/sqlstore"
)

// AppendEvents stores events in a transaction of their own. Each event
// needs an ID and a Time; an ID already stored fails the call and stores
// none of the events.
func (s *Store) AppendEvents(ctx context.Context, events ...store.Event) error {
	if len(events) == 0 {
		return nil
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return insertEvents(ctx, tx, events) })
	if err != nil {
		return fmt.Errorf("postgres: append events: %w", err)
	}
	return nil
}

// insertEvents inserts events and their resource index rows in one round
// trip.
func insertEvents(ctx context.Context, tx pgx.Tx, events []store.Event) error {
	if err := sqlstore.CheckEvents(events); err != nil {
		return err
	}
	b := &pgx.Batch{}
	for _, e := range events {
		queueEvent(b, e)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("postgres: append events: %w", err)
	}
	return nil
}

func queueEvent(b *pgx.Batch, e store.Event) {
	body := e.Body
	if body == nil {
		body = []byte{}
	}
	resources := e.Resources
	if resources == nil {
		resources = []string{}
	}
	b.Queue(`INSERT INTO events
		(id, time_ns, account, name, source, username, access_key_id, read_only, resources, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.ID, e.Time.UnixNano(), e.Account, e.Name, e.Source, e.Username, e.AccessKeyID, e.ReadOnly, resources, body)
	if names := sqlstore.Resources(e); len(names) > 0 {
		b.Queue("INSERT INTO event_resources (event_id, name) SELECT $1, unnest($2::text[])", e.ID, names)
	}
}

// LookupEvents returns the events matching q, newest first; events of the
// same time come in descending id order, which Event.Cursor follows. An
// unknown attribute, a ReadOnly value other than "true" or "false", or a
// malformed Before cursor is an error.
func (s *Store) LookupEvents(ctx context.Context, q store.EventQuery) ([]store.Event, error) {
	query, args, err := sqlstore.LookupSQL(q, placeholder)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: lookup events: %w", err)
	}
	evs, err := pgx.CollectRows(rows, scanEvent)
	if err != nil {
		return nil, fmt.Errorf("postgres: lookup events: %w", err)
	}
	return evs, nil
}

// scanEvent reads one row of sqlstore.EventColumns.
func scanEvent(row pgx.CollectableRow) (store.Event, error) {
	var e store.Event
	var ns int64
	err := row.Scan(&e.ID, &ns, &e.Account, &e.Name, &e.Source, &e.Username, &e.AccessKeyID, &e.ReadOnly, &e.Resources, &e.Body)
	if err != nil {
		return store.Event{}, err
	}
	e.Time = time.Unix(0, ns).UTC()
	if len(e.Resources) == 0 {
		e.Resources = nil
	}
	return e, nil
}
