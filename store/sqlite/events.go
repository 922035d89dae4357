package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

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
	return s.Update(ctx, func(t store.Tx) error { return t.AppendEvents(ctx, events...) })
}

// insertEvents inserts events and their resource index rows. The two
// statements are prepared once per call, not parsed again per event:
// batches of audit events are the store's busiest write.
func insertEvents(ctx context.Context, q querier, events []store.Event) error {
	if err := sqlstore.CheckEvents(events); err != nil {
		return err
	}
	insert, err := q.PrepareContext(ctx, `INSERT INTO events
		(id, time_ns, account, name, source, username, access_key_id, read_only, resources, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("sqlite: prepare event insert: %w", err)
	}
	defer insert.Close()
	index, err := q.PrepareContext(ctx, "INSERT INTO event_resources (event_id, name) VALUES (?, ?)")
	if err != nil {
		return fmt.Errorf("sqlite: prepare event resource insert: %w", err)
	}
	defer index.Close()
	for _, e := range events {
		if err := insertEvent(ctx, insert, index, e); err != nil {
			return fmt.Errorf("sqlite: append event %s: %w", e.ID, err)
		}
	}
	return nil
}

func insertEvent(ctx context.Context, insert, index *sql.Stmt, e store.Event) error {
	resources, err := json.Marshal(nonNil(e.Resources))
	if err != nil {
		return err
	}
	body := e.Body
	if body == nil {
		body = []byte{}
	}
	_, err = insert.ExecContext(ctx, e.ID, e.Time.UnixNano(), e.Account, e.Name, e.Source, e.Username, e.AccessKeyID, e.ReadOnly, string(resources), body)
	if err != nil {
		return err
	}
	for _, name := range sqlstore.Resources(e) {
		if _, err := index.ExecContext(ctx, e.ID, name); err != nil {
			return err
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
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
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: lookup events: %w", err)
	}
	defer rows.Close()
	var out []store.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: lookup events: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: lookup events: %w", err)
	}
	return out, nil
}

// scanner is what *sql.Rows offers.
type scanner interface{ Scan(dest ...any) error }

// scanEvent reads one row of sqlstore.EventColumns.
func scanEvent(row scanner) (store.Event, error) {
	var e store.Event
	var ns int64
	var resources string
	err := row.Scan(&e.ID, &ns, &e.Account, &e.Name, &e.Source, &e.Username, &e.AccessKeyID, &e.ReadOnly, &resources, &e.Body)
	if err != nil {
		return store.Event{}, err
	}
	e.Time = time.Unix(0, ns).UTC()
	if err := json.Unmarshal([]byte(resources), &e.Resources); err != nil {
		return store.Event{}, fmt.Errorf("event %s resources: %w", e.ID, err)
	}
	if len(e.Resources) == 0 {
		e.Resources = nil
	}
	return e, nil
}
