package invoice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"gatehouse/store"
)

// Defaults of a Deliverer.
const (
	DefaultInterval    = 10 * time.Second
	DefaultBackoff     = time.Minute
	DefaultMaxBackoff  = 6 * time.Hour
	DefaultMaxAttempts = 12
	DefaultTimeout     = 30 * time.Second
)

// batch is how many outbox entries DeliverDue reads at a time.
const batch = 100

// Deliverer sends the outbox's invoices in the background, retrying
// failed attempts with exponential back-off and giving an invoice up
// (StateFailed, with the reason) after MaxAttempts or on a final refusal.
// Set its fields, then call Run in a goroutine.
type Deliverer struct {
	Store   store.Store
	Portals Portals
	Log     *slog.Logger
	// Transport carries the requests; nil means http.DefaultTransport.
	// Whatever it is, the Deliverer follows no redirect and bounds each
	// attempt by Timeout.
	Transport http.RoundTripper
	// Timeout bounds one attempt, from connecting to reading the answer;
	// 0 means DefaultTimeout.
	Timeout time.Duration
	// AllowHTTP lets invoices go to plain-http endpoints on any host, for
	// local testing only: by default an endpoint must be https, or http
	// to a loopback host, since the document carries the shared secret.
	AllowHTTP bool
	// Interval is how often the outbox is polled besides Wake; 0 means
	// DefaultInterval.
	Interval time.Duration
	// Backoff is the delay after the first failed attempt, doubled after
	// each further failure up to MaxBackoff; 0 means DefaultBackoff and
	// DefaultMaxBackoff.
	Backoff    time.Duration
	MaxBackoff time.Duration
	// MaxAttempts bounds the attempts of one invoice; 0 means
	// DefaultMaxAttempts.
	MaxAttempts int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	wake chan struct{}
}

// NewDeliverer returns a Deliverer with the defaults.
func NewDeliverer(st store.Store, portals Portals, log *slog.Logger) *Deliverer {
	return &Deliverer{Store: st, Portals: portals, Log: log, wake: make(chan struct{}, 1)}
}

