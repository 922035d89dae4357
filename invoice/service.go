package invoice

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"gatehouse/cxml"
	"gatehouse/procurement"
	"gatehouse/store"
)

// Record kinds. An invoice waits in the outbox, keyed by a creation-time
// sortable id, until it is delivered or given up; it then moves to the
// deliveries under the same id. Both index the invoice's order key as
// Name, so that an order document is invoiced once.
const (
	kindOutbox   = "invoice.outbox"
	kindDelivery = "invoice.delivery"
)

// DefaultHost is the host part of payloadIDs when Service.Host is empty.
const DefaultHost = "gatehouse"

// States of a delivery.
const (
	StatePending   = "PENDING"
	StateDelivered = "DELIVERED"
	StateFailed    = "FAILED"
)

// Portals finds procurement-portal preferences by ARN, with the opened
// shared secret of the environment asked for; procurement.Service
// implements it.
type Portals interface {
	PortalByARN(ctx context.Context, tx store.Tx, arn string, test bool) (procurement.Portal, bool, error)
}

// Service queues invoices for delivery. Set its fields before first use;
// it is then safe for concurrent use.
type Service struct {
	Portals Portals
	// Host is the host part of the payloadIDs of invoices; "" means
	// DefaultHost.
	Host string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the source of invoice ids; nil means crypto/rand.
	Rand io.Reader
}

// New returns a Service with the system clock and DefaultHost.
func New(portals Portals) *Service {
	return &Service{Portals: portals, Now: time.Now}
}

// Delivery is the state of an invoice's delivery.
type Delivery struct {
	// InvoiceID is the invoiceID of the InvoiceDetailRequest and
	// PayloadID its payloadID; both stay the same on every attempt, so
	// the buyer can recognise a repeated delivery.
	InvoiceID     string
	PayloadID     string
	PreferenceARN string
	Test          bool
	OrderID       string
	// State is StatePending, StateDelivered or StateFailed.
	State    string
	Attempts int
	// Reason says why the last attempt failed (StatePending) or why
	// delivery was given up (StateFailed).
	Reason  string
	Created time.Time
	Updated time.Time
}

// entry is an outbox record: the invoice, its delivery and when to try
// next.
type entry struct {
	Delivery    Delivery
	Invoice     Invoice
	NextAttempt time.Time
}

// Enqueue stores inv in the outbox in the caller's transaction tx, so
// that the invoice exists if and only if the order commits; call the
// Deliverer's Wake after the commit. It stores nothing, and returns nil,
// when
//   - the invoice's total is zero (free or usage-only purchases are
//     billed elsewhere, never with an upfront invoice);
//   - the preference does not have EinvoiceDeliveryEnabled, its
//     e-invoice delivery is SUSPENDED, or its
//     EinvoiceDeliveryActivationDate is still to come (purchases made
//     before e-invoicing starts are invoiced as before it);
//   - the order document (preference, environment, OrderID and
//     OrderPayloadID) was already invoiced or is queued: a new order is
//     invoiced once, and so is each update that bought more lines.
//
// It returns an error wrapping ErrInvalid for an invalid invoice or an
// unknown preference or environment, and store errors otherwise.
func (s *Service) Enqueue(ctx context.Context, tx store.Tx, inv Invoice) error {
	total, err := inv.validate()
	if err != nil {
		return err
	}
	if total.IsZero() {
		return nil
	}
	portal, ok, err := s.Portals.PortalByARN(ctx, tx, inv.PreferenceARN, inv.Test)
	if err != nil {
		return fmt.Errorf("invoice: %w", err)
	}
	if !ok {
		return fmt.Errorf("%w: no procurement portal preference %s with a %s environment", ErrInvalid, inv.PreferenceARN, environment(inv.Test))
	}
	if !portal.Preference.EinvoiceDeliveryEnabled || !active(portal.Preference, s.now()) {
		return nil
	}
	key := orderKey(inv.PreferenceARN, inv.Test, inv.OrderID, inv.OrderPayloadID)
	if _, found, err := lookup(ctx, tx, key); err != nil || found {
		return err
	}
	return s.put(ctx, tx, key, inv)
}

// put stores a new outbox entry for inv.
func (s *Service) put(ctx context.Context, tx store.Tx, key string, inv Invoice) error {
	now := s.now()
	suffix, err := s.random(8)
	if err != nil {
		return err
	}
	invoiceID, err := s.random(8)
	if err != nil {
		return err
	}
	e := entry{
		Delivery: Delivery{
			InvoiceID: "GH-" + strings.ToUpper(invoiceID), PayloadID: cxml.NewPayloadID(now, s.host()),
			PreferenceARN: inv.PreferenceARN, Test: inv.Test, OrderID: inv.OrderID,
			State: StatePending, Created: now, Updated: now,
		},
		Invoice:     inv,
		NextAttempt: now,
	}
	id := fmt.Sprintf("%020d-%s", now.UnixNano(), suffix)
	return store.Put(ctx, tx, store.Record{Kind: kindOutbox, ID: id, Parent: inv.Account, Name: key}, &e)
}

// Lookup returns the delivery of the invoice of an order document (the
// OrderRequest with orderID and payloadID), queued or done, in the
// caller's transaction.
func (s *Service) Lookup(ctx context.Context, tx store.Tx, preferenceARN string, test bool, orderID, payloadID string) (Delivery, bool, error) {
	return lookup(ctx, tx, orderKey(preferenceARN, test, orderID, payloadID))
}

func lookup(ctx context.Context, tx store.Tx, key string) (Delivery, bool, error) {
	queued, err := store.List[entry](ctx, tx, store.Query{Kind: kindOutbox, Name: key, Limit: 1})
	if err != nil {
		return Delivery{}, false, fmt.Errorf("invoice: outbox: %w", err)
	}
	if len(queued) > 0 {
		return queued[0].Delivery, true, nil
	}
	done, err := store.List[Delivery](ctx, tx, store.Query{Kind: kindDelivery, Name: key, Limit: 1})
	if err != nil {
		return Delivery{}, false, fmt.Errorf("invoice: deliveries: %w", err)
	}
	if len(done) > 0 {
		return done[0], true, nil
	}
	return Delivery{}, false, nil
}

// orderKey identifies an order document: its preference, environment,
// orderID and payloadID. A new order and each update that added lines
// are invoiced once each.
func orderKey(preferenceARN string, test bool, orderID, payloadID string) string {
	h := sha256.Sum256([]byte(preferenceARN + "\x00" + environment(test) + "\x00" + orderID + "\x00" + payloadID))
	return hex.EncodeToString(h[:])
}

// environment names the production or test environment.
func environment(test bool) string {
	if test {
		return cxml.DeploymentTest
	}
	return cxml.DeploymentProduction
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) host() string {
	if s.Host == "" {
		return DefaultHost
	}
	return s.Host
}

// random returns n random bytes in hex.
func (s *Service) random(n int) (string, error) {
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("invoice: random id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// active reports whether e-invoice delivery runs at now: it is not
// suspended and has no activation date, or the date has come.
func active(p procurement.ProcurementPortalPreference, now time.Time) bool {
	if p.EinvoiceDeliveryPreferenceStatus == procurement.StatusSuspended {
		return false
	}
	e := p.EinvoiceDeliveryPreference
	return e == nil || e.EinvoiceDeliveryActivationDate == nil || !now.Before(*e.EinvoiceDeliveryActivationDate)
}
