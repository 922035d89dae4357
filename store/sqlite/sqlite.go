// Package sqlite is the embedded Gatehouse store: one SQLite database file
// accessed through modernc.org/sqlite, which needs no cgo.
//
// The database runs in WAL mode with synchronous=FULL, so a transaction is
// on disk when Update returns, and with foreign keys enforced. Writes go
// through a single connection, so writers in one process queue instead of
// failing with SQLITE_BUSY; reads use a pool of query-only connections and
// run concurrently with the writer, each on a consistent snapshot. Another
// process writing the same file waits for the write lock up to the busy
// timeout.
//
// Subscribe sees the commits of this Store only: SQLite has no way to tell
// one process about another's commits, and a file is meant to be served by
// one Gatehouse instance. Use store/postgres to run several instances.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"gatehouse/store"
	"gatehouse/store/internal/sqlstore"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// busyTimeoutMS bounds how long a connection waits for a lock another
// connection or process holds.
const busyTimeoutMS = 10000

// Store is a store.Store kept in one SQLite file. It is safe for
// concurrent use.
type Store struct {
	w *sql.DB // one connection: every write transaction
	// gate admits write transactions one at a time in the order they
	// arrive (a channel's waiting senders are served first come, first
	// served). Left to the pool, the one connection went to a waiter
	// picked at random, and under a burst of writes the unlucky ones
	// waited many times longer than the rest.
	gate chan struct{}
	r    *sql.DB // query-only connections: View, LookupEvents, Generation
	// ck is the checkpointer's connection: the WAL is copied into the
	// database file in the background, not by whichever commit crossed
	// the WAL's size limit (which then took tens of milliseconds, and
	// every queued write with it).
	ck            *sql.DB
	stop, stopped chan struct{}
	notify        sqlstore.Notifier

	closeOnce sync.Once
	closeErr  error
}

var _ store.Store = (*Store)(nil)

// Open opens the database file at path, creating it when it does not
// exist, and applies the schema migrations it lacks. Several Stores may
// open the same file, but Subscribe only sees its own Store's commits.
func Open(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w, err := openDB(abs, writerParams(), 1)
	if err != nil {
		return nil, err
	}
	if err := migrate(context.Background(), w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r, err := openDB(abs, readerParams(), max(4, runtime.NumCPU()))
	if err != nil {
		w.Close()
		return nil, err
	}
	ck, err := openDB(abs, checkpointerParams(), 1)
	if err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	s := &Store{w: w, r: r, gate: make(chan struct{}, 1), ck: ck, stop: make(chan struct{}), stopped: make(chan struct{})}
	go s.checkpoint()
	gen, err := s.Generation(context.Background())
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.notify.Start(gen)
	return s, nil
}

// writerParams are the connection settings of the write connection. The
// writer begins its transactions IMMEDIATE, taking the write lock up
// front, so a transaction never fails to upgrade a read lock midway. Its
// page cache (32 MB) holds the hot index pages of the audit tables. The
// checkpointer keeps the WAL short; a commit checkpoints only when the
// WAL has reached 100,000 pages (400 MB), a backstop should the
// checkpointer fall behind.
func writerParams() url.Values {
	return url.Values{
		"_busy_timeout": {fmt.Sprint(busyTimeoutMS)},
		"_journal_mode": {"WAL"},
		"_synchronous":  {"FULL"},
		"_foreign_keys": {"1"},
		"_txlock":       {"immediate"},
		"_pragma":       {"cache_size(-32000)", "wal_autocheckpoint(100000)"},
	}
}

// checkpointerParams are the settings of the checkpointer's connection.
func checkpointerParams() url.Values {
	return url.Values{"_busy_timeout": {fmt.Sprint(busyTimeoutMS)}, "_synchronous": {"FULL"}}
}

// checkpointInterval is how often the checkpointer copies the WAL into
// the database file.
const checkpointInterval = 200 * time.Millisecond

// checkpoint runs passive checkpoints until Close: they copy committed
// WAL frames into the database file without blocking the writer or the
// readers, and let the WAL start over once it is all copied.
func (s *Store) checkpoint() {
	defer close(s.stopped)
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			// A failed checkpoint is retried on the next tick; the WAL
			// keeps every commit meanwhile.
			_, _ = s.ck.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}

// readerParams are the connection settings of the read connections,
// which refuse to write.
func readerParams() url.Values {
	return url.Values{
		"_busy_timeout": {fmt.Sprint(busyTimeoutMS)},
		"_synchronous":  {"FULL"},
		"_foreign_keys": {"1"},
		"_query_only":   {"1"},
	}
}

// openDB opens a connection pool on the file at the absolute path abs and
// checks that a connection can be made.
func openDB(abs string, params url.Values, conns int) (*sql.DB, error) {
	dsn := (&url.URL{Scheme: "file", Path: abs, RawQuery: params.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", abs, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", abs, err)
	}
	return db, nil
}

// Close closes the database. Calls after the first do nothing and return
// the first call's result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		<-s.stopped
		s.closeErr = errors.Join(s.r.Close(), s.w.Close(), s.ck.Close())
		if s.closeErr != nil {
			s.closeErr = fmt.Errorf("sqlite: close: %w", s.closeErr)
		}
	})
	return s.closeErr
}

