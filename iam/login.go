package iam

import (
	"context"

	"golang.org/x/crypto/bcrypt"

	"gatehouse/awserr"
	"gatehouse/principal"
	"gatehouse/store"
)

// bcryptCost is the work factor of stored password hashes.
const bcryptCost = 12

// hashPassword checks a password against the model's constraint and
// returns its bcrypt hash; the password itself is never stored.
func hashPassword(password string) ([]byte, error) {
	if err := cPassword.check("password", password); err != nil {
		return nil, awserr.ErrValidationError.New("1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy the password constraints") // never echo a password
	}
	if len(password) > 72 {
		return nil, awserr.ErrPasswordPolicyViolation.New("Password should have at most 72 characters.")
	}
	return bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
}

// CreateLoginProfileInput is the input of CreateLoginProfile.
type CreateLoginProfileInput struct {
	UserName              string
	Password              string `query:",required" json:"-"`
	PasswordResetRequired bool
}

// CreateLoginProfileOutput is the output of CreateLoginProfile.
type CreateLoginProfileOutput struct{ LoginProfile LoginProfile }

// CreateLoginProfile gives a user a console password.
func (s *Service) CreateLoginProfile(ctx context.Context, caller *principal.Caller, in CreateLoginProfileInput) (CreateLoginProfileOutput, error) {
	hash, err := hashPassword(in.Password)
	if err != nil {
		return CreateLoginProfileOutput{}, err
	}
	var out CreateLoginProfileOutput
	err = s.update(ctx, func(tx store.Tx) error {
		u, err := s.targetUser(ctx, tx, caller, in.UserName)
		if err != nil {
			return err
		}
		if _, ok, err := get[loginRec](ctx, tx, kindLogin, u.UserId); err != nil || ok {
			return firstErr(err, errLoginProfileExists(u.UserName))
		}
		rec := loginRec{UserName: u.UserName, UserId: u.UserId, CreateDate: s.now(), PasswordHash: hash, PasswordResetRequired: in.PasswordResetRequired}
		out.LoginProfile = LoginProfile{UserName: u.UserName, CreateDate: rec.CreateDate, PasswordResetRequired: rec.PasswordResetRequired}
		return store.Put(ctx, tx, store.Record{Kind: kindLogin, ID: u.UserId}, &rec)
	})
	return out, err
}

// GetLoginProfileInput is the input of GetLoginProfile.
type GetLoginProfileInput struct{ UserName string }

// GetLoginProfileOutput is the output of GetLoginProfile.
type GetLoginProfileOutput struct{ LoginProfile LoginProfile }

// GetLoginProfile returns a user's login profile, without the password.
func (s *Service) GetLoginProfile(ctx context.Context, caller *principal.Caller, in GetLoginProfileInput) (GetLoginProfileOutput, error) {
	var out GetLoginProfileOutput
	err := s.view(ctx, func(tx store.Tx) error {
		u, rec, err := s.loginProfile(ctx, tx, caller, in.UserName)
		out.LoginProfile = LoginProfile{UserName: u.UserName, CreateDate: rec.CreateDate, PasswordResetRequired: rec.PasswordResetRequired}
		return err
	})
	return out, err
}

func (s *Service) loginProfile(ctx context.Context, tx store.Tx, caller *principal.Caller, name string) (User, loginRec, error) {
	u, err := s.targetUser(ctx, tx, caller, name)
	if err != nil {
		return u, loginRec{}, err
	}
	rec, ok, err := get[loginRec](ctx, tx, kindLogin, u.UserId)
	if err == nil && !ok {
		err = errNoSuchLoginProfile(u.UserName)
	}
	return u, rec, err
}

// UpdateLoginProfileInput is the input of UpdateLoginProfile.
type UpdateLoginProfileInput struct {
	UserName              string
	Password              *string `json:"-"`
	PasswordResetRequired *bool
}

// UpdateLoginProfileOutput is the output of UpdateLoginProfile.
type UpdateLoginProfileOutput struct{}

// UpdateLoginProfile changes a user's password or whether it must be
// reset.
func (s *Service) UpdateLoginProfile(ctx context.Context, caller *principal.Caller, in UpdateLoginProfileInput) (UpdateLoginProfileOutput, error) {
	var hash []byte
	if in.Password != nil {
		var err error
		if hash, err = hashPassword(*in.Password); err != nil {
			return UpdateLoginProfileOutput{}, err
		}
	}
	err := s.update(ctx, func(tx store.Tx) error {
		u, rec, err := s.loginProfile(ctx, tx, caller, in.UserName)
		if err != nil {
			return err
		}
		if hash != nil {
			rec.PasswordHash = hash
		}
		if in.PasswordResetRequired != nil {
			rec.PasswordResetRequired = *in.PasswordResetRequired
		}
		return store.Put(ctx, tx, store.Record{Kind: kindLogin, ID: u.UserId}, &rec)
	})
	return UpdateLoginProfileOutput{}, err
}

// DeleteLoginProfileInput is the input of DeleteLoginProfile.
type DeleteLoginProfileInput struct{ UserName string }

// DeleteLoginProfileOutput is the output of DeleteLoginProfile.
type DeleteLoginProfileOutput struct{}

// DeleteLoginProfile removes a user's console password.
func (s *Service) DeleteLoginProfile(ctx context.Context, caller *principal.Caller, in DeleteLoginProfileInput) (DeleteLoginProfileOutput, error) {
	err := s.update(ctx, func(tx store.Tx) error {
		u, _, err := s.loginProfile(ctx, tx, caller, in.UserName)
		if err != nil {
			return err
		}
		return tx.Delete(ctx, kindLogin, u.UserId)
	})
	return DeleteLoginProfileOutput{}, err
}

// CheckPassword reports whether password is the console password of the
// user name in account, comparing bcrypt hashes in constant time. It is
// false for a user without a login profile.
func (s *Service) CheckPassword(ctx context.Context, account, name, password string) (bool, error) {
	var ok bool
	err := s.view(ctx, func(tx store.Tx) error {
		u, found, err := get[User](ctx, tx, kindUser, nameKey(account, name))
		if err != nil || !found {
			return err
		}
		rec, found, err := get[loginRec](ctx, tx, kindLogin, u.UserId)
		if err != nil || !found {
			return err
		}
		ok = bcrypt.CompareHashAndPassword(rec.PasswordHash, []byte(password)) == nil
		return nil
	})
	return ok, err
}
