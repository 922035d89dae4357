package sts

import (
	"context"
	"errors"

	"gatehouse/credentials"
	"gatehouse/principal"
	"gatehouse/store"
)

// GetCallerIdentityInput is GetCallerIdentity's request; it has no
// members.
type GetCallerIdentityInput struct{}

// GetCallerIdentityOutput is GetCallerIdentity's response.
type GetCallerIdentityOutput struct {
	// UserId is the caller's unique id: AIDA... for an IAM user,
	// AROA...:SESSION for a role session, the account for the root user.
	UserId string
	// Account is the caller's account.
	Account string
	// Arn is the caller's ARN; for a role session, the
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION ARN.
	Arn string
}

// GetCallerIdentity returns who the caller is. It needs no permission:
// "No permissions are required to perform this operation. If an
// administrator attaches a policy to your identity that explicitly denies
// access to the sts:GetCallerIdentity action, you can still perform this
// operation" (STS API reference, GetCallerIdentity).
func (s *Service) GetCallerIdentity(_ context.Context, c *principal.Caller, _ GetCallerIdentityInput) (GetCallerIdentityOutput, error) {
	return GetCallerIdentityOutput{UserId: c.UserID, Account: c.Account, Arn: c.ARN}, nil
}

// GetAccessKeyInfoInput is GetAccessKeyInfo's request.
type GetAccessKeyInfoInput struct {
	AccessKeyId *string
}

// Validate checks the request against the model's constraints.
func (in GetAccessKeyInfoInput) Validate() error {
	var v violations
	v.required("accessKeyId", in.AccessKeyId, 16, 128, patAccessKeyID)
	return v.err()
}

// GetAccessKeyInfoOutput is GetAccessKeyInfo's response.
type GetAccessKeyInfoOutput struct {
	Account string
}

// GetAccessKeyInfo returns the account of an access key: for a long-term
// key (AKIA...) the account of its stored record, whatever its status;
// for temporary credentials (ASIA...) the account the key id encodes. A
// key Gatehouse did not issue is a ValidationError.
func (s *Service) GetAccessKeyInfo(ctx context.Context, _ *principal.Caller, in GetAccessKeyInfoInput) (GetAccessKeyInfoOutput, error) {
	if err := in.Validate(); err != nil {
		return GetAccessKeyInfoOutput{}, err
	}
	id := *in.AccessKeyId
	if IsTemporaryKey(id) {
		account, ok := temporaryKeyAccount(id)
		if !ok {
			return GetAccessKeyInfoOutput{}, errUnknownAccessKey(id)
		}
		return GetAccessKeyInfoOutput{Account: account}, nil
	}
	var key credentials.Key
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		var err error
		key, err = store.Get[credentials.Key](ctx, tx, credentials.Kind, id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return GetAccessKeyInfoOutput{}, errUnknownAccessKey(id)
	}
	if err != nil {
		return GetAccessKeyInfoOutput{}, err
	}
	return GetAccessKeyInfoOutput{Account: key.Caller.Account}, nil
}
