package punchout

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gatehouse/agreement"
	"gatehouse/cxml"
	"gatehouse/decimal"
	"gatehouse/procurement"
	"gatehouse/store"
)

// kindOrder holds the orders procurement systems sent; ID is the hash of
// the preference ARN and the orderID, Parent the preference's account.
const kindOrder = "punchout-order"

// Order statuses.
const (
	OrderStatusOrdered = "ORDERED"
	OrderStatusDeleted = "DELETED"
)

// Invoicer bills what an order bought; it runs in the order's
// transaction, so an error undoes the order.
type Invoicer interface {
	// Invoice queues the invoice of what an order bought, in the order's
	// transaction.
	Invoice(ctx context.Context, tx store.Tx, o PlacedOrder) error
	// Wake is called once an order that queued an invoice is committed,
	// so that delivery need not wait for its next round.
	Wake()
}

// PlacedOrder is what an OrderRequest bought: every line of a new order,
// or the lines an update added.
type PlacedOrder struct {
	PreferenceARN string
	// Test reports that the buyer authenticated with the preference's
	// test environment credentials.
	Test      bool
	OrderID   string
	PayloadID string
	Lines     []PlacedLine
}

// PlacedLine is a cart line and the agreement that bought it.
type PlacedLine struct {
	Line        Line
	AgreementId string
}

// Responder renders the cXML Response for a status. [Service.Order] calls
// it inside the order's transaction, so that the bytes a repeated
// payloadID gets back are stored with the order's effects.
type Responder func(st cxml.Status) ([]byte, error)

// OrderResult is the outcome of an OrderRequest. PreferenceARN and
// Account are set as soon as the request is authenticated, failures
// included, for the audit trail.
type OrderResult struct {
	PreferenceARN string
	// Account is the preference's account.
	Account string
	OrderID string
	// Type is the order type: new, update or delete.
	Type string
	// Response is the cXML Response to send back.
	Response []byte
	// Replayed reports that Response is the stored answer to an earlier
	// request with the same payloadID, and nothing was done.
	Replayed bool
	// invoiced reports that the order queued an invoice.
	invoiced bool
}

// orderRec is a received order: what it holds and the agreements that
// bought it.
type orderRec struct {
	PreferenceARN string
	OrderID       string
	Status        string
	// Hash is the order's content hash (see orderContent).
	Hash    string
	Lines   []orderedLine
	Created time.Time
	Updated time.Time
}

// orderedLine is one line of an order and its agreement.
type orderedLine struct {
	AuxID       string
	LineID      string
	Account     string
	AgreementId string
}

// orderCall is one OrderRequest being carried out in a transaction.
type orderCall struct {
	s         *Service
	tx        store.Tx
	portal    procurement.Portal
	payloadID string
	req       *cxml.OrderRequest
	// invoiced is set once an invoice is queued.
	invoiced bool
}

func (o *orderCall) arn() string { return o.portal.Preference.ProcurementPortalPreferenceArn }

// Order carries out an OrderRequest document in one transaction, so that
// any failure changes nothing. The buyer is authenticated as by Setup, and
// its preference must have purchase order retrieval enabled (403).
//
// A new order (type new or none) names stored cart lines of the
// preference, each bought with [Agreements.Order] in the line's account
// with the orderID as purchase order; the same order received again is
// accepted without a second purchase, other content under the same
// orderID is a conflict (409). An update keeps the agreements of the lines
// it keeps, cancels those of the lines it drops and buys the lines it
// adds; a delete cancels them all. Updating or deleting an order never
// received is 417; a new or update after a delete is 409; a repeated
// delete is accepted.
//
// The Response respond renders is stored under the preference and the
// request's payloadID with the order's effects: a request repeating that
// payloadID gets those bytes back and nothing is done again. Failures are
// *Error with the cXML status to answer, or internal errors.
func (s *Service) Order(ctx context.Context, doc *cxml.Document, respond Responder) (OrderResult, error) {
	req, err := orderRequest(doc)
	if err != nil {
		return OrderResult{}, err
	}
	var res OrderResult
	err = store.Update(ctx, s.Store, func(tx store.Tx) error {
		res = OrderResult{OrderID: req.Header.OrderID, Type: req.Header.Type}
		return s.order(ctx, tx, doc, respond, &res)
	})
	if err == nil && res.invoiced {
		s.Invoices.Wake()
	}
	return res, err
}

