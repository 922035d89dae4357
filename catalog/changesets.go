package catalog

import (
	"context"
	"slices"
	"time"

	"gatehouse/principal"
	"gatehouse/store"
)

// DescribeChangeSet describes one of the caller's change sets
// (ResourceNotFoundException for another account's).
func (s *Service) DescribeChangeSet(ctx context.Context, caller *principal.Caller, in DescribeChangeSetInput) (DescribeChangeSetOutput, error) {
	var out DescribeChangeSetOutput
	if err := checkCatalog(in.Catalog); err != nil {
		return out, err
	}
	if err := checkResourceID("ChangeSetId", in.ChangeSetId); err != nil {
		return out, err
	}
	if err := s.settleDue(ctx); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		cs, err := s.ownChangeSet(ctx, tx, caller, in.ChangeSetId)
		if err != nil {
			return err
		}
		out = s.describeChangeSet(cs)
		return nil
	})
	return out, err
}

func (s *Service) describeChangeSet(cs *changeSetRec) DescribeChangeSetOutput {
	out := DescribeChangeSetOutput{
		ChangeSetId: cs.Id, ChangeSetArn: s.changeSetARN(cs.Owner, cs.Id), ChangeSetName: cs.Name, Intent: cs.Intent,
		StartTime: isoTime(cs.Start), EndTime: isoTime(cs.End), Status: cs.Status,
		FailureCode: cs.Failure, FailureDescription: cs.Reason, ChangeSet: []ChangeSummary{},
	}
	for _, c := range cs.Changes {
		errs := c.Errors
		if errs == nil {
			errs = []ErrorDetail{}
		}
		out.ChangeSet = append(out.ChangeSet, ChangeSummary{
			ChangeType: c.ChangeType, Entity: Entity{Type: c.EntityType, Identifier: c.Identifier},
			Details: string(c.Details), DetailsDocument: c.Details, ErrorDetailList: errs, ChangeName: c.ChangeName,
		})
	}
	return out
}

// ownChangeSet loads a change set of the caller.
func (s *Service) ownChangeSet(ctx context.Context, tx store.Tx, caller *principal.Caller, id string) (*changeSetRec, error) {
	cs, ok, err := get[changeSetRec](ctx, tx, kindChangeSet, id)
	if err != nil {
		return nil, err
	}
	if !ok || caller == nil || cs.Owner != caller.Account {
		return nil, errChangeSetNotFound(id)
	}
	return &cs, nil
}

// CancelChangeSet cancels a PREPARING change set of the caller and
// releases its entities. A change set that is applying or has completed
// can no longer be cancelled: ResourceInUseException.
func (s *Service) CancelChangeSet(ctx context.Context, caller *principal.Caller, in CancelChangeSetInput) (CancelChangeSetOutput, error) {
	var out CancelChangeSetOutput
	if err := checkCatalog(in.Catalog); err != nil {
		return out, err
	}
	if err := checkResourceID("ChangeSetId", in.ChangeSetId); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		if err := s.settle(ctx, tx); err != nil {
			return err
		}
		cs, err := s.ownChangeSet(ctx, tx, caller, in.ChangeSetId)
		if err != nil {
			return err
		}
		if cs.Status != StatusPreparing {
			return errInUse("The change set " + cs.Id + " is " + cs.Status + " and can no longer be cancelled.")
		}
		if err := unlock(ctx, tx, cs); err != nil {
			return err
		}
		cs.Status, cs.End = StatusCancelled, s.now()
		out = CancelChangeSetOutput{ChangeSetId: cs.Id, ChangeSetArn: s.changeSetARN(cs.Owner, cs.Id)}
		return putChangeSet(ctx, tx, cs)
	})
	return out, err
}

// ListChangeSets filters. AWS documents these names for FilterList.
var changeSetFilters = map[string]bool{
	"ChangeSetName": true, "Status": true, "EntityId": true,
	"AfterStartTime": true, "BeforeStartTime": true, "AfterEndTime": true, "BeforeEndTime": true,
}

