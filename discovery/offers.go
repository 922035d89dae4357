package discovery

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/store"
)

// offerInfo names an offer.
func offerInfo(o catalog.OfferView) OfferInformation {
	return OfferInformation{OfferId: o.Id, OfferName: o.Details.Name, SellerOfRecord: seller(o.Owner)}
}

// releaseTime and endTime are when an offer became available and when it
// expires (the end of its AvailabilityEndDate); zero when unknown.
func releaseTime(o catalog.OfferView) time.Time {
	t, _ := time.Parse(time.RFC3339, o.Details.ReleaseDate)
	return t
}

func endTime(o catalog.OfferView) time.Time {
	t, err := time.Parse(time.DateOnly, o.Details.AvailabilityEndDate)
	if err != nil {
		return time.Time{}
	}
	return t.Add(24*time.Hour - time.Second)
}

// GetOffer describes a released offer of a product the caller may see.
func (s *Service) GetOffer(ctx context.Context, caller *principal.Caller, in GetOfferInput) (GetOfferOutput, error) {
	var out GetOfferOutput
	if err := checkID("offerId", in.OfferId); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		v, err := s.viewerOf(ctx, tx, caller)
		if err != nil {
			return err
		}
		o, p, err := s.offer(ctx, tx, v, in.OfferId)
		if err != nil {
			return err
		}
		model := strings.ToUpper(o.Details.PricingModel)
		l := &listing{product: p}
		out = GetOfferOutput{
			OfferId: o.Id, Catalog: catalog.Catalog, OfferName: o.Details.Name, AgreementProposalId: catalog.AgreementProposalID(o.Id),
			ExpirationTime: endTime(o), AvailableFromTime: releaseTime(o), SellerOfRecord: seller(o.Owner),
			PricingModel: PricingModel{PricingModelType: model, DisplayName: pricingNames[model]},
			Badges:       []PurchaseOptionBadge{}, AssociatedEntities: []OfferAssociatedEntity{{Product: l.productInfo()}},
		}
		return nil
	})
	return out, err
}

// GetOfferSet finds no offer set: Gatehouse has none.
func (s *Service) GetOfferSet(ctx context.Context, caller *principal.Caller, in GetOfferSetInput) (GetOfferSetOutput, error) {
	var out GetOfferSetOutput
	if err := checkID("offerSetId", in.OfferSetId); err != nil {
		return out, err
	}
	return out, errNotFound("The offer set %s was not found.", in.OfferSetId)
}

// GetOfferTerms returns the terms of a released offer, pricing terms
// first, then the legal term and, with an availability end date, a
// validity term. maxResults is 1 to 25, 25 when absent.
func (s *Service) GetOfferTerms(ctx context.Context, caller *principal.Caller, in GetOfferTermsInput) (GetOfferTermsOutput, error) {
	out := GetOfferTermsOutput{OfferTerms: []OfferTerm{}}
	if err := checkID("offerId", in.OfferId); err != nil {
		return out, err
	}
	size, err := pageSize(in.MaxResults, 25, 25)
	if err != nil {
		return out, err
	}
	fp := fingerprint(in.OfferId)
	offset, err := decodeToken(in.NextToken, fp)
	if err != nil {
		return out, err
	}
	err = s.view(ctx, func(tx store.Tx) error {
		v, err := s.viewerOf(ctx, tx, caller)
		if err != nil {
			return err
		}
		o, _, err := s.offer(ctx, tx, v, in.OfferId)
		if err != nil {
			return err
		}
		terms := offerTerms(o)
		out.OfferTerms = pageOf(terms, offset, size)
		out.NextToken = nextToken(offset, len(out.OfferTerms), len(terms), fp)
		return nil
	})
	return out, err
}

// offerTerms converts an offer's catalog terms. Their ids are the ones
// the Agreement API knows (catalog.TermID), so that a buyer requests the
// terms Discovery shows.
func offerTerms(o catalog.OfferView) []OfferTerm {
	out := []OfferTerm{}
	for i, t := range o.Details.Terms {
		if term, ok := offerTerm(catalog.TermID(o.Id, i, t.Type), t); ok {
			out = append(out, term)
		}
	}
	if end := endTime(o); !end.IsZero() {
		id := fmt.Sprintf("term-%s-validity", strings.TrimPrefix(o.Id, "offer-"))
		out = append(out, OfferTerm{ValidityTerm: &ValidityTerm{Id: id, Type: "ValidityTerm", AgreementEndDate: end}})
	}
	return out
}

