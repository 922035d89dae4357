package org

import (
	"context"

	"gatehouse/principal"
	"gatehouse/store"
)

// CreateOrganizationalUnitInput is the input of CreateOrganizationalUnit.
type CreateOrganizationalUnitInput struct {
	// ParentId is the root or OU to create the OU in.
	ParentId string
	Name     string
	Tags     []Tag
}

// CreateOrganizationalUnitOutput is the output of CreateOrganizationalUnit.
type CreateOrganizationalUnitOutput struct {
	OrganizationalUnit OrganizationalUnit
}

// CreateOrganizationalUnit creates an OU in a root or OU, at most five
// levels under the root (ConstraintViolationException
// OU_DEPTH_LIMIT_EXCEEDED), with a name no sibling OU has
// (DuplicateOrganizationalUnitException). The AWS managed policy of every
// enabled policy type is attached to it. Management account only.
func (s *Service) CreateOrganizationalUnit(ctx context.Context, caller *principal.Caller, in CreateOrganizationalUnitInput) (CreateOrganizationalUnitOutput, error) {
	var out CreateOrganizationalUnitOutput
	if err := checkParentID(in.ParentId); err != nil {
		return out, err
	}
	if err := checkString(in.Name, 1, 128, nil); err != nil {
		return out, err
	}
	if err := checkTags(in.Tags); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		_, found, err := ss.findParent(ctx, in.ParentId)
		if err != nil {
			return err
		}
		if !found {
			return errParentNotFound()
		}
		depth, err := ss.chain(ctx, in.ParentId)
		if err != nil {
			return err
		}
		if len(depth)+1 > maxOUDepth {
			return errConstraint(reasonOUDepth)
		}
		if err := ss.uniqueOUName(ctx, in.ParentId, in.Name, ""); err != nil {
			return err
		}
		id, err := s.newOUID(ss.root.Id)
		if err != nil {
			return err
		}
		o := ouRec{Id: id, OrgId: ss.org.Id, ParentId: in.ParentId, Name: in.Name}
		if err := putOU(ctx, tx, &o); err != nil {
			return err
		}
		if err := attachDefaults(ctx, ss, id); err != nil {
			return err
		}
		if err := addTags(ctx, tx, ss.org.Id, id, in.Tags); err != nil {
			return err
		}
		if err := changed(ctx, tx); err != nil {
			return err
		}
		out.OrganizationalUnit, err = ss.ouView(ctx, o)
		return err
	})
	return out, err
}

// uniqueOUName fails with DuplicateOrganizationalUnitException when an OU
// other than self under parentID has the name.
func (ss *session) uniqueOUName(ctx context.Context, parentID, name, self string) error {
	recs, err := ss.tx.List(ctx, store.Query{Kind: kindOU, Parent: parentID, Name: name})
	if err != nil {
		return err
	}
	for _, r := range recs {
		if r.ID != self {
			return errDuplicateOU()
		}
	}
	return nil
}

// DescribeOrganizationalUnitInput is the input of DescribeOrganizationalUnit.
type DescribeOrganizationalUnitInput struct {
	OrganizationalUnitId string
}

// DescribeOrganizationalUnitOutput is the output of DescribeOrganizationalUnit.
type DescribeOrganizationalUnitOutput struct {
	OrganizationalUnit OrganizationalUnit
}

// DescribeOrganizationalUnit describes an OU. Management account or
// delegated administrator.
func (s *Service) DescribeOrganizationalUnit(ctx context.Context, caller *principal.Caller, in DescribeOrganizationalUnitInput) (DescribeOrganizationalUnitOutput, error) {
	var out DescribeOrganizationalUnitOutput
	if err := checkID(in.OrganizationalUnitId, reOUID); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		o, ok, err := ss.findOU(ctx, in.OrganizationalUnitId)
		if err != nil {
			return err
		}
		if !ok {
			return errOUNotFound()
		}
		out.OrganizationalUnit, err = ss.ouView(ctx, o)
		return err
	})
	return out, err
}

