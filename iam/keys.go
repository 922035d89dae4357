package iam

import (
	"context"
	"errors"

	"gatehouse/credentials"
	"gatehouse/principal"
	"gatehouse/store"
)

// maxAccessKeys is IAM's quota on the access keys of a user.
const maxAccessKeys = 2

// userCaller is the principal an access key of u authenticates.
func userCaller(account string, u *User) principal.Caller {
	c := principal.Caller{Type: principal.IAMUser, Account: account, ARN: u.Arn, PrincipalARN: u.Arn, UserID: u.UserId, Name: u.UserName}
	if len(u.Tags) > 0 {
		c.Tags = map[string]string{}
		for _, t := range u.Tags {
			c.Tags[t.Key] = t.Value
		}
	}
	return c
}

// refreshKeys re-points the access keys of u after its name, path or
// tags changed.
func (s *Service) refreshKeys(ctx context.Context, tx store.Tx, account string, u *User) error {
	keys, err := s.Keys.List(ctx, tx, u.UserId)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := s.Keys.SetCaller(ctx, tx, k.AccessKeyID, userCaller(account, u)); err != nil {
			return err
		}
	}
	return nil
}

// targetUser returns the user an access key or login profile operation is
// about: UserName, or the calling user when it is empty.
func (s *Service) targetUser(ctx context.Context, tx store.Tx, caller *principal.Caller, name string) (User, error) {
	if name == "" {
		if caller.Type != principal.IAMUser {
			return User{}, errInvalid("Must specify userName when calling with non-User credentials")
		}
		name = caller.Name
	}
	if err := cUserName.check("userName", name); err != nil {
		return User{}, err
	}
	return s.user(ctx, tx, caller.Account, name)
}

// CreateAccessKeyInput is the input of CreateAccessKey.
type CreateAccessKeyInput struct{ UserName string }

// CreateAccessKeyOutput is the output of CreateAccessKey.
type CreateAccessKeyOutput struct{ AccessKey AccessKey }

// CreateAccessKey creates an access key for a user (the calling user
// without UserName), at most two per user. The secret is in this answer
// only; Gatehouse keeps it encrypted.
func (s *Service) CreateAccessKey(ctx context.Context, caller *principal.Caller, in CreateAccessKeyInput) (CreateAccessKeyOutput, error) {
	var out CreateAccessKeyOutput
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := s.targetUser(ctx, tx, caller, in.UserName)
		if err != nil {
			return err
		}
		keys, err := s.Keys.List(ctx, tx, u.UserId)
		if err != nil {
			return err
		}
		if len(keys) >= maxAccessKeys {
			return errQuota("AccessKeysPerUser", maxAccessKeys)
		}
		id, secret := credentials.NewAccessKeyID("AKIA"), credentials.NewSecret()
		if err := s.Keys.Put(ctx, tx, id, secret, userCaller(caller.Account, &u)); err != nil {
			return err
		}
		k, err := s.Keys.Get(ctx, tx, id)
		if err != nil {
			return err
		}
		out.AccessKey = AccessKey{UserName: u.UserName, AccessKeyId: id, Status: k.Status, SecretAccessKey: secret, CreateDate: k.Created.Truncate(1e9)}
		return nil
	})
	return out, err
}

// userKey finds an access key of the user.
func (s *Service) userKey(ctx context.Context, tx store.Tx, u User, id string) (credentials.Key, error) {
	if err := cAccessKeyID.check("accessKeyId", id); err != nil {
		return credentials.Key{}, err
	}
	k, err := s.Keys.Get(ctx, tx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && k.Caller.UserID != u.UserId) {
		return k, errNoSuchAccessKey(id)
	}
	return k, err
}

// UpdateAccessKeyInput is the input of UpdateAccessKey.
type UpdateAccessKeyInput struct {
	UserName    string
	AccessKeyId string `query:",required"`
	Status      string `query:",required"`
}

// UpdateAccessKeyOutput is the output of UpdateAccessKey.
type UpdateAccessKeyOutput struct{}

