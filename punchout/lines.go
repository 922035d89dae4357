package punchout

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gatehouse/agreement"
	"gatehouse/catalog"
	"gatehouse/cxml"
	"gatehouse/decimal"
	"gatehouse/randid"
	"gatehouse/store"
)

// kindLine holds priced cart lines; ID is the line id and Parent the
// account it was priced for. Lines outlive shopping sessions: a
// procurement system may order a cart days after it was returned.
const kindLine = "punchout-line"

// Agreements prices lines and makes the agreements of orders;
// agreement.Service implements it. Its methods run in the caller's
// transaction.
type Agreements interface {
	Quote(ctx context.Context, tx store.Tx, account string, l agreement.Line) (agreement.Quote, error)
	Order(ctx context.Context, tx store.Tx, account, orderedBy, purchaseOrder string, l agreement.Line) (agreement.Agreement, error)
	CancelOrdered(ctx context.Context, tx store.Tx, account, agreementID string) error
}

// Line is a priced cart line: an offer, the buyer's acceptance of its
// terms, and what that costs in the session's account. The cart returned
// to the procurement system carries one ItemIn per Line; an OrderRequest's
// ItemOut names the Line it orders by its SupplierPartAuxiliaryID.
type Line struct {
	// Id is "cl-" and 26 random characters of [0-9a-z].
	Id            string
	PreferenceARN string
	Account       string
	Line          agreement.Line
	Quote         agreement.Quote
	Created       time.Time
}

var reLineID = regexp.MustCompile(`^cl-[0-9a-z]{26}$`)

// AuxID is the line's SupplierPartAuxiliaryID: the offer id and the line
// id, which names the accepted terms and their configuration, as
// "offer-…/cl-…".
func (l *Line) AuxID() string {
	return l.Line.OfferId + "/" + l.Id
}

// ParseAuxID splits a SupplierPartAuxiliaryID made by [Line.AuxID].
func ParseAuxID(aux string) (offerID, lineID string, ok bool) {
	offerID, lineID, ok = strings.Cut(strings.TrimSpace(aux), "/")
	return offerID, lineID, ok && offerID != "" && reLineID.MatchString(lineID)
}

// UnitOfMeasure is the unit of every line: one agreement ("each").
const UnitOfMeasure = "EA"

// UNSPSC returns the UNSPSC commodity code of a product type: SaaS is
// software as a service, an AMI application server software, anything
// else (containers, data, ML models) software.
func UNSPSC(productType string) string {
	switch productType {
	case "SaaSProduct":
		return cxml.UNSPSCSoftwareAsAService
	case "AmiProduct":
		return cxml.UNSPSCApplicationServer
	}
	return cxml.UNSPSCSoftware
}

// ItemIn is the line as a PunchOutOrderMessage carries it, numbered n
// (from 1).
func (l *Line) ItemIn(n int) cxml.ItemIn {
	q := l.Quote
	desc := l.Description()
	return cxml.ItemIn{Quantity: "1", LineNumber: strconv.Itoa(n),
		ItemID: cxml.ItemID{SupplierPartID: q.ProductId, SupplierPartAuxiliaryID: l.AuxID()},
		ItemDetail: cxml.ItemDetail{
			UnitPrice:        cxml.UnitPrice{Money: cxml.Money{Currency: q.Currency, Value: q.Value}},
			Description:      cxml.Description{Lang: "en-US", Text: desc, ShortName: q.ProductTitle},
			UnitOfMeasure:    UnitOfMeasure,
			Classifications:  []cxml.Classification{{Domain: cxml.DomainUNSPSC, Code: UNSPSC(q.ProductType)}},
			ManufacturerName: q.Seller,
		}}
}

// Description describes the line to the buyer: the product's title and
// the offer's name.
func (l *Line) Description() string {
	if l.Quote.OfferName == "" {
		return l.Quote.ProductTitle
	}
	return l.Quote.ProductTitle + " — " + l.Quote.OfferName
}

// saveLine stores a priced line.
func saveLine(ctx context.Context, tx store.Tx, l *Line) error {
	return store.Put(ctx, tx, store.Record{Kind: kindLine, ID: l.Id, Parent: l.Account}, l)
}

// loadLine returns the line with the id; ok is false when there is none.
func loadLine(ctx context.Context, tx store.Tx, id string) (l Line, ok bool, err error) {
	if !reLineID.MatchString(id) {
		return l, false, nil
	}
	l, err = store.Get[Line](ctx, tx, kindLine, id)
	if errors.Is(err, store.ErrNotFound) {
		return l, false, nil
	}
	if err != nil {
		return l, false, fmt.Errorf("punchout: line %s: %w", id, err)
	}
	return l, true, nil
}

// newLineID returns a fresh line id: cl- and 26 of [0-9a-z], drawn
// uniformly from s.Rand.
func (s *Service) newLineID() (string, error) {
	id, err := randid.String(s.rand(), randid.LowerAlnum, 26)
	if err != nil {
		return "", fmt.Errorf("punchout: random line id: %w", err)
	}
	return "cl-" + id, nil
}

// Catalog is what the storefront reads of the Marketplace Catalog;
// catalog.Service implements it. Its methods run in the caller's
// transaction and check no permission.
type Catalog interface {
	// AllowedProducts returns the products the Private Marketplace
	// governing an account allows; governed is false when none governs it.
	AllowedProducts(ctx context.Context, tx store.Tx, account string) (ids []string, governed bool, experience string, err error)
	// Product returns a product by id.
	Product(ctx context.Context, tx store.Tx, id string) (catalog.ProductView, bool, error)
	// Offers returns a product's offers.
	Offers(ctx context.Context, tx store.Tx, productID string) ([]catalog.OfferView, error)
}

// priceLine prices an offer and the acceptance of its terms in the
// session's account with Agreements.Quote (which enforces the Private
// Marketplace governing it) and stores the result as a line of the
// session's preference. Refusals are *Error.
func (s *Service) priceLine(ctx context.Context, tx store.Tx, sess *Session, l agreement.Line) (Line, error) {
	q, err := s.Agreements.Quote(ctx, tx, sess.Account, l)
	if err != nil {
		return Line{}, agreementFailure(err)
	}
	id, err := s.newLineID()
	if err != nil {
		return Line{}, err
	}
	line := Line{Id: id, PreferenceARN: sess.PreferenceARN, Account: sess.Account, Line: l, Quote: q, Created: s.now()}
	return line, saveLine(ctx, tx, &line)
}

// one is the quantity of every line: one agreement.
var one, _ = decimal.Parse("1")

// amount reads a decimal amount exactly, ignoring surrounding space.
func amount(s string) (decimal.Number, bool) {
	n, err := decimal.Parse(strings.TrimSpace(s))
	return n, err == nil
}
