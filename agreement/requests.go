package agreement

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"

	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/store"
)

var (
	reClientToken = regexp.MustCompile(`^[a-zA-Z0-9-]{1,64}$`)
	reResourceID  = regexp.MustCompile(`^[A-Za-z0-9_/-]{1,64}$`)
	reRequestID   = regexp.MustCompile(`^ar-[A-Za-z0-9]{1,61}$`)
)

// maxRequestedTerms and maxPurchaseOrders are the model's list limits.
const (
	maxRequestedTerms = 30
	maxPurchaseOrders = 86
)

// CreateAgreementRequest quotes the terms of an offer for the caller's
// account: it checks the offer, the Private Marketplace and the requested
// terms, works out the charges, and stores a request that
// AcceptAgreementRequest turns into an agreement. A ClientToken makes the
// call idempotent: the same token with the same input returns the same
// request; with another input it is ConflictException.
func (s *Service) CreateAgreementRequest(ctx context.Context, caller *principal.Caller, in CreateAgreementRequestInput) (CreateAgreementRequestOutput, error) {
	offerID, err := checkCreate(&in)
	if err != nil {
		return CreateAgreementRequestOutput{}, err
	}
	var out CreateAgreementRequestOutput
	err = store.Update(ctx, s.Store, func(tx store.Tx) error {
		r, err := s.createRequest(ctx, tx, caller, offerID, &in)
		if err != nil {
			return err
		}
		out = CreateAgreementRequestOutput{AgreementRequestId: r.Id, ChargeSummary: summary(r)}
		return nil
	})
	return out, err
}

// checkCreate validates CreateAgreementRequest's input and returns the
// offer it is for.
func checkCreate(in *CreateAgreementRequestInput) (string, error) {
	if in.ClientToken != "" && !reClientToken.MatchString(in.ClientToken) {
		return "", errValidation(ReasonInvalidClientToken, "clientToken must be 1 to 64 letters, digits and hyphens.")
	}
	switch in.Intent {
	case "":
		return "", errValidation(ReasonMissingIntent, "intent is required.")
	case IntentNew:
	case "AMEND", "REPLACE":
		return "", errValidation(ReasonUnsupportedAction, "Intent %s is not supported; Gatehouse creates NEW agreements only.", in.Intent)
	default:
		return "", errValidation(ReasonInvalidIntent, "Intent %q is not one of NEW, AMEND or REPLACE.", in.Intent)
	}
	if in.SourceAgreementIdentifier != "" {
		return "", errValidation(ReasonUnsupportedAction, "sourceAgreementIdentifier must not be given for intent NEW.")
	}
	if in.AgreementProposalIdentifier == "" {
		return "", errValidation(ReasonMissingProposalIdentifier, "agreementProposalIdentifier is required for intent NEW.")
	}
	offerID, ok := catalog.OfferOfProposal(in.AgreementProposalIdentifier)
	if !ok {
		return "", errValidation(ReasonInvalidProposalIdentifier, "Agreement proposal %q is not valid.", in.AgreementProposalIdentifier)
	}
	if len(in.RequestedTerms) == 0 {
		return "", errValidation(ReasonMissingRequestedTerms, "requestedTerms must name at least one term.")
	}
	if len(in.RequestedTerms) > maxRequestedTerms {
		return "", errValidation(ReasonInvalidRequestedTerms, "requestedTerms may name at most %d terms.", maxRequestedTerms)
	}
	for _, t := range in.RequestedTerms {
		if t.Id == "" {
			return "", errValidation(ReasonMissingRequestedTermID, "Every requested term needs an id.")
		}
	}
	return offerID, nil
}

