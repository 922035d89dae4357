package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gatehouse/store"
)

// Record kinds besides the entities' (one kind per entity type, see
// entityType.kind).
const (
	// kindIndex maps an entity id to its type, for the operations that
	// name an entity by id alone.
	kindIndex = "catalog.entity-index"
	// kindChangeSet holds change sets; Parent is the owner account.
	kindChangeSet = "catalog.changeset"
	// kindToken maps an account's ClientRequestToken to its change set.
	kindToken = "catalog.token"
	// kindLock marks an entity locked by a change set in progress.
	kindLock = "catalog.lock"
	// kindMember associates a principal (account, OU or root id) with a
	// Private Marketplace experience; Parent is the experience id.
	kindMember = "catalog.audience-member"
)

// entityRec is a stored entity.
type entityRec struct {
	Id      string
	Type    string // entity type without version
	Owner   string // the account that created it
	OrgId   string // Private Marketplace entities: the owner's organization
	Created time.Time
	// Modified is LastModifiedDate; Revision counts the change sets that
	// changed the entity (EntityIdentifier is Id@Revision).
	Modified time.Time
	Revision int
	// Visibility is a product's (Draft, Limited, Public, Restricted) or an
	// offer's state (Draft, Released); empty for other types.
	Visibility string
	// Title, descriptions, categories and keywords of products (and the
	// names of other entities), kept for search.
	Title            string `json:",omitempty"`
	ShortDescription string `json:",omitempty"`
	LongDescription  string `json:",omitempty"`
	Categories       []string
	Keywords         []string
	// Parent is the product of an offer, the experience of a procurement
	// policy, branding settings or audience.
	Parent string `json:",omitempty"`
	// Details is the entity's DetailsDocument.
	Details json.RawMessage
	Tags    []Tag
	Policy  string `json:",omitempty"`
}

// typ returns the entity's type.
func (e *entityRec) typ() *entityType { return entityTypes[e.Type] }

// record returns the store record of the entity (without body).
func (e *entityRec) record() store.Record {
	return store.Record{Kind: e.typ().kind(), ID: e.Id, Parent: e.Owner, Name: e.Parent}
}

// indexRec is the body of an index record.
type indexRec struct{ Type string }

// changeRec is one change of a stored change set.
type changeRec struct {
	ChangeType string
	EntityType string // as requested, with version
	Identifier string // as requested; resolved once applied
	ChangeName string `json:",omitempty"`
	Details    json.RawMessage
	// Document is set when the request gave DetailsDocument rather than
	// Details.
	Document   bool `json:",omitempty"`
	EntityTags []Tag
	Errors     []ErrorDetail
}

// changeSetRec is a stored change set.
type changeSetRec struct {
	Id    string
	Owner string
	// Caller is the ARN of the principal that started the change set, the
	// requester of the procurement requests it creates.
	Caller  string `json:",omitempty"`
	Name    string
	Intent  string
	Status  string
	Start   time.Time
	End     time.Time
	Due     time.Time // when a PREPARING change set is applied
	Failure string    `json:",omitempty"` // FailureCode
	Reason  string    `json:",omitempty"` // FailureDescription
	Changes []changeRec
	// Entities are the ids of the entities the change set touched.
	Entities []string
	Tags     []Tag
	Policy   string `json:",omitempty"`
}

// tokenRec is the body of a ClientRequestToken record.
type tokenRec struct {
	ChangeSetId string
	Hash        string
}

// lockRec is the body of a lock record.
type lockRec struct{ ChangeSetId string }

// memberRec is the body of an audience member record.
type memberRec struct {
	Principal  string
	Experience string
	Audience   string
}

// Change set states.
const (
	StatusPreparing = "PREPARING"
	StatusApplying  = "APPLYING"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusCancelled = "CANCELLED"
)

// Failure codes of failed change sets.
const (
	FailureClientError = "CLIENT_ERROR"
	FailureServerFault = "SERVER_FAULT"
)

// get reads a record; ok is false when it does not exist.
func get[T any](ctx context.Context, tx store.Tx, kind, id string) (T, bool, error) {
	v, err := store.Get[T](ctx, tx, kind, id)
	if errors.Is(err, store.ErrNotFound) {
		return v, false, nil
	}
	return v, err == nil, err
}

// loadEntity reads an entity by id; ok is false when there is none.
func loadEntity(ctx context.Context, tx store.Tx, id string) (*entityRec, bool, error) {
	idx, ok, err := get[indexRec](ctx, tx, kindIndex, id)
	if err != nil || !ok {
		return nil, false, err
	}
	t, known := entityTypes[idx.Type]
	if !known {
		return nil, false, nil
	}
	e, ok, err := get[entityRec](ctx, tx, t.kind(), id)
	if err != nil || !ok {
		return nil, false, err
	}
	return &e, true, nil
}

// putEntity stores an entity and its index record, and updates the
// search index (see discovery_index.go).
func putEntity(ctx context.Context, tx store.Tx, e *entityRec) error {
	if err := store.Put(ctx, tx, e.record(), e); err != nil {
		return err
	}
	if err := store.Put(ctx, tx, store.Record{Kind: kindIndex, ID: e.Id}, &indexRec{Type: e.Type}); err != nil {
		return err
	}
	return indexEntity(ctx, tx, e)
}

func putChangeSet(ctx context.Context, tx store.Tx, c *changeSetRec) error {
	return store.Put(ctx, tx, store.Record{Kind: kindChangeSet, ID: c.Id, Parent: c.Owner, Name: c.Status}, c)
}