// acceptsOrders refuses orders (403) from a preference whose purchase
// order retrieval is not enabled, or was suspended with
// UpdateProcurementPortalPreferenceStatus.
func acceptsOrders(p procurement.ProcurementPortalPreference) error {
	switch {
	case !p.PurchaseOrderRetrievalEnabled:
		return fail(cxml.StatusForbidden, "Purchase order retrieval is not enabled for this procurement portal.")
	case p.PurchaseOrderRetrievalPreferenceStatus == procurement.StatusSuspended:
		return fail(cxml.StatusForbidden, "Purchase order retrieval is suspended for this procurement portal.")
	}
	return nil
}

// order carries out the OrderRequest of doc in tx, filling res.
func (s *Service) order(ctx context.Context, tx store.Tx, doc *cxml.Document, respond Responder, res *OrderResult) error {
	portal, err := s.authenticate(ctx, tx, doc.Header)
	if err != nil {
		return err
	}
	p := portal.Preference
	res.PreferenceARN, res.Account = p.ProcurementPortalPreferenceArn, p.AwsAccountId
	if err := acceptsOrders(p); err != nil {
		return err
	}
	payloadID := strings.TrimSpace(doc.PayloadID)
	replay := replayID(res.PreferenceARN, payloadID)
	body, ok, err := loadReply(ctx, tx, replay)
	if err != nil || ok {
		res.Response, res.Replayed = body, ok
		return err
	}
	o := &orderCall{s: s, tx: tx, portal: portal, payloadID: payloadID, req: doc.Request.OrderRequest}
	msg, err := o.apply(ctx)
	if err != nil {
		return err
	}
	res.invoiced = o.invoiced
	if res.Response, err = respond(cxml.NewStatus(cxml.StatusOK, msg)); err != nil {
		return fmt.Errorf("punchout: order response: %w", err)
	}
	return saveReply(ctx, tx, replay, res.Account, res.Response)
}

// orderRequest returns the OrderRequest of doc after checking what the
// bridge needs of it.
func orderRequest(doc *cxml.Document) (*cxml.OrderRequest, error) {
	if doc == nil || doc.Request == nil || doc.Request.OrderRequest == nil {
		return nil, fail(cxml.StatusBadRequest, "The document is not an OrderRequest.")
	}
	if doc.Header == nil {
		return nil, fail(cxml.StatusUnauthorized, "The request has no Header with credentials.")
	}
	if len(doc.Request.OrderRequest.Header.OrderID) > maxOrderID {
		return nil, fail(cxml.StatusBadRequest, "orderID is longer than %d characters.", maxOrderID)
	}
	return doc.Request.OrderRequest, nil
}

// maxOrderID is the longest orderID accepted: the longest purchase-order
// reference an agreement takes.
const maxOrderID = 200

// apply makes, changes or deletes the order and returns the message of
// the OK status.
func (o *orderCall) apply(ctx context.Context) (string, error) {
	id := orderKey(o.arn(), o.req.Header.OrderID)
	rec, found, err := loadOrder(ctx, o.tx, id)
	if err != nil {
		return "", err
	}
	switch o.req.Header.Type {
	case cxml.OrderUpdate:
		return o.update(ctx, id, rec, found)
	case cxml.OrderDelete:
		return o.delete(ctx, id, rec, found)
	}
	return o.create(ctx, id, rec, found)
}

