package iam

import (
	"context"
	"strings"

	"gatehouse/awserr"
	"gatehouse/principal"
	"gatehouse/store"
)

// CreateUserInput is the input of CreateUser.
type CreateUserInput struct {
	UserName            string `query:",required"`
	Path                string
	PermissionsBoundary string
	Tags                []Tag
}

// CreateUserOutput is the output of CreateUser.
type CreateUserOutput struct{ User User }

// CreateUser creates a user in the caller's account.
func (s *Service) CreateUser(ctx context.Context, caller *principal.Caller, in CreateUserInput) (CreateUserOutput, error) {
	path, err := pathOr(in.Path)
	if err = firstErr(err, cUserName.check("userName", in.UserName), cArn.optional("permissionsBoundary", in.PermissionsBoundary), checkTags(in.Tags)); err != nil {
		return CreateUserOutput{}, err
	}
	var out CreateUserOutput
	err = s.update(ctx, func(tx store.Tx) error {
		acct := caller.Account
		if _, ok, err := get[User](ctx, tx, kindUser, nameKey(acct, in.UserName)); err != nil || ok {
			return firstErr(err, errExists("User", in.UserName))
		}
		id, err := s.newID(prefixUser)
		if err != nil {
			return err
		}
		u := User{Path: path, UserName: in.UserName, UserId: id, Arn: userARN(acct, path, in.UserName), CreateDate: s.now(), Tags: in.Tags}
		if in.PermissionsBoundary != "" {
			if u.PermissionsBoundary, err = s.boundary(ctx, tx, acct, in.PermissionsBoundary); err != nil {
				return err
			}
		}
		out.User = u
		return firstErr(putUser(ctx, tx, acct, &u), changed(ctx, tx))
	})
	return out, err
}

// GetUserInput is the input of GetUser.
type GetUserInput struct{ UserName string }

// GetUserOutput is the output of GetUser.
type GetUserOutput struct{ User User }

// GetUser returns a user; without UserName, the calling user (or, for an
// account's root user, the account's root identity).
func (s *Service) GetUser(ctx context.Context, caller *principal.Caller, in GetUserInput) (GetUserOutput, error) {
	name := in.UserName
	if name == "" {
		switch caller.Type {
		case principal.Root:
			return GetUserOutput{User: User{UserId: caller.Account, Arn: principal.RootARN(caller.Account), CreateDate: s.now()}}, nil
		case principal.IAMUser:
			name = caller.Name
		default:
			return GetUserOutput{}, awserr.ErrValidationError.New("Must specify userName when calling with non-User credentials")
		}
	}
	if err := cUserName.check("userName", name); err != nil {
		return GetUserOutput{}, err
	}
	var out GetUserOutput
	err := s.view(ctx, func(tx store.Tx) error {
		u, err := s.user(ctx, tx, caller.Account, name)
		if len(u.Tags) == 0 {
			u.Tags = nil
		}
		out.User = u
		return err
	})
	return out, err
}

// UpdateUserInput is the input of UpdateUser.
type UpdateUserInput struct {
	UserName    string `query:",required"`
	NewPath     string
	NewUserName string
}

// UpdateUserOutput is the output of UpdateUser.
type UpdateUserOutput struct{}

// UpdateUser renames a user or changes its path. Its access keys,
// groups and policies follow it.
func (s *Service) UpdateUser(ctx context.Context, caller *principal.Caller, in UpdateUserInput) (UpdateUserOutput, error) {
	if err := firstErr(cUserName.check("userName", in.UserName), cUserName.optional("newUserName", in.NewUserName), cPath.optional("newPath", in.NewPath)); err != nil {
		return UpdateUserOutput{}, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		acct := caller.Account
		u, err := s.user(ctx, tx, acct, in.UserName)
		if err != nil {
			return err
		}
		if in.NewUserName != "" && !strings.EqualFold(in.NewUserName, u.UserName) {
			if _, ok, err := get[User](ctx, tx, kindUser, nameKey(acct, in.NewUserName)); err != nil || ok {
				return firstErr(err, errExists("User", in.NewUserName))
			}
		}
		if err := tx.Delete(ctx, kindUser, nameKey(acct, u.UserName)); err != nil {
			return err
		}
		if in.NewUserName != "" {
			u.UserName = in.NewUserName
		}
		if in.NewPath != "" {
			u.Path = in.NewPath
		}
		u.Arn = userARN(acct, u.Path, u.UserName)
		if err := putUser(ctx, tx, acct, &u); err != nil {
			return err
		}
		if err := s.refreshKeys(ctx, tx, acct, &u); err != nil {
			return err
		}
		return changed(ctx, tx)
	})
	return UpdateUserOutput{}, err
}

