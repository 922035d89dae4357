package agreement

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"time"

	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/store"
)

var reAgreementID = regexp.MustCompile(`^agmt-[A-Za-z0-9]{1,59}$`)

// Agreement is an agreement as other services see it.
type Agreement struct {
	AgreementId string
	// Acceptor is the buyer's account; Proposer the seller's.
	Acceptor, Proposer string
	// RequestedBy and AcceptedBy are the principals that created and
	// accepted the agreement request.
	RequestedBy, AcceptedBy string
	ProductId, ProductType  string
	OfferId                 string
	Status                  string
	Start, End              time.Time
	PurchaseOrders          []PurchaseOrder
}

func (a *agreementRec) public(now time.Time) Agreement {
	return Agreement{AgreementId: a.Id, Acceptor: a.Acceptor, Proposer: a.Seller, RequestedBy: a.RequestedBy, AcceptedBy: a.AcceptedBy,
		ProductId: a.ProductId, ProductType: a.ProductType, OfferId: a.OfferId, Status: a.status(now), Start: a.Start, End: a.End,
		PurchaseOrders: a.PurchaseOrders}
}

// status is the agreement's status at t: an ACTIVE agreement past its end
// has EXPIRED.
func (a *agreementRec) status(t time.Time) string {
	if a.Status == StatusActive && !a.End.IsZero() && t.After(a.End) {
		return StatusExpired
	}
	return a.Status
}

// ActiveAgreement returns the account's active agreement for a product;
// ok is false when it has none. It runs in the caller's transaction and
// checks no permission.
func (s *Service) ActiveAgreement(ctx context.Context, tx store.Tx, account, productID string) (Agreement, bool, error) {
	a, ok, err := s.activeAgreement(ctx, tx, account, productID)
	if err != nil || !ok {
		return Agreement{}, false, err
	}
	return a.public(s.now()), true, nil
}

func (s *Service) activeAgreement(ctx context.Context, tx store.Tx, account, productID string) (*agreementRec, bool, error) {
	list, err := store.List[agreementRec](ctx, tx, store.Query{Kind: kindAgreement, Parent: account, Name: productID})
	if err != nil {
		return nil, false, err
	}
	now := s.now()
	for i := range list {
		if list[i].status(now) == StatusActive {
			return &list[i], true, nil
		}
	}
	return nil, false, nil
}

// load returns an agreement the caller's account is a party to, as
// acceptor or proposer.
func (s *Service) load(ctx context.Context, tx store.Tx, caller *principal.Caller, id string) (*agreementRec, error) {
	if id == "" {
		return nil, errValidation(ReasonMissingAgreementID, "agreementId is required.")
	}
	if !reAgreementID.MatchString(id) {
		return nil, errValidation(ReasonInvalidAgreementID, "Agreement id %q is not valid.", id)
	}
	a, found, err := get[agreementRec](ctx, tx, kindAgreement, id)
	if err != nil {
		return nil, err
	}
	if !found || (a.Acceptor != caller.Account && a.Seller != caller.Account) {
		return nil, errNotFound(ResourceAgreement, id)
	}
	return &a, nil
}

// DescribeAgreement describes an agreement the caller's account is a
// party to.
func (s *Service) DescribeAgreement(ctx context.Context, caller *principal.Caller, in DescribeAgreementInput) (DescribeAgreementOutput, error) {
	var out DescribeAgreementOutput
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		a, err := s.load(ctx, tx, caller, in.AgreementId)
		if err != nil {
			return err
		}
		v := s.view(a)
		out = DescribeAgreementOutput{AgreementId: a.Id, Acceptor: v.Acceptor, Proposer: v.Proposer, StartTime: a.Start, EndTime: a.End,
			AcceptanceTime: a.Accepted, AgreementType: TypePurchaseAgreement, ProposalSummary: v.ProposalSummary, Status: v.Status,
			EstimatedCharges: &EstimatedCharges{CurrencyCode: a.Currency, AgreementValue: a.Value}}
		return nil
	})
	return out, err
}