// createRequest stores a new agreement request, or returns the one its
// ClientToken already made.
func (s *Service) createRequest(ctx context.Context, tx store.Tx, caller *principal.Caller, offerID string, in *CreateAgreementRequestInput) (*requestRec, error) {
	hash := inputHash(in)
	tokenID := caller.Account + "/" + in.ClientToken
	if in.ClientToken != "" {
		tok, found, err := get[tokenRec](ctx, tx, kindToken, tokenID)
		if err != nil {
			return nil, err
		}
		if found {
			if tok.Hash != hash {
				return nil, errConflict(ResourceAgreementRequest, tok.RequestId, "clientToken %s was used with another request.", in.ClientToken)
			}
			r, _, err := get[requestRec](ctx, tx, kindRequest, tok.RequestId)
			return &r, err
		}
	}
	offer, err := s.purchasable(ctx, tx, caller.Account, offerID, in.AgreementProposalIdentifier)
	if err != nil {
		return nil, err
	}
	terms, err := requestedTerms(offer, in.RequestedTerms)
	if err != nil {
		return nil, err
	}
	id, err := s.newID("ar-", 26)
	if err != nil {
		return nil, err
	}
	r := &requestRec{Id: id, Account: caller.Account, RequestedBy: caller.ARN, OfferId: offer.OfferId, ProductId: offer.ProductId,
		ProductType: offer.ProductType, Seller: offer.Seller, Terms: terms, Created: s.now(), ClientToken: in.ClientToken}
	if err := s.price(r); err != nil {
		return nil, err
	}
	if err := putRequest(ctx, tx, r); err != nil {
		return nil, err
	}
	if in.ClientToken == "" {
		return r, nil
	}
	return r, store.Put(ctx, tx, store.Record{Kind: kindToken, ID: tokenID, Parent: caller.Account}, &tokenRec{RequestId: id, Hash: hash})
}

