package iam

import (
	"context"
	"fmt"

	"gatehouse/authz"
	"gatehouse/principal"
	"gatehouse/store"
)

var _ authz.Identities = (*Service)(nil)

// IdentityPolicies implements authz.Identities: for an IAM user, its
// inline and attached policies and those of its groups; for an
// assumed-role session, the inline and attached policies of the role
// (found by caller.PrincipalARN); and the user's or role's permissions
// boundary. A root user has none. A user or role that no longer exists
// has none either, so its requests are denied.
func (s *Service) IdentityPolicies(ctx context.Context, tx store.Tx, caller *principal.Caller) ([]authz.Document, *authz.Document, error) {
	switch caller.Type {
	case principal.IAMUser:
		u, ok, err := get[User](ctx, tx, kindUser, nameKey(caller.Account, caller.Name))
		if err != nil || !ok || u.UserId != caller.UserID {
			return nil, nil, err
		}
		return s.userPolicies(ctx, tx, caller.Account, u)
	case principal.AssumedRole:
		r, err := s.RoleByARN(ctx, tx, caller.PrincipalARN)
		if err != nil {
			return nil, nil, ignoreMissing(err)
		}
		return s.entityPolicies(ctx, tx, caller.Account, r.ID, r.boundary)
	}
	return nil, nil, nil
}

func ignoreMissing(err error) error {
	if isNoSuchEntity(err) {
		return nil
	}
	return err
}

func (s *Service) userPolicies(ctx context.Context, tx store.Tx, account string, u User) ([]authz.Document, *authz.Document, error) {
	docs, boundary, err := s.entityPolicies(ctx, tx, account, u.UserId, u.PermissionsBoundary)
	if err != nil {
		return nil, nil, err
	}
	groups, err := s.userGroups(ctx, tx, u.UserId)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range groups {
		gd, _, err := s.entityPolicies(ctx, tx, account, g.GroupId, nil)
		if err != nil {
			return nil, nil, err
		}
		docs = append(docs, gd...)
	}
	return docs, boundary, nil
}

// entityPolicies returns the inline and attached policies of an entity
// and the document of its boundary.
func (s *Service) entityPolicies(ctx context.Context, tx store.Tx, account, entityID string, b *AttachedPermissionsBoundary) ([]authz.Document, *authz.Document, error) {
	inline, err := inlinePolicies(ctx, tx, entityID)
	if err != nil {
		return nil, nil, err
	}
	var docs []authz.Document
	for _, p := range inline {
		docs = append(docs, authz.Document{ID: entityID + "/" + p.PolicyName, Content: p.PolicyDocument})
	}
	attached, err := attachedTo(ctx, tx, entityID)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range attached {
		mp, err := s.managedPolicy(ctx, tx, account, a.PolicyArn, errNoSuchPolicy)
		if err != nil {
			return nil, nil, fmt.Errorf("iam: policy %s attached to %s: %w", a.PolicyArn, entityID, err)
		}
		docs = append(docs, authz.Document{ID: a.PolicyArn, Content: mp.document})
	}
	if b == nil {
		return docs, nil, nil
	}
	mp, err := s.managedPolicy(ctx, tx, account, b.PermissionsBoundaryArn, errNoSuchPolicy)
	if err != nil {
		return nil, nil, fmt.Errorf("iam: boundary %s of %s: %w", b.PermissionsBoundaryArn, entityID, err)
	}
	return docs, &authz.Document{ID: b.PermissionsBoundaryArn, Content: mp.document}, nil
}

// RoleInfo is what STS needs of a role.
type RoleInfo struct {
	ARN, ID, Name, Account string // ID is the role's unique id, AROA...
	// Path is the role's path, such as "/" or "/aws-service-role/x/".
	Path string
	// Trust is the role's trust policy.
	Trust string
	// MaxSessionDuration is in seconds, 3600 to 43200.
	MaxSessionDuration int32
	// Tags are the role's tags, which sessions inherit as principal tags.
	Tags map[string]string

	boundary *AttachedPermissionsBoundary
}

// RoleByARN finds a role by its ARN (arn:aws:iam::ACCOUNT:role/PATH/NAME);
// a role of that name whose path differs is not it. The error is
// NoSuchEntity (errors.Is(err, awserr.ErrNoSuchEntity)) when there is
// none.
func (s *Service) RoleByARN(ctx context.Context, tx store.Tx, arn string) (RoleInfo, error) {
	account, typ, _, name, ok := parseARN(arn)
	if !ok || typ != "role" {
		return RoleInfo{}, errNoSuchRole(arn)
	}
	r, err := s.role(ctx, tx, account, name)
	if err != nil {
		return RoleInfo{}, err
	}
	if r.Arn != arn {
		return RoleInfo{}, errNoSuchRole(name)
	}
	info := RoleInfo{ARN: r.Arn, ID: r.RoleId, Name: r.RoleName, Account: account, Path: r.Path, Trust: r.AssumeRolePolicyDocument,
		MaxSessionDuration: defaultSessionDuration, boundary: r.PermissionsBoundary}
	if r.MaxSessionDuration != nil {
		info.MaxSessionDuration = *r.MaxSessionDuration
	}
	if len(r.Tags) > 0 {
		info.Tags = map[string]string{}
		for _, t := range r.Tags {
			info.Tags[t.Key] = t.Value
		}
	}
	return info, nil
}

// PolicyDocument returns the default version's document of a managed
// policy: an AWS managed one, or a customer managed one of the account
// its ARN names. The error is NoSuchEntity when there is none.
func (s *Service) PolicyDocument(ctx context.Context, tx store.Tx, arn string) (string, error) {
	account, _, _, _, ok := parseARN(arn)
	if !ok {
		return "", errNoSuchPolicy(arn)
	}
	mp, err := s.managedPolicy(ctx, tx, account, arn, errNoSuchPolicy)
	if err != nil {
		return "", err
	}
	return mp.document, nil
}
