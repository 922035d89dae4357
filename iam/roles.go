package iam

import (
	"context"
	"fmt"
	"strings"

	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
)

// The bounds of a role's MaxSessionDuration, in seconds; 3600 when not
// given (IAM API Reference, CreateRole).
const (
	minSessionDuration     = 3600
	maxSessionDuration     = 43200
	defaultSessionDuration = 3600
)

// serviceRolePath is the path prefix of service-linked roles, which only
// AWS may change.
const serviceRolePath = "/aws-service-role/"

// CreateRoleInput is the input of CreateRole.
type CreateRoleInput struct {
	RoleName                 string `query:",required"`
	AssumeRolePolicyDocument string `query:",required"`
	Path                     string
	Description              string
	MaxSessionDuration       *int32
	PermissionsBoundary      string
	Tags                     []Tag
}

// CreateRoleOutput is the output of CreateRole.
type CreateRoleOutput struct{ Role Role }

// CreateRole creates a role in the caller's account; its trust policy is
// validated as IAM validates trust policies.
func (s *Service) CreateRole(ctx context.Context, caller *principal.Caller, in CreateRoleInput) (CreateRoleOutput, error) {
	path, err := pathOr(in.Path)
	err = firstErr(err, cRoleName.check("roleName", in.RoleName), cRoleDesc.optional("description", in.Description),
		checkSessionDuration(in.MaxSessionDuration), cArn.optional("permissionsBoundary", in.PermissionsBoundary), checkTags(in.Tags),
		checkTrust(in.AssumeRolePolicyDocument))
	if err != nil {
		return CreateRoleOutput{}, err
	}
	if strings.HasPrefix(path, serviceRolePath) {
		return CreateRoleOutput{}, errInvalid("The path %s is reserved for service-linked roles.", path)
	}
	var out CreateRoleOutput
	err = s.update(ctx, func(tx store.Tx) error {
		r, err := s.createRole(ctx, tx, caller.Account, in, path)
		out.Role = r
		return err
	})
	return out, err
}

// createRole stores a new role after its input was validated.
func (s *Service) createRole(ctx context.Context, tx store.Tx, acct string, in CreateRoleInput, path string) (Role, error) {
	if _, ok, err := get[Role](ctx, tx, kindRole, nameKey(acct, in.RoleName)); err != nil || ok {
		return Role{}, firstErr(err, errExists("Role", in.RoleName))
	}
	id, err := s.newID(prefixRole)
	if err != nil {
		return Role{}, err
	}
	msd := int32(defaultSessionDuration)
	if in.MaxSessionDuration != nil {
		msd = *in.MaxSessionDuration
	}
	r := Role{Path: path, RoleName: in.RoleName, RoleId: id, Arn: roleARN(acct, path, in.RoleName), CreateDate: s.now(),
		AssumeRolePolicyDocument: in.AssumeRolePolicyDocument, Description: in.Description, MaxSessionDuration: &msd, Tags: in.Tags}
	if in.PermissionsBoundary != "" {
		if r.PermissionsBoundary, err = s.boundary(ctx, tx, acct, in.PermissionsBoundary); err != nil {
			return Role{}, err
		}
	}
	return r, firstErr(putRole(ctx, tx, acct, &r), changed(ctx, tx))
}

func checkTrust(doc string) error {
	return checkDocument("assumeRolePolicyDocument", doc, policy.Options{Type: policy.Trust})
}

func checkSessionDuration(d *int32) error {
	if d == nil {
		return nil
	}
	switch {
	case *d < minSessionDuration:
		return validation(fmt.Sprintf("'%d'", *d), "maxSessionDuration", fmt.Sprintf("Member must have value greater than or equal to %d", minSessionDuration))
	case *d > maxSessionDuration:
		return validation(fmt.Sprintf("'%d'", *d), "maxSessionDuration", fmt.Sprintf("Member must have value less than or equal to %d", maxSessionDuration))
	}
	return nil
}

