package iam

import (
	"context"

	"gatehouse/principal"
	"gatehouse/store"
)

// boundaryType is the only PermissionsBoundaryType IAM knows.
const boundaryType = "PermissionsBoundaryPolicy"

// boundary resolves a permissions boundary: a managed policy of the
// account or an AWS managed policy.
func (s *Service) boundary(ctx context.Context, tx store.Tx, account, arn string) (*AttachedPermissionsBoundary, error) {
	if _, err := s.managedPolicy(ctx, tx, account, arn, errNotAttachable); err != nil {
		return nil, err
	}
	return &AttachedPermissionsBoundary{PermissionsBoundaryType: boundaryType, PermissionsBoundaryArn: arn}, nil
}

// PutPermissionsBoundaryInput is the input of PutUserPermissionsBoundary
// and PutRolePermissionsBoundary.
type PutPermissionsBoundaryInput struct {
	UserName            string
	RoleName            string
	PermissionsBoundary string `query:",required"`
}

// PutPermissionsBoundaryOutput is the output of the
// Put*PermissionsBoundary operations.
type PutPermissionsBoundaryOutput struct{}

// PutUserPermissionsBoundary sets the permissions boundary of a user.
func (s *Service) PutUserPermissionsBoundary(ctx context.Context, caller *principal.Caller, in PutPermissionsBoundaryInput) (PutPermissionsBoundaryOutput, error) {
	return PutPermissionsBoundaryOutput{}, s.setBoundary(ctx, caller, entityUser, in.UserName, in.PermissionsBoundary)
}

// PutRolePermissionsBoundary sets the permissions boundary of a role.
func (s *Service) PutRolePermissionsBoundary(ctx context.Context, caller *principal.Caller, in PutPermissionsBoundaryInput) (PutPermissionsBoundaryOutput, error) {
	return PutPermissionsBoundaryOutput{}, s.setBoundary(ctx, caller, entityRole, in.RoleName, in.PermissionsBoundary)
}

// DeletePermissionsBoundaryInput is the input of
// DeleteUserPermissionsBoundary and DeleteRolePermissionsBoundary.
type DeletePermissionsBoundaryInput struct {
	UserName string
	RoleName string
}

// DeletePermissionsBoundaryOutput is the output of the
// Delete*PermissionsBoundary operations.
type DeletePermissionsBoundaryOutput struct{}

// DeleteUserPermissionsBoundary removes the permissions boundary of a
// user.
func (s *Service) DeleteUserPermissionsBoundary(ctx context.Context, caller *principal.Caller, in DeletePermissionsBoundaryInput) (DeletePermissionsBoundaryOutput, error) {
	return DeletePermissionsBoundaryOutput{}, s.setBoundary(ctx, caller, entityUser, in.UserName, "")
}

// DeleteRolePermissionsBoundary removes the permissions boundary of a
// role.
func (s *Service) DeleteRolePermissionsBoundary(ctx context.Context, caller *principal.Caller, in DeletePermissionsBoundaryInput) (DeletePermissionsBoundaryOutput, error) {
	return DeletePermissionsBoundaryOutput{}, s.setBoundary(ctx, caller, entityRole, in.RoleName, "")
}

// setBoundary sets (arn) or removes ("") the boundary of a user or role.
func (s *Service) setBoundary(ctx context.Context, caller *principal.Caller, t entityType, name, arn string) error {
	if err := firstErr(t.nameConstraint().check(t.member(), name), cArn.optional("permissionsBoundary", arn)); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		var b *AttachedPermissionsBoundary
		if arn != "" {
			var err error
			if b, err = s.boundary(ctx, tx, caller.Account, arn); err != nil {
				return err
			}
		}
		if t == entityUser {
			u, err := s.user(ctx, tx, caller.Account, name)
			if err != nil {
				return err
			}
			u.PermissionsBoundary = b
			return firstErr(putUser(ctx, tx, caller.Account, &u), changed(ctx, tx))
		}
		r, err := s.role(ctx, tx, caller.Account, name)
		if err != nil {
			return err
		}
		if isServiceRole(r) {
			return errProtectedRole(r.RoleName)
		}
		r.PermissionsBoundary = b
		return firstErr(putRole(ctx, tx, caller.Account, &r), changed(ctx, tx))
	})
}