// inputHash identifies an input for ClientToken idempotency.
func inputHash(in *CreateAgreementRequestInput) string {
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// purchasable returns an offer the account may buy: it exists, it and its
// product are released, and the Private Marketplace that governs the
// account allows the product.
func (s *Service) purchasable(ctx context.Context, tx store.Tx, account, offerID, proposal string) (catalog.AgreementOffer, error) {
	offer, found, err := s.Catalog.OfferForAgreement(ctx, tx, offerID)
	if err != nil {
		return offer, err
	}
	if !found {
		return offer, errNotFound(ResourceAgreementProposal, proposal)
	}
	if offer.State != catalog.OfferReleased || offer.ProductVisibility == "" || offer.ProductVisibility == catalog.VisibilityDraft {
		return offer, errValidation(ReasonExpiredProposal, "Offer %s is not released; agreements can be made only for released offers.", offer.OfferId)
	}
	return offer, s.governed(ctx, tx, account, offer.ProductId)
}

// governed refuses a product the Private Marketplace experience governing
// the account has not approved.
func (s *Service) governed(ctx context.Context, tx store.Tx, account, productID string) error {
	allowed, experience, err := s.Catalog.IsProductAllowed(ctx, tx, account, productID)
	if err != nil || allowed {
		return err
	}
	name := experience
	if g, ok, err := s.Catalog.GoverningExperience(ctx, tx, account); err != nil {
		return err
	} else if ok && g.Name != "" {
		name = g.Name + " (" + experience + ")"
	}
	return errAccessDenied(ReasonDeniedByPrivateMarketplacePolicy,
		"Product %s is not approved in the Private Marketplace experience %s that governs account %s; ask its administrators to approve it.", productID, name, account)
}

// requestedTerms matches the requested terms to the offer's: every term
// of the offer must be accepted, each once, and configured where the term
// takes a configuration.
func requestedTerms(offer catalog.AgreementOffer, requested []RequestedTerm) ([]termRec, error) {
	var terms []termRec
	for _, rt := range requested {
		i := slices.IndexFunc(offer.Terms, func(t catalog.OfferTerm) bool { return t.Id == rt.Id })
		if i < 0 {
			return nil, errValidation(ReasonInvalidRequestedTermID, "Term %s is not a term of offer %s.", rt.Id, offer.OfferId)
		}
		if slices.ContainsFunc(terms, func(t termRec) bool { return t.Id == rt.Id }) {
			return nil, errValidation(ReasonInvalidRequestedTerms, "Term %s is requested more than once.", rt.Id)
		}
		t := termRec{OfferTerm: offer.Terms[i], Configuration: rt.Configuration}
		if err := checkConfiguration(t); err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	for _, t := range offer.Terms {
		if !slices.ContainsFunc(terms, func(r termRec) bool { return r.Id == t.Id }) {
			return nil, errValidation(ReasonMissingMandatoryTerms, "Term %s (%s) of offer %s must be accepted.", t.Id, t.Type, offer.OfferId)
		}
	}
	return terms, nil
}

// checkConfiguration checks the buyer's configuration of a term: a
// ConfigurableUpfrontPricingTerm needs one that picks one of its rate
// cards and dimensions of that card; no other term takes one.
func checkConfiguration(t termRec) error {
	c := t.Configuration
	if t.Type != catalog.TermConfigurableUpfront {
		if c != nil {
			return errValidation(ReasonInvalidRequestedTermConfig, "Term %s (%s) takes no configuration.", t.Id, t.Type)
		}
		return nil
	}
	if c == nil || c.ConfigurableUpfrontPricingTermConfiguration == nil {
		return errValidation(ReasonMissingRequestedTermConfig, "Term %s (%s) needs a configurableUpfrontPricingTermConfiguration.", t.Id, t.Type)
	}
	if c.RenewalTermConfiguration != nil || c.VariablePaymentTermConfiguration != nil {
		return errValidation(ReasonInvalidRequestedTermConfig, "The configuration of term %s must set one member.", t.Id)
	}
	cfg := c.ConfigurableUpfrontPricingTermConfiguration
	card, ok := rateCard(t.Term, cfg.SelectorValue)
	if !ok {
		return errValidation(ReasonInvalidRequestedTermConfig, "Term %s has no rate card for selector value %q.", t.Id, cfg.SelectorValue)
	}
	if len(cfg.Dimensions) == 0 {
		return errValidation(ReasonInvalidRequestedTermConfig, "The configuration of term %s must name at least one dimension.", t.Id)
	}
	if len(cfg.Dimensions) > 1 && card.Constraints != nil && card.Constraints.MultipleDimensionSelection == "Disallowed" {
		return errValidation(ReasonInvalidRequestedTermConfig, "Term %s allows one dimension only.", t.Id)
	}
	seen := map[string]bool{}
	for _, d := range cfg.Dimensions {
		if !slices.ContainsFunc(card.RateCard, func(r catalog.Rate) bool { return r.DimensionKey == d.DimensionKey }) || seen[d.DimensionKey] {
			return errValidation(ReasonInvalidRequestedTermConfig, "Dimension %q is not in the rate card of term %s, or is named twice.", d.DimensionKey, t.Id)
		}
		if d.DimensionValue < 0 || d.DimensionValue > 1_000_000 {
			return errValidation(ReasonInvalidRequestedTermConfig, "The quantity of dimension %q must be between 0 and 1000000.", d.DimensionKey)
		}
		seen[d.DimensionKey] = true
	}
	return nil
}

// rateCard returns the rate card of a configurable upfront term whose
// selector has the value.
func rateCard(t catalog.Term, selector string) (catalog.RateCardItem, bool) {
	for _, c := range t.RateCards {
		if c.Selector != nil && c.Selector.Value == selector {
			return c, true
		}
	}
	return catalog.RateCardItem{}, false
}

// price works out a request's charges, currency, value and duration:
// fixed and configurable upfront terms are charged on acceptance and set
// the agreement's duration; usage-based terms are charged each billing
// period; free trials, BYOL and legal terms cost nothing.
func (s *Service) price(r *requestRec) error {
	var total int64
	usage := false
	for _, t := range r.Terms {
		if t.CurrencyCode != "" {
			r.Currency = t.CurrencyCode
		}
		switch t.Type {
		case catalog.TermFixedUpfront:
			m, ok := parsePrice(t.Price)
			if !ok {
				return errValidation(ReasonInvalidRequestedTerms, "Term %s has no valid price.", t.Id)
			}
			id, err := s.newID("ch-", 20)
			if err != nil {
				return err
			}
			total += m
			r.Duration = t.Duration
			r.Charges = append(r.Charges, chargeRec{Id: id, Amount: formatPrice(m), Timing: "ON_ACCEPTANCE"})
		case catalog.TermConfigurableUpfront:
			ch, err := s.configuredCharge(t)
			if err != nil {
				return err
			}
			m, _ := parsePrice(ch.Amount)
			total += m
			r.Duration = t.Configuration.ConfigurableUpfrontPricingTermConfiguration.SelectorValue
			r.Charges = append(r.Charges, ch)
		case catalog.TermUsageBased:
			usage = true
		}
	}
	if usage {
		id, err := s.newID("ch-", 20)
		if err != nil {
			return err
		}
		r.Charges = append(r.Charges, chargeRec{Id: id, Timing: "BILLING_PERIOD"})
	}
	if r.Currency == "" {
		r.Currency = "USD"
	}
	r.Value = formatPrice(total)
	return nil
}

// configuredCharge is the charge of a configured upfront term: the sum of
// each dimension's quantity times its price on the chosen rate card.
func (s *Service) configuredCharge(t termRec) (chargeRec, error) {
	cfg := t.Configuration.ConfigurableUpfrontPricingTermConfiguration
	card, _ := rateCard(t.Term, cfg.SelectorValue)
	id, err := s.newID("ch-", 20)
	if err != nil {
		return chargeRec{}, err
	}
	ch := chargeRec{Id: id, Timing: "ON_ACCEPTANCE"}
	var total int64
	for _, d := range cfg.Dimensions {
		i := slices.IndexFunc(card.RateCard, func(r catalog.Rate) bool { return r.DimensionKey == d.DimensionKey })
		price, ok := parsePrice(card.RateCard[i].Price)
		if !ok {
			return chargeRec{}, errValidation(ReasonInvalidRequestedTerms, "Dimension %q of term %s has no valid price.", d.DimensionKey, t.Id)
		}
		amount := price * int64(d.DimensionValue)
		total += amount
		ch.Items = append(ch.Items, ItemizedCharge{DimensionKey: d.DimensionKey, NewQuantity: new(d.DimensionValue), OldQuantity: new(0),
			ChargeReference: id, IncrementalChargeAmount: formatPrice(amount)})
	}
	ch.Amount = formatPrice(total)
	return ch, nil
}

// summary is the ChargeSummary of a request.
func summary(r *requestRec) *ChargeSummary {
	cs := &ChargeSummary{CurrencyCode: r.Currency, NewAgreementValue: r.Value, ExpectedCharges: []ExpectedCharge{}, ItemizedCharges: []ItemizedCharge{}}
	for _, c := range r.Charges {
		cs.ExpectedCharges = append(cs.ExpectedCharges, ExpectedCharge{Id: c.Id, Amount: c.Amount, Timing: c.Timing, Time: c.Time})
		cs.ItemizedCharges = append(cs.ItemizedCharges, c.Items...)
	}
	return cs
}

// AcceptAgreementRequest buys: it turns the caller's account's agreement
// request into an ACTIVE agreement, checking again that the offer can be
// bought, and ties the purchase orders given to the request's charges. A
// request is accepted once; an account holds one active agreement per
// product.
func (s *Service) AcceptAgreementRequest(ctx context.Context, caller *principal.Caller, in AcceptAgreementRequestInput) (AcceptAgreementRequestOutput, error) {
	if err := checkAccept(&in); err != nil {
		return AcceptAgreementRequestOutput{}, err
	}
	var out AcceptAgreementRequestOutput
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		a, err := s.accept(ctx, tx, caller, &in)
		if err != nil {
			return err
		}
		out.AgreementId = a.Id
		return nil
	})
	return out, err
}

