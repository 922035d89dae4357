package approval

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"gatehouse/credentials"
	"gatehouse/store"
)

// kindNotification is the outbox of webhook notifications: written in
// the transaction of the transition, deleted once delivered. ID sorts by
// creation time.
const kindNotification = "approval.notification"

// Notification is the JSON body a webhook receives.
type Notification struct {
	// Event is PurchaseRequestCreated, PurchaseRequestJustified,
	// PurchaseRequestApproved, PurchaseRequestDeclined or
	// PurchaseRequestCancelled.
	Event           string
	Time            time.Time
	PurchaseRequest PurchaseRequest
}

// outboxEntry is a notification waiting for delivery.
type outboxEntry struct {
	Management  string
	Url         string
	Body        json.RawMessage
	Attempts    int
	NextAttempt time.Time
}

// enqueue stores the notification of a transition when the organization
// has a webhook.
func (s *Service) enqueue(ctx context.Context, tx store.Tx, management string, st settingsRecord, event string, r PurchaseRequest) error {
	if st.Settings.WebhookUrl == "" {
		return nil
	}
	now := s.now()
	body, err := json.Marshal(Notification{Event: event, Time: now, PurchaseRequest: r})
	if err != nil {
		return fmt.Errorf("approval: notification: %w", err)
	}
	suffix, err := s.newID()
	if err != nil {
		return err
	}
	// The sequence orders the transitions one process makes within the
	// same millisecond, which the clock alone does not.
	id := fmt.Sprintf("%020d-%012d-%s", now.UnixNano(), s.seq.Add(1), suffix)
	e := &outboxEntry{Management: management, Url: st.Settings.WebhookUrl, Body: body, NextAttempt: now}
	return store.Put(ctx, tx, store.Record{Kind: kindNotification, ID: id, Parent: management}, e)
}

// Poster delivers one signed notification; webhook.Client implements it.
type Poster interface {
	Post(ctx context.Context, url string, secret, body []byte) error
}

// Notifier delivers the outbox in the background, retrying failed
// deliveries with exponential back-off. Set its fields, then call Run in
// a goroutine.
type Notifier struct {
	Store  store.Store
	Cipher *credentials.Cipher
	Poster Poster
	Log    *slog.Logger
	// Interval is how often the outbox is polled; 0 means 1 second.
	Interval time.Duration
	// Backoff is the first retry delay, doubled after each failure up to
	// an hour; 0 means 1 second.
	Backoff time.Duration
	// MaxAttempts bounds the deliveries of one notification; 0 means 10.
	MaxAttempts int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	wake chan struct{}
}

// NewNotifier returns a Notifier with the defaults.
func NewNotifier(st store.Store, cipher *credentials.Cipher, poster Poster, log *slog.Logger) *Notifier {
	return &Notifier{Store: st, Cipher: cipher, Poster: poster, Log: log, wake: make(chan struct{}, 1)}
}

// Wake asks a running Notifier to look at the outbox now. It never
// blocks; a nil Notifier ignores it.
func (n *Notifier) Wake() {
	if n == nil || n.wake == nil {
		return
	}
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// Run delivers notifications until ctx is done.
func (n *Notifier) Run(ctx context.Context) {
	if n.wake == nil {
		n.wake = make(chan struct{}, 1)
	}
	interval := n.Interval
	if interval <= 0 {
		interval = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := n.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			n.logger().Error("approval webhook: outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-n.wake:
		}
	}
}

func (n *Notifier) logger() *slog.Logger {
	if n.Log == nil {
		return slog.Default()
	}
	return n.Log
}

func (n *Notifier) now() time.Time {
	if n.Now != nil {
		return n.Now()
	}
	return time.Now()
}

// DeliverDue delivers every notification whose time has come, once.
func (n *Notifier) DeliverDue(ctx context.Context) error {
	var due []store.Record
	err := n.Store.View(ctx, func(tx store.Tx) error {
		var err error
		due, err = tx.List(ctx, store.Query{Kind: kindNotification, Limit: 100})
		return err
	})
	if err != nil {
		return err
	}
	for _, rec := range due {
		var e outboxEntry
		if err := json.Unmarshal(rec.Body, &e); err != nil {
			return fmt.Errorf("approval: outbox %s: %w", rec.ID, err)
		}
		if e.NextAttempt.After(n.now()) {
			continue
		}
		if err := n.deliver(ctx, rec.ID, e); err != nil {
			return err
		}
	}
	return nil
}

// deliver posts one notification and records the outcome: delivered or
// given up, it leaves the outbox; failed, it waits for its next attempt.
func (n *Notifier) deliver(ctx context.Context, id string, e outboxEntry) error {
	secret, err := n.secret(ctx, e.Management)
	if err != nil {
		return err
	}
	postErr := n.Poster.Post(ctx, e.Url, secret, e.Body)
	return n.Store.Update(ctx, func(tx store.Tx) error {
		if postErr == nil {
			return tx.Delete(ctx, kindNotification, id)
		}
		e.Attempts++
		max := n.MaxAttempts
		if max <= 0 {
			max = 10
		}
		if e.Attempts >= max {
			n.logger().Error("approval webhook: giving up", "notification", id, "attempts", e.Attempts, "err", postErr)
			return tx.Delete(ctx, kindNotification, id)
		}
		e.NextAttempt = n.now().Add(n.backoff(e.Attempts))
		return store.Put(ctx, tx, store.Record{Kind: kindNotification, ID: id, Parent: e.Management}, &e)
	})
}

// backoff is the delay after the attempts-th failure.
func (n *Notifier) backoff(attempts int) time.Duration {
	d := n.Backoff
	if d <= 0 {
		d = time.Second
	}
	for range attempts - 1 {
		d *= 2
		if d >= time.Hour {
			return time.Hour
		}
	}
	return d
}

// secret returns the organization's webhook secret in clear.
func (n *Notifier) secret(ctx context.Context, management string) ([]byte, error) {
	var sealed []byte
	err := n.Store.View(ctx, func(tx store.Tx) error {
		r, err := store.Get[settingsRecord](ctx, tx, kindSettings, management)
		sealed = r.Secret
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("approval: webhook settings: %w", err)
	}
	secret, err := n.Cipher.Open(sealed, secretContext(management))
	if err != nil {
		return nil, fmt.Errorf("approval: webhook secret: %w", err)
	}
	return secret, nil
}
