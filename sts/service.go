// Package sts is the AWS Security Token Service: GetCallerIdentity,
// AssumeRole, GetSessionToken and GetAccessKeyInfo. It issues temporary
// credentials whose session token is self-contained (see Tokens), so that
// requests signed with them are authenticated without the database.
//
// Authorization is not the service's: the server asks the policy engine
// first (for AssumeRole, with the role's trust policy, which Trust
// supplies). The service checks its inputs against AWS's limits and
// issues the credentials.
package sts

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"gatehouse/arn"
	"gatehouse/principal"
	"gatehouse/store"
)

// Role is what STS needs of an IAM role.
type Role struct {
	ARN, ID, Name, Account string // ID is the AROA... unique id
	Trust                  string // the trust policy JSON
	MaxSessionDuration     int32  // seconds, 3600..43200
	// Tags are the role's tags, which its sessions carry as principal
	// tags (aws:PrincipalTag/KEY) under the session tags.
	Tags map[string]string
}

// ErrNoSuchRole is returned by Roles for a role that does not exist.
var ErrNoSuchRole = errors.New("sts: no such role")

// ErrNoSuchPolicy is returned by ManagedPolicies for a policy that does
// not exist.
var ErrNoSuchPolicy = errors.New("sts: no such managed policy")

// Roles finds roles by ARN; ErrNoSuchRole when there is none.
type Roles interface {
	Role(ctx context.Context, tx store.Tx, arn string) (Role, error)
}

// ManagedPolicies resolves managed policy ARNs (PolicyArns session
// policies) to their default version's document; ErrNoSuchPolicy when
// there is none.
type ManagedPolicies interface {
	PolicyDocument(ctx context.Context, tx store.Tx, arn string) (string, error)
}

// Service is the AWS Security Token Service. Set its fields before first
// use; it is then safe for concurrent use.
type Service struct {
	// Store holds the access keys GetAccessKeyInfo looks up.
	Store store.Store
	// Tokens seals and opens session tokens.
	Tokens *Tokens
	// Roles finds the roles AssumeRole assumes; nil means there are none.
	Roles Roles
	// Policies resolves PolicyArns; nil means there are none.
	Policies ManagedPolicies
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	once  sync.Once
	roles *store.Cache[string, Role]
}

// New returns a Service over st issuing tokens with tokens.
func New(st store.Store, tokens *Tokens, roles Roles, policies ManagedPolicies) *Service {
	return &Service{Store: st, Tokens: tokens, Roles: roles, Policies: policies, Now: time.Now}
}

// now returns the current time in UTC, to the second, as STS reports
// expirations.
func (s *Service) now() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return now().UTC().Truncate(time.Second)
}

// Authenticate returns the secret access key and the caller of temporary
// credentials presented with their session token at time now; see
// Tokens.Open for its errors.
func (s *Service) Authenticate(accessKeyID, token string, now time.Time) (string, principal.Caller, error) {
	return s.Tokens.Open(accessKeyID, token, now)
}

// IsTemporaryKey reports whether an access key id is one of temporary
// credentials (ASIA...).
func IsTemporaryKey(accessKeyID string) bool { return strings.HasPrefix(accessKeyID, "ASIA") }

// role finds a role in tx; ErrNoSuchRole when there is none.
func (s *Service) role(ctx context.Context, roleARN string) (Role, error) {
	if s.Roles == nil {
		return Role{}, ErrNoSuchRole
	}
	read := func() (r Role, err error) {
		err = store.View(ctx, s.Store, func(tx store.Tx) error {
			r, err = s.Roles.Role(ctx, tx, roleARN)
			return err
		})
		return r, err
	}
	if store.InTx(ctx) {
		return read() // the transaction's view, not the cache's
	}
	cache := s.roleCache()
	r, ok, epoch := cache.Get(roleARN)
	if ok {
		return r, nil
	}
	r, err := read()
	if err != nil {
		return Role{}, err
	}
	cache.Add(epoch, roleARN, r)
	return r, nil
}

// maxCachedRoles bounds the role cache; past it, the cache starts over.
const maxCachedRoles = 10000

// roleCache returns the cache of roles by ARN. Every change to a role
// bumps the store generation, which empties it, so AssumeRole reads a
// warm role from memory, in its authorization and its run alike.
func (s *Service) roleCache() *store.Cache[string, Role] {
	s.once.Do(func() { s.roles = store.NewCache[string, Role](s.Store, maxCachedRoles) })
	return s.roles
}

// Trust returns what authorizing AssumeRole on roleARN needs: the role's
// trust policy and account. found is false for a role that does not exist
// (or an ARN that names no role): the request must then be denied as a
// trust policy that does not allow the caller is, which AWS does so as
// not to tell which roles exist. account is then the ARN's account, if it
// names one.
func (s *Service) Trust(ctx context.Context, roleARN string) (trust, account string, found bool, err error) {
	account = arn.AccountOf(roleARN)
	if _, ok := parseRoleARN(roleARN); !ok {
		return "", account, false, nil
	}
	r, err := s.role(ctx, roleARN)
	if errors.Is(err, ErrNoSuchRole) {
		return "", account, false, nil
	}
	if err != nil {
		return "", "", false, err
	}
	return r.Trust, r.Account, true, nil
}