func checkAccept(in *AcceptAgreementRequestInput) error {
	if in.AgreementRequestId == "" {
		return errValidation(ReasonMissingAgreementRequestID, "agreementRequestId is required.")
	}
	if !reRequestID.MatchString(in.AgreementRequestId) {
		return errValidation(ReasonInvalidAgreementRequestID, "Agreement request id %q is not valid.", in.AgreementRequestId)
	}
	if in.PurchaseOrders != nil && (len(in.PurchaseOrders) == 0 || len(in.PurchaseOrders) > maxPurchaseOrders) {
		return errValidation(ReasonInvalidPurchaseOrders, "purchaseOrders must hold 1 to %d purchase orders.", maxPurchaseOrders)
	}
	for _, po := range in.PurchaseOrders {
		if po.ChargeId == "" {
			return errValidation(ReasonMissingChargeID, "Every purchase order needs a chargeId.")
		}
		if !reResourceID.MatchString(po.ChargeId) {
			return errValidation(ReasonInvalidChargeID, "Charge id %q is not valid.", po.ChargeId)
		}
		if po.PurchaseOrderReference == "" || len(po.PurchaseOrderReference) > 200 {
			return errValidation(ReasonInvalidPurchaseOrderReference, "purchaseOrderReference must be 1 to 200 characters.")
		}
		if po.ChargeRevision != nil && *po.ChargeRevision < 1 {
			return errValidation(ReasonInvalidPurchaseOrders, "chargeRevision must be at least 1.")
		}
	}
	return nil
}

