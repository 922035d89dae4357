package agreement

import (
	"context"
	"slices"

	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/store"
)

// Approvals is the built-in approval workflow as buying sees it; the
// approval.Service implements it.
type Approvals interface {
	// Hold records a purchase that must wait for approval and returns the
	// id of its purchase request; held is false when the purchase may go
	// ahead. It runs in the caller's transaction.
	Hold(ctx context.Context, tx store.Tx, caller *principal.Caller, p Purchase) (id string, held bool, err error)
}

// Purchase is an accepted agreement request on its way to becoming an
// agreement: what an approver decides on.
type Purchase struct {
	AgreementRequestId string
	Account            string
	// RequestedBy is the principal that accepted the request.
	RequestedBy string
	ProductId   string
	ProductType string
	OfferId     string
	Seller      string
	// TermTypes are the types of the accepted terms, such as
	// ByolPricingTerm.
	TermTypes []string
	// EstimatedCost is the value of the agreement in CurrencyCode;
	// usage-based charges come on top.
	EstimatedCost string
	CurrencyCode  string
	// PurchaseOrders are those given when the request was accepted.
	PurchaseOrders []PurchaseOrder
}

// Free reports whether the purchase costs nothing: no upfront or
// usage-based term.
func (p Purchase) Free() bool {
	return !slices.ContainsFunc(p.TermTypes, func(t string) bool {
		return t == catalog.TermFixedUpfront || t == catalog.TermConfigurableUpfront || t == catalog.TermUsageBased
	})
}

// Byol reports whether the purchase brings the buyer's own license.
func (p Purchase) Byol() bool {
	return slices.Contains(p.TermTypes, catalog.TermByol)
}

// purchase is the Purchase of an agreement request.
func purchase(r *requestRec, caller *principal.Caller, pos []PurchaseOrder) Purchase {
	p := Purchase{AgreementRequestId: r.Id, Account: r.Account, RequestedBy: caller.ARN, ProductId: r.ProductId, ProductType: r.ProductType,
		OfferId: r.OfferId, Seller: r.Seller, EstimatedCost: r.Value, CurrencyCode: r.Currency, PurchaseOrders: pos}
	for _, t := range r.Terms {
		p.TermTypes = append(p.TermTypes, t.Type)
	}
	return p
}

// ConcludeApproved turns an approved purchase into an ACTIVE agreement in
// the requesting account, in the caller's transaction: the offer must
// still be purchasable there. approver is the principal that approved;
// purchaseOrderNumber, when set, is tied to every charge. It returns the
// agreement's id.
func (s *Service) ConcludeApproved(ctx context.Context, tx store.Tx, agreementRequestID, approver, purchaseOrderNumber string, held []PurchaseOrder) (string, error) {
	r, found, err := get[requestRec](ctx, tx, kindRequest, agreementRequestID)
	if err != nil {
		return "", err
	}
	if !found {
		return "", errNotFound(ResourceAgreementRequest, agreementRequestID)
	}
	pos := held
	if purchaseOrderNumber != "" {
		pos = nil
		for _, c := range r.Charges {
			pos = append(pos, PurchaseOrder{ChargeId: c.Id, PurchaseOrderReference: purchaseOrderNumber})
		}
	}
	a, err := s.conclude(ctx, tx, &r, approver, pos)
	if err != nil {
		return "", err
	}
	return a.Id, nil
}
