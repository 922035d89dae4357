package iam

import (
	"context"
	"fmt"
	"io"
	"time"

	"gatehouse/credentials"
	"gatehouse/randid"
	"gatehouse/store"
)

// Service is the IAM service. Set its fields before first use; it is
// then safe for concurrent use.
type Service struct {
	// Store holds the service's records.
	Store store.Store
	// Keys stores the access keys of IAM users.
	Keys *credentials.Keys
	// Now returns the current time; tests set it to a fixed clock.
	Now func() time.Time
	// Rand is the source of random ids; nil means crypto/rand.
	Rand io.Reader
}

// New returns a Service over st whose access keys live in keys.
func New(st store.Store, keys *credentials.Keys) *Service {
	return &Service{Store: st, Keys: keys, Now: time.Now}
}

// now returns the current time in UTC, to the second as IAM reports it.
func (s *Service) now() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return now().UTC().Truncate(time.Second)
}

// update runs fn in the caller's read-write transaction (see
// store.WithTx) or a new one.
func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	return store.Update(ctx, s.Store, fn)
}

// view runs fn in the caller's transaction or a new read-only one.
func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return store.View(ctx, s.Store, fn)
}

// changed records in tx that something authorization reads changed.
func changed(ctx context.Context, tx store.Tx) error { return tx.BumpGeneration(ctx) }

// The prefixes of IAM unique ids.
const (
	prefixUser   = "AIDA"
	prefixGroup  = "AGPA"
	prefixRole   = "AROA"
	prefixPolicy = "ANPA"
)

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// newID returns a unique id: the prefix and 17 random characters, as IAM
// makes them (AIDA..., 21 characters), drawn uniformly from s.Rand.
func (s *Service) newID(prefix string) (string, error) {
	id, err := randid.String(s.Rand, idAlphabet, 17)
	if err != nil {
		return "", fmt.Errorf("iam: random id: %w", err)
	}
	return prefix + id, nil
}
