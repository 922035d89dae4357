package discovery

import (
	"context"
	"regexp"
	"slices"
	"strconv"

	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/store"
)

// filterAttributes maps the term filters and facets of SearchListings
// and SearchFacets to the attributes of catalog search documents.
// PRICING_UNIT names an attribute no product has: Gatehouse keeps no
// pricing units.
var filterAttributes = map[string]string{
	"CATEGORY":                catalog.AttrCategory,
	"PUBLISHER":               catalog.AttrPublisher,
	"FULFILLMENT_OPTION_TYPE": catalog.AttrFulfillment,
	"PRICING_MODEL":           catalog.AttrPricing,
	"PRICING_UNIT":            "pricing-unit",
}

// constantFacets are the filter and facet types whose value is the same
// for every listing: each is deployed NOT_APPLICABLE and has one
// product.
var constantFacets = map[string]string{
	"DEPLOYED_ON_AWS":    catalog.DeployedNotApplicable,
	"NUMBER_OF_PRODUCTS": "1",
}

// facetTypes are the model's facet types, in its order.
var facetTypes = []string{"AVERAGE_CUSTOMER_RATING", "CATEGORY", "PUBLISHER", "FULFILLMENT_OPTION_TYPE", "PRICING_MODEL", "PRICING_UNIT", "DEPLOYED_ON_AWS", "NUMBER_OF_PRODUCTS"}

var (
	reFilterValue = regexp.MustCompile(`^[\w.-]{1,128}$`)
	reRating      = regexp.MustCompile(`^[0-5](\.[0-9]+)?$`)
)

// searchQuery builds the store query of a search's text and filters for
// a viewer. none is set when a filter rules out every listing (a minimum
// rating above zero: no listing has a rating).
func searchQuery(v *viewer, text string, filters []SearchFilter) (q store.SearchQuery, none bool, err error) {
	if len(text) > 512 {
		return q, false, errValidation("searchText must have at most 512 characters.")
	}
	if filters != nil && (len(filters) < 1 || len(filters) > 30) {
		return q, false, errValidation("filters must have 1 to 30 filters.")
	}
	// Public products are unscoped; the others are scoped to their owner.
	q = store.SearchQuery{Kind: catalog.SearchKindProduct, Text: text, IDs: v.allowed, Scopes: []string{v.account},
		Filters: map[string][]string{}}
	for _, f := range filters {
		if len(f.FilterValues) < 1 || len(f.FilterValues) > 30 {
			return q, false, errValidation("filterValues of %s must have 1 to 30 values.", f.FilterType)
		}
		for _, val := range f.FilterValues {
			if !reFilterValue.MatchString(val) {
				return q, false, errValidation("Filter value %q of %s is not valid.", val, f.FilterType)
			}
		}
		switch f.FilterType {
		case "MIN_AVERAGE_CUSTOMER_RATING", "MAX_AVERAGE_CUSTOMER_RATING":
			rating, err := ratingValue(f)
			if err != nil {
				return q, false, err
			}
			// Listings without reviews rate 0.0.
			if f.FilterType == "MIN_AVERAGE_CUSTOMER_RATING" && rating > 0 {
				none = true
			}
		case "DEPLOYED_ON_AWS", "NUMBER_OF_PRODUCTS":
			if !slices.Contains(f.FilterValues, constantFacets[f.FilterType]) {
				none = true
			}
		default:
			attr, ok := filterAttributes[f.FilterType]
			if !ok {
				return q, false, errValidation("filterType %q is not a search filter type.", f.FilterType)
			}
			// Filters of one type combine with OR, like their values.
			q.Filters[attr] = append(q.Filters[attr], f.FilterValues...)
		}
	}
	return q, none, nil
}

// ratingValue reads a rating filter's single value from 0.0 to 5.0.
func ratingValue(f SearchFilter) (float64, error) {
	if len(f.FilterValues) != 1 || !reRating.MatchString(f.FilterValues[0]) {
		return 0, errValidation("%s takes one value from 0.0 to 5.0.", f.FilterType)
	}
	r, err := strconv.ParseFloat(f.FilterValues[0], 64)
	if err != nil || r > 5 {
		return 0, errValidation("%s takes one value from 0.0 to 5.0.", f.FilterType)
	}
	return r, nil
}

