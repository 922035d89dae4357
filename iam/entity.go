package iam

import (
	"context"
	"strings"

	"gatehouse/store"
)

// entityType is a kind of IAM identity that policies attach to: User,
// Group or Role.
type entityType string

const (
	entityUser  entityType = "User"
	entityGroup entityType = "Group"
	entityRole  entityType = "Role"
)

// entity is a user, group or role found by name.
type entity struct {
	typ       entityType
	name, id  string
	arn, path string
	protected bool // a service-linked role
}

// lower is the entity type as IAM's messages name it ("user").
func (t entityType) lower() string { return strings.ToLower(string(t)) }

// member is the request member that names an entity of the type.
func (t entityType) member() string { return t.lower() + "Name" }

func (t entityType) nameConstraint() constraint {
	switch t {
	case entityUser:
		return cUserName
	case entityGroup:
		return cGroupName
	}
	return cRoleName
}

// entity finds the user, group or role name in account.
func (s *Service) entity(ctx context.Context, tx store.Tx, account string, t entityType, name string) (entity, error) {
	if err := t.nameConstraint().check(t.member(), name); err != nil {
		return entity{}, err
	}
	switch t {
	case entityUser:
		u, err := s.user(ctx, tx, account, name)
		return entity{typ: t, name: u.UserName, id: u.UserId, arn: u.Arn, path: u.Path}, err
	case entityGroup:
		g, err := s.group(ctx, tx, account, name)
		return entity{typ: t, name: g.GroupName, id: g.GroupId, arn: g.Arn, path: g.Path}, err
	}
	r, err := s.role(ctx, tx, account, name)
	return entity{typ: t, name: r.RoleName, id: r.RoleId, arn: r.Arn, path: r.Path, protected: strings.HasPrefix(r.Path, serviceRolePath)}, err
}
