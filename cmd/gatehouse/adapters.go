package main

import (
	"context"
	"errors"
	"fmt"

	"gatehouse/awserr"
	"gatehouse/iam"
	"gatehouse/invoice"
	"gatehouse/punchout"
	"gatehouse/store"
	"gatehouse/sts"
)

// stsRoles lets STS find IAM roles.
type stsRoles struct{ iam *iam.Service }

func (r stsRoles) Role(ctx context.Context, tx store.Tx, arn string) (sts.Role, error) {
	info, err := r.iam.RoleByARN(ctx, tx, arn)
	if errors.Is(err, awserr.ErrNoSuchEntity) {
		return sts.Role{}, fmt.Errorf("%w: %s", sts.ErrNoSuchRole, arn)
	}
	if err != nil {
		return sts.Role{}, err
	}
	return sts.Role{ARN: info.ARN, ID: info.ID, Name: info.Name, Account: info.Account, Trust: info.Trust,
		MaxSessionDuration: info.MaxSessionDuration, Tags: info.Tags}, nil
}

// stsPolicies lets STS read managed policies named by PolicyArns.
type stsPolicies struct{ iam *iam.Service }

func (p stsPolicies) PolicyDocument(ctx context.Context, tx store.Tx, arn string) (string, error) {
	doc, err := p.iam.PolicyDocument(ctx, tx, arn)
	if errors.Is(err, awserr.ErrNoSuchEntity) {
		return "", fmt.Errorf("%w: %s", sts.ErrNoSuchPolicy, arn)
	}
	return doc, err
}

// punchOutInvoices queues the cXML invoice of what a PunchOut order
// bought and wakes the deliverer once the order is committed.
type punchOutInvoices struct {
	invoices  *invoice.Service
	deliverer *invoice.Deliverer
}

// Invoice queues one invoice per order: its lines in the order's
// currency, billed to the account of its first line (a cart is priced
// for one account).
func (p punchOutInvoices) Invoice(ctx context.Context, tx store.Tx, o punchout.PlacedOrder) error {
	if len(o.Lines) == 0 {
		return nil
	}
	first := o.Lines[0].Line
	inv := invoice.Invoice{PreferenceARN: o.PreferenceARN, Test: o.Test, Account: first.Account, OrderID: o.OrderID,
		OrderPayloadID: o.PayloadID, Currency: first.Quote.Currency}
	for _, pl := range o.Lines {
		l, q := pl.Line, pl.Line.Quote
		inv.AgreementIDs = append(inv.AgreementIDs, pl.AgreementId)
		inv.Lines = append(inv.Lines, invoice.Line{ProductID: q.ProductId, OfferTermsID: l.AuxID(), Description: l.Description(),
			Quantity: "1", UnitPrice: q.Value, UnitOfMeasure: punchout.UnitOfMeasure, UNSPSC: punchout.UNSPSC(q.ProductType)})
	}
	return p.invoices.Enqueue(ctx, tx, inv)
}

// Wake implements punchout.Invoicer.
func (p punchOutInvoices) Wake() { p.deliverer.Wake() }
