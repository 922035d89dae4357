package iam

import (
	"context"
	"fmt"
	"strings"

	"gatehouse/principal"
	"gatehouse/simulator"
	"gatehouse/store"
)

var _ simulator.Entities = (*Service)(nil)

// Entity implements simulator.Entities: the user, group or role arn
// names, with its policies as the simulator reports them (inline ones by
// name and the kind of entity they belong to, managed ones by name as
// aws-managed or user-managed) and, for a user, those of its groups. It
// reads the same records as IdentityPolicies, the policies enforcement
// uses.
func (s *Service) Entity(ctx context.Context, tx store.Tx, arn string) (simulator.Entity, error) {
	account, typ, _, name, ok := parseARN(arn)
	if !ok {
		return simulator.Entity{}, fmt.Errorf("iam: %s: %w", arn, simulator.ErrNoSuchEntity)
	}
	var (
		e   simulator.Entity
		err error
	)
	switch typ {
	case "user":
		e, err = s.userEntity(ctx, tx, account, name, arn)
	case "group":
		e, err = s.groupEntity(ctx, tx, account, name, arn)
	case "role":
		e, err = s.roleEntity(ctx, tx, account, name, arn)
	default:
		return simulator.Entity{}, fmt.Errorf("iam: %s: %w", arn, simulator.ErrNoSuchEntity)
	}
	if isNoSuchEntity(err) {
		return simulator.Entity{}, fmt.Errorf("iam: %s: %w", arn, simulator.ErrNoSuchEntity)
	}
	return e, err
}

func (s *Service) userEntity(ctx context.Context, tx store.Tx, account, name, arn string) (simulator.Entity, error) {
	u, err := s.user(ctx, tx, account, name)
	if err != nil {
		return simulator.Entity{}, err
	}
	if u.Arn != arn {
		return simulator.Entity{}, errNoSuchUser(name)
	}
	e := simulator.Entity{
		Caller:  &principal.Caller{Type: principal.IAMUser, Account: account, ARN: u.Arn, PrincipalARN: u.Arn, UserID: u.UserId, Name: u.UserName},
		Account: account,
	}
	if e.Policies, e.Boundary, err = s.simulatedPolicies(ctx, tx, account, u.UserId, simulator.SourceUser, u.PermissionsBoundary); err != nil {
		return simulator.Entity{}, err
	}
	groups, err := s.userGroups(ctx, tx, u.UserId)
	if err != nil {
		return simulator.Entity{}, err
	}
	for _, g := range groups {
		docs, _, err := s.simulatedPolicies(ctx, tx, account, g.GroupId, simulator.SourceGroup, nil)
		if err != nil {
			return simulator.Entity{}, err
		}
		e.Policies = append(e.Policies, docs...)
	}
	return e, nil
}

func (s *Service) groupEntity(ctx context.Context, tx store.Tx, account, name, arn string) (simulator.Entity, error) {
	g, err := s.group(ctx, tx, account, name)
	if err != nil {
		return simulator.Entity{}, err
	}
	if g.Arn != arn {
		return simulator.Entity{}, errNoSuchGroup(name)
	}
	e := simulator.Entity{Account: account}
	e.Policies, _, err = s.simulatedPolicies(ctx, tx, account, g.GroupId, simulator.SourceGroup, nil)
	return e, err
}

func (s *Service) roleEntity(ctx context.Context, tx store.Tx, account, name, arn string) (simulator.Entity, error) {
	r, err := s.role(ctx, tx, account, name)
	if err != nil {
		return simulator.Entity{}, err
	}
	if r.Arn != arn {
		return simulator.Entity{}, errNoSuchRole(name)
	}
	e := simulator.Entity{
		Caller:  &principal.Caller{Type: principal.AssumedRole, Account: account, ARN: r.Arn, PrincipalARN: r.Arn, UserID: r.RoleId},
		Account: account,
	}
	e.Policies, e.Boundary, err = s.simulatedPolicies(ctx, tx, account, r.RoleId, simulator.SourceRole, r.PermissionsBoundary)
	return e, err
}

// simulatedPolicies returns an entity's inline policies (of source type
// inline), its attached managed policies and its boundary's document.
func (s *Service) simulatedPolicies(ctx context.Context, tx store.Tx, account, entityID string, inline simulator.SourceType, b *AttachedPermissionsBoundary) ([]simulator.Document, *simulator.Document, error) {
	own, err := inlinePolicies(ctx, tx, entityID)
	if err != nil {
		return nil, nil, err
	}
	var docs []simulator.Document
	for _, p := range own {
		docs = append(docs, simulator.Document{ID: p.PolicyName, Type: inline, Content: p.PolicyDocument})
	}
	attached, err := attachedTo(ctx, tx, entityID)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range attached {
		d, err := s.managedDocument(ctx, tx, account, a.PolicyArn)
		if err != nil {
			return nil, nil, err
		}
		docs = append(docs, d)
	}
	if b == nil {
		return docs, nil, nil
	}
	d, err := s.managedDocument(ctx, tx, account, b.PermissionsBoundaryArn)
	if err != nil {
		return nil, nil, err
	}
	return docs, &d, nil
}

// managedDocument is a managed policy as the simulator names it.
func (s *Service) managedDocument(ctx context.Context, tx store.Tx, account, arn string) (simulator.Document, error) {
	mp, err := s.managedPolicy(ctx, tx, account, arn, errNoSuchPolicy)
	if err != nil {
		return simulator.Document{}, fmt.Errorf("iam: policy %s: %w", arn, err)
	}
	typ := simulator.SourceUserManaged
	if strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") {
		typ = simulator.SourceAWSManaged
	}
	return simulator.Document{ID: mp.PolicyName, Type: typ, Content: mp.document}, nil
}