// DeleteUserInput is the input of DeleteUser.
type DeleteUserInput struct {
	UserName string `query:",required"`
}

// DeleteUserOutput is the output of DeleteUser.
type DeleteUserOutput struct{}

// DeleteUser deletes a user that has no login profile, access keys,
// policies or group memberships left: IAM answers DeleteConflict
// otherwise.
func (s *Service) DeleteUser(ctx context.Context, caller *principal.Caller, in DeleteUserInput) (DeleteUserOutput, error) {
	if err := cUserName.check("userName", in.UserName); err != nil {
		return DeleteUserOutput{}, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := s.user(ctx, tx, caller.Account, in.UserName)
		if err != nil {
			return err
		}
		checks := []struct {
			kind, parent, what string
		}{
			{kindLogin, "", "delete login profile"},
			{"", "", "delete access keys"},
			{kindInline, u.UserId, "delete policies"},
			{kindAttach, u.UserId, "detach all policies"},
			{kindMember, u.UserId, "remove user from all groups"},
		}
		for _, c := range checks {
			n, err := s.countUserDeps(ctx, tx, c.kind, c.parent, u.UserId)
			if err != nil {
				return err
			}
			if n > 0 {
				return errDeleteConflict(c.what)
			}
		}
		return firstErr(tx.Delete(ctx, kindUser, nameKey(caller.Account, u.UserName)), changed(ctx, tx))
	})
	return DeleteUserOutput{}, err
}

// countUserDeps counts what keeps a user from being deleted: its login
// profile (kindLogin), its access keys (kind ""), or the records of kind
// under parent.
func (s *Service) countUserDeps(ctx context.Context, tx store.Tx, kind, parent, userID string) (int, error) {
	switch kind {
	case kindLogin:
		_, ok, err := get[loginRec](ctx, tx, kindLogin, userID)
		if ok {
			return 1, err
		}
		return 0, err
	case "":
		keys, err := s.Keys.List(ctx, tx, userID)
		return len(keys), err
	}
	recs, err := tx.List(ctx, store.Query{Kind: kind, Parent: parent, Limit: 1})
	return len(recs), err
}

// ListUsersInput is the input of ListUsers.
type ListUsersInput struct {
	PathPrefix string
	Page
}

// ListUsersOutput is the output of ListUsers.
type ListUsersOutput struct {
	Users []User
	PageOut
}

// ListUsers lists the account's users whose path starts with PathPrefix,
// by name.
func (s *Service) ListUsers(ctx context.Context, caller *principal.Caller, in ListUsersInput) (ListUsersOutput, error) {
	if err := cPathPrefix.optional("pathPrefix", in.PathPrefix); err != nil {
		return ListUsersOutput{}, err
	}
	var out ListUsersOutput
	err := s.view(ctx, func(tx store.Tx) error {
		users, err := store.List[User](ctx, tx, store.Query{Kind: kindUser, Parent: caller.Account})
		if err != nil {
			return err
		}
		users = filterPath(users, in.PathPrefix, func(u User) string { return u.Path })
		for i := range users {
			users[i].Tags, users[i].PermissionsBoundary = nil, nil // ListUsers leaves them out
		}
		out.Users, out.PageOut, err = page(users, func(u User) string { return strings.ToLower(u.UserName) }, in.Page)
		return err
	})
	return out, err
}

// filterPath keeps the items whose path starts with prefix.
func filterPath[T any](items []T, prefix string, path func(T) string) []T {
	if prefix == "" || prefix == "/" {
		return items
	}
	out := items[:0]
	for _, it := range items {
		if strings.HasPrefix(path(it), prefix) {
			out = append(out, it)
		}
	}
	return out
}