// UpdateOrganizationalUnitInput is the input of UpdateOrganizationalUnit.
type UpdateOrganizationalUnitInput struct {
	OrganizationalUnitId string
	// Name is the new name; nil leaves the name as it is.
	Name *string
}

// UpdateOrganizationalUnitOutput is the output of UpdateOrganizationalUnit.
type UpdateOrganizationalUnitOutput struct {
	OrganizationalUnit OrganizationalUnit
}

// UpdateOrganizationalUnit renames an OU; no sibling may have the new
// name (DuplicateOrganizationalUnitException). Management account only.
func (s *Service) UpdateOrganizationalUnit(ctx context.Context, caller *principal.Caller, in UpdateOrganizationalUnitInput) (UpdateOrganizationalUnitOutput, error) {
	var out UpdateOrganizationalUnitOutput
	if err := checkID(in.OrganizationalUnitId, reOUID); err != nil {
		return out, err
	}
	if in.Name != nil {
		if err := checkOptional(*in.Name, 1, 128, nil); err != nil {
			return out, err
		}
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		o, ok, err := ss.findOU(ctx, in.OrganizationalUnitId)
		if err != nil {
			return err
		}
		if !ok {
			return errOUNotFound()
		}
		if in.Name != nil && *in.Name != o.Name {
			if err := ss.uniqueOUName(ctx, o.ParentId, *in.Name, o.Id); err != nil {
				return err
			}
			o.Name = *in.Name
			if err := putOU(ctx, tx, &o); err != nil {
				return err
			}
		}
		out.OrganizationalUnit, err = ss.ouView(ctx, o)
		return err
	})
	return out, err
}

// DeleteOrganizationalUnitInput is the input of DeleteOrganizationalUnit.
type DeleteOrganizationalUnitInput struct {
	OrganizationalUnitId string
}

// DeleteOrganizationalUnitOutput is the output of DeleteOrganizationalUnit.
type DeleteOrganizationalUnitOutput struct{}

// DeleteOrganizationalUnit deletes an OU that has no accounts and no
// child OUs (OrganizationalUnitNotEmptyException), with its policy
// attachments and tags. Management account only.
func (s *Service) DeleteOrganizationalUnit(ctx context.Context, caller *principal.Caller, in DeleteOrganizationalUnitInput) (DeleteOrganizationalUnitOutput, error) {
	var out DeleteOrganizationalUnitOutput
	if err := checkID(in.OrganizationalUnitId, reOUID); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		o, ok, err := ss.findOU(ctx, in.OrganizationalUnitId)
		if err != nil {
			return err
		}
		if !ok {
			return errOUNotFound()
		}
		for _, kind := range []string{kindOU, kindAccount} {
			recs, err := tx.List(ctx, store.Query{Kind: kind, Parent: o.Id, Limit: 1})
			if err != nil {
				return err
			}
			if len(recs) > 0 {
				return errOUNotEmpty()
			}
		}
		if err := detachAll(ctx, tx, o.Id); err != nil {
			return err
		}
		if err := del(ctx, tx, kindTags, o.Id); err != nil {
			return err
		}
		if err := del(ctx, tx, kindOU, o.Id); err != nil {
			return err
		}
		return changed(ctx, tx)
	})
	return out, err
}

// ListOrganizationalUnitsForParentInput is the input of
// ListOrganizationalUnitsForParent.
type ListOrganizationalUnitsForParentInput struct {
	ParentId   string
	NextToken  string
	MaxResults *int32
}

// ListOrganizationalUnitsForParentOutput is the output of
// ListOrganizationalUnitsForParent.
type ListOrganizationalUnitsForParentOutput struct {
	OrganizationalUnits []OrganizationalUnit
	NextToken           string
}