// create makes a new order; the same order received again is accepted
// without a second purchase.
func (o *orderCall) create(ctx context.Context, id string, rec orderRec, found bool) (string, error) {
	orderID := o.req.Header.OrderID
	if found && rec.Status == OrderStatusDeleted {
		return "", fail(cxml.StatusConflict, "Order %s was deleted.", orderID)
	}
	c, err := o.content(ctx)
	if err != nil {
		return "", err
	}
	if found {
		if c.hash != rec.Hash {
			return "", fail(cxml.StatusConflict, "Order %s was already received with other content.", orderID)
		}
		return "Order " + orderID + " was already received.", nil
	}
	placed, err := o.buy(ctx, c.lines)
	if err != nil {
		return "", err
	}
	now := o.s.now()
	rec = orderRec{PreferenceARN: o.arn(), OrderID: orderID, Status: OrderStatusOrdered, Hash: c.hash, Created: now, Updated: now}
	rec.Lines = ordered(placed)
	if err := o.invoice(ctx, placed); err != nil {
		return "", err
	}
	return "Order " + orderID + " was received.", o.save(ctx, id, &rec)
}

// update changes an order to the lines of the request: lines it keeps
// keep their agreements, lines it drops have theirs cancelled, and new
// lines are bought.
func (o *orderCall) update(ctx context.Context, id string, rec orderRec, found bool) (string, error) {
	orderID := o.req.Header.OrderID
	if err := o.existing(rec, found); err != nil {
		return "", err
	}
	c, err := o.content(ctx)
	if err != nil {
		return "", err
	}
	if c.hash == rec.Hash {
		return "Order " + orderID + " is unchanged.", nil
	}
	want := map[string]bool{}
	for _, l := range c.lines {
		want[l.AuxID()] = true
	}
	have := map[string]bool{}
	var kept []orderedLine
	for _, l := range rec.Lines {
		have[l.AuxID] = true
		if want[l.AuxID] {
			kept = append(kept, l)
			continue
		}
		if err := o.s.cancel(ctx, o.tx, l); err != nil {
			return "", err
		}
	}
	var added []Line
	for _, l := range c.lines {
		if !have[l.AuxID()] {
			added = append(added, l)
		}
	}
	placed, err := o.buy(ctx, added)
	if err != nil {
		return "", err
	}
	rec.Lines = append(kept, ordered(placed)...)
	slices.SortFunc(rec.Lines, func(a, b orderedLine) int { return strings.Compare(a.AuxID, b.AuxID) })
	rec.Hash, rec.Updated = c.hash, o.s.now()
	if err := o.invoice(ctx, placed); err != nil {
		return "", err
	}
	return "Order " + orderID + " was updated.", o.save(ctx, id, &rec)
}

// delete cancels every agreement of an order; deleting it again is
// accepted.
func (o *orderCall) delete(ctx context.Context, id string, rec orderRec, found bool) (string, error) {
	orderID := o.req.Header.OrderID
	if !found {
		return "", unknownOrder(orderID)
	}
	if rec.Status == OrderStatusDeleted {
		return "Order " + orderID + " was already deleted.", nil
	}
	for _, l := range rec.Lines {
		if err := o.s.cancel(ctx, o.tx, l); err != nil {
			return "", err
		}
	}
	rec.Status, rec.Updated = OrderStatusDeleted, o.s.now()
	return "Order " + orderID + " was deleted.", o.save(ctx, id, &rec)
}

// existing refuses to change an order that was never received or was
// deleted.
func (o *orderCall) existing(rec orderRec, found bool) error {
	switch {
	case !found:
		return unknownOrder(o.req.Header.OrderID)
	case rec.Status == OrderStatusDeleted:
		return fail(cxml.StatusConflict, "Order %s was deleted.", o.req.Header.OrderID)
	}
	return nil
}

// unknownOrder is the refusal of an update or delete of an order never
// received: the request refers to a document the supplier does not have.
func unknownOrder(orderID string) *Error {
	return fail(cxml.StatusExpectationFailed, "Order %s was never received.", orderID)
}

// buy makes one agreement per line, in the line's account, with the
// orderID as purchase-order reference. Governance is checked again.
func (o *orderCall) buy(ctx context.Context, lines []Line) ([]PlacedLine, error) {
	placed := make([]PlacedLine, 0, len(lines))
	for _, l := range lines {
		a, err := o.s.Agreements.Order(ctx, o.tx, l.Account, o.arn(), o.req.Header.OrderID, l.Line)
		if err != nil {
			return nil, lineFailure(l.AuxID(), err)
		}
		placed = append(placed, PlacedLine{Line: l, AgreementId: a.AgreementId})
	}
	return placed, nil
}