// GetRoleInput is the input of GetRole.
type GetRoleInput struct {
	RoleName string `query:",required"`
}

// GetRoleOutput is the output of GetRole.
type GetRoleOutput struct{ Role Role }

// GetRole returns a role with its trust policy.
func (s *Service) GetRole(ctx context.Context, caller *principal.Caller, in GetRoleInput) (GetRoleOutput, error) {
	if err := cRoleName.check("roleName", in.RoleName); err != nil {
		return GetRoleOutput{}, err
	}
	var out GetRoleOutput
	err := s.view(ctx, func(tx store.Tx) error {
		r, err := s.role(ctx, tx, caller.Account, in.RoleName)
		if len(r.Tags) == 0 {
			r.Tags = nil
		}
		r.RoleLastUsed = &RoleLastUsed{}
		out.Role = r
		return err
	})
	return out, err
}

// modifyRole runs fn on a role that is not service-linked and stores it.
func (s *Service) modifyRole(ctx context.Context, caller *principal.Caller, name string, fn func(r *Role) error) (Role, error) {
	var out Role
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := s.role(ctx, tx, caller.Account, name)
		if err != nil {
			return err
		}
		if strings.HasPrefix(r.Path, serviceRolePath) {
			return errProtectedRole(r.RoleName)
		}
		if err := fn(&r); err != nil {
			return err
		}
		out = r
		return firstErr(putRole(ctx, tx, caller.Account, &r), changed(ctx, tx))
	})
	return out, err
}

// UpdateRoleInput is the input of UpdateRole.
type UpdateRoleInput struct {
	RoleName           string `query:",required"`
	Description        *string
	MaxSessionDuration *int32
}

// UpdateRoleOutput is the output of UpdateRole.
type UpdateRoleOutput struct{}

// UpdateRole changes a role's description or maximum session duration.
func (s *Service) UpdateRole(ctx context.Context, caller *principal.Caller, in UpdateRoleInput) (UpdateRoleOutput, error) {
	desc := ""
	if in.Description != nil {
		desc = *in.Description
	}
	if err := firstErr(cRoleName.check("roleName", in.RoleName), cRoleDesc.optional("description", desc), checkSessionDuration(in.MaxSessionDuration)); err != nil {
		return UpdateRoleOutput{}, err
	}
	_, err := s.modifyRole(ctx, caller, in.RoleName, func(r *Role) error {
		if in.Description != nil {
			r.Description = *in.Description
		}
		if in.MaxSessionDuration != nil {
			r.MaxSessionDuration = in.MaxSessionDuration
		}
		return nil
	})
	return UpdateRoleOutput{}, err
}

// UpdateRoleDescriptionInput is the input of UpdateRoleDescription.
type UpdateRoleDescriptionInput struct {
	RoleName    string `query:",required"`
	Description string `query:",required"`
}

// UpdateRoleDescriptionOutput is the output of UpdateRoleDescription.
type UpdateRoleDescriptionOutput struct{ Role Role }

// UpdateRoleDescription changes a role's description and returns the role.
func (s *Service) UpdateRoleDescription(ctx context.Context, caller *principal.Caller, in UpdateRoleDescriptionInput) (UpdateRoleDescriptionOutput, error) {
	if err := firstErr(cRoleName.check("roleName", in.RoleName), cRoleDesc.check("description", in.Description)); err != nil {
		return UpdateRoleDescriptionOutput{}, err
	}
	r, err := s.modifyRole(ctx, caller, in.RoleName, func(r *Role) error {
		r.Description = in.Description
		return nil
	})
	if len(r.Tags) == 0 {
		r.Tags = nil
	}
	return UpdateRoleDescriptionOutput{Role: r}, err
}

// UpdateAssumeRolePolicyInput is the input of UpdateAssumeRolePolicy.
type UpdateAssumeRolePolicyInput struct {
	RoleName       string `query:",required"`
	PolicyDocument string `query:",required"`
}

