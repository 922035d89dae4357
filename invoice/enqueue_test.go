package invoice

import (
	"context"
	"errors"
	"testing"
	"time"

	"gatehouse/procurement"
	"gatehouse/store"
)

// TestEnqueue: which invoices are queued. Only paid orders of a
// preference with e-invoice delivery enabled are; an order is queued
// once per environment; invalid invoices and unknown preferences are
// refused with ErrInvalid.
func TestEnqueue(t *testing.T) {
	tests := []struct {
		name    string
		disable bool
		noTest  bool
		change  func(inv *Invoice)
		twice   bool
		// update makes the second Enqueue that of an update of the
		// order: same orderID, another payloadID.
		update bool
		// suspend suspends the preference's e-invoice delivery.
		suspend bool
		// activation, when set, is the e-invoice activation date
		// relative to now.
		activation *time.Duration
		wantErr    error
		queued     bool
	}{
		{name: "paid order", queued: true},
		{name: "test environment", change: func(inv *Invoice) { inv.Test = true }, queued: true},
		{name: "repeated order is queued once", twice: true, queued: true},
		{name: "an update of the order is queued on its own", twice: true, update: true, queued: true},
		{name: "free order", change: func(inv *Invoice) { inv.Lines[0].UnitPrice, inv.Lines[1].UnitPrice = "0.00", "0" }},
		{name: "e-invoice delivery disabled", disable: true},
		{name: "e-invoice delivery suspended", suspend: true},
		{name: "before the activation date", activation: durationPtr(24 * time.Hour)},
		{name: "on the activation date", activation: durationPtr(0), queued: true},
		{name: "after the activation date", activation: durationPtr(-24 * time.Hour), queued: true},
		{name: "unknown preference", change: func(inv *Invoice) { inv.PreferenceARN = procurement.ARN(mgmt, "nope") }, wantErr: ErrInvalid},
		{name: "test order without a test environment", noTest: true, change: func(inv *Invoice) { inv.Test = true }, wantErr: ErrInvalid},
		{name: "no lines", change: func(inv *Invoice) { inv.Lines = nil }, wantErr: ErrInvalid},
		{name: "no order payloadID", change: func(inv *Invoice) { inv.OrderPayloadID = "" }, wantErr: ErrInvalid},
		{name: "lower-case currency", change: func(inv *Invoice) { inv.Currency = "usd" }, wantErr: ErrInvalid},
		{name: "zero quantity", change: func(inv *Invoice) { inv.Lines[0].Quantity = "0" }, wantErr: ErrInvalid},
		{name: "negative price", change: func(inv *Invoice) { inv.Lines[0].UnitPrice = "-1.00" }, wantErr: ErrInvalid},
		{name: "price in exponent form", change: func(inv *Invoice) { inv.Lines[0].UnitPrice = "1e3" }, wantErr: ErrInvalid},
		{name: "bad UNSPSC", change: func(inv *Invoice) { inv.Lines[0].UNSPSC = "4323" }, wantErr: ErrInvalid},
		{name: "no product", change: func(inv *Invoice) { inv.Lines[1].ProductID = "" }, wantErr: ErrInvalid},
		{name: "negative line number", change: func(inv *Invoice) { inv.Lines[1].LineNumber = -2 }, wantErr: ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			if tt.disable || tt.noTest {
				w.put(t, func(in *procurement.PutProcurementPortalPreferenceInput) {
					in.EinvoiceDeliveryEnabled = boolPtr(!tt.disable)
					if tt.noTest {
						in.TestEnvPreference = nil
					}
				})
			}
			if tt.suspend {
				_, err := w.prefs.UpdateProcurementPortalPreferenceStatus(context.Background(), root(), procurement.UpdateProcurementPortalPreferenceStatusInput{
					ProcurementPortalPreferenceArn: w.arn, EinvoiceDeliveryPreferenceStatus: procurement.StatusSuspended, EinvoiceDeliveryPreferenceStatusReason: "audit"})
				if err != nil {
					t.Fatal(err)
				}
			}
			if tt.activation != nil {
				w.put(t, func(in *procurement.PutProcurementPortalPreferenceInput) {
					in.EinvoiceDeliveryPreference = &procurement.EinvoiceDeliveryPreference{
						EinvoiceDeliveryDocumentTypes: []string{"AWS_MARKETPLACE_INVOICE"}, Protocol: "CXML",
						PurchaseOrderDataSources: []procurement.PurchaseOrderDataSource{{EinvoiceDeliveryDocumentType: "AWS_MARKETPLACE_INVOICE",
							PurchaseOrderDataSourceType: "ASSOCIATED_PURCHASE_ORDER_REQUIRED"}},
						ConnectionTestingMethod: "TEST_ENV_REPLAY_TEST", EinvoiceDeliveryActivationDate: new(w.now.Add(*tt.activation)),
					}
				})
			}
			inv := w.order()
			if tt.change != nil {
				tt.change(&inv)
			}
			var first Delivery
			for i := range 2 {
				if i == 1 && !tt.twice {
					break
				}
				doc := inv
				if i == 1 && tt.update {
					doc.OrderPayloadID += "-update"
				}
				err := w.st.Update(context.Background(), func(tx store.Tx) error { return w.svc.Enqueue(context.Background(), tx, doc) })
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Enqueue = %v, want %v", err, tt.wantErr)
				}
				if i == 0 {
					first, _ = w.lookup(t, inv)
				}
			}
			d, ok := w.lookup(t, inv)
			want := map[bool]int{true: 1, false: 0}[tt.queued]
			if tt.update && tt.queued {
				want = 2
			}
			if ok != tt.queued || w.records(t, kindOutbox) != want {
				t.Fatalf("queued %v (%d records), want %v (%d)", ok, w.records(t, kindOutbox), tt.queued, want)
			}
			if ok && (d != first || d.State != StatePending || d.Test != inv.Test || d.OrderID != inv.OrderID || d.Attempts != 0) {
				t.Errorf("delivery = %+v, first %+v", d, first)
			}
		})
	}
}

// TestEnqueueJoinsTheCallersTransaction: an invoice queued in a
// transaction that rolls back (the order failed) does not exist.
func TestEnqueueJoinsTheCallersTransaction(t *testing.T) {
	w := newWorld(t)
	inv := w.order()
	rollback := errors.New("the order failed")
	err := w.st.Update(context.Background(), func(tx store.Tx) error {
		if err := w.svc.Enqueue(context.Background(), tx, inv); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatalf("Update = %v", err)
	}
	if _, ok := w.lookup(t, inv); ok {
		t.Error("the invoice of a rolled-back order is queued")
	}
	w.deliverDue(t)
	if n := len(w.portal.requests()); n != 0 {
		t.Errorf("%d invoices sent", n)
	}
}

func durationPtr(d time.Duration) *time.Duration { return &d }
