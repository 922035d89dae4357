package cxml

import (
	"fmt"
	"strings"
)

// InvoiceDetailDTD is the system identifier of the DOCTYPE of an emitted
// InvoiceDetailRequest: cXML defines invoices in their own DTD, beside
// cXML.dtd, and buyers that validate read them against it. It is never
// fetched.
const InvoiceDetailDTD = "http://xml.cxml.org/schemas/cXML/" + Version + "/InvoiceDetail.dtd"

// Invoice purposes and operations (InvoiceDetailRequestHeader purpose and
// operation). Gatehouse sends only standard invoices of new purchases.
const (
	InvoicePurposeStandard = "standard"
	InvoiceOperationNew    = "new"
)

// InvoiceDetailRequest is a supplier's invoice for one or more orders:
// its header, the invoiced lines grouped by order, and the totals. The
// elements follow InvoiceDetail.dtd's order (InvoiceDetailRequestHeader,
// InvoiceDetailOrder+, InvoiceDetailSummary); the DTD's header-level
// InvoiceDetailHeaderOrder alternative is not supported.
type InvoiceDetailRequest struct {
	Header  InvoiceDetailRequestHeader `xml:"InvoiceDetailRequestHeader"`
	Orders  []InvoiceDetailOrder       `xml:"InvoiceDetailOrder"`
	Summary InvoiceDetailSummary       `xml:"InvoiceDetailSummary"`
}

// InvoiceDetailRequestHeader identifies the invoice. The two indicators
// are required by the DTD and are always written, empty: no tax,
// shipping, discount or accounting data is given per line or in the
// header. Partners (remitTo, billTo, ...) are optional.
type InvoiceDetailRequestHeader struct {
	InvoiceID       string                       `xml:"invoiceID,attr"`
	Purpose         string                       `xml:"purpose,attr"`
	Operation       string                       `xml:"operation,attr"`
	InvoiceDate     Timestamp                    `xml:"invoiceDate,attr"`
	HeaderIndicator InvoiceDetailHeaderIndicator `xml:"InvoiceDetailHeaderIndicator"`
	LineIndicator   InvoiceDetailLineIndicator   `xml:"InvoiceDetailLineIndicator"`
	Partners        []InvoicePartner             `xml:"InvoicePartner"`
	Comments        string                       `xml:"Comments,omitempty"`
	Extrinsics      []Extrinsic                  `xml:"Extrinsic"`
}

// InvoiceDetailHeaderIndicator flags header-level invoice data; empty,
// it flags none.
type InvoiceDetailHeaderIndicator struct{}

// InvoiceDetailLineIndicator flags line-level invoice data (tax,
// shipping, accounting in line); empty, it flags none.
type InvoiceDetailLineIndicator struct{}

// InvoicePartner is a party to the invoice, named by a Contact with its
// role (remitTo, billTo, soldTo, ...).
type InvoicePartner struct {
	Contact Contact `xml:"Contact"`
}

// InvoiceDetailOrder is the part of an invoice that bills one order.
type InvoiceDetailOrder struct {
	Info  InvoiceDetailOrderInfo `xml:"InvoiceDetailOrderInfo"`
	Items []InvoiceDetailItem    `xml:"InvoiceDetailItem"`
}

// InvoiceDetailOrderInfo names the order billed.
type InvoiceDetailOrderInfo struct {
	OrderReference OrderReference `xml:"OrderReference"`
}

// OrderReference names an order by the buyer's orderID and the
// payloadID of the OrderRequest that carried it.
type OrderReference struct {
	OrderID           string            `xml:"orderID,attr"`
	OrderDate         Timestamp         `xml:"orderDate,attr"`
	DocumentReference DocumentReference `xml:"DocumentReference"`
}

// DocumentReference names an earlier cXML document by its payloadID.
type DocumentReference struct {
	PayloadID string `xml:"payloadID,attr"`
}

// InvoiceDetailItem is one invoiced line: unit, price, the order line it
// bills and its amount, in InvoiceDetail.dtd's element order.
type InvoiceDetailItem struct {
	InvoiceLineNumber string                     `xml:"invoiceLineNumber,attr"`
	Quantity          string                     `xml:"quantity,attr"`
	UnitOfMeasure     string                     `xml:"UnitOfMeasure"`
	UnitPrice         UnitPrice                  `xml:"UnitPrice"`
	Reference         InvoiceDetailItemReference `xml:"InvoiceDetailItemReference"`
	SubtotalAmount    *Amount                    `xml:"SubtotalAmount"`
}

// InvoiceDetailItemReference names the order line an invoice line bills:
// its lineNumber in the order, the item and its description and
// classification.
type InvoiceDetailItemReference struct {
	LineNumber      string           `xml:"lineNumber,attr"`
	ItemID          ItemID           `xml:"ItemID"`
	Description     *Description     `xml:"Description"`
	Classifications []Classification `xml:"Classification"`
}