// UpdateAssumeRolePolicyOutput is the output of UpdateAssumeRolePolicy.
type UpdateAssumeRolePolicyOutput struct{}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, caller *principal.Caller, in UpdateAssumeRolePolicyInput) (UpdateAssumeRolePolicyOutput, error) {
	err := firstErr(cRoleName.check("roleName", in.RoleName),
		checkDocument("policyDocument", in.PolicyDocument, policy.Options{Type: policy.Trust}))
	if err != nil {
		return UpdateAssumeRolePolicyOutput{}, err
	}
	_, err = s.modifyRole(ctx, caller, in.RoleName, func(r *Role) error {
		r.AssumeRolePolicyDocument = in.PolicyDocument
		return nil
	})
	return UpdateAssumeRolePolicyOutput{}, err
}

// DeleteRoleInput is the input of DeleteRole.
type DeleteRoleInput struct {
	RoleName string `query:",required"`
}

// DeleteRoleOutput is the output of DeleteRole.
type DeleteRoleOutput struct{}

// DeleteRole deletes a role without policies; service-linked roles are
// deleted with DeleteServiceLinkedRole.
func (s *Service) DeleteRole(ctx context.Context, caller *principal.Caller, in DeleteRoleInput) (DeleteRoleOutput, error) {
	if err := cRoleName.check("roleName", in.RoleName); err != nil {
		return DeleteRoleOutput{}, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := s.role(ctx, tx, caller.Account, in.RoleName)
		if err != nil {
			return err
		}
		if strings.HasPrefix(r.Path, serviceRolePath) {
			return errProtectedRole(r.RoleName)
		}
		return s.deleteRole(ctx, tx, caller.Account, r, true)
	})
	return DeleteRoleOutput{}, err
}

// deleteRole deletes a role; with strict, a role that still has policies
// is a DeleteConflict, otherwise its policies go with it.
func (s *Service) deleteRole(ctx context.Context, tx store.Tx, acct string, r Role, strict bool) error {
	for _, c := range []struct{ kind, what string }{{kindInline, "delete policies"}, {kindAttach, "detach all policies"}} {
		recs, err := tx.List(ctx, store.Query{Kind: c.kind, Parent: r.RoleId})
		if err != nil {
			return err
		}
		if len(recs) > 0 && strict {
			return errDeleteConflict(c.what)
		}
		for _, rec := range recs {
			if err := tx.Delete(ctx, rec.Kind, rec.ID); err != nil {
				return err
			}
		}
	}
	return firstErr(tx.Delete(ctx, kindRole, nameKey(acct, r.RoleName)), changed(ctx, tx))
}

// ListRolesInput is the input of ListRoles.
type ListRolesInput struct {
	PathPrefix string
	Page
}

// ListRolesOutput is the output of ListRoles.
type ListRolesOutput struct {
	Roles []Role
	PageOut
}

// ListRoles lists the account's roles whose path starts with PathPrefix,
// by name. As in IAM, tags and boundaries are left out.
func (s *Service) ListRoles(ctx context.Context, caller *principal.Caller, in ListRolesInput) (ListRolesOutput, error) {
	if err := cPathPrefix.optional("pathPrefix", in.PathPrefix); err != nil {
		return ListRolesOutput{}, err
	}
	var out ListRolesOutput
	err := s.view(ctx, func(tx store.Tx) error {
		roles, err := store.List[Role](ctx, tx, store.Query{Kind: kindRole, Parent: caller.Account})
		if err != nil {
			return err
		}
		roles = filterPath(roles, in.PathPrefix, func(r Role) string { return r.Path })
		for i := range roles {
			roles[i].Tags, roles[i].PermissionsBoundary = nil, nil
		}
		out.Roles, out.PageOut, err = page(roles, func(r Role) string { return strings.ToLower(r.RoleName) }, in.Page)
		return err
	})
	return out, err
}

// isServiceRole reports whether r is a service-linked role.
func isServiceRole(r Role) bool { return strings.HasPrefix(r.Path, serviceRolePath) }
