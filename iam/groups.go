package iam

import (
	"context"
	"strings"

	"gatehouse/principal"
	"gatehouse/store"
)

// CreateGroupInput is the input of CreateGroup.
type CreateGroupInput struct {
	GroupName string `query:",required"`
	Path      string
}

// CreateGroupOutput is the output of CreateGroup.
type CreateGroupOutput struct{ Group Group }

// CreateGroup creates a group in the caller's account.
func (s *Service) CreateGroup(ctx context.Context, caller *principal.Caller, in CreateGroupInput) (CreateGroupOutput, error) {
	path, err := pathOr(in.Path)
	if err = firstErr(err, cGroupName.check("groupName", in.GroupName)); err != nil {
		return CreateGroupOutput{}, err
	}
	var out CreateGroupOutput
	err = s.update(ctx, func(tx store.Tx) error {
		acct := caller.Account
		if _, ok, err := get[Group](ctx, tx, kindGroup, nameKey(acct, in.GroupName)); err != nil || ok {
			return firstErr(err, errExists("Group", in.GroupName))
		}
		id, err := s.newID(prefixGroup)
		if err != nil {
			return err
		}
		out.Group = Group{Path: path, GroupName: in.GroupName, GroupId: id, Arn: groupARN(acct, path, in.GroupName), CreateDate: s.now()}
		return putGroup(ctx, tx, acct, &out.Group)
	})
	return out, err
}

// GetGroupInput is the input of GetGroup.
type GetGroupInput struct {
	GroupName string `query:",required"`
	Page
}

// GetGroupOutput is the output of GetGroup.
type GetGroupOutput struct {
	Group Group
	Users []User
	PageOut
}

// GetGroup returns a group and its users, by name.
func (s *Service) GetGroup(ctx context.Context, caller *principal.Caller, in GetGroupInput) (GetGroupOutput, error) {
	if err := cGroupName.check("groupName", in.GroupName); err != nil {
		return GetGroupOutput{}, err
	}
	var out GetGroupOutput
	err := s.view(ctx, func(tx store.Tx) error {
		g, err := s.group(ctx, tx, caller.Account, in.GroupName)
		if err != nil {
			return err
		}
		users, err := s.groupUsers(ctx, tx, g.GroupId)
		if err != nil {
			return err
		}
		out.Group = g
		out.Users, out.PageOut, err = page(users, func(u User) string { return strings.ToLower(u.UserName) }, in.Page)
		return err
	})
	return out, err
}

// groupUsers returns the users of a group, without their tags.
func (s *Service) groupUsers(ctx context.Context, tx store.Tx, groupID string) ([]User, error) {
	recs, err := tx.List(ctx, store.Query{Kind: kindMember, Name: groupID})
	if err != nil {
		return nil, err
	}
	users := []User{}
	for _, r := range recs {
		u, ok, err := byID[User](ctx, tx, kindUser, r.Parent)
		if err != nil {
			return nil, err
		}
		if ok {
			u.Tags, u.PermissionsBoundary = nil, nil
			users = append(users, u)
		}
	}
	return users, nil
}

// UpdateGroupInput is the input of UpdateGroup.
type UpdateGroupInput struct {
	GroupName    string `query:",required"`
	NewPath      string
	NewGroupName string
}

// UpdateGroupOutput is the output of UpdateGroup.
type UpdateGroupOutput struct{}

