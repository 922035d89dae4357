package invoice

import (
	"gatehouse/decimal"

	"errors"
	"fmt"
	"regexp"
	"unicode/utf8"
)

// ErrInvalid is returned by Enqueue for an invoice that lacks what the
// InvoiceDetailRequest needs, or names a preference (or environment) that
// does not exist. It wraps the detail.
var ErrInvalid = errors.New("invoice: invalid invoice")

// DefaultUnitOfMeasure is the unit of a line that names none: each (UN/CEFACT
// code EA).
const DefaultUnitOfMeasure = "EA"

// Limits of an invoice, far above a real order, that bound the outbox
// record and the document.
const (
	maxLines  = 500
	maxString = 1024
)

var (
	reCurrency = regexp.MustCompile(`^[A-Z]{3}$`)
	reUNSPSC   = regexp.MustCompile(`^[0-9]{8}$`)
)

// Invoice is what the order flow knows of an upfront purchase made
// through a procurement portal's OrderRequest: enough to bill it with an
// InvoiceDetailRequest.
type Invoice struct {
	// PreferenceARN is the procurement-portal preference the order came
	// through.
	PreferenceARN string
	// Test reports that the order came with the preference's test
	// credentials: the invoice goes to the test environment.
	Test bool
	// Account is the AWS account that bought.
	Account string
	// OrderID is the buyer's orderID (OrderRequestHeader) and
	// OrderPayloadID the payloadID of the OrderRequest document.
	OrderID        string
	OrderPayloadID string
	// AgreementIDs are the agreements the order created.
	AgreementIDs []string
	// Currency is the ISO 4217 code of every price.
	Currency string
	Lines    []Line
}

// Line is one invoiced order line.
type Line struct {
	// LineNumber is the order line's lineNumber; 0 means the line's
	// position in Lines, counting from 1.
	LineNumber int
	// ProductID is the SupplierPartID, OfferTermsID the
	// SupplierPartAuxiliaryID (offer and terms) of the order line.
	ProductID    string
	OfferTermsID string
	Description  string
	// Quantity and UnitPrice are non-negative decimals as written, such
	// as "12" and "1200.00"; the line's amount is their exact product.
	Quantity  string
	UnitPrice string
	// UnitOfMeasure is the order line's unit; "" means
	// DefaultUnitOfMeasure.
	UnitOfMeasure string
	// UNSPSC is the line's 8-digit UNSPSC code; "" means none.
	UNSPSC string
}

// validate checks the invoice and returns its total.
func (inv Invoice) validate() (decimal.Number, error) {
	for _, f := range []struct{ name, value string }{
		{"PreferenceARN", inv.PreferenceARN}, {"Account", inv.Account},
		{"OrderID", inv.OrderID}, {"OrderPayloadID", inv.OrderPayloadID},
	} {
		if err := text(f.name, f.value, true); err != nil {
			return decimal.Number{}, err
		}
	}
	for _, a := range inv.AgreementIDs {
		if err := text("AgreementIDs", a, true); err != nil {
			return decimal.Number{}, err
		}
	}
	switch {
	case !reCurrency.MatchString(inv.Currency):
		return decimal.Number{}, fmt.Errorf("%w: currency %q is not an ISO 4217 code", ErrInvalid, inv.Currency)
	case len(inv.Lines) == 0:
		return decimal.Number{}, fmt.Errorf("%w: no lines", ErrInvalid)
	case len(inv.Lines) > maxLines:
		return decimal.Number{}, fmt.Errorf("%w: more than %d lines", ErrInvalid, maxLines)
	}
	var total decimal.Number
	for i, l := range inv.Lines {
		amount, err := l.validate()
		if err != nil {
			return decimal.Number{}, fmt.Errorf("line %d: %w", i+1, err)
		}
		total = total.Add(amount)
	}
	return total, nil
}

// validate checks the line and returns its amount.
func (l Line) validate() (decimal.Number, error) {
	if l.LineNumber < 0 {
		return decimal.Number{}, fmt.Errorf("%w: negative LineNumber", ErrInvalid)
	}
	for _, f := range []struct {
		name, value string
		required    bool
	}{
		{"ProductID", l.ProductID, true}, {"OfferTermsID", l.OfferTermsID, false},
		{"Description", l.Description, false}, {"UnitOfMeasure", l.UnitOfMeasure, false},
	} {
		if err := text(f.name, f.value, f.required); err != nil {
			return decimal.Number{}, err
		}
	}
	if l.UNSPSC != "" && !reUNSPSC.MatchString(l.UNSPSC) {
		return decimal.Number{}, fmt.Errorf("%w: UNSPSC %q is not an 8-digit code", ErrInvalid, l.UNSPSC)
	}
	q, err := decimal.Parse(l.Quantity)
	if err != nil || q.IsZero() {
		return decimal.Number{}, fmt.Errorf("%w: Quantity %q is not a positive decimal", ErrInvalid, l.Quantity)
	}
	p, err := decimal.Parse(l.UnitPrice)
	if err != nil {
		return decimal.Number{}, fmt.Errorf("%w: UnitPrice: %v", ErrInvalid, err)
	}
	return q.Mul(p), nil
}

// text checks a string member: present when required, valid UTF-8, at
// most maxString bytes.
func text(name, value string, required bool) error {
	switch {
	case required && value == "":
		return fmt.Errorf("%w: no %s", ErrInvalid, name)
	case len(value) > maxString:
		return fmt.Errorf("%w: %s longer than %d bytes", ErrInvalid, name, maxString)
	case !utf8.ValidString(value):
		return fmt.Errorf("%w: %s is not UTF-8", ErrInvalid, name)
	}
	return nil
}

// lineNumber is the order lineNumber of the i-th line (from 0).
func (l Line) lineNumber(i int) int {
	if l.LineNumber == 0 {
		return i + 1
	}
	return l.LineNumber
}

// unit is the line's unit of measure.
func (l Line) unit() string {
	if l.UnitOfMeasure == "" {
		return DefaultUnitOfMeasure
	}
	return l.UnitOfMeasure
}