// Update runs fn in a write transaction and commits it when fn returns
// nil; the commit is on disk when Update returns nil. Write transactions
// run one at a time, so they are serializable and never conflict: fn
// runs exactly once and Update never returns store.ErrConflict. fn's own
// error is returned as it is. A transaction that called BumpGeneration
// calls the subscribers before Update returns. fn must not call Update,
// Reset or the Store's AppendEvents, which would wait for the write
// connection fn holds; it may call View.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	gen, err := s.update(ctx, fn)
	if err != nil {
		return err
	}
	if gen > 0 {
		s.notify.Publish(gen)
	}
	return nil
}

// update runs one write transaction and returns the new generation when
// it bumped the counter, 0 otherwise.
func (s *Store) update(ctx context.Context, fn func(store.Tx) error) (int64, error) {
	select {
	case s.gate <- struct{}{}:
	case <-ctx.Done():
		return 0, fmt.Errorf("sqlite: begin: %w", ctx.Err())
	}
	defer func() { <-s.gate }()
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: begin: %w", err)
	}
	defer sqlTx.Rollback() // a no-op after Commit; undoes everything when fn fails or panics
	t := &tx{q: sqlTx}
	if err := fn(t); err != nil {
		return 0, err
	}
	var gen int64
	if t.bump {
		if gen, err = bumpGeneration(ctx, sqlTx); err != nil {
			return 0, err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return 0, fmt.Errorf("sqlite: commit: %w", err)
	}
	return gen, nil
}

// View runs fn in a read-only transaction on a consistent snapshot of the
// database, concurrently with writers and other readers. The write
// methods of its Tx fail. fn's own error is returned as it is.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	sqlTx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer sqlTx.Rollback()
	return fn(&tx{q: sqlTx, readOnly: true})
}

// Generation returns the committed generation counter.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var gen int64
	err := s.r.QueryRowContext(ctx, "SELECT generation FROM meta WHERE id = 1").Scan(&gen)
	if err != nil {
		return 0, fmt.Errorf("sqlite: read generation: %w", err)
	}
	return gen, nil
}

// Subscribe calls fn with the new generation after each commit of this
// Store that bumped it, before that Update returns, in increasing order
// and once per generation. Commits by other Stores or processes on the
// same file are not seen. fn must not block or call Update.
func (s *Store) Subscribe(fn func(generation int64)) (cancel func()) {
	return s.notify.Subscribe(fn)
}

// Reset deletes every record and event and bumps the generation, in one
// transaction.
func (s *Store) Reset(ctx context.Context) error {
	return s.Update(ctx, func(stx store.Tx) error {
		t := stx.(*tx)
		for _, table := range []string{"event_resources", "events", "records", "search_attrs", "search_text", "search_docs"} {
			if _, err := t.q.ExecContext(ctx, "DELETE FROM "+table); err != nil {
				return fmt.Errorf("sqlite: reset %s: %w", table, err)
			}
		}
		return t.BumpGeneration(ctx)
	})
}

// bumpGeneration increments the counter and returns its new value.
func bumpGeneration(ctx context.Context, q querier) (int64, error) {
	var gen int64
	err := q.QueryRowContext(ctx, "UPDATE meta SET generation = generation + 1 WHERE id = 1 RETURNING generation").Scan(&gen)
	if err != nil {
		return 0, fmt.Errorf("sqlite: bump generation: %w", err)
	}
	return gen, nil
}