func (s *Service) accept(ctx context.Context, tx store.Tx, caller *principal.Caller, in *AcceptAgreementRequestInput) (*agreementRec, error) {
	r, found, err := get[requestRec](ctx, tx, kindRequest, in.AgreementRequestId)
	if err != nil {
		return nil, err
	}
	if !found || r.Account != caller.Account {
		return nil, errNotFound(ResourceAgreementRequest, in.AgreementRequestId)
	}
	if s.Approvals != nil {
		// A purchase that could not conclude is refused, not held.
		if err := s.checkConclude(ctx, tx, &r, in.PurchaseOrders); err != nil {
			return nil, err
		}
		id, held, err := s.Approvals.Hold(ctx, tx, caller, purchase(&r, caller, in.PurchaseOrders))
		if err != nil {
			return nil, err
		}
		if held {
			return nil, store.Keep(errConflict(ResourcePurchaseRequest, id,
				"The purchase awaits approval: purchase request %s was created for agreement request %s; an approver turns it into an agreement. "+
					"The requester can justify it with POST /purchase-requests/%s/justify.", id, r.Id, id))
		}
	}
	return s.conclude(ctx, tx, &r, caller.ARN, in.PurchaseOrders)
}

// checkConclude checks that a request can become an agreement now: it is
// not accepted yet, its offer is purchasable in its account, which holds
// no active agreement for the product, and the purchase orders name its
// charges.
func (s *Service) checkConclude(ctx context.Context, tx store.Tx, r *requestRec, pos []PurchaseOrder) error {
	if r.AgreementId != "" {
		return errConflict(ResourceAgreementRequest, r.Id, "Agreement request %s was already accepted as agreement %s.", r.Id, r.AgreementId)
	}
	if _, err := s.purchasable(ctx, tx, r.Account, r.OfferId, catalog.AgreementProposalID(r.OfferId)); err != nil {
		return err
	}
	return s.checkUnique(ctx, tx, r, pos)
}

// checkUnique checks what concluding a purchasable request needs besides:
// its account holds no active agreement for the product, and the
// purchase orders name the request's charges.
func (s *Service) checkUnique(ctx context.Context, tx store.Tx, r *requestRec, pos []PurchaseOrder) error {
	if active, ok, err := s.activeAgreement(ctx, tx, r.Account, r.ProductId); err != nil {
		return err
	} else if ok {
		return errConflict(ResourceAgreement, active.Id, "Account %s already has the active agreement %s for product %s.", r.Account, active.Id, r.ProductId)
	}
	for _, po := range pos {
		if !slices.ContainsFunc(r.Charges, func(c chargeRec) bool { return c.Id == po.ChargeId }) {
			return errValidation(ReasonInvalidChargeID, "Charge %s is not a charge of agreement request %s.", po.ChargeId, r.Id)
		}
	}
	return nil
}

// conclude turns a request into an ACTIVE agreement accepted by the
// principal acceptedBy, with the purchase orders given.
func (s *Service) conclude(ctx context.Context, tx store.Tx, r *requestRec, acceptedBy string, pos []PurchaseOrder) (*agreementRec, error) {
	if err := s.checkConclude(ctx, tx, r, pos); err != nil {
		return nil, err
	}
	return s.makeAgreement(ctx, tx, r, acceptedBy, pos)
}

// makeAgreement stores the ACTIVE agreement of a request checked by
// checkConclude.
func (s *Service) makeAgreement(ctx context.Context, tx store.Tx, r *requestRec, acceptedBy string, pos []PurchaseOrder) (*agreementRec, error) {
	id, err := s.newID("agmt-", 25)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a := &agreementRec{Id: id, Acceptor: r.Account, Seller: r.Seller, RequestedBy: r.RequestedBy, AcceptedBy: acceptedBy, RequestId: r.Id,
		OfferId: r.OfferId, ProductId: r.ProductId, ProductType: r.ProductType, Terms: r.Terms, Charges: r.Charges,
		Currency: r.Currency, Value: r.Value, Status: StatusActive, Accepted: now, Start: now, PurchaseOrders: []PurchaseOrder{}}
	if r.Duration != "" {
		a.End, _ = addDuration(now, r.Duration)
	}
	for i := range a.Charges {
		if a.Charges[i].Timing == "ON_ACCEPTANCE" {
			a.Charges[i].Time = now
		}
	}
	for _, po := range pos {
		po.AgreementId = id
		a.PurchaseOrders = append(a.PurchaseOrders, po)
	}
	r.AgreementId = id
	if err := putRequest(ctx, tx, r); err != nil {
		return nil, err
	}
	return a, putAgreement(ctx, tx, a)
}
