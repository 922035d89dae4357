package agreement

import (
	"context"
	"regexp"
	"time"

	"gatehouse/principal"
	"gatehouse/store"
)

// Search filters, from the model's documentation of SearchAgreements.
const (
	FilterPartyType          = "PartyType"
	FilterAgreementType      = "AgreementType"
	FilterResourceIdentifier = "ResourceIdentifier"
	FilterResourceType       = "ResourceType"
	FilterAcceptorAccountId  = "AcceptorAccountId"
	FilterOfferId            = "OfferId"
	FilterOfferSetId         = "OfferSetId"
	FilterStatus             = "Status"
	FilterBeforeEndTime      = "BeforeEndTime"
	FilterAfterEndTime       = "AfterEndTime"
)

// Party types.
const (
	PartyAcceptor = "Acceptor"
	PartyProposer = "Proposer"
)

var reFilterValue = regexp.MustCompile(`^[A-Za-z0-9+:_-]{1,64}$`)

// searchQuery is a parsed SearchAgreements request.
type searchQuery struct {
	party  string
	match  []func(a *agreementRec, now time.Time) bool
	desc   bool
	filter map[string]string
}

// SearchAgreements lists the agreements of the caller's account: those it
// accepted (PartyType Acceptor, the default) or proposed as seller
// (Proposer), filtered, sorted by end time (descending by default) and
// paged.
func (s *Service) SearchAgreements(ctx context.Context, caller *principal.Caller, in SearchAgreementsInput) (SearchAgreementsOutput, error) {
	q, err := parseSearch(&in)
	if err != nil {
		return SearchAgreementsOutput{}, err
	}
	var out SearchAgreementsOutput
	err = store.View(ctx, s.Store, func(tx store.Tx) error {
		query := store.Query{Kind: kindAgreement, Parent: caller.Account}
		if q.party == PartyProposer {
			query.Parent = ""
		}
		list, err := store.List[agreementRec](ctx, tx, query)
		if err != nil {
			return err
		}
		now := s.now()
		var hits []*agreementRec
		for i := range list {
			a := &list[i]
			if (q.party == PartyProposer && a.Seller != caller.Account) || !q.matches(a, now) {
				continue
			}
			hits = append(hits, a)
		}
		sortByEnd(hits, q.desc)
		views := make([]AgreementViewSummary, len(hits))
		for i, a := range hits {
			views[i] = s.view(a)
		}
		page, next, err := paginate(views, func(i int) string { return hits[i].Id }, queryKey("SearchAgreements", []any{caller.Account, in.Catalog, in.Filters, in.Sort}), in.NextToken, in.MaxResults)
		out = SearchAgreementsOutput{AgreementViewSummaries: page, NextToken: next}
		return err
	})
	return out, err
}

func (q *searchQuery) matches(a *agreementRec, now time.Time) bool {
	for _, m := range q.match {
		if !m(a, now) {
			return false
		}
	}
	return true
}

// parseSearch validates SearchAgreements' input.
func parseSearch(in *SearchAgreementsInput) (*searchQuery, error) {
	if in.Catalog != "" && in.Catalog != MarketplaceCatalog {
		return nil, errValidation(ReasonInvalidCatalog, "Catalog %q is not supported; use %s.", in.Catalog, MarketplaceCatalog)
	}
	q := &searchQuery{party: PartyAcceptor, desc: true, filter: map[string]string{}}
	if in.Sort != nil {
		if in.Sort.SortBy != "" && in.Sort.SortBy != "EndTime" {
			return nil, errValidation(ReasonInvalidSortBy, "Agreements can be sorted by EndTime only.")
		}
		switch in.Sort.SortOrder {
		case "", "DESCENDING":
		case "ASCENDING":
			q.desc = false
		default:
			return nil, errValidation(ReasonInvalidSortOrder, "sortOrder must be ASCENDING or DESCENDING.")
		}
	}
	if in.Filters != nil && (len(in.Filters) == 0 || len(in.Filters) > 10) {
		return nil, errValidation(ReasonInvalidFilterValues, "filters must hold 1 to 10 filters.")
	}
	for _, f := range in.Filters {
		if err := q.add(f); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// add adds one filter to the query.
func (q *searchQuery) add(f Filter) error {
	if _, dup := q.filter[f.Name]; dup {
		return errValidation(ReasonInvalidFilterName, "Filter %s is given twice.", f.Name)
	}
	if len(f.Values) != 1 {
		return errValidation(ReasonMissingFilterValues, "Filter %s needs exactly one value.", f.Name)
	}
	v := f.Values[0]
	if !reFilterValue.MatchString(v) {
		return errValidation(ReasonInvalidFilterValues, "Value %q of filter %s is not valid.", v, f.Name)
	}
	q.filter[f.Name] = v
	field := func(get func(a *agreementRec) string) {
		q.match = append(q.match, func(a *agreementRec, _ time.Time) bool { return get(a) == v })
	}
	switch f.Name {
	case FilterPartyType:
		if v != PartyAcceptor && v != PartyProposer {
			return errValidation(ReasonInvalidPartyType, "PartyType must be Acceptor or Proposer.")
		}
		q.party = v
	case FilterAgreementType:
		if v != TypePurchaseAgreement {
			return errValidation(ReasonInvalidAgreementType, "AgreementType %q is not supported; use %s.", v, TypePurchaseAgreement)
		}
	case FilterResourceIdentifier:
		field(func(a *agreementRec) string { return a.ProductId })
	case FilterResourceType:
		field(func(a *agreementRec) string { return a.ProductType })
	case FilterAcceptorAccountId:
		field(func(a *agreementRec) string { return a.Acceptor })
	case FilterOfferId:
		field(func(a *agreementRec) string { return a.OfferId })
	case FilterOfferSetId:
		// Gatehouse's offers belong to no offer set.
		q.match = append(q.match, func(*agreementRec, time.Time) bool { return false })
	case FilterStatus:
		q.match = append(q.match, func(a *agreementRec, now time.Time) bool { return a.status(now) == v })
	case FilterBeforeEndTime, FilterAfterEndTime:
		return q.addEndTime(f.Name, v)
	default:
		return errValidation(ReasonInvalidFilterName, "Filter %q is not supported.", f.Name)
	}
	return nil
}

// addEndTime filters on the end time, given as an ISO 8601 date-time
// such as 2026-01-31T00:00:00Z.
func (q *searchQuery) addEndTime(name, v string) error {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return errValidation(ReasonInvalidFilterValues, "%s must be an ISO 8601 date-time such as 2026-01-31T00:00:00Z.", name)
	}
	before := name == FilterBeforeEndTime
	q.match = append(q.match, func(a *agreementRec, _ time.Time) bool {
		if a.End.IsZero() {
			return false
		}
		if before {
			return a.End.Before(t)
		}
		return a.End.After(t)
	})
	return nil
}
