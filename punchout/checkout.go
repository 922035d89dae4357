package punchout

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"gatehouse/cxml"
	"gatehouse/decimal"
	"gatehouse/procurement"
	"gatehouse/store"
)

// UserAgent is the Sender UserAgent of the documents Gatehouse sends.
const UserAgent = "Gatehouse"

// emptyCartCurrency is the currency of the zero total of an empty cart,
// the agreement service's default currency.
const emptyCartCurrency = "USD"

// Checkout is a cart returned to the procurement system: the form fields
// that carry its PunchOutOrderMessage, to be posted by the shopper's
// browser to the session's BrowserFormPost URL.
type Checkout struct {
	Session Session
	Form    url.Values
	Lines   int
	Total   cxml.Money
}

// Checkout ends a shopping session by returning its cart ("Request
// approval"): it builds the PunchOutOrderMessage of the cart's lines and
// deletes the session, so that the cart is returned once. csrf must be the
// session's CSRF token. An inspect session returns nothing (403): the
// procurement system asked only to show the cart. A cart mixing
// currencies is refused (400) and the session kept. host names Gatehouse
// in the payloadID.
func (s *Service) Checkout(ctx context.Context, token, csrf, host string) (Checkout, error) {
	var out Checkout
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		sess, id, err := s.writableSession(ctx, tx, token, csrf)
		if err != nil {
			return err
		}
		lines, err := cartLines(ctx, tx, sess)
		if err != nil {
			return err
		}
		doc, err := OrderMessage(sess, lines, s.now(), host)
		if err != nil {
			return err
		}
		// SAP Business Network prefers the base64 field: it carries any
		// character of the document unchanged, where the URL-encoded
		// field loses characters outside what its receivers decode.
		form, err := cxml.FormValues(doc, sess.Portal == procurement.PortalSAPBusinessNetwork)
		if err != nil {
			return fmt.Errorf("punchout: order message: %w", err)
		}
		if err := tx.Delete(ctx, kindSession, id); err != nil {
			return fmt.Errorf("punchout: end session: %w", err)
		}
		out = Checkout{Session: sess, Form: form, Lines: len(lines), Total: doc.Message.PunchOutOrderMessage.Header.Total.Money}
		return nil
	})
	return out, err
}

// OrderMessage builds the PunchOutOrderMessage that returns a session's
// cart: From the supplier To the buyer, sent by the supplier with no
// shared secret (the document travels through the shopper's browser), the
// BuyerCookie as the setup request sent it, one ItemIn per line and the
// exact total of the lines. A create or edit session allows the
// procurement system to edit the cart later. Lines in more than one
// currency are refused (400).
func OrderMessage(sess Session, lines []Line, now time.Time, host string) (*cxml.Document, error) {
	total, err := CartTotal(lines)
	if err != nil {
		return nil, err
	}
	msg := &cxml.PunchOutOrderMessage{BuyerCookie: sess.BuyerCookie,
		Header: cxml.PunchOutOrderMessageHeader{OperationAllowed: operationAllowed(sess.Operation), Total: cxml.Total{Money: total}}}
	for i := range lines {
		msg.Items = append(msg.Items, lines[i].ItemIn(i+1))
	}
	supplier := sess.Supplier.Credential()
	mode := ""
	if sess.Test {
		mode = "test"
	}
	return &cxml.Document{
		PayloadID: cxml.NewPayloadID(now, host),
		Timestamp: cxml.At(now),
		Header: &cxml.Header{
			From:   cxml.Party{Credentials: []cxml.Credential{supplier}},
			To:     cxml.Party{Credentials: []cxml.Credential{sess.Buyer.Credential()}},
			Sender: cxml.Sender{Credentials: []cxml.Credential{supplier}, UserAgent: UserAgent},
		},
		Message: &cxml.Message{DeploymentMode: mode, PunchOutOrderMessage: msg},
	}, nil
}

// operationAllowed is what the procurement system may do with a returned
// cart: sessions that could change it return it as editable; an inspect
// session returns it for inspection only.
func operationAllowed(operation string) string {
	if operation == cxml.OperationInspect {
		return cxml.OperationInspect
	}
	return cxml.OperationEdit
}

// CartTotal returns the sum of the lines' prices in their currency: zero
// in USD for no lines; 400 for lines in more than one currency.
func CartTotal(lines []Line) (cxml.Money, error) {
	if len(lines) == 0 {
		return cxml.Money{Currency: emptyCartCurrency, Value: "0"}, nil
	}
	currency := lines[0].Quote.Currency
	values := make([]string, len(lines))
	var currencies []string
	for i, l := range lines {
		values[i] = l.Quote.Value
		if !slices.Contains(currencies, l.Quote.Currency) {
			currencies = append(currencies, l.Quote.Currency)
		}
	}
	if len(currencies) > 1 {
		return cxml.Money{}, fail(cxml.StatusBadRequest,
			"The cart mixes currencies (%s); remove the lines of all but one currency to return it.", strings.Join(currencies, ", "))
	}
	sum, err := decimal.Sum(values)
	if err != nil {
		return cxml.Money{}, fmt.Errorf("punchout: cart total: %w", err)
	}
	return cxml.Money{Currency: currency, Value: sum.String()}, nil
}