// ListOrganizationalUnitsForParent lists the OUs in a root or OU, by id.
// Management account or delegated administrator.
func (s *Service) ListOrganizationalUnitsForParent(ctx context.Context, caller *principal.Caller, in ListOrganizationalUnitsForParentInput) (ListOrganizationalUnitsForParentOutput, error) {
	var out ListOrganizationalUnitsForParentOutput
	if err := checkParentID(in.ParentId); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		if _, found, err := ss.findParent(ctx, in.ParentId); err != nil || !found {
			return orNotFound(err, errParentNotFound)
		}
		ous, err := store.List[ouRec](ctx, tx, store.Query{Kind: kindOU, Parent: in.ParentId})
		if err != nil {
			return err
		}
		ous, out.NextToken, err = page(ous, func(o ouRec) string { return o.Id }, "ListOrganizationalUnitsForParent\x00"+in.ParentId, in.NextToken, in.MaxResults)
		if err != nil {
			return err
		}
		out.OrganizationalUnits = make([]OrganizationalUnit, 0, len(ous))
		for _, o := range ous {
			v, err := ss.ouView(ctx, o)
			if err != nil {
				return err
			}
			out.OrganizationalUnits = append(out.OrganizationalUnits, v)
		}
		return nil
	})
	return out, err
}

// ListChildrenInput is the input of ListChildren.
type ListChildrenInput struct {
	ParentId   string
	ChildType  ChildType
	NextToken  string
	MaxResults *int32
}

// ListChildrenOutput is the output of ListChildren.
type ListChildrenOutput struct {
	Children  []Child
	NextToken string
}

// ListChildren lists the accounts or the OUs in a root or OU, by id.
// Management account or delegated administrator.
func (s *Service) ListChildren(ctx context.Context, caller *principal.Caller, in ListChildrenInput) (ListChildrenOutput, error) {
	var out ListChildrenOutput
	if err := checkParentID(in.ParentId); err != nil {
		return out, err
	}
	kind := ""
	switch in.ChildType {
	case ChildTypeAccount:
		kind = kindAccount
	case ChildTypeOrganizationalUnit:
		kind = kindOU
	case "":
		return out, errInput(reasonInputRequired)
	default:
		return out, errInput(reasonEnum)
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		if _, found, err := ss.findParent(ctx, in.ParentId); err != nil || !found {
			return orNotFound(err, errParentNotFound)
		}
		recs, err := tx.List(ctx, store.Query{Kind: kind, Parent: in.ParentId})
		if err != nil {
			return err
		}
		children := make([]Child, 0, len(recs))
		for _, r := range recs {
			children = append(children, Child{Id: r.ID, Type: in.ChildType})
		}
		out.Children, out.NextToken, err = page(children, func(c Child) string { return c.Id }, "ListChildren\x00"+in.ParentId+"\x00"+string(in.ChildType), in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}

// ListParentsInput is the input of ListParents.
type ListParentsInput struct {
	// ChildId is an OU or account id.
	ChildId    string
	NextToken  string
	MaxResults *int32
}

// ListParentsOutput is the output of ListParents.
type ListParentsOutput struct {
	Parents   []Parent
	NextToken string
}

// ListParents lists the root or OU that directly contains an OU or
// account. Management account or delegated administrator.
func (s *Service) ListParents(ctx context.Context, caller *principal.Caller, in ListParentsInput) (ListParentsOutput, error) {
	var out ListParentsOutput
	switch {
	case in.ChildId == "":
		return out, errInput(reasonInputRequired)
	case !reOUID.MatchString(in.ChildId) && !reAccountID.MatchString(in.ChildId):
		return out, errInput(reasonPattern)
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		parentID := ""
		if reAccountID.MatchString(in.ChildId) {
			a, ok, err := ss.findAccount(ctx, in.ChildId)
			if err != nil || !ok {
				return orNotFound(err, errChildNotFound)
			}
			parentID = a.ParentId
		} else {
			o, ok, err := ss.findOU(ctx, in.ChildId)
			if err != nil || !ok {
				return orNotFound(err, errChildNotFound)
			}
			parentID = o.ParentId
		}
		p := Parent{Id: parentID, Type: ParentTypeOrganizationalUnit}
		if parentID == ss.root.Id {
			p.Type = ParentTypeRoot
		}
		out.Parents, out.NextToken, err = page([]Parent{p}, func(p Parent) string { return p.Id }, "ListParents\x00"+in.ChildId, in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}