// UpdateGroup renames a group or changes its path.
func (s *Service) UpdateGroup(ctx context.Context, caller *principal.Caller, in UpdateGroupInput) (UpdateGroupOutput, error) {
	if err := firstErr(cGroupName.check("groupName", in.GroupName), cGroupName.optional("newGroupName", in.NewGroupName), cPath.optional("newPath", in.NewPath)); err != nil {
		return UpdateGroupOutput{}, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		acct := caller.Account
		g, err := s.group(ctx, tx, acct, in.GroupName)
		if err != nil {
			return err
		}
		if in.NewGroupName != "" && !strings.EqualFold(in.NewGroupName, g.GroupName) {
			if _, ok, err := get[Group](ctx, tx, kindGroup, nameKey(acct, in.NewGroupName)); err != nil || ok {
				return firstErr(err, errExists("Group", in.NewGroupName))
			}
		}
		if err := tx.Delete(ctx, kindGroup, nameKey(acct, g.GroupName)); err != nil {
			return err
		}
		if in.NewGroupName != "" {
			g.GroupName = in.NewGroupName
		}
		if in.NewPath != "" {
			g.Path = in.NewPath
		}
		g.Arn = groupARN(acct, g.Path, g.GroupName)
		return firstErr(putGroup(ctx, tx, acct, &g), changed(ctx, tx))
	})
	return UpdateGroupOutput{}, err
}

// DeleteGroupInput is the input of DeleteGroup.
type DeleteGroupInput struct {
	GroupName string `query:",required"`
}

// DeleteGroupOutput is the output of DeleteGroup.
type DeleteGroupOutput struct{}

// DeleteGroup deletes a group without users or policies: IAM answers
// DeleteConflict otherwise.
func (s *Service) DeleteGroup(ctx context.Context, caller *principal.Caller, in DeleteGroupInput) (DeleteGroupOutput, error) {
	if err := cGroupName.check("groupName", in.GroupName); err != nil {
		return DeleteGroupOutput{}, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		g, err := s.group(ctx, tx, caller.Account, in.GroupName)
		if err != nil {
			return err
		}
		for _, c := range []struct {
			q    store.Query
			what string
		}{
			{store.Query{Kind: kindMember, Name: g.GroupId, Limit: 1}, "remove users from group"},
			{store.Query{Kind: kindInline, Parent: g.GroupId, Limit: 1}, "delete policies"},
			{store.Query{Kind: kindAttach, Parent: g.GroupId, Limit: 1}, "detach all policies"},
		} {
			recs, err := tx.List(ctx, c.q)
			if err != nil {
				return err
			}
			if len(recs) > 0 {
				return errDeleteConflict(c.what)
			}
		}
		return firstErr(tx.Delete(ctx, kindGroup, nameKey(caller.Account, g.GroupName)), changed(ctx, tx))
	})
	return DeleteGroupOutput{}, err
}

// ListGroupsInput is the input of ListGroups.
type ListGroupsInput struct {
	PathPrefix string
	Page
}

// ListGroupsOutput is the output of ListGroups.
type ListGroupsOutput struct {
	Groups []Group
	PageOut
}

// ListGroups lists the account's groups whose path starts with
// PathPrefix, by name.
func (s *Service) ListGroups(ctx context.Context, caller *principal.Caller, in ListGroupsInput) (ListGroupsOutput, error) {
	if err := cPathPrefix.optional("pathPrefix", in.PathPrefix); err != nil {
		return ListGroupsOutput{}, err
	}
	var out ListGroupsOutput
	err := s.view(ctx, func(tx store.Tx) error {
		groups, err := store.List[Group](ctx, tx, store.Query{Kind: kindGroup, Parent: caller.Account})
		if err != nil {
			return err
		}
		groups = filterPath(groups, in.PathPrefix, func(g Group) string { return g.Path })
		out.Groups, out.PageOut, err = page(groups, func(g Group) string { return strings.ToLower(g.GroupName) }, in.Page)
		return err
	})
	return out, err
}

// AddUserToGroupInput is the input of AddUserToGroup.
type AddUserToGroupInput struct {
	GroupName string `query:",required"`
	UserName  string `query:",required"`
}

// AddUserToGroupOutput is the output of AddUserToGroup.
type AddUserToGroupOutput struct{}

// maxGroupsPerUser is IAM's quota on the groups of a user.
const maxGroupsPerUser = 10

