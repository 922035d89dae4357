package punchout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gatehouse/store"
)

// sweepBatch bounds the records one sweep transaction reads or deletes,
// so that sweeping never holds the store's writer for long.
const sweepBatch = 200

// DefaultSweepInterval is how often RunSweeper sweeps.
const DefaultSweepInterval = 10 * time.Minute

// Sweep deletes the StartPages and shopping sessions that can no longer
// be used: those past their expiry. A used StartPage is kept until then,
// so that a replay is refused (and audited) as used rather than unknown;
// afterwards both answers are the same refusal. Cart lines, orders and
// the stored replies of payloadIDs are kept: an order may name a cart
// line long after its session ended. It returns how many records it
// deleted.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	now := s.now()
	n, err := sweepKind(ctx, s.Store, kindStartPage, func(r store.Record) (bool, error) {
		rec, err := decode[startPageRec](r)
		return !now.Before(rec.Expires), err
	})
	if err != nil {
		return n, err
	}
	m, err := sweepKind(ctx, s.Store, kindSession, func(r store.Record) (bool, error) {
		sess, err := decode[Session](r)
		return !now.Before(sess.Expires), err
	})
	return n + m, err
}

// sweepKind deletes the records of kind that expired reports, a batch
// at a time.
func sweepKind(ctx context.Context, st store.Store, kind string, expired func(store.Record) (bool, error)) (int, error) {
	deleted, after := 0, ""
	for {
		var ids []string
		var recs []store.Record
		err := st.View(ctx, func(tx store.Tx) error {
			var err error
			recs, err = tx.List(ctx, store.Query{Kind: kind, After: after, Limit: sweepBatch})
			return err
		})
		if err != nil {
			return deleted, fmt.Errorf("punchout: sweep %s: %w", kind, err)
		}
		for _, r := range recs {
			gone, err := expired(r)
			if err != nil {
				return deleted, fmt.Errorf("punchout: sweep %s %s: %w", kind, r.ID, err)
			}
			if gone {
				ids = append(ids, r.ID)
			}
		}
		if len(ids) > 0 {
			err := st.Update(ctx, func(tx store.Tx) error {
				for _, id := range ids {
					if err := tx.Delete(ctx, kind, id); err != nil && !errors.Is(err, store.ErrNotFound) {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return deleted, fmt.Errorf("punchout: sweep %s: %w", kind, err)
			}
			deleted += len(ids)
		}
		if len(recs) < sweepBatch {
			return deleted, nil
		}
		after = recs[len(recs)-1].ID
	}
}

// decode reads a record's body.
func decode[T any](r store.Record) (T, error) {
	var v T
	err := json.Unmarshal(r.Body, &v)
	return v, err
}

// RunSweeper sweeps every interval (DefaultSweepInterval when 0) until
// ctx ends, logging failures to log.
func (s *Service) RunSweeper(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(ttl(interval, DefaultSweepInterval))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				log.Error("punchout: sweep", "err", err)
			}
		}
	}
}
