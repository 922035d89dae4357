package catalog

import (
	"context"
	"slices"
	"strings"

	"gatehouse/principal"
	"gatehouse/store"
)

// DescribeEntity returns an entity the caller owns (or, for a Private
// Marketplace entity, that its organization's administrators share);
// ResourceNotFoundException for any other.
func (s *Service) DescribeEntity(ctx context.Context, caller *principal.Caller, in DescribeEntityInput) (DescribeEntityOutput, error) {
	var out DescribeEntityOutput
	if err := checkCatalog(in.Catalog); err != nil {
		return out, err
	}
	if err := checkResourceID("EntityId", in.EntityId); err != nil {
		return out, err
	}
	if err := s.settleDue(ctx); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		e, err := s.readable(ctx, tx, caller, in.EntityId)
		if err != nil {
			return err
		}
		out = DescribeEntityOutput{EntityType: e.typ().versioned(), EntityIdentifier: s.identifier(e),
			EntityArn: s.entityARN(e.Owner, e.Type, e.Id), LastModifiedDate: isoTime(e.Modified),
			Details: string(e.Details), DetailsDocument: e.Details}
		return nil
	})
	return out, err
}

func (s *Service) identifier(e *entityRec) string { return e.Id + "@" + itoa(e.Revision) }

// readable loads an entity the caller may read.
func (s *Service) readable(ctx context.Context, tx store.Tx, caller *principal.Caller, id string) (*entityRec, error) {
	e, ok, err := loadEntity(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !ok || caller == nil {
		return nil, errEntityNotFound(id)
	}
	var admin *adminInfo
	if t := e.typ(); e.OrgId != "" && (t.pmp || t.request && e.Owner != caller.Account) {
		if admin, err = s.pmpAdmin(ctx, tx, caller.Account); err != nil {
			return nil, errEntityNotFound(id)
		}
	}
	if !mayChange(caller.Account, admin, e) {
		return nil, errEntityNotFound(id)
	}
	if err := expireRequest(e, s.now()); err != nil {
		return nil, err
	}
	return e, nil
}

// BatchDescribeEntities describes 1 to 20 entities; those the caller
// cannot describe are listed in Errors with ResourceNotFoundException or
// ValidationException.
func (s *Service) BatchDescribeEntities(ctx context.Context, caller *principal.Caller, in BatchDescribeEntitiesInput) (BatchDescribeEntitiesOutput, error) {
	out := BatchDescribeEntitiesOutput{EntityDetails: map[string]EntityDetail{}, Errors: map[string]BatchDescribeErrorDetail{}}
	if len(in.EntityRequestList) < 1 || len(in.EntityRequestList) > 20 {
		return out, errValidation("EntityRequestList must have 1 to 20 entities.")
	}
	for _, r := range in.EntityRequestList {
		if err := checkCatalog(r.Catalog); err != nil {
			return out, err
		}
		if r.EntityId == "" || len(r.EntityId) > 255 || !reEntityID.MatchString(r.EntityId) {
			return out, errValidationf("EntityId %q is not valid.", r.EntityId)
		}
	}
	if err := s.settleDue(ctx); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		for _, r := range in.EntityRequestList {
			e, err := s.readable(ctx, tx, caller, r.EntityId)
			if err != nil {
				if !isNotFound(err) {
					return err
				}
				out.Errors[r.EntityId] = BatchDescribeErrorDetail{ErrorCode: "ResourceNotFoundException", ErrorMessage: "The entity " + r.EntityId + " was not found."}
				continue
			}
			out.EntityDetails[r.EntityId] = EntityDetail{EntityType: e.typ().versioned(), EntityArn: s.entityARN(e.Owner, e.Type, e.Id),
				EntityIdentifier: s.identifier(e), LastModifiedDate: isoTime(e.Modified), DetailsDocument: e.Details}
		}
		return nil
	})
	return out, err
}

// ListEntities filters: the generic FilterList names.
var entityFilters = map[string]bool{"EntityId": true, "Name": true, "ProductTitle": true, "Visibility": true, "LastModifiedDate": true, "ProductId": true, "Status": true}