// cancel cancels the agreement of an order line.
func (s *Service) cancel(ctx context.Context, tx store.Tx, l orderedLine) error {
	if err := s.Agreements.CancelOrdered(ctx, tx, l.Account, l.AgreementId); err != nil {
		return lineFailure(l.AuxID, err)
	}
	return nil
}

// invoice hands the lines bought to the invoicer, if any.
func (o *orderCall) invoice(ctx context.Context, placed []PlacedLine) error {
	if o.s.Invoices == nil || len(placed) == 0 {
		return nil
	}
	err := o.s.Invoices.Invoice(ctx, o.tx, PlacedOrder{PreferenceARN: o.arn(), Test: o.portal.Test,
		OrderID: o.req.Header.OrderID, PayloadID: o.payloadID, Lines: placed})
	if err != nil {
		return fmt.Errorf("punchout: invoice order %s: %w", o.req.Header.OrderID, err)
	}
	o.invoiced = true
	return nil
}

func (o *orderCall) save(ctx context.Context, id string, rec *orderRec) error {
	return store.Put(ctx, o.tx, store.Record{Kind: kindOrder, ID: id, Parent: o.portal.Preference.AwsAccountId}, rec)
}

func ordered(placed []PlacedLine) []orderedLine {
	out := make([]orderedLine, len(placed))
	for i, p := range placed {
		out[i] = orderedLine{AuxID: p.Line.AuxID(), LineID: p.Line.Id, Account: p.Line.Account, AgreementId: p.AgreementId}
	}
	return out
}

// lineFailure is agreementFailure for a line of an order: its message
// names the line.
func lineFailure(aux string, err error) error {
	var e *Error
	if errors.As(agreementFailure(err), &e) {
		return fail(e.Status, "Line %s cannot be bought: %s", aux, e.Message)
	}
	return fmt.Errorf("punchout: line %s: %w", aux, err)
}

// orderKey is the id of an order record: a hash of the preference and
// the buyer's orderID, which may hold any character.
func orderKey(arn, orderID string) string {
	sum := sha256.Sum256([]byte(arn + "\x00" + orderID))
	return hex.EncodeToString(sum[:])
}

func loadOrder(ctx context.Context, tx store.Tx, id string) (orderRec, bool, error) {
	rec, err := store.Get[orderRec](ctx, tx, kindOrder, id)
	if errors.Is(err, store.ErrNotFound) {
		return rec, false, nil
	}
	if err != nil {
		return rec, false, fmt.Errorf("punchout: order: %w", err)
	}
	return rec, true, nil
}

// PriceLine prices an offer and the acceptance of its terms in a shopping
// session's account, as the Private Marketplace governing it allows, and
// stores the result as a cart line of the session's preference. Refusals
// are *Error with the cXML status the agreement service's error maps to.
func (s *Service) PriceLine(ctx context.Context, sess Session, l agreement.Line) (Line, error) {
	var line Line
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		var err error
		line, err = s.priceLine(ctx, tx, &sess, l)
		return err
	})
	return line, err
}

// orderContent is what an order holds, whatever its type: its cart lines
// in the request's order, and a hash of them, sorted by
// SupplierPartAuxiliaryID, with their prices and the total.
type orderContent struct {
	lines []Line
	hash  string
}

