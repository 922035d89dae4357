// Package store defines how Gatehouse persists its state: entity records
// grouped by kind, audit events, and a generation counter that tells
// caches when policies, attachments or memberships changed.
//
// Stores hold no business rules. A service reads and writes records in a
// transaction and decides what is valid; the store only keeps what it is
// given, durably once a transaction commits. Implementations live in
// store/sqlite and store/postgres and are held to the same contract by
// store/storetest.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is returned for a record that does not exist.
var ErrNotFound = errors.New("store: record not found")

// ErrConflict is returned by Update when the transaction lost a race with
// another writer and was retried too often.
var ErrConflict = errors.New("store: transaction conflict")

// Store is a transactional record and event store.
type Store interface {
	// Update runs fn in a read-write transaction and commits it when fn
	// returns nil; the changes are durable when Update returns nil.
	// Transactions are serializable. fn may run more than once when the
	// store retries a transaction that conflicted with another writer, so
	// it must not have effects outside tx.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// AppendEvents stores audit events outside any other transaction.
	AppendEvents(ctx context.Context, events ...Event) error
	// LookupEvents returns events matching q, newest first.
	LookupEvents(ctx context.Context, q EventQuery) ([]Event, error)
	// Generation returns the current generation counter.
	Generation(ctx context.Context) (int64, error)
	// Subscribe calls fn with the new generation after every committed
	// transaction that bumped it, in this process or, for stores shared by
	// several Gatehouse instances, in another. fn must not block. The
	// returned function stops the calls.
	Subscribe(fn func(generation int64)) (cancel func())
	// Reset deletes every record and event and bumps the generation.
	Reset(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// Tx is a transaction. Its methods must be called only inside the Update
// or View callback that received it.
type Tx interface {
	// Get returns the record of the given kind and id, or ErrNotFound.
	Get(ctx context.Context, kind, id string) (Record, error)
	// Put inserts a record, or replaces the one with the same kind and id.
	Put(ctx context.Context, r Record) error
	// Delete removes a record, or returns ErrNotFound.
	Delete(ctx context.Context, kind, id string) error
	// List returns records of q.Kind matching q, ordered by id.
	List(ctx context.Context, q Query) ([]Record, error)
	// BumpGeneration increments the generation counter when the
	// transaction commits.
	BumpGeneration(ctx context.Context) error
	// AppendEvents stores audit events with the transaction, so that a
	// write and its event commit together.
	AppendEvents(ctx context.Context, events ...Event) error
}

// Record is one stored entity: a JSON body with the fields the store
// indexes.
type Record struct {
	Kind string
	ID   string
	// Parent is an indexed reference to another record's id, such as the
	// parent of an OU or the target of a policy attachment; "" for none.
	Parent string
	// Name is an indexed secondary key, such as an OU name or an access
	// key id; "" for none.
	Name string
	// Body is the record's JSON document.
	Body []byte
}

// Query selects records of one kind. Empty fields do not filter.
type Query struct {
	Kind   string
	Parent string
	Name   string
	// After returns only records whose id sorts after it, for paging.
	After string
	// Limit bounds the number of records; 0 means no bound.
	Limit int
}

// Event is an audit event: the CloudTrail record as JSON with the fields
// LookupEvents filters on.
type Event struct {
	ID          string
	Time        time.Time
	Account     string // the account the event belongs to (recipientAccountId)
	Name        string // eventName
	Source      string // eventSource, such as organizations.amazonaws.com
	Username    string
	AccessKeyID string
	ReadOnly    bool
	// Resources are the names of the resources the event is about.
	Resources []string
	// Body is the CloudTrail record as JSON.
	Body []byte
}

// EventQuery selects events for LookupEvents. Empty fields do not filter.
type EventQuery struct {
	Account string
	// Attribute and Value filter on one lookup attribute: EventId,
	// EventName, EventSource, Username, AccessKeyId, ReadOnly ("true" or
	// "false") or ResourceName.
	Attribute, Value string
	// Start and End bound the event time, inclusive; zero means no bound.
	Start, End time.Time
	// Before returns only events older than this cursor, for paging: the
	// cursor of the last event of the previous page (see Event.Cursor).
	Before string
	// Limit bounds the number of events; 0 means no bound.
	Limit int
}

// Cursor returns the paging position of the event, for EventQuery.Before.
func (e Event) Cursor() string {
	return fmt.Sprintf("%020d/%s", e.Time.UnixNano(), e.ID)
}

// Get reads the record of kind and id into a value of type T.
func Get[T any](ctx context.Context, tx Tx, kind, id string) (T, error) {
	var v T
	r, err := tx.Get(ctx, kind, id)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(r.Body, &v); err != nil {
		return v, fmt.Errorf("store: decode %s %s: %w", kind, id, err)
	}
	return v, nil
}

// Put stores v as the body of the record r.
func Put(ctx context.Context, tx Tx, r Record, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encode %s %s: %w", r.Kind, r.ID, err)
	}
	r.Body = body
	return tx.Put(ctx, r)
}

// List reads the records matching q into values of type T.
func List[T any](ctx context.Context, tx Tx, q Query) ([]T, error) {
	recs, err := tx.List(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(recs))
	for _, r := range recs {
		var v T
		if err := json.Unmarshal(r.Body, &v); err != nil {
			return nil, fmt.Errorf("store: decode %s %s: %w", r.Kind, r.ID, err)
		}
		out = append(out, v)
	}
	return out, nil
}
