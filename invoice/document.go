package invoice

import (
	"strconv"

	"gatehouse/cxml"
	"gatehouse/decimal"
	"gatehouse/procurement"
)

// UserAgent is the Sender's UserAgent of every invoice.
const UserAgent = "Gatehouse"

// Extrinsic names of the invoice header.
const (
	extrinsicAgreement = "AgreementId"
	extrinsicAccount   = "AccountId"
)

// taxDescription explains the zero tax of every invoice: Gatehouse bills
// list prices and leaves tax to the buyer's own accounting.
const taxDescription = "No tax is charged on this invoice."

// document builds the InvoiceDetailRequest of e for portal, whose
// environment must be the invoice's: supplier credential From and Sender
// (with the shared secret), buyer credential To. The invoice must have
// passed validate.
// minScale is the fewest fractional digits an amount is written with:
// cents, as portals display them.
const minScale = 2

func document(e entry, portal procurement.Portal) *cxml.Document {
	env := portal.Environment()
	supplier := cxml.Credential{Domain: env.SupplierDomain, Identity: env.SupplierIdentifier}
	sender := supplier
	sender.SharedSecret = cxml.Secret(portal.SharedSecret)
	d := e.Delivery
	return &cxml.Document{
		PayloadID: d.PayloadID,
		Timestamp: cxml.At(d.Created),
		Lang:      "en-US",
		Header: &cxml.Header{
			From:   cxml.Party{Credentials: []cxml.Credential{supplier}},
			To:     cxml.Party{Credentials: []cxml.Credential{{Domain: env.BuyerDomain, Identity: env.BuyerIdentifier}}},
			Sender: cxml.Sender{Credentials: []cxml.Credential{sender}, UserAgent: UserAgent},
		},
		Request: &cxml.Request{
			DeploymentMode:       environment(d.Test),
			InvoiceDetailRequest: invoiceDetail(d, e.Invoice),
		},
	}
}

// invoiceDetail builds the invoice body: one order, one item per line,
// and totals without tax.
func invoiceDetail(d Delivery, inv Invoice) *cxml.InvoiceDetailRequest {
	money := func(v decimal.Number) cxml.Money {
		return cxml.Money{Currency: inv.Currency, Value: v.Format(minScale)}
	}
	var total decimal.Number
	items := make([]cxml.InvoiceDetailItem, len(inv.Lines))
	for i, l := range inv.Lines {
		q, _ := decimal.Parse(l.Quantity)
		p, _ := decimal.Parse(l.UnitPrice)
		amount := q.Mul(p)
		total = total.Add(amount)
		items[i] = cxml.InvoiceDetailItem{
			InvoiceLineNumber: strconv.Itoa(i + 1),
			Quantity:          l.Quantity,
			UnitOfMeasure:     l.unit(),
			UnitPrice:         cxml.UnitPrice{Money: money(p)},
			Reference:         itemReference(i, l),
			SubtotalAmount:    &cxml.Amount{Money: money(amount)},
		}
	}
	extrinsics := []cxml.Extrinsic{{Name: extrinsicAccount, Value: inv.Account}}
	for _, a := range inv.AgreementIDs {
		extrinsics = append(extrinsics, cxml.Extrinsic{Name: extrinsicAgreement, Value: a})
	}
	return &cxml.InvoiceDetailRequest{
		Header: cxml.InvoiceDetailRequestHeader{
			InvoiceID: d.InvoiceID, Purpose: cxml.InvoicePurposeStandard, Operation: cxml.InvoiceOperationNew,
			InvoiceDate: cxml.At(d.Created),
			Extrinsics:  extrinsics,
		},
		Orders: []cxml.InvoiceDetailOrder{{
			Info: cxml.InvoiceDetailOrderInfo{OrderReference: cxml.OrderReference{
				OrderID: inv.OrderID, DocumentReference: cxml.DocumentReference{PayloadID: inv.OrderPayloadID},
			}},
			Items: items,
		}},
		Summary: cxml.InvoiceDetailSummary{
			SubtotalAmount: cxml.Amount{Money: money(total)},
			Tax:            cxml.Tax{Money: money(decimal.Number{}), Description: cxml.Description{Lang: "en", Text: taxDescription}},
			GrossAmount:    &cxml.Amount{Money: money(total)},
			NetAmount:      cxml.Amount{Money: money(total)},
			DueAmount:      &cxml.Amount{Money: money(total)},
		},
	}
}

// itemReference names the order line the i-th line bills.
func itemReference(i int, l Line) cxml.InvoiceDetailItemReference {
	ref := cxml.InvoiceDetailItemReference{
		LineNumber: strconv.Itoa(l.lineNumber(i)),
		ItemID:     cxml.ItemID{SupplierPartID: l.ProductID, SupplierPartAuxiliaryID: l.OfferTermsID},
	}
	if l.Description != "" {
		ref.Description = &cxml.Description{Lang: "en", Text: l.Description}
	}
	if l.UNSPSC != "" {
		ref.Classifications = []cxml.Classification{{Domain: cxml.DomainUNSPSC, Code: l.UNSPSC}}
	}
	return ref
}