// AddUserToGroup adds a user to a group; adding it again changes nothing.
func (s *Service) AddUserToGroup(ctx context.Context, caller *principal.Caller, in AddUserToGroupInput) (AddUserToGroupOutput, error) {
	if err := firstErr(cGroupName.check("groupName", in.GroupName), cUserName.check("userName", in.UserName)); err != nil {
		return AddUserToGroupOutput{}, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		g, err := s.group(ctx, tx, caller.Account, in.GroupName)
		if err != nil {
			return err
		}
		u, err := s.user(ctx, tx, caller.Account, in.UserName)
		if err != nil {
			return err
		}
		id := g.GroupId + "/" + u.UserId
		if _, err := tx.Get(ctx, kindMember, id); err == nil {
			return nil
		}
		recs, err := tx.List(ctx, store.Query{Kind: kindMember, Parent: u.UserId})
		if err != nil {
			return err
		}
		if len(recs) >= maxGroupsPerUser {
			return errQuota("GroupsPerUser", maxGroupsPerUser)
		}
		if err := tx.Put(ctx, store.Record{Kind: kindMember, ID: id, Parent: u.UserId, Name: g.GroupId, Body: []byte("{}")}); err != nil {
			return err
		}
		return changed(ctx, tx)
	})
	return AddUserToGroupOutput{}, err
}

// RemoveUserFromGroupInput is the input of RemoveUserFromGroup.
type RemoveUserFromGroupInput struct {
	GroupName string `query:",required"`
	UserName  string `query:",required"`
}

// RemoveUserFromGroupOutput is the output of RemoveUserFromGroup.
type RemoveUserFromGroupOutput struct{}

// RemoveUserFromGroup removes a user from a group; NoSuchEntity when it
// is not a member.
func (s *Service) RemoveUserFromGroup(ctx context.Context, caller *principal.Caller, in RemoveUserFromGroupInput) (RemoveUserFromGroupOutput, error) {
	if err := firstErr(cGroupName.check("groupName", in.GroupName), cUserName.check("userName", in.UserName)); err != nil {
		return RemoveUserFromGroupOutput{}, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		g, err := s.group(ctx, tx, caller.Account, in.GroupName)
		if err != nil {
			return err
		}
		u, err := s.user(ctx, tx, caller.Account, in.UserName)
		if err != nil {
			return err
		}
		if err := tx.Delete(ctx, kindMember, g.GroupId+"/"+u.UserId); err != nil {
			if isNotFound(err) {
				return errNoSuchUser(in.UserName)
			}
			return err
		}
		return changed(ctx, tx)
	})
	return RemoveUserFromGroupOutput{}, err
}

// ListGroupsForUserInput is the input of ListGroupsForUser.
type ListGroupsForUserInput struct {
	UserName string `query:",required"`
	Page
}

// ListGroupsForUserOutput is the output of ListGroupsForUser.
type ListGroupsForUserOutput struct {
	Groups []Group
	PageOut
}

// ListGroupsForUser lists the groups a user is in, by name.
func (s *Service) ListGroupsForUser(ctx context.Context, caller *principal.Caller, in ListGroupsForUserInput) (ListGroupsForUserOutput, error) {
	if err := cUserName.check("userName", in.UserName); err != nil {
		return ListGroupsForUserOutput{}, err
	}
	var out ListGroupsForUserOutput
	err := s.view(ctx, func(tx store.Tx) error {
		u, err := s.user(ctx, tx, caller.Account, in.UserName)
		if err != nil {
			return err
		}
		groups, err := s.userGroups(ctx, tx, u.UserId)
		if err != nil {
			return err
		}
		out.Groups, out.PageOut, err = page(groups, func(g Group) string { return strings.ToLower(g.GroupName) }, in.Page)
		return err
	})
	return out, err
}

// userGroups returns the groups of a user.
func (s *Service) userGroups(ctx context.Context, tx store.Tx, userID string) ([]Group, error) {
	recs, err := tx.List(ctx, store.Query{Kind: kindMember, Parent: userID})
	if err != nil {
		return nil, err
	}
	groups := []Group{}
	for _, r := range recs {
		g, ok, err := byID[Group](ctx, tx, kindGroup, r.Name)
		if err != nil {
			return nil, err
		}
		if ok {
			groups = append(groups, g)
		}
	}
	return groups, nil
}