// view is an agreement's search summary.
func (s *Service) view(a *agreementRec) AgreementViewSummary {
	return AgreementViewSummary{AgreementId: a.Id, AcceptanceTime: a.Accepted, StartTime: a.Start, EndTime: a.End, AgreementType: TypePurchaseAgreement,
		Acceptor: &Party{AccountId: a.Acceptor}, Proposer: &Party{AccountId: a.Seller}, Status: a.status(s.now()),
		ProposalSummary: &ProposalSummary{OfferId: a.OfferId, Resources: []Resource{{Id: a.ProductId, Type: a.ProductType}}}}
}

// CancelAgreement cancels an active agreement of the caller's account,
// which must be its acceptor.
func (s *Service) CancelAgreement(ctx context.Context, caller *principal.Caller, in CancelAgreementInput) (CancelAgreementOutput, error) {
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		a, err := s.load(ctx, tx, caller, in.AgreementId)
		if err != nil {
			return err
		}
		if a.Acceptor != caller.Account {
			return errValidation(ReasonUnsupportedAction, "Only the acceptor of agreement %s can cancel it.", a.Id)
		}
		now := s.now()
		if st := a.status(now); st != StatusActive {
			return errConflict(ResourceAgreement, a.Id, "Agreement %s is %s; only ACTIVE agreements can be cancelled.", a.Id, st)
		}
		a.Status, a.Cancelled = StatusCancelled, now
		return putAgreement(ctx, tx, a)
	})
	return CancelAgreementOutput{}, err
}

// GetAgreementTerms returns the accepted terms of an agreement the
// caller's account is a party to.
func (s *Service) GetAgreementTerms(ctx context.Context, caller *principal.Caller, in GetAgreementTermsInput) (GetAgreementTermsOutput, error) {
	var out GetAgreementTermsOutput
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		a, err := s.load(ctx, tx, caller, in.AgreementId)
		if err != nil {
			return err
		}
		terms := make([]AcceptedTerm, len(a.Terms))
		keys := make([]string, len(a.Terms))
		for i, t := range a.Terms {
			terms[i], keys[i] = acceptedTerm(t), fmt.Sprintf("%04d", i)
		}
		page, next, err := paginate(terms, func(i int) string { return keys[i] }, "GetAgreementTerms/"+a.Id, in.NextToken, in.MaxResults)
		out = GetAgreementTermsOutput{AcceptedTerms: page, NextToken: next}
		return err
	})
	return out, err
}