// UpdateAccessKey makes a key Active or Inactive; an inactive key
// authenticates nothing.
func (s *Service) UpdateAccessKey(ctx context.Context, caller *principal.Caller, in UpdateAccessKeyInput) (UpdateAccessKeyOutput, error) {
	if in.Status != "Active" && in.Status != "Inactive" {
		return UpdateAccessKeyOutput{}, validation(quote(in.Status), "status", "Member must satisfy enum value set: [Active, Inactive]")
	}
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := s.targetUser(ctx, tx, caller, in.UserName)
		if err != nil {
			return err
		}
		if _, err := s.userKey(ctx, tx, u, in.AccessKeyId); err != nil {
			return err
		}
		return s.Keys.SetStatus(ctx, tx, in.AccessKeyId, in.Status)
	})
	return UpdateAccessKeyOutput{}, err
}

// DeleteAccessKeyInput is the input of DeleteAccessKey.
type DeleteAccessKeyInput struct {
	UserName    string
	AccessKeyId string `query:",required"`
}

// DeleteAccessKeyOutput is the output of DeleteAccessKey.
type DeleteAccessKeyOutput struct{}

// DeleteAccessKey deletes an access key of a user.
func (s *Service) DeleteAccessKey(ctx context.Context, caller *principal.Caller, in DeleteAccessKeyInput) (DeleteAccessKeyOutput, error) {
	err := s.update(ctx, func(tx store.Tx) error {
		u, err := s.targetUser(ctx, tx, caller, in.UserName)
		if err != nil {
			return err
		}
		if _, err := s.userKey(ctx, tx, u, in.AccessKeyId); err != nil {
			return err
		}
		return s.Keys.Delete(ctx, tx, in.AccessKeyId)
	})
	return DeleteAccessKeyOutput{}, err
}

// ListAccessKeysInput is the input of ListAccessKeys.
type ListAccessKeysInput struct {
	UserName string
	Page
}

// ListAccessKeysOutput is the output of ListAccessKeys.
type ListAccessKeysOutput struct {
	AccessKeyMetadata []AccessKeyMetadata
	PageOut
}

// ListAccessKeys lists a user's access keys, without their secrets.
func (s *Service) ListAccessKeys(ctx context.Context, caller *principal.Caller, in ListAccessKeysInput) (ListAccessKeysOutput, error) {
	var out ListAccessKeysOutput
	err := s.view(ctx, func(tx store.Tx) error {
		u, err := s.targetUser(ctx, tx, caller, in.UserName)
		if err != nil {
			return err
		}
		keys, err := s.Keys.List(ctx, tx, u.UserId)
		if err != nil {
			return err
		}
		meta := []AccessKeyMetadata{}
		for _, k := range keys {
			meta = append(meta, AccessKeyMetadata{UserName: u.UserName, AccessKeyId: k.AccessKeyID, Status: k.Status, CreateDate: k.Created.Truncate(1e9)})
		}
		out.AccessKeyMetadata, out.PageOut, err = page(meta, func(m AccessKeyMetadata) string { return m.AccessKeyId }, in.Page)
		return err
	})
	return out, err
}

// GetAccessKeyLastUsedInput is the input of GetAccessKeyLastUsed.
type GetAccessKeyLastUsedInput struct {
	AccessKeyId string `query:",required"`
}

// GetAccessKeyLastUsedOutput is the output of GetAccessKeyLastUsed.
type GetAccessKeyLastUsedOutput struct {
	UserName          string
	AccessKeyLastUsed AccessKeyLastUsed
}

// GetAccessKeyLastUsed reports when a key of the account was last used.
// Gatehouse does not record use (that would be a write on every
// request), so it answers as IAM does for a key never used: no date, and
// N/A for service and region.
func (s *Service) GetAccessKeyLastUsed(ctx context.Context, caller *principal.Caller, in GetAccessKeyLastUsedInput) (GetAccessKeyLastUsedOutput, error) {
	if err := cAccessKeyID.check("accessKeyId", in.AccessKeyId); err != nil {
		return GetAccessKeyLastUsedOutput{}, err
	}
	var out GetAccessKeyLastUsedOutput
	err := s.view(ctx, func(tx store.Tx) error {
		k, err := s.Keys.Get(ctx, tx, in.AccessKeyId)
		if errors.Is(err, store.ErrNotFound) || (err == nil && k.Caller.Account != caller.Account) {
			return errNoSuchAccessKey(in.AccessKeyId)
		}
		if err != nil {
			return err
		}
		out = GetAccessKeyLastUsedOutput{UserName: k.Caller.Name, AccessKeyLastUsed: AccessKeyLastUsed{ServiceName: "N/A", Region: "N/A"}}
		return nil
	})
	return out, err
}
