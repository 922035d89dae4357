package punchout

import (
	"strings"
	"testing"
	"time"

	"gatehouse/agreement"
	"gatehouse/cxml"
	"gatehouse/procurement"
)

func TestCartTotal(t *testing.T) {
	line := func(currency, value string) Line {
		return Line{Quote: agreement.Quote{Currency: currency, Value: value}}
	}
	tests := []struct {
		name   string
		lines  []Line
		want   cxml.Money
		status int // 0 for success
	}{
		{name: "empty cart", want: cxml.Money{Currency: "USD", Value: "0"}},
		{name: "one currency", lines: []Line{line("EUR", "1200"), line("EUR", "0.5")}, want: cxml.Money{Currency: "EUR", Value: "1200.5"}},
		{name: "mixed currencies", lines: []Line{line("USD", "1"), line("EUR", "1")}, status: cxml.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CartTotal(tt.lines)
			if tt.status != 0 {
				if err == nil || StatusOf(err) != tt.status {
					t.Fatalf("CartTotal = %v, %v; want status %d", got, err, tt.status)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("CartTotal = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

// TestOrderMessage builds the PunchOutOrderMessage of a two-line cart,
// sends it through the form fields a browser posts and reads it back as
// the procurement system does.
//
// cXML User's Guide, PunchOut Transaction, PunchOutOrderMessage: the
// BuyerCookie is the one of the PunchOutSetupRequest; operationAllowed
// "edit" lets later PunchOut sessions inspect and change the items
// ("inspect" only inspect them, "create" neither). The message reaches
// the procurement system through the user's browser, so its Sender
// carries no SharedSecret.
func TestOrderMessage(t *testing.T) {
	sess := Session{PreferenceARN: "arn:pref", Portal: procurement.PortalCoupa, Account: "111122223333", Operation: cxml.OperationCreate,
		BuyerCookie: " cookie & <4821> ", Supplier: PartyCredential{Domain: "NetworkID", Identity: "gatehouse"},
		Buyer: PartyCredential{Domain: "NetworkID", Identity: "acme"}}
	lines := []Line{
		{Id: "cl-0123456789abcdefghijklmnop", Line: agreement.Line{OfferId: "offer-a"}, Quote: agreement.Quote{ProductId: "prod-a",
			ProductType: "SaaSProduct", ProductTitle: "Vault", OfferName: "Standard", Currency: "USD", Value: "1200.5"}},
		{Id: "cl-abcdefghijklmnop0123456789", Line: agreement.Line{OfferId: "offer-b"}, Quote: agreement.Quote{ProductId: "prod-b",
			ProductType: "AmiProduct", ProductTitle: "Gateway", Currency: "USD", Value: "0.25"}},
	}
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	doc, err := OrderMessage(sess, lines, now, "gatehouse.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, base64 := range []bool{false, true} {
		form, err := cxml.FormValues(doc, base64)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(form.Get(cxml.FieldURLEncoded), "SharedSecret") {
			t.Fatal("the message carries a SharedSecret element")
		}
		got, err := cxml.ParseForm(form)
		if err != nil {
			t.Fatalf("base64 %v: %v", base64, err)
		}
		h, m := got.Header, got.Message.PunchOutOrderMessage
		switch {
		case !h.From.Credentials[0].Matches("NetworkID", "gatehouse"), !h.To.Credentials[0].Matches("NetworkID", "acme"),
			!h.Sender.Credentials[0].Matches("NetworkID", "gatehouse"):
			t.Errorf("header = %+v, want From and Sender the supplier, To the buyer", h)
		case h.Sender.Credentials[0].SharedSecret != "", h.Sender.UserAgent != "Gatehouse":
			t.Errorf("sender = %+v, want no secret and UserAgent Gatehouse", h.Sender)
		case m.BuyerCookie != sess.BuyerCookie:
			t.Errorf("BuyerCookie = %q, want %q exactly", m.BuyerCookie, sess.BuyerCookie)
		case m.Header.OperationAllowed != cxml.OperationEdit:
			t.Errorf("operationAllowed = %q, want edit", m.Header.OperationAllowed)
		case m.Header.Total.Money != cxml.Money{Currency: "USD", Value: "1200.75"}:
			t.Errorf("Total = %+v, want USD 1200.75", m.Header.Total.Money)
		case len(m.Items) != 2:
			t.Fatalf("%d ItemIn, want 2", len(m.Items))
		}
		for i, item := range m.Items {
			l := lines[i]
			if item.ItemID.SupplierPartID != l.Quote.ProductId || item.ItemID.SupplierPartAuxiliaryID != l.AuxID() || item.Quantity != "1" ||
				item.ItemDetail.UnitPrice.Money != (cxml.Money{Currency: "USD", Value: l.Quote.Value}) || item.ItemDetail.UnitOfMeasure != "EA" ||
				item.ItemDetail.Classifications[0] != (cxml.Classification{Domain: "UNSPSC", Code: UNSPSC(l.Quote.ProductType)}) {
				t.Errorf("ItemIn %d = %+v, want line %s", i+1, item, l.Id)
			}
		}
	}
}

func TestOrderMessageRefusesMixedCurrencies(t *testing.T) {
	lines := []Line{{Quote: agreement.Quote{Currency: "USD", Value: "1"}}, {Quote: agreement.Quote{Currency: "EUR", Value: "1"}}}
	_, err := OrderMessage(Session{Operation: cxml.OperationEdit}, lines, time.Now(), "h")
	if StatusOf(err) != cxml.StatusBadRequest || !strings.Contains(err.Error(), "USD, EUR") {
		t.Fatalf("err = %v, want 400 naming the currencies", err)
	}
}

func TestOperationAllowed(t *testing.T) {
	for op, want := range map[string]string{cxml.OperationCreate: "edit", cxml.OperationEdit: "edit", cxml.OperationInspect: "inspect"} {
		if got := operationAllowed(op); got != want {
			t.Errorf("operationAllowed(%s) = %s, want %s", op, got, want)
		}
	}
}
