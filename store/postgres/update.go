package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"gatehouse/store"
)

// maxAttempts bounds how often Update runs a transaction that keeps
// conflicting with other writers before it gives up with ErrConflict.
const maxAttempts = 20

// Backoff between attempts: a random wait of up to baseBackoff doubled
// per attempt, at most maxBackoff.
const (
	baseBackoff = 2 * time.Millisecond
	maxBackoff  = 250 * time.Millisecond
)

// Update runs fn in a SERIALIZABLE transaction and commits it when fn
// returns nil; the commit is durable when Update returns nil, as far as
// the server's synchronous_commit setting makes it. When the transaction
// fails with a serialization failure (SQLSTATE 40001) or a deadlock
// (40P01), in fn or at commit, Update rolls back and runs fn again, up to
// 20 times with a growing random backoff, then returns an error wrapping
// store.ErrConflict. fn's own errors are otherwise returned as they are.
// A transaction that called BumpGeneration calls the subscribers before
// Update returns.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	var lastErr error
	for attempt := range maxAttempts {
		if attempt > 0 {
			if err := sleep(ctx, backoff(attempt)); err != nil {
				return fmt.Errorf("postgres: retry after %v: %w", lastErr, err)
			}
		}
		gen, retry, err := s.attempt(ctx, fn)
		if err == nil {
			if gen > 0 {
				s.notify.Publish(gen)
			}
			return nil
		}
		if !retry {
			return err
		}
		lastErr = err
	}
	return fmt.Errorf("postgres: gave up after %d attempts: %w (last: %v)", maxAttempts, store.ErrConflict, lastErr)
}

// attempt runs fn once in a transaction. It returns the new generation
// when the transaction bumped it (0 otherwise), and whether a failure is
// a conflict worth retrying.
func (s *Store) attempt(ctx context.Context, fn func(store.Tx) error) (gen int64, retry bool, err error) {
	pgTx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return 0, false, fmt.Errorf("postgres: begin: %w", err)
	}
	defer pgTx.Rollback(context.Background()) // a no-op after Commit; undoes everything when fn fails or panics
	t := &tx{tx: pgTx}
	if err := fn(t); err != nil {
		return 0, t.conflict || isConflict(err), err
	}
	if t.bump {
		if gen, err = t.bumpGeneration(ctx); err != nil {
			return 0, t.conflict, err
		}
	}
	if err := pgTx.Commit(ctx); err != nil {
		return 0, t.conflict || isConflict(err), fmt.Errorf("postgres: commit: %w", err)
	}
	return gen, false, nil
}

// View runs fn in a REPEATABLE READ, READ ONLY transaction: a consistent
// snapshot that never conflicts. The write methods of its Tx fail. fn's
// own error is returned as it is.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	pgTx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: begin read: %w", err)
	}
	defer pgTx.Rollback(context.Background())
	return fn(&tx{tx: pgTx, readOnly: true})
}

// isConflict reports whether err is a serialization failure or a
// deadlock, after which the transaction may succeed when run again.
func isConflict(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == "40001" || pgErr.Code == "40P01"
}

// backoff returns a random wait before the given attempt, counting the
// first retry as 1.
func backoff(attempt int) time.Duration {
	ceiling := min(baseBackoff<<min(attempt, 16), maxBackoff)
	return time.Duration(rand.Int64N(int64(ceiling)) + 1)
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
