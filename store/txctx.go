package store

import (
	"context"
	"errors"
)

type txKey struct{}

type ambient struct {
	tx       Tx
	readOnly bool
}

// WithTx returns a context that carries tx, so that services called with
// it join the caller's transaction instead of starting their own. The
// server uses it to commit an operation and its audit event together.
func WithTx(ctx context.Context, tx Tx, readOnly bool) context.Context {
	return context.WithValue(ctx, txKey{}, ambient{tx: tx, readOnly: readOnly})
}

// Update runs fn in the read-write transaction carried by ctx, or in a
// new one of s when ctx carries none (or only a read-only one: a write
// must never be attempted inside a read transaction).
func Update(ctx context.Context, s Store, fn func(Tx) error) error {
	if a, ok := ctx.Value(txKey{}).(ambient); ok && !a.readOnly {
		return fn(a.tx)
	}
	var kept error
	err := s.Update(ctx, func(tx Tx) error {
		err := fn(tx)
		if k, ok := Kept(err); ok {
			kept = k
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return kept
}

// keptError is an error whose transaction commits all the same.
type keptError struct{ err error }

func (e *keptError) Error() string { return e.err.Error() }
func (e *keptError) Unwrap() error { return e.err }

// Keep wraps err so that the transaction fn returns it from commits its
// writes: Update commits, then returns err unwrapped. A runner of an
// ambient transaction (see WithTx) checks Kept likewise. It serves
// answers that are errors to the caller but record state, such as a
// purchase held for approval.
func Keep(err error) error { return &keptError{err: err} }

// Kept reports whether err was made by Keep, and returns the error it
// wraps.
func Kept(err error) (error, bool) {
	var k *keptError
	if errors.As(err, &k) {
		return k.err, true
	}
	return nil, false
}

// View runs fn in the transaction carried by ctx, or in a new read-only
// one of s.
func View(ctx context.Context, s Store, fn func(Tx) error) error {
	if a, ok := ctx.Value(txKey{}).(ambient); ok {
		return fn(a.tx)
	}
	return s.View(ctx, fn)
}

// InTx reports whether ctx carries a transaction (see WithTx).
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(ambient)
	return ok
}