// Wake asks a running Deliverer to look at the outbox now, such as after
// a transaction that enqueued an invoice committed. It never blocks; a
// nil Deliverer ignores it.
func (d *Deliverer) Wake() {
	if d == nil || d.wake == nil {
		return
	}
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers invoices until ctx is done.
func (d *Deliverer) Run(ctx context.Context) {
	if d.wake == nil {
		d.wake = make(chan struct{}, 1)
	}
	t := time.NewTicker(positive(d.Interval, DefaultInterval))
	defer t.Stop()
	for {
		if err := d.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			d.logger().Error("invoice delivery: outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.wake:
		}
	}
}

// DeliverDue makes one attempt at every invoice whose time has come. It
// returns store errors; failed attempts are recorded, not returned.
func (d *Deliverer) DeliverDue(ctx context.Context) error {
	after := ""
	for {
		var recs []store.Record
		err := d.Store.View(ctx, func(tx store.Tx) error {
			var err error
			recs, err = tx.List(ctx, store.Query{Kind: kindOutbox, After: after, Limit: batch})
			return err
		})
		if err != nil {
			return fmt.Errorf("invoice: outbox: %w", err)
		}
		for _, rec := range recs {
			if err := d.deliverIfDue(ctx, rec); err != nil {
				return err
			}
		}
		if len(recs) < batch {
			return nil
		}
		after = recs[len(recs)-1].ID
	}
}

// deliverIfDue claims the outbox entry rec if it is due, attempts it and
// records the outcome.
func (d *Deliverer) deliverIfDue(ctx context.Context, rec store.Record) error {
	var e entry
	if err := json.Unmarshal(rec.Body, &e); err != nil {
		return fmt.Errorf("invoice: outbox %s: %w", rec.ID, err)
	}
	if e.NextAttempt.After(d.now()) {
		return nil
	}
	e, ok, err := d.claim(ctx, rec)
	if err != nil || !ok {
		return err
	}
	out := d.attempt(ctx, e)
	return d.record(ctx, rec, e, out)
}

// claim leases a due entry for one attempt by moving its next attempt
// past the attempt's timeout, so that another Gatehouse instance sharing
// the store does not send it at the same time. It reports false when the
// entry is gone or no longer due (another instance claimed it). Should
// this process stop mid-attempt, the entry is due again when the lease
// ends: an invoice is delivered at least once, always with the same
// invoiceID and payloadID.
func (d *Deliverer) claim(ctx context.Context, rec store.Record) (entry, bool, error) {
	var e entry
	claimed := false
	err := d.Store.Update(ctx, func(tx store.Tx) error {
		claimed = false
		var err error
		e, err = store.Get[entry](ctx, tx, kindOutbox, rec.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		now := d.now()
		if e.NextAttempt.After(now) {
			return nil
		}
		e.NextAttempt = now.Add(d.lease())
		claimed = true
		return d.putEntry(ctx, tx, rec, &e)
	})
	if err != nil {
		return entry{}, false, fmt.Errorf("invoice: claim %s: %w", rec.ID, err)
	}
	return e, claimed, nil
}

// record stores the outcome of an attempt: delivered or given up, the
// invoice leaves the outbox for the deliveries; otherwise it waits for
// its next attempt.
func (d *Deliverer) record(ctx context.Context, rec store.Record, e entry, out outcome) error {
	now := d.now()
	e.Delivery.Attempts++
	e.Delivery.Updated = now
	e.Delivery.Reason = out.reason
	max := positive(d.MaxAttempts, DefaultMaxAttempts)
	switch {
	case out.verdict == delivered:
		e.Delivery.State, e.Delivery.Reason = StateDelivered, ""
	case out.verdict == final:
		e.Delivery.State = StateFailed
	case e.Delivery.Attempts >= max:
		e.Delivery.State = StateFailed
		e.Delivery.Reason = fmt.Sprintf("gave up after %d attempts; the last %s", e.Delivery.Attempts, out.reason)
	default:
		e.NextAttempt = now.Add(d.backoff(e.Delivery.Attempts))
	}
	err := d.Store.Update(ctx, func(tx store.Tx) error {
		if e.Delivery.State == StatePending {
			return d.putEntry(ctx, tx, rec, &e)
		}
		if err := tx.Delete(ctx, kindOutbox, rec.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return store.Put(ctx, tx, store.Record{Kind: kindDelivery, ID: rec.ID, Parent: rec.Parent, Name: rec.Name}, &e.Delivery)
	})
	if err != nil {
		return fmt.Errorf("invoice: record the attempt at %s: %w", e.Delivery.InvoiceID, err)
	}
	d.log(e, out)
	return nil
}

func (d *Deliverer) putEntry(ctx context.Context, tx store.Tx, rec store.Record, e *entry) error {
	return store.Put(ctx, tx, store.Record{Kind: kindOutbox, ID: rec.ID, Parent: rec.Parent, Name: rec.Name}, e)
}

// log reports an attempt. It never logs the document, which carries the
// shared secret.
func (d *Deliverer) log(e entry, out outcome) {
	attrs := []any{"invoice", e.Delivery.InvoiceID, "preference", e.Delivery.PreferenceARN,
		"environment", environment(e.Delivery.Test), "order", e.Delivery.OrderID, "attempts", e.Delivery.Attempts}
	switch e.Delivery.State {
	case StateDelivered:
		d.logger().Info("invoice delivered", attrs...)
	case StateFailed:
		d.logger().Error("invoice delivery failed", append(attrs, "reason", e.Delivery.Reason)...)
	default:
		d.logger().Warn("invoice delivery will be retried", append(attrs, "reason", out.reason, "next", e.NextAttempt)...)
	}
}

// backoff is the delay after the attempts-th failed attempt: Backoff,
// doubled after each further failure, at most MaxBackoff.
func (d *Deliverer) backoff(attempts int) time.Duration {
	delay := positive(d.Backoff, DefaultBackoff)
	ceiling := positive(d.MaxBackoff, DefaultMaxBackoff)
	for range attempts - 1 {
		if delay >= ceiling/2 {
			return ceiling
		}
		delay *= 2
	}
	return min(delay, ceiling)
}

// lease is how long a claimed entry is left alone: the attempt's timeout
// and a margin.
func (d *Deliverer) lease() time.Duration {
	return positive(d.Timeout, DefaultTimeout) + time.Minute
}

func (d *Deliverer) logger() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}

func (d *Deliverer) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// positive returns v, or def when v is not positive.
func positive[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