// InvoiceDetailSummary is an invoice's totals. SubtotalAmount, Tax and
// NetAmount are required; GrossAmount and DueAmount are optional.
type InvoiceDetailSummary struct {
	SubtotalAmount Amount  `xml:"SubtotalAmount"`
	Tax            Tax     `xml:"Tax"`
	GrossAmount    *Amount `xml:"GrossAmount"`
	NetAmount      Amount  `xml:"NetAmount"`
	DueAmount      *Amount `xml:"DueAmount"`
}

// Amount wraps a Money: SubtotalAmount, GrossAmount, NetAmount and
// DueAmount.
type Amount struct {
	Money Money `xml:"Money"`
}

// Tax is a tax amount and its description.
type Tax struct {
	Money       Money       `xml:"Money"`
	Description Description `xml:"Description"`
}

// check enforces what InvoiceDetail.dtd requires of the parts emitted.
func (r *InvoiceDetailRequest) check() error {
	h := r.Header
	switch {
	case h.InvoiceID == "":
		return fmt.Errorf("%w: InvoiceDetailRequestHeader without invoiceID", ErrInvalid)
	case h.Purpose != InvoicePurposeStandard:
		return fmt.Errorf("%w: invoice purpose %q", ErrInvalid, h.Purpose)
	case h.Operation != InvoiceOperationNew:
		return fmt.Errorf("%w: invoice operation %q", ErrInvalid, h.Operation)
	case !h.InvoiceDate.Valid():
		return fmt.Errorf("%w: InvoiceDetailRequestHeader without invoiceDate", ErrInvalid)
	case len(r.Orders) == 0:
		return fmt.Errorf("%w: InvoiceDetailRequest without InvoiceDetailOrder", ErrInvalid)
	}
	for i, o := range r.Orders {
		if err := o.check(i + 1); err != nil {
			return err
		}
	}
	return r.Summary.check()
}

func (o *InvoiceDetailOrder) check(n int) error {
	ref := o.Info.OrderReference
	switch {
	case ref.OrderID == "":
		return fmt.Errorf("%w: InvoiceDetailOrder %d without orderID", ErrInvalid, n)
	case ref.DocumentReference.PayloadID == "":
		return fmt.Errorf("%w: InvoiceDetailOrder %d without the order's payloadID", ErrInvalid, n)
	case len(o.Items) == 0:
		return fmt.Errorf("%w: InvoiceDetailOrder %d without InvoiceDetailItem", ErrInvalid, n)
	}
	for i, item := range o.Items {
		switch {
		case item.Quantity == "":
			return fmt.Errorf("%w: InvoiceDetailItem %d without quantity", ErrInvalid, i+1)
		case item.UnitOfMeasure == "":
			return fmt.Errorf("%w: InvoiceDetailItem %d without UnitOfMeasure", ErrInvalid, i+1)
		case !item.UnitPrice.Money.complete():
			return fmt.Errorf("%w: InvoiceDetailItem %d without UnitPrice", ErrInvalid, i+1)
		case item.Reference.LineNumber == "":
			return fmt.Errorf("%w: InvoiceDetailItem %d without the order's lineNumber", ErrInvalid, i+1)
		case item.SubtotalAmount != nil && !item.SubtotalAmount.Money.complete():
			return fmt.Errorf("%w: InvoiceDetailItem %d with an empty SubtotalAmount", ErrInvalid, i+1)
		}
	}
	return nil
}

func (s *InvoiceDetailSummary) check() error {
	optional := func(a *Amount) bool { return a == nil || a.Money.complete() }
	switch {
	case !s.SubtotalAmount.Money.complete():
		return fmt.Errorf("%w: InvoiceDetailSummary without SubtotalAmount", ErrInvalid)
	case !s.Tax.Money.complete() || s.Tax.Description.Text == "":
		return fmt.Errorf("%w: InvoiceDetailSummary without Tax", ErrInvalid)
	case !s.NetAmount.Money.complete():
		return fmt.Errorf("%w: InvoiceDetailSummary without NetAmount", ErrInvalid)
	case !optional(s.GrossAmount) || !optional(s.DueAmount):
		return fmt.Errorf("%w: InvoiceDetailSummary with an empty amount", ErrInvalid)
	}
	return nil
}

// complete reports whether the money has a currency and a value.
func (m Money) complete() bool {
	return m.Currency != "" && m.Value != ""
}

// normalize trims the invoice's identifiers and reads its purpose and
// operation in any letter case.
func (r *InvoiceDetailRequest) normalize() error {
	h := &r.Header
	h.InvoiceID = strings.TrimSpace(h.InvoiceID)
	if h.InvoiceID == "" {
		return fmt.Errorf("%w: InvoiceDetailRequestHeader without invoiceID", ErrInvalid)
	}
	h.Purpose = strings.ToLower(strings.TrimSpace(h.Purpose))
	h.Operation = strings.ToLower(strings.TrimSpace(h.Operation))
	for i := range r.Orders {
		ref := &r.Orders[i].Info.OrderReference
		ref.OrderID = strings.TrimSpace(ref.OrderID)
		ref.DocumentReference.PayloadID = strings.TrimSpace(ref.DocumentReference.PayloadID)
	}
	return nil
}