// ListChangeSets lists the caller's change sets. FilterList takes
// ChangeSetName, Status, EntityId (any of up to 10 values) and
// After/BeforeStartTime, After/BeforeEndTime (one ISO 8601 time). Sort
// takes SortBy ChangeSetName, StartTime or EndTime; AWS does not document
// the default order, and Gatehouse lists by StartTime, oldest first.
// MaxResults is 1 to 20 (20 when absent).
func (s *Service) ListChangeSets(ctx context.Context, caller *principal.Caller, in ListChangeSetsInput) (ListChangeSetsOutput, error) {
	var out ListChangeSetsOutput
	if err := checkCatalog(in.Catalog); err != nil {
		return out, err
	}
	match, err := changeSetMatcher(in.FilterList)
	if err != nil {
		return out, err
	}
	sortBy, desc, err := checkSort(in.Sort, "StartTime", "ChangeSetName", "StartTime", "EndTime")
	if err != nil {
		return out, err
	}
	if err := s.settleDue(ctx); err != nil {
		return out, err
	}
	err = s.view(ctx, func(tx store.Tx) error {
		sets, err := store.List[changeSetRec](ctx, tx, store.Query{Kind: kindChangeSet, Parent: caller.Account})
		if err != nil {
			return err
		}
		var items []ChangeSetSummaryListItem
		for i := range sets {
			cs := &sets[i]
			if !match(cs) {
				continue
			}
			ids := cs.Entities
			if ids == nil {
				ids = []string{}
			}
			items = append(items, ChangeSetSummaryListItem{ChangeSetId: cs.Id, ChangeSetArn: s.changeSetARN(cs.Owner, cs.Id),
				ChangeSetName: cs.Name, StartTime: isoTime(cs.Start), EndTime: isoTime(cs.End), Status: cs.Status,
				EntityIdList: ids, FailureCode: cs.Failure})
		}
		key := func(c ChangeSetSummaryListItem) string {
			switch sortBy {
			case "ChangeSetName":
				return c.ChangeSetName + "\x00" + c.StartTime + "\x00" + c.ChangeSetId
			case "EndTime":
				return c.EndTime + "\x00" + c.ChangeSetId
			}
			return c.StartTime + "\x00" + c.ChangeSetId
		}
		out.ChangeSetSummaryList, out.NextToken, err = page(items, key, desc, queryKey("ListChangeSets", []any{in.FilterList, in.Sort}), in.NextToken, in.MaxResults, 20, 20)
		return err
	})
	return out, err
}

// changeSetMatcher returns the predicate of a ListChangeSets FilterList.
func changeSetMatcher(filters []Filter) (func(*changeSetRec) bool, error) {
	if err := checkFilters(filters, changeSetFilters); err != nil {
		return nil, err
	}
	var preds []func(*changeSetRec) bool
	for _, f := range filters {
		values := f.ValueList
		switch f.Name {
		case "ChangeSetName":
			preds = append(preds, func(c *changeSetRec) bool { return slices.Contains(values, c.Name) })
		case "Status":
			preds = append(preds, func(c *changeSetRec) bool { return slices.Contains(values, c.Status) })
		case "EntityId":
			preds = append(preds, func(c *changeSetRec) bool {
				return slices.ContainsFunc(c.Entities, func(id string) bool { return slices.Contains(values, id) })
			})
		default:
			t, err := filterTime(f)
			if err != nil {
				return nil, err
			}
			preds = append(preds, timePredicate(f.Name, t))
		}
	}
	return func(c *changeSetRec) bool {
		for _, p := range preds {
			if !p(c) {
				return false
			}
		}
		return true
	}, nil
}

func timePredicate(name string, t time.Time) func(*changeSetRec) bool {
	return func(c *changeSetRec) bool {
		switch name {
		case "AfterStartTime":
			return !c.Start.Before(t)
		case "BeforeStartTime":
			return !c.Start.After(t)
		case "AfterEndTime":
			return !c.End.IsZero() && !c.End.Before(t)
		}
		return !c.End.IsZero() && !c.End.After(t)
	}
}

// filterTime reads the one ISO 8601 value of a time filter.
func filterTime(f Filter) (time.Time, error) {
	if len(f.ValueList) != 1 {
		return time.Time{}, errValidationf("Filter %s takes one value.", f.Name)
	}
	return parseISO(f.Name, f.ValueList[0])
}

func parseISO(member, v string) (time.Time, error) {
	t, err := time.Parse(timeFormat, v)
	if err != nil {
		return time.Time{}, errValidationf("%s %q is not an ISO 8601 time such as 2018-02-27T13:45:22Z.", member, v)
	}
	return t, nil
}

// checkFilters checks a FilterList: 1 to 8 filters of known names, each
// with 1 to 10 values of 1 to 255 characters.
func checkFilters(filters []Filter, known map[string]bool) error {
	if filters == nil {
		return nil
	}
	if len(filters) < 1 || len(filters) > 8 {
		return errValidation("FilterList must have 1 to 8 filters.")
	}
	for _, f := range filters {
		if !known[f.Name] {
			return errValidationf("Filter name %q is not supported.", f.Name)
		}
		if len(f.ValueList) < 1 || len(f.ValueList) > 10 {
			return errValidationf("Filter %s must have 1 to 10 values.", f.Name)
		}
		for _, v := range f.ValueList {
			if v == "" || len(v) > 255 {
				return errValidationf("Filter %s has a value that is empty or longer than 255 characters.", f.Name)
			}
		}
	}
	return nil
}

// checkSort checks a Sort against the allowed SortBy values; def is the
// SortBy when absent. Descending is SortOrder DESCENDING.
func checkSort(s *Sort, def string, allowed ...string) (string, bool, error) {
	if s == nil {
		return def, false, nil
	}
	by := s.SortBy
	if by == "" {
		by = def
	}
	if !slices.Contains(allowed, by) {
		return "", false, errValidationf("SortBy %q is not supported; use one of %q.", s.SortBy, allowed)
	}
	switch s.SortOrder {
	case "", "ASCENDING":
		return by, false, nil
	case "DESCENDING":
		return by, true, nil
	}
	return "", false, errValidationf("SortOrder %q is not valid; use ASCENDING or DESCENDING.", s.SortOrder)
}
