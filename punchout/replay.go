package punchout

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"gatehouse/store"
)

// kindReply holds the answers to OrderRequests by payloadID; ID is the
// hash of the preference ARN and the payloadID, Parent the preference's
// account.
const kindReply = "punchout-reply"

// replyRec is the stored answer to a request.
type replyRec struct {
	Response []byte
}

// replayID is the id of the answer to the payloadID a preference sent. A
// payloadID is unique only per sender, so the preference is part of it.
func replayID(arn, payloadID string) string {
	sum := sha256.Sum256([]byte(arn + "\x00" + payloadID))
	return hex.EncodeToString(sum[:])
}

// loadReply returns the stored answer with the id; ok is false when there
// is none.
func loadReply(ctx context.Context, tx store.Tx, id string) (body []byte, ok bool, err error) {
	rec, err := store.Get[replyRec](ctx, tx, kindReply, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("punchout: stored reply: %w", err)
	}
	return rec.Response, true, nil
}

// saveReply stores the answer to a request, in the transaction of its
// effects.
func saveReply(ctx context.Context, tx store.Tx, id, account string, body []byte) error {
	return store.Put(ctx, tx, store.Record{Kind: kindReply, ID: id, Parent: account}, &replyRec{Response: body})
}
