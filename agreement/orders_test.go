package agreement

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/awserr"
	"gatehouse/catalog"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

// fakeCatalog is a catalog of fixed offers; allowed lists the products the
// governing Private Marketplace approves (nil: every product).
type fakeCatalog struct {
	offers  map[string]catalog.AgreementOffer
	allowed map[string]bool
}

func (c fakeCatalog) OfferForAgreement(_ context.Context, _ store.Tx, id string) (catalog.AgreementOffer, bool, error) {
	o, ok := c.offers[id]
	return o, ok, nil
}

func (c fakeCatalog) IsProductAllowed(_ context.Context, _ store.Tx, _, product string) (bool, string, error) {
	if c.allowed == nil {
		return true, "", nil
	}
	return c.allowed[product], "exp-test", nil
}

func (c fakeCatalog) GoverningExperience(context.Context, store.Tx, string) (catalog.Governance, bool, error) {
	return catalog.Governance{}, false, nil
}

const (
	buyer      = "222222222222"
	preference = "arn:aws:invoicing::111111111111:procurement-portal-preference/pp-1"
)

func newOrderService(t *testing.T) *Service {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	annual := catalog.AgreementOffer{OfferId: "offer-annual", Seller: "333333333333", Name: "Annual", State: catalog.OfferReleased,
		ProductId: "prod-annual", ProductType: "SaaSProduct", ProductTitle: "Annual Analytics", ProductVisibility: "Public",
		Terms: []catalog.OfferTerm{
			{Id: "term-fixed", Term: catalog.Term{Type: catalog.TermFixedUpfront, CurrencyCode: "USD", Duration: "P12M", Price: "1200.00"}},
			{Id: "term-legal", Term: catalog.Term{Type: catalog.TermLegal}},
		}}
	draft := annual
	draft.OfferId, draft.State, draft.ProductId = "offer-draft", catalog.OfferDraft, "prod-draft"
	denied := annual
	denied.OfferId, denied.ProductId = "offer-denied", "prod-denied"
	cat := fakeCatalog{
		offers:  map[string]catalog.AgreementOffer{annual.OfferId: annual, draft.OfferId: draft, denied.OfferId: denied},
		allowed: map[string]bool{"prod-annual": true, "prod-draft": true},
	}
	return &Service{Store: st, Catalog: cat, Now: func() time.Time { return time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC) }}
}

var annualLine = Line{OfferId: "offer-annual", Terms: []RequestedTerm{{Id: "term-fixed"}, {Id: "term-legal"}}}

func TestQuote(t *testing.T) {
	s := newOrderService(t)
	tests := []struct {
		name string
		line Line
		code string // AWS error code; "" for success
	}{
		{name: "every term accepted", line: annualLine},
		{name: "mandatory term missing", line: Line{OfferId: "offer-annual", Terms: []RequestedTerm{{Id: "term-fixed"}}}, code: "ValidationException"},
		{name: "unknown offer", line: Line{OfferId: "offer-none", Terms: annualLine.Terms}, code: "ResourceNotFoundException"},
		{name: "draft offer", line: Line{OfferId: "offer-draft", Terms: annualLine.Terms}, code: "ValidationException"},
		{name: "not approved by the Private Marketplace", line: Line{OfferId: "offer-denied", Terms: annualLine.Terms}, code: "AccessDeniedException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q Quote
			err := store.View(context.Background(), s.Store, func(tx store.Tx) error {
				var err error
				q, err = s.Quote(context.Background(), tx, buyer, tt.line)
				return err
			})
			if got := errorCode(err); got != tt.code {
				t.Fatalf("Quote error = %v, want code %q", err, tt.code)
			}
			if tt.code != "" {
				return
			}
			if q.Value != "1200" || q.Currency != "USD" || q.Duration != "P12M" || q.ProductTitle != "Annual Analytics" {
				t.Errorf("Quote = %+v, want 1200 USD for P12M of Annual Analytics", q)
			}
		})
	}
}

func errorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *awserr.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "internal: " + err.Error()
}

func TestOrderAndCancel(t *testing.T) {
	s := newOrderService(t)
	ctx := context.Background()
	var a Agreement
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		var err error
		a, err = s.Order(ctx, tx, buyer, preference, "PO-1001", annualLine)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != StatusActive || a.Acceptor != buyer || a.AcceptedBy != preference || a.RequestedBy != preference {
		t.Fatalf("Order = %+v, want an ACTIVE agreement of %s accepted by the preference", a, buyer)
	}
	if len(a.PurchaseOrders) != 1 || a.PurchaseOrders[0].PurchaseOrderReference != "PO-1001" || a.PurchaseOrders[0].AgreementId != a.AgreementId {
		t.Errorf("purchase orders = %+v, want PO-1001 on the upfront charge", a.PurchaseOrders)
	}
	// One active agreement per product: a second order conflicts.
	err = store.Update(ctx, s.Store, func(tx store.Tx) error {
		_, err := s.Order(ctx, tx, buyer, preference, "PO-1002", annualLine)
		return err
	})
	if got := errorCode(err); got != "ConflictException" {
		t.Fatalf("second Order error = %v, want ConflictException", err)
	}
	// Another account cannot cancel it; its acceptor can, twice.
	err = store.Update(ctx, s.Store, func(tx store.Tx) error { return s.CancelOrdered(ctx, tx, "999999999999", a.AgreementId) })
	if got := errorCode(err); got != "ResourceNotFoundException" {
		t.Fatalf("CancelOrdered by a stranger = %v, want ResourceNotFoundException", err)
	}
	for range 2 {
		if err := store.Update(ctx, s.Store, func(tx store.Tx) error { return s.CancelOrdered(ctx, tx, buyer, a.AgreementId) }); err != nil {
			t.Fatal(err)
		}
	}
	err = store.View(ctx, s.Store, func(tx store.Tx) error {
		_, ok, err := s.ActiveAgreement(ctx, tx, buyer, "prod-annual")
		if ok {
			t.Error("the cancelled agreement is still active")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