// SearchListings searches the listings the caller may see: every word of
// searchText must occur in the product's title, descriptions,
// categories or keywords (as a word or a word's start); filters of
// different types must all hold, values of one type any. Results come by
// relevance, best first (DESCENDING, the default) or last; with no text,
// by title. AVERAGE_CUSTOMER_RATING sorts as relevance, since no listing
// has a rating. maxResults is 1 to 100, 20 when absent.
func (s *Service) SearchListings(ctx context.Context, caller *principal.Caller, in SearchListingsInput) (SearchListingsOutput, error) {
	out := SearchListingsOutput{ListingSummaries: []ListingSummary{}}
	size, err := pageSize(in.MaxResults, 20, 100)
	if err != nil {
		return out, err
	}
	if in.SortBy != "" && in.SortBy != "RELEVANCE" && in.SortBy != "AVERAGE_CUSTOMER_RATING" {
		return out, errValidation("sortBy must be RELEVANCE or AVERAGE_CUSTOMER_RATING.")
	}
	if in.SortOrder != "" && in.SortOrder != "DESCENDING" && in.SortOrder != "ASCENDING" {
		return out, errValidation("sortOrder must be DESCENDING or ASCENDING.")
	}
	fp := fingerprint([]any{in.SearchText, in.Filters, in.SortBy, in.SortOrder})
	offset, err := decodeToken(in.NextToken, fp)
	if err != nil {
		return out, err
	}
	err = s.view(ctx, func(tx store.Tx) error {
		v, err := s.viewerOf(ctx, tx, caller)
		if err != nil {
			return err
		}
		q, none, err := searchQuery(v, in.SearchText, in.Filters)
		if err != nil || none {
			return err
		}
		q.Ascending, q.Offset, q.Limit = in.SortOrder == "ASCENDING", offset, size
		sr, err := store.SearcherOf(tx)
		if err != nil {
			return err
		}
		res, err := sr.Search(ctx, q)
		if err != nil {
			return err
		}
		for _, id := range res.IDs {
			p, ok, err := s.Catalog.Product(ctx, tx, id)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			l, err := s.loadListing(ctx, tx, p)
			if err != nil {
				return err
			}
			out.ListingSummaries = append(out.ListingSummaries, l.summary())
		}
		out.TotalResults = int64(res.Total)
		out.NextToken = nextToken(offset, len(res.IDs), res.Total, fp)
		return nil
	})
	return out, err
}

// SearchFacets counts the listings a search finds per value of each
// facet type asked for (every type when none is), over all results. The
// facets come in one page.
func (s *Service) SearchFacets(ctx context.Context, caller *principal.Caller, in SearchFacetsInput) (SearchFacetsOutput, error) {
	out := SearchFacetsOutput{ListingFacets: map[string][]ListingFacet{}}
	types := in.FacetTypes
	if len(types) > 30 {
		return out, errValidation("facetTypes must have at most 30 types.")
	}
	for _, t := range types {
		if !slices.Contains(facetTypes, t) {
			return out, errValidation("facetTypes: %q is not a facet type.", t)
		}
	}
	if len(types) == 0 {
		types = facetTypes
	}
	if _, err := decodeToken(in.NextToken, fingerprint([]any{in.SearchText, in.Filters, in.FacetTypes})); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		v, err := s.viewerOf(ctx, tx, caller)
		if err != nil {
			return err
		}
		q, none, err := searchQuery(v, in.SearchText, in.Filters)
		if err != nil || none {
			for _, t := range types {
				out.ListingFacets[t] = []ListingFacet{}
			}
			return err
		}
		for _, t := range types {
			if attr, ok := filterAttributes[t]; ok {
				q.Facets = append(q.Facets, attr)
			}
		}
		q.Limit = 1
		sr, err := store.SearcherOf(tx)
		if err != nil {
			return err
		}
		res, err := sr.Search(ctx, q)
		if err != nil {
			return err
		}
		out.TotalResults = int64(res.Total)
		for _, t := range types {
			counts := res.Facets[filterAttributes[t]]
			if c, ok := constantFacets[t]; ok && res.Total > 0 {
				counts = map[string]int{c: res.Total}
			}
			out.ListingFacets[t] = facetValues(t, counts)
		}
		return nil
	})
	return out, err
}

// facetValues lists a facet's counts, most frequent first, then by
// value; at most 100, as the model allows.
func facetValues(facetType string, counts map[string]int) []ListingFacet {
	out := []ListingFacet{}
	for value, n := range counts {
		name := value
		switch facetType {
		case "FULFILLMENT_OPTION_TYPE":
			name = fulfillmentNames[value]
		case "PRICING_MODEL":
			name = pricingNames[value]
		case "DEPLOYED_ON_AWS":
			name = "Not applicable"
		}
		if name == "" {
			name = value
		}
		out = append(out, ListingFacet{Value: value, DisplayName: name, Count: int64(n)})
	}
	slices.SortFunc(out, func(a, b ListingFacet) int {
		if a.Count != b.Count {
			return int(b.Count - a.Count)
		}
		if a.Value < b.Value {
			return -1
		}
		return 1
	})
	return out[:min(len(out), 100)]
}