// ListEntities lists the entities of one type that the caller owns
// (OwnershipType SELF, the default) or that are shared with it (SHARED:
// the Private Marketplace entities of its organization that another
// administrator owns, and for its administrators the procurement requests
// of the organization's other accounts). Filters come in FilterList
// (EntityId, Name, ProductTitle, Visibility, ProductId, Status: any of
// the values;
// LastModifiedDate: "AFTER,BEFORE" ISO 8601 bounds, either empty) or in
// EntityTypeFilters; Sort or EntityTypeSort order by EntityId (the
// default), LastModifiedDate, ProductTitle or Name, or Visibility.
// MaxResults is 1 to 50 (20 when absent).
func (s *Service) ListEntities(ctx context.Context, caller *principal.Caller, in ListEntitiesInput) (ListEntitiesOutput, error) {
	var out ListEntitiesOutput
	if err := checkCatalog(in.Catalog); err != nil {
		return out, err
	}
	t, err := parseEntityType(in.EntityType, false)
	if err != nil {
		return out, err
	}
	if in.OwnershipType != "" && in.OwnershipType != "SELF" && in.OwnershipType != "SHARED" {
		return out, errValidationf("OwnershipType %q is not valid; use SELF or SHARED.", in.OwnershipType)
	}
	match, err := entityMatcher(t, &in)
	if err != nil {
		return out, err
	}
	sort := in.Sort
	if ts := typeSort(t, in.EntityTypeSort); ts != nil {
		sort = ts
	}
	sortBy, desc, err := checkSort(sort, "EntityId", "EntityId", "LastModifiedDate", "ProductTitle", "Name", "Visibility", "State", "ProductId")
	if err != nil {
		return out, err
	}
	if err := s.settleDue(ctx); err != nil {
		return out, err
	}
	err = s.view(ctx, func(tx store.Tx) error {
		recs, err := s.ownedOrShared(ctx, tx, caller.Account, t, in.OwnershipType == "SHARED")
		if err != nil {
			return err
		}
		var items []entitySort
		now := s.now()
		for i := range recs {
			e := &recs[i]
			if err := expireRequest(e, now); err != nil {
				return err
			}
			if match(e) {
				items = append(items, entitySort{key: sortKey(e, sortBy), summary: s.summary(e)})
			}
		}
		var pageItems []entitySort
		pageItems, out.NextToken, err = page(items, func(x entitySort) string { return x.key }, desc,
			queryKey("ListEntities", []any{in.EntityType, in.FilterList, in.EntityTypeFilters, sort, in.OwnershipType}), in.NextToken, in.MaxResults, 20, 50)
		out.EntitySummaryList = make([]EntitySummary, len(pageItems))
		for i, x := range pageItems {
			out.EntitySummaryList[i] = x.summary
		}
		return err
	})
	return out, err
}

type entitySort struct {
	key     string
	summary EntitySummary
}

func sortKey(e *entityRec, by string) string {
	v := e.Id
	switch by {
	case "LastModifiedDate":
		v = isoTime(e.Modified)
	case "ProductTitle", "Name":
		v = strings.ToLower(e.Title)
	case "Visibility", "State":
		v = e.Visibility
	case "ProductId":
		v = e.Parent
	}
	return v + "\x00" + e.Id
}

// ownedOrShared lists the entities of a type the account owns, or those
// shared with it.
func (s *Service) ownedOrShared(ctx context.Context, tx store.Tx, account string, t *entityType, shared bool) ([]entityRec, error) {
	if !shared {
		return store.List[entityRec](ctx, tx, store.Query{Kind: t.kind(), Parent: account})
	}
	if !t.pmp && !t.request {
		return []entityRec{}, nil
	}
	admin, err := s.pmpAdmin(ctx, tx, account)
	if err != nil || admin.orgID == "" {
		return []entityRec{}, nil
	}
	all, err := store.List[entityRec](ctx, tx, store.Query{Kind: t.kind()})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(e entityRec) bool { return e.OrgId != admin.orgID || e.Owner == account }), nil
}

// summary returns an entity's EntitySummary.
func (s *Service) summary(e *entityRec) EntitySummary {
	sum := EntitySummary{Name: e.Title, EntityType: e.Type, EntityId: e.Id, EntityArn: s.entityARN(e.Owner, e.Type, e.Id),
		LastModifiedDate: isoTime(e.Modified), Visibility: e.Visibility}
	ps := &ProductSummary{ProductTitle: e.Title, Visibility: e.Visibility}
	switch e.Type {
	case TypeSaaSProduct:
		sum.SaaSProductSummary = ps
	case TypeAmiProduct:
		sum.AmiProductSummary = ps
	case TypeContainerProduct:
		sum.ContainerProductSummary = ps
	case TypeOffer:
		var d OfferDetails
		_ = decodeStored(e, &d) // an undecodable offer is summarized without release date
		sum.OfferSummary = &OfferSummary{Name: e.Title, ProductId: e.Parent, ReleaseDate: d.ReleaseDate, State: e.Visibility, Targeting: []string{"None"}}
	}
	return sum
}

func typeSort(t *entityType, s *EntityTypeSort) *Sort {
	if s == nil {
		return nil
	}
	switch t.name {
	case TypeSaaSProduct:
		return s.SaaSProductSort
	case TypeAmiProduct:
		return s.AmiProductSort
	case TypeContainerProduct:
		return s.ContainerProductSort
	case TypeOffer:
		return s.OfferSort
	}
	return nil
}