// content checks the request's lines against the stored cart lines of the
// preference and its total against their sum, and returns its content.
// Every check fails with 400: a line that is unknown and one of another
// preference are not told apart.
func (o *orderCall) content(ctx context.Context) (orderContent, error) {
	items := o.req.Items
	if len(items) == 0 {
		return orderContent{}, fail(cxml.StatusBadRequest, "The order has no ItemOut.")
	}
	var (
		c     orderContent
		sum   decimal.Number
		cur   string
		seen  = map[string]bool{}
		canon = sha256.New()
	)
	for i := range items {
		l, price, err := o.line(ctx, i+1, &items[i])
		if err != nil {
			return orderContent{}, err
		}
		if seen[l.Id] {
			return orderContent{}, fail(cxml.StatusBadRequest, "ItemOut %d orders cart line %s a second time.", i+1, l.AuxID())
		}
		if cur != "" && cur != l.Quote.Currency {
			return orderContent{}, fail(cxml.StatusBadRequest, "ItemOut %d is in %s, other lines in %s.", i+1, l.Quote.Currency, cur)
		}
		seen[l.Id], cur = true, l.Quote.Currency
		sum = sum.Add(price)
		c.lines = append(c.lines, l)
	}
	total := o.req.Header.Total.Money
	t, ok := amount(total.Value)
	if !ok || !strings.EqualFold(strings.TrimSpace(total.Currency), cur) || t.Cmp(sum) != 0 {
		return orderContent{}, fail(cxml.StatusBadRequest, "The order Total %s %s is not the sum of its lines, %s %s.",
			strings.TrimSpace(total.Value), strings.TrimSpace(total.Currency), sum.Format(2), cur)
	}
	sorted := slices.Clone(c.lines)
	slices.SortFunc(sorted, func(a, b Line) int { return strings.Compare(a.AuxID(), b.AuxID()) })
	for _, l := range sorted {
		p, _ := amount(l.Quote.Value)
		fmt.Fprintf(canon, "line\x00%s\x00%s\x00%s\x00%s\n", l.AuxID(), l.Quote.ProductId, l.Quote.Currency, p.Normal())
	}
	fmt.Fprintf(canon, "total\x00%s\x00%s\n", cur, sum.Normal())
	c.hash = hex.EncodeToString(canon.Sum(nil))
	return c, nil
}

// line returns the stored cart line item n names, after checking that the
// item matches it: product, offer, unit price and currency, quantity 1.
func (o *orderCall) line(ctx context.Context, n int, item *cxml.ItemOut) (Line, decimal.Number, error) {
	offerID, lineID, ok := ParseAuxID(item.ItemID.SupplierPartAuxiliaryID)
	if !ok {
		return Line{}, decimal.Number{}, fail(cxml.StatusBadRequest, "ItemOut %d has no SupplierPartAuxiliaryID naming a cart line.", n)
	}
	l, ok, err := loadLine(ctx, o.tx, lineID)
	if err != nil {
		return Line{}, decimal.Number{}, err
	}
	if !ok || l.PreferenceARN != o.arn() {
		return Line{}, decimal.Number{}, fail(cxml.StatusBadRequest, "ItemOut %d names no cart line of this procurement portal.", n)
	}
	if offerID != l.Line.OfferId || strings.TrimSpace(item.ItemID.SupplierPartID) != l.Quote.ProductId {
		return Line{}, decimal.Number{}, fail(cxml.StatusBadRequest, "ItemOut %d: SupplierPartID or offer is not those of cart line %s.", n, l.Id)
	}
	if q, ok := amount(item.Quantity); !ok || q.Cmp(one) != 0 {
		return Line{}, decimal.Number{}, fail(cxml.StatusBadRequest, "ItemOut %d: quantity must be 1, one agreement.", n)
	}
	want, ok := amount(l.Quote.Value)
	if !ok {
		return Line{}, decimal.Number{}, fmt.Errorf("punchout: cart line %s has price %q", l.Id, l.Quote.Value)
	}
	if item.ItemDetail == nil {
		return Line{}, decimal.Number{}, fail(cxml.StatusBadRequest, "ItemOut %d has no ItemDetail with its UnitPrice.", n)
	}
	m := item.ItemDetail.UnitPrice.Money
	got, ok := amount(m.Value)
	if !ok || got.Cmp(want) != 0 || !strings.EqualFold(strings.TrimSpace(m.Currency), l.Quote.Currency) {
		return Line{}, decimal.Number{}, fail(cxml.StatusBadRequest, "ItemOut %d: UnitPrice %s %s is not the quoted %s %s.",
			n, strings.TrimSpace(m.Value), strings.TrimSpace(m.Currency), l.Quote.Value, l.Quote.Currency)
	}
	return l, want, nil
}