func offerTerm(id string, t catalog.Term) (OfferTerm, bool) {
	switch t.Type {
	case catalog.TermByol:
		return OfferTerm{ByolPricingTerm: &ByolPricingTerm{Id: id, Type: t.Type}}, true
	case catalog.TermFreeTrial:
		return OfferTerm{FreeTrialPricingTerm: &FreeTrialPricingTerm{Id: id, Type: t.Type, Duration: t.Duration, Grants: grants(t.Grants)}}, true
	case catalog.TermFixedUpfront:
		return OfferTerm{FixedUpfrontPricingTerm: &FixedUpfrontPricingTerm{Id: id, Type: t.Type, CurrencyCode: t.CurrencyCode,
			Duration: t.Duration, Price: t.Price, Grants: grants(t.Grants)}}, true
	case catalog.TermUsageBased:
		cards := []UsageBasedRateCardItem{}
		for _, rc := range t.RateCards {
			cards = append(cards, UsageBasedRateCardItem{RateCard: rates(rc.RateCard)})
		}
		return OfferTerm{UsageBasedPricingTerm: &UsageBasedPricingTerm{Id: id, Type: t.Type, CurrencyCode: t.CurrencyCode, RateCards: cards}}, true
	case catalog.TermConfigurableUpfront:
		cards := []ConfigurableUpfrontRateCardItem{}
		for _, rc := range t.RateCards {
			item := ConfigurableUpfrontRateCardItem{RateCard: rates(rc.RateCard)}
			if rc.Selector != nil {
				item.Selector = Selector{Type: rc.Selector.Type, Value: rc.Selector.Value}
			}
			if rc.Constraints != nil {
				item.Constraints = Constraints{MultipleDimensionSelection: rc.Constraints.MultipleDimensionSelection, QuantityConfiguration: rc.Constraints.QuantityConfiguration}
			}
			cards = append(cards, item)
		}
		return OfferTerm{ConfigurableUpfrontPricingTerm: &ConfigurableUpfrontPricingTerm{Id: id, Type: t.Type, CurrencyCode: t.CurrencyCode, RateCards: cards}}, true
	case catalog.TermLegal:
		docs := []DocumentItem{}
		for _, d := range t.Documents {
			docs = append(docs, DocumentItem{Type: d.Type, Url: d.Url, Version: d.Version})
		}
		return OfferTerm{LegalTerm: &LegalTerm{Id: id, Type: t.Type, Documents: docs}}, true
	}
	return OfferTerm{}, false
}

// grants converts grants. The catalog keeps no display names or units of
// dimensions: the dimension key names itself, in Units.
func grants(gs []catalog.Grant) []GrantItem {
	out := []GrantItem{}
	for _, g := range gs {
		out = append(out, GrantItem{DimensionKey: g.DimensionKey, DisplayName: g.DimensionKey, Unit: "Units", MaxQuantity: g.MaxQuantity})
	}
	return out
}

func rates(rs []catalog.Rate) []RateCardItem {
	out := []RateCardItem{}
	for _, r := range rs {
		out = append(out, RateCardItem{DimensionKey: r.DimensionKey, DisplayName: r.DimensionKey, Unit: "Units", Price: r.Price})
	}
	return out
}

// Purchase option filter types.
var purchaseFilterTypes = []string{"PRODUCT_ID", "SELLER_OF_RECORD_PROFILE_ID", "PURCHASE_OPTION_TYPE", "VISIBILITY_SCOPE", "AVAILABILITY_STATUS"}

// ListPurchaseOptions lists the released offers the caller may accept:
// those of the products it may see. A PRODUCT_ID or a VISIBILITY_SCOPE
// filter is required, as AWS requires. Every Gatehouse offer is an OFFER
// of VISIBILITY_SCOPE PUBLIC; AVAILABILITY_STATUS is AVAILABLE until the
// offer's availability end date, EXPIRED after. maxResults is 1 to 100,
// 20 when absent.
func (s *Service) ListPurchaseOptions(ctx context.Context, caller *principal.Caller, in ListPurchaseOptionsInput) (ListPurchaseOptionsOutput, error) {
	out := ListPurchaseOptionsOutput{PurchaseOptions: []PurchaseOptionSummary{}}
	filters, err := purchaseFilters(in.Filters)
	if err != nil {
		return out, err
	}
	size, err := pageSize(in.MaxResults, 20, 100)
	if err != nil {
		return out, err
	}
	fp := fingerprint(in.Filters)
	offset, err := decodeToken(in.NextToken, fp)
	if err != nil {
		return out, err
	}
	err = s.view(ctx, func(tx store.Tx) error {
		v, err := s.viewerOf(ctx, tx, caller)
		if err != nil {
			return err
		}
		all, err := s.purchaseOptions(ctx, tx, v, filters)
		if err != nil {
			return err
		}
		out.PurchaseOptions = pageOf(all, offset, size)
		out.NextToken = nextToken(offset, len(out.PurchaseOptions), len(all), fp)
		return nil
	})
	return out, err
}