// entityMatcher returns the predicate of ListEntities' filters.
func entityMatcher(t *entityType, in *ListEntitiesInput) (func(*entityRec) bool, error) {
	if err := checkFilters(in.FilterList, entityFilters); err != nil {
		return nil, err
	}
	var preds []func(*entityRec) bool
	for _, f := range in.FilterList {
		p, err := filterPredicate(f.Name, f.ValueList, "", nil)
		if err != nil {
			return nil, err
		}
		preds = append(preds, p)
	}
	typed, err := typePredicates(t, in.EntityTypeFilters)
	if err != nil {
		return nil, err
	}
	preds = append(preds, typed...)
	return func(e *entityRec) bool {
		for _, p := range preds {
			if !p(e) {
				return false
			}
		}
		return true
	}, nil
}

// filterPredicate returns the predicate of one filter: values to match,
// or a wildcard the title contains, or a date range.
func filterPredicate(name string, values []string, wildcard string, dates *DateRange) (func(*entityRec) bool, error) {
	field := func(e *entityRec) string {
		switch name {
		case "EntityId":
			return e.Id
		case "Name", "ProductTitle":
			return e.Title
		case "Visibility", "State", "Status":
			return e.Visibility
		case "ProductId":
			return e.Parent
		}
		return ""
	}
	if name == "LastModifiedDate" || name == "ReleaseDate" {
		if dates == nil {
			if len(values) != 1 {
				return nil, errValidationf("Filter %s takes one value: AFTER,BEFORE.", name)
			}
			after, before, _ := strings.Cut(values[0], ",")
			dates = &DateRange{AfterValue: after, BeforeValue: before}
		}
		return datePredicate(name, dates)
	}
	if wildcard != "" {
		w := strings.ToLower(wildcard)
		return func(e *entityRec) bool { return strings.Contains(strings.ToLower(field(e)), w) }, nil
	}
	return func(e *entityRec) bool { return slices.Contains(values, field(e)) }, nil
}

func datePredicate(name string, r *DateRange) (func(*entityRec) bool, error) {
	for _, v := range []string{r.AfterValue, r.BeforeValue} {
		if v != "" {
			if _, err := parseISO(name, v); err != nil {
				return nil, err
			}
		}
	}
	return func(e *entityRec) bool {
		v := isoTime(e.Modified)
		if name == "ReleaseDate" {
			var d OfferDetails
			if decodeStored(e, &d) != nil {
				return false
			}
			v = d.ReleaseDate
		}
		return v != "" && (r.AfterValue == "" || v >= r.AfterValue) && (r.BeforeValue == "" || v <= r.BeforeValue)
	}, nil
}

// typePredicates turns EntityTypeFilters into predicates; filters of
// another entity type than the one listed are ValidationException.
func typePredicates(t *entityType, f *EntityTypeFilters) ([]func(*entityRec) bool, error) {
	if f == nil {
		return nil, nil
	}
	var preds []func(*entityRec) bool
	add := func(name string, values *ValueListFilter, title *TitleFilter, date *DateFilter) error {
		var (
			p   func(*entityRec) bool
			err error
		)
		switch {
		case values != nil:
			if len(values.ValueList) < 1 || len(values.ValueList) > 10 {
				return errValidationf("Filter %s must have 1 to 10 values.", name)
			}
			p, err = filterPredicate(name, values.ValueList, "", nil)
		case title != nil:
			p, err = filterPredicate(name, title.ValueList, title.WildCardValue, nil)
		case date != nil && date.DateRange != nil:
			p, err = filterPredicate(name, nil, "", date.DateRange)
		default:
			return nil
		}
		if err == nil {
			preds = append(preds, p)
		}
		return err
	}
	product := map[string]*ProductFilters{TypeSaaSProduct: f.SaaSProductFilters, TypeAmiProduct: f.AmiProductFilters, TypeContainerProduct: f.ContainerProductFilters}
	for typ, pf := range product {
		if pf == nil {
			continue
		}
		if typ != t.name {
			return nil, errValidationf("%sFilters do not apply to entity type %s.", typ, t.name)
		}
		for _, err := range []error{add("EntityId", pf.EntityId, nil, nil), add("ProductTitle", nil, pf.ProductTitle, nil),
			add("Visibility", pf.Visibility, nil, nil), add("LastModifiedDate", nil, nil, pf.LastModifiedDate)} {
			if err != nil {
				return nil, err
			}
		}
	}
	if of := f.OfferFilters; of != nil {
		if t.name != TypeOffer {
			return nil, errValidationf("OfferFilters do not apply to entity type %s.", t.name)
		}
		for _, err := range []error{add("EntityId", of.EntityId, nil, nil), add("Name", nil, of.Name, nil), add("ProductId", of.ProductId, nil, nil),
			add("State", of.State, nil, nil), add("ReleaseDate", nil, nil, of.ReleaseDate), add("LastModifiedDate", nil, nil, of.LastModifiedDate)} {
			if err != nil {
				return nil, err
			}
		}
	}
	return preds, nil
}
