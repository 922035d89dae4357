// Package postgres is the Gatehouse store for running several Gatehouse
// instances on one PostgreSQL database, through pgx.
//
// Update runs at SERIALIZABLE isolation and retries a transaction that
// failed with a serialization failure or a deadlock, so callbacks must be
// safe to run more than once. View runs on a REPEATABLE READ, READ ONLY
// snapshot.
//
// The tables live in the first schema of the connection's search_path,
// so one database can hold several stores: put search_path in the URL,
// such as postgres://host/db?search_path=gatehouse, and create the schema
// beforehand. Migrations run at Open under a transaction-scoped advisory
// lock keyed by that schema, so instances starting together apply each
// migration once.
//
// Generation bumps are announced with NOTIFY on the channel
// gatehouse_generation, the new generation as payload, in the bumping
// transaction. Every Store listens on a connection of its own and calls
// its subscribers for the commits of other instances too; see Subscribe.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"gatehouse/store"
	"gatehouse/store/internal/sqlstore"
)

// Channel is the NOTIFY channel generation bumps are announced on.
const Channel = "gatehouse_generation"

// Store is a store.Store in a PostgreSQL schema. It is safe for
// concurrent use.
type Store struct {
	pool   *pgxpool.Pool
	notify sqlstore.Notifier

	stopListener context.CancelFunc
	listenerDone chan struct{}

	closeOnce sync.Once
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at url, a PostgreSQL URL or key=value
// connection string as pgx takes it (pool settings such as
// pool_max_conns included), applies the migrations the schema lacks and
// starts listening for generation notifications. ctx bounds Open only.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse connection string: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.start(ctx, cfg.ConnConfig); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// start migrates the schema, starts the listener and primes the notifier
// with the current generation. The listener starts first so no commit
// after start returns goes unheard.
func (s *Store) start(ctx context.Context, cc *pgx.ConnConfig) error {
	if err := migrate(ctx, s.pool); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	conn, err := listenConn(ctx, cc)
	if err != nil {
		return err
	}
	gen, err := s.Generation(ctx)
	if err != nil {
		conn.Close(context.Background())
		return err
	}
	s.notify.Start(gen)
	lctx, cancel := context.WithCancel(context.Background())
	s.stopListener = cancel
	s.listenerDone = make(chan struct{})
	go s.listen(lctx, conn, cc)
	return nil
}

// Close stops the listener and closes the connections. Calls after the
// first do nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.stopListener()
		<-s.listenerDone
		s.pool.Close()
	})
	return nil
}

// Generation returns the committed generation counter.
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var gen int64
	if err := s.pool.QueryRow(ctx, "SELECT generation FROM meta WHERE id = 1").Scan(&gen); err != nil {
		return 0, fmt.Errorf("postgres: read generation: %w", err)
	}
	return gen, nil
}

// Subscribe calls fn with the new generation after each commit that
// bumped it: for this Store's commits before Update returns, for other
// instances' commits from the listener goroutine when the notification
// arrives. Calls come in increasing order and once per generation; when
// commits follow each other quickly, or the listener had to reconnect,
// fn may see only the latest of several generations, since the counter
// only grows that is enough to know something changed. fn must not block
// or call Update.
func (s *Store) Subscribe(fn func(generation int64)) (cancel func()) {
	return s.notify.Subscribe(fn)
}

// Reset deletes every record and event and bumps the generation, in one
// transaction.
func (s *Store) Reset(ctx context.Context) error {
	return s.Update(ctx, func(stx store.Tx) error {
		t, ok := stx.(*tx)
		if !ok {
			return errors.New("postgres: reset: foreign transaction")
		}
		for _, table := range []string{"event_resources", "events", "records", "search_docs"} {
			if _, err := t.exec(ctx, "DELETE FROM "+table); err != nil {
				return fmt.Errorf("postgres: reset %s: %w", table, err)
			}
		}
		return t.BumpGeneration(ctx)
	})
}
