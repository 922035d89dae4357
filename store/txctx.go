package store

import "context"

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
	return s.Update(ctx, fn)
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