// purchaseFilters checks the filters and merges them by type.
func purchaseFilters(fs []PurchaseOptionFilter) (map[string][]string, error) {
	if fs != nil && (len(fs) < 1 || len(fs) > 10) {
		return nil, errValidation("filters must have 1 to 10 filters.")
	}
	out := map[string][]string{}
	for _, f := range fs {
		if !slices.Contains(purchaseFilterTypes, f.FilterType) {
			return nil, errValidation("filterType %q is not a purchase option filter type.", f.FilterType)
		}
		if len(f.FilterValues) < 1 || len(f.FilterValues) > 10 {
			return nil, errValidation("filterValues of %s must have 1 to 10 values.", f.FilterType)
		}
		for _, val := range f.FilterValues {
			if !reID.MatchString(val) {
				return nil, errValidation("Filter value %q of %s is not valid.", val, f.FilterType)
			}
		}
		out[f.FilterType] = append(out[f.FilterType], f.FilterValues...)
	}
	if out["PRODUCT_ID"] == nil && out["VISIBILITY_SCOPE"] == nil {
		return nil, errValidation("Include a PRODUCT_ID or a VISIBILITY_SCOPE filter.")
	}
	return out, nil
}

// purchaseOptions returns the offers matching the filters, by offer id.
func (s *Service) purchaseOptions(ctx context.Context, tx store.Tx, v *viewer, filters map[string][]string) ([]PurchaseOptionSummary, error) {
	var offers []catalog.OfferView
	if ids := filters["PRODUCT_ID"]; ids != nil {
		for _, id := range ids {
			os, err := s.Catalog.Offers(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			offers = append(offers, os...)
		}
		slices.SortFunc(offers, func(a, b catalog.OfferView) int { return strings.Compare(a.Id, b.Id) })
	} else {
		var err error
		if offers, err = s.Catalog.Offers(ctx, tx, ""); err != nil {
			return nil, err
		}
	}
	now := time.Now()
	out := []PurchaseOptionSummary{}
	products := map[string]*catalog.ProductView{}
	for _, o := range offers {
		if o.Details.State != catalog.OfferReleased || !matches(filters, o, now) {
			continue
		}
		p, seen := products[o.Details.ProductId]
		if !seen {
			pv, err := s.product(ctx, tx, v, o.Details.ProductId)
			if err == nil {
				p = &pv
			} else if !isNotFound(err) {
				return nil, err
			}
			products[o.Details.ProductId] = p
		}
		if p == nil {
			continue
		}
		l := &listing{product: *p}
		out = append(out, PurchaseOptionSummary{
			PurchaseOptionId: o.Id, Catalog: catalog.Catalog, PurchaseOptionType: "OFFER", PurchaseOptionName: o.Details.Name,
			AvailableFromTime: releaseTime(o), ExpirationTime: endTime(o), SellerOfRecord: seller(o.Owner), Badges: []PurchaseOptionBadge{},
			AssociatedEntities: []PurchaseOptionAssociatedEntity{{Product: l.productInfo(), Offer: offerInfo(o)}},
		})
	}
	return out, nil
}

// matches applies the filters other than PRODUCT_ID to an offer.
func matches(filters map[string][]string, o catalog.OfferView, now time.Time) bool {
	status := "AVAILABLE"
	if end := endTime(o); !end.IsZero() && end.Before(now) {
		status = "EXPIRED"
	}
	for typ, values := range filters {
		var have string
		switch typ {
		case "SELLER_OF_RECORD_PROFILE_ID":
			have = o.Owner
		case "PURCHASE_OPTION_TYPE":
			have = "OFFER"
		case "VISIBILITY_SCOPE":
			have = "PUBLIC"
		case "AVAILABILITY_STATUS":
			have = status
		default:
			continue
		}
		if !slices.Contains(values, have) {
			return false
		}
	}
	return true
}