// acceptedTerm is the wire form of an accepted term.
func acceptedTerm(t termRec) AcceptedTerm {
	grants := func() []GrantItem {
		out := []GrantItem{}
		for _, g := range t.Grants {
			out = append(out, GrantItem{DimensionKey: g.DimensionKey, MaxQuantity: g.MaxQuantity})
		}
		return out
	}
	rates := func(rs []catalog.Rate) []RateCardItem {
		out := []RateCardItem{}
		for _, r := range rs {
			out = append(out, RateCardItem{DimensionKey: r.DimensionKey, Price: r.Price})
		}
		return out
	}
	switch t.Type {
	case catalog.TermLegal:
		docs := []DocumentItem{}
		for _, d := range t.Documents {
			docs = append(docs, DocumentItem{Type: d.Type, Url: d.Url, Version: d.Version})
		}
		return AcceptedTerm{LegalTerm: &LegalTerm{Type: t.Type, Id: t.Id, Documents: docs}}
	case catalog.TermUsageBased:
		cards := []UsageBasedRateCardItem{}
		for _, c := range t.RateCards {
			cards = append(cards, UsageBasedRateCardItem{RateCard: rates(c.RateCard)})
		}
		return AcceptedTerm{UsageBasedPricingTerm: &UsageBasedPricingTerm{Type: t.Type, Id: t.Id, CurrencyCode: t.CurrencyCode, RateCards: cards}}
	case catalog.TermConfigurableUpfront:
		cards := []ConfigurableUpfrontRateCardItem{}
		for _, c := range t.RateCards {
			item := ConfigurableUpfrontRateCardItem{RateCard: rates(c.RateCard)}
			if c.Selector != nil {
				item.Selector = &Selector{Type: c.Selector.Type, Value: c.Selector.Value}
			}
			if c.Constraints != nil {
				item.Constraints = &Constraints{MultipleDimensionSelection: c.Constraints.MultipleDimensionSelection, QuantityConfiguration: c.Constraints.QuantityConfiguration}
			}
			cards = append(cards, item)
		}
		term := &ConfigurableUpfrontPricingTerm{Type: t.Type, Id: t.Id, CurrencyCode: t.CurrencyCode, RateCards: cards}
		if t.Configuration != nil {
			term.Configuration = t.Configuration.ConfigurableUpfrontPricingTermConfiguration
		}
		return AcceptedTerm{ConfigurableUpfrontPricingTerm: term}
	case catalog.TermFreeTrial:
		return AcceptedTerm{FreeTrialPricingTerm: &FreeTrialPricingTerm{Type: t.Type, Id: t.Id, Duration: t.Duration, Grants: grants()}}
	case catalog.TermFixedUpfront:
		return AcceptedTerm{FixedUpfrontPricingTerm: &FixedUpfrontPricingTerm{Type: t.Type, Id: t.Id, CurrencyCode: t.CurrencyCode, Duration: t.Duration, Price: t.Price, Grants: grants()}}
	}
	return AcceptedTerm{ByolPricingTerm: &ByolPricingTerm{Type: t.Type, Id: t.Id}}
}

// Entitlement statuses and reasons, from the model.
const (
	EntitlementProvisioned   = "PROVISIONED"
	EntitlementDeprovisioned = "DEPROVISIONED"
	reasonAgreementActive    = "AGREEMENT_ACTIVE"
	reasonAgreementInactive  = "AGREEMENT_INACTIVE"
)

// GetAgreementEntitlements returns what an agreement entitles its
// acceptor to: the product, provisioned while the agreement is active.
// Only the acceptor's account sees them.
func (s *Service) GetAgreementEntitlements(ctx context.Context, caller *principal.Caller, in GetAgreementEntitlementsInput) (GetAgreementEntitlementsOutput, error) {
	var out GetAgreementEntitlementsOutput
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		a, err := s.load(ctx, tx, caller, in.AgreementId)
		if err != nil {
			return err
		}
		if a.Acceptor != caller.Account {
			return errNotFound(ResourceAgreement, in.AgreementId)
		}
		e := AgreementEntitlement{Resource: &Resource{Id: a.ProductId, Type: a.ProductType}, Type: "PurchaseAgreementEntitlement",
			Status: EntitlementProvisioned, StatusReasonCode: reasonAgreementActive}
		if a.status(s.now()) != StatusActive {
			e.Status, e.StatusReasonCode = EntitlementDeprovisioned, reasonAgreementInactive
		}
		page, next, err := paginate([]AgreementEntitlement{e}, func(int) string { return a.ProductId }, "GetAgreementEntitlements/"+a.Id, in.NextToken, in.MaxResults)
		out = GetAgreementEntitlementsOutput{AgreementEntitlements: page, NextToken: next}
		return err
	})
	return out, err
}

// sortByEnd orders agreements by end time (pay-as-you-go agreements, which
// have none, first), then id.
func sortByEnd(list []*agreementRec, desc bool) {
	slices.SortFunc(list, func(a, b *agreementRec) int {
		c := a.End.Compare(b.End)
		if c == 0 {
			c = compare(a.Id, b.Id)
		}
		if desc {
			return -c
		}
		return c
	})
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
