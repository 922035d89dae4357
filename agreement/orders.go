package agreement

import (
	"context"
	"fmt"

	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/store"
)

// Line is one purchase: an offer and the buyer's acceptance of its terms,
// configured where a term takes a configuration. Every term of the offer
// must be accepted, as in CreateAgreementRequest.
type Line struct {
	OfferId string
	Terms   []RequestedTerm
}

// Quote is what a line costs in an account, worked out as
// CreateAgreementRequest would.
type Quote struct {
	OfferId, OfferName     string
	ProductId, ProductType string
	ProductTitle           string
	Seller                 string
	TermTypes              []string
	Currency               string
	// Value is the upfront value of the agreement in Currency, a decimal
	// string; usage-based charges come on top.
	Value string
	// Duration is the ISO 8601 duration of the agreement; empty for
	// pay-as-you-go.
	Duration string
}

// Quote checks that account may buy the line now (released offer,
// product approved by the Private Marketplace governing the account,
// valid term acceptance) and returns what it would cost. It runs in the
// caller's transaction, stores nothing and checks no IAM permission.
func (s *Service) Quote(ctx context.Context, tx store.Tx, account string, l Line) (Quote, error) {
	offer, r, err := s.lineRequest(ctx, tx, account, "", l)
	if err != nil {
		return Quote{}, err
	}
	return quote(offer, r), nil
}

func quote(offer catalog.AgreementOffer, r *requestRec) Quote {
	q := Quote{OfferId: offer.OfferId, OfferName: offer.Name, ProductId: offer.ProductId, ProductType: offer.ProductType,
		ProductTitle: offer.ProductTitle, Seller: offer.Seller, Currency: r.Currency, Value: r.Value, Duration: r.Duration}
	for _, t := range r.Terms {
		q.TermTypes = append(q.TermTypes, t.Type)
	}
	return q
}

// lineRequest builds, without storing it, the agreement request of a
// line in account.
func (s *Service) lineRequest(ctx context.Context, tx store.Tx, account, requestedBy string, l Line) (catalog.AgreementOffer, *requestRec, error) {
	in := CreateAgreementRequestInput{Intent: IntentNew, AgreementProposalIdentifier: catalog.AgreementProposalID(l.OfferId), RequestedTerms: l.Terms}
	offerID, err := checkCreate(&in)
	if err != nil {
		return catalog.AgreementOffer{}, nil, err
	}
	offer, err := s.purchasable(ctx, tx, account, offerID, in.AgreementProposalIdentifier)
	if err != nil {
		return offer, nil, err
	}
	terms, err := requestedTerms(offer, l.Terms)
	if err != nil {
		return offer, nil, err
	}
	r := &requestRec{Account: account, RequestedBy: requestedBy, OfferId: offer.OfferId, ProductId: offer.ProductId,
		ProductType: offer.ProductType, Seller: offer.Seller, Terms: terms, Created: s.now()}
	return offer, r, s.price(r)
}

// Order makes an ACTIVE agreement in account for a line that a
// procurement system outside Gatehouse has approved, so the built-in
// approval workflow is not consulted. orderedBy (the procurement-portal
// preference's ARN) is recorded as the principal that requested and
// accepted it; purchaseOrder, when set, is tied to every charge. It runs
// in the caller's transaction. It fails as CreateAgreementRequest and
// AcceptAgreementRequest do: ValidationException for a line that cannot
// be bought, AccessDeniedException for a product the Private Marketplace
// has not approved, ConflictException when the account already has an
// active agreement for the product.
func (s *Service) Order(ctx context.Context, tx store.Tx, account, orderedBy, purchaseOrder string, l Line) (Agreement, error) {
	if len(purchaseOrder) > 200 {
		return Agreement{}, errValidation(ReasonInvalidPurchaseOrderReference, "purchaseOrderReference must be 1 to 200 characters.")
	}
	_, r, err := s.lineRequest(ctx, tx, account, orderedBy, l)
	if err != nil {
		return Agreement{}, err
	}
	if r.Id, err = s.newID("ar-", 26); err != nil {
		return Agreement{}, err
	}
	var pos []PurchaseOrder
	if purchaseOrder != "" {
		for _, c := range r.Charges {
			pos = append(pos, PurchaseOrder{ChargeId: c.Id, PurchaseOrderReference: purchaseOrder})
		}
	}
	// lineRequest checked the offer and the Private Marketplace in this
	// transaction already.
	if err := s.checkUnique(ctx, tx, r, pos); err != nil {
		return Agreement{}, err
	}
	a, err := s.makeAgreement(ctx, tx, r, orderedBy, pos)
	if err != nil {
		return Agreement{}, err
	}
	return a.public(s.now()), nil
}

// CancelOrdered cancels an agreement of account that an order made, for
// an order that was changed or deleted, in the caller's transaction. An
// agreement that is no longer active is left as it is. It checks no IAM
// permission.
func (s *Service) CancelOrdered(ctx context.Context, tx store.Tx, account, agreementID string) error {
	a, err := s.load(ctx, tx, &principal.Caller{Account: account}, agreementID)
	if err != nil {
		return fmt.Errorf("agreement: cancel ordered %s: %w", agreementID, err)
	}
	if a.Acceptor != account {
		return errNotFound(ResourceAgreement, agreementID)
	}
	now := s.now()
	if a.status(now) != StatusActive {
		return nil
	}
	a.Status, a.Cancelled = StatusCancelled, now
	return putAgreement(ctx, tx, a)
}
