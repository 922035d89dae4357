package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"gatehouse/principal"
	"gatehouse/randid"
	"gatehouse/store"
)

// handler applies one change type to entities of one type.
type handler struct {
	// creates is set when the change creates its entity.
	creates bool
	// actions are further IAM actions the change needs besides
	// aws-marketplace:StartChangeSet.
	actions []string
	// apply validates the change's details and applies them to c.entity
	// (which it creates when creates is set). It returns changeErrors for
	// the caller's mistakes.
	apply func(a *applier, c *change) error
}

// StartChangeSet validates a change set and applies it (see the package
// documentation for when). Request errors are ValidationException;
// entities that do not exist or that the caller may not change,
// ResourceNotFoundException; an entity locked by another change set in
// progress, ResourceInUseException; a Private Marketplace change by an
// account that is neither the management account nor a delegated
// administrator, AccessDeniedException. Errors in a change's details fail
// the change set with CLIENT_ERROR and are reported by DescribeChangeSet.
// A ClientRequestToken used before with the same request returns that
// request's change set.
func (s *Service) StartChangeSet(ctx context.Context, caller *principal.Caller, in StartChangeSetInput) (StartChangeSetOutput, error) {
	var out StartChangeSetOutput
	if caller == nil || caller.Account == "" {
		return out, errAccessDenied("The caller is not authenticated.")
	}
	parsed, err := checkStart(&in)
	if err != nil {
		return out, err
	}
	if in.Intent == "" {
		in.Intent = IntentApply
	}
	account := caller.Account
	err = s.update(ctx, func(tx store.Tx) error {
		if err := s.settle(ctx, tx); err != nil {
			return err
		}
		hash := requestHash(&in)
		if in.ClientRequestToken != "" {
			tok, ok, err := get[tokenRec](ctx, tx, kindToken, account+"/"+in.ClientRequestToken)
			if err != nil {
				return err
			}
			if ok {
				if tok.Hash != hash {
					return errValidation("The ClientRequestToken was used with a different request.")
				}
				out = StartChangeSetOutput{ChangeSetId: tok.ChangeSetId, ChangeSetArn: s.changeSetARN(account, tok.ChangeSetId)}
				return nil
			}
		}
		cs, err := s.prepare(ctx, tx, account, &in, parsed)
		if err != nil {
			return err
		}
		cs.Caller = caller.ARN
		if s.ApplyDelay <= 0 {
			if err := s.run(ctx, tx, cs); err != nil {
				return err
			}
		} else if err := s.lock(ctx, tx, cs); err != nil {
			return err
		}
		if err := putChangeSet(ctx, tx, cs); err != nil {
			return err
		}
		if in.ClientRequestToken != "" {
			tok := tokenRec{ChangeSetId: cs.Id, Hash: hash}
			if err := store.Put(ctx, tx, store.Record{Kind: kindToken, ID: account + "/" + in.ClientRequestToken}, &tok); err != nil {
				return err
			}
		}
		out = StartChangeSetOutput{ChangeSetId: cs.Id, ChangeSetArn: s.changeSetARN(account, cs.Id)}
		return nil
	})
	return out, err
}

// requestHash identifies a request for ClientRequestToken idempotency.
func requestHash(in *StartChangeSetInput) string {
	b, _ := json.Marshal(in) // plain data always marshals
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// prepare builds the change set record after checking the entities the
// changes name: they exist, the caller may change them, and no other
// change set holds them.
func (s *Service) prepare(ctx context.Context, tx store.Tx, account string, in *StartChangeSetInput, parsed []parsedChange) (*changeSetRec, error) {
	now := s.now()
	id, err := newID(s.rand(), "", 25)
	if err != nil {
		return nil, err
	}
	name := in.ChangeSetName
	cs := &changeSetRec{Id: id, Owner: account, Name: name, Intent: in.Intent, Status: StatusPreparing,
		Start: now, Due: now.Add(s.ApplyDelay), Tags: in.ChangeSetTags}
	var admin *adminInfo
	for i, p := range parsed {
		c := in.ChangeSet[i]
		if p.typ.pmp && admin == nil {
			if admin, err = s.pmpAdmin(ctx, tx, account); err != nil {
				return nil, err
			}
		}
		if p.typ.request && admin == nil && p.id != "" {
			if admin, err = s.adminOrNil(ctx, tx, account); err != nil {
				return nil, err
			}
		}
		if p.id != "" {
			if err := s.checkTarget(ctx, tx, account, admin, p); err != nil {
				return nil, err
			}
		}
		cs.Changes = append(cs.Changes, changeRec{ChangeType: c.ChangeType, EntityType: c.Entity.Type, Identifier: c.Entity.Identifier,
			ChangeName: c.ChangeName, Details: p.details, Document: p.doc, EntityTags: c.EntityTags})
	}
	return cs, nil
}

// checkTarget checks an existing entity a change names.
func (s *Service) checkTarget(ctx context.Context, tx store.Tx, account string, admin *adminInfo, p parsedChange) error {
	e, ok, err := loadEntity(ctx, tx, p.id)
	if err != nil {
		return err
	}
	if !ok || !mayChange(account, admin, e) {
		return errEntityNotFound(p.id)
	}
	if e.Type != p.typ.name {
		return errValidationf("Entity %s is of type %s, not %s.", p.id, e.typ().versioned(), p.typ.versioned())
	}
	l, locked, err := get[lockRec](ctx, tx, kindLock, p.id)
	if err != nil || !locked {
		return err
	}
	return errInUse(fmt.Sprintf("The entity %s is in use by change set %s, which has not completed.", p.id, l.ChangeSetId))
}

// mayChange reports whether account may change or read an entity: its
// owner, or for a Private Marketplace entity an administrator of the
// entity's organization; a procurement request, its owner (the
// requester's account) and those administrators both.
func mayChange(account string, admin *adminInfo, e *entityRec) bool {
	if e.typ().request {
		return e.Owner == account || (admin != nil && e.OrgId != "" && admin.orgID == e.OrgId)
	}
	if e.typ().pmp && e.OrgId != "" {
		return admin != nil && admin.orgID == e.OrgId
	}
	return e.Owner == account
}

// lock holds the entities of a PREPARING change set.
func (s *Service) lock(ctx context.Context, tx store.Tx, cs *changeSetRec) error {
	for _, c := range cs.Changes {
		if c.Identifier == "" || reReference.MatchString(c.Identifier) {
			continue
		}
		id := baseID(c.Identifier)
		if err := store.Put(ctx, tx, store.Record{Kind: kindLock, ID: id, Parent: cs.Id}, &lockRec{ChangeSetId: cs.Id}); err != nil {
			return err
		}
	}
	return nil
}

// unlock releases the entities of a change set.
func unlock(ctx context.Context, tx store.Tx, cs *changeSetRec) error {
	recs, err := tx.List(ctx, store.Query{Kind: kindLock, Parent: cs.Id})
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := tx.Delete(ctx, kindLock, r.ID); err != nil {
			return err
		}
	}
	return nil
}

func baseID(identifier string) string {
	for i := 0; i < len(identifier); i++ {
		if identifier[i] == '@' {
			return identifier[:i]
		}
	}
	return identifier
}

// settle applies the change sets that are due. It runs in a read-write
// transaction; with no ApplyDelay nothing is ever pending.
func (s *Service) settle(ctx context.Context, tx store.Tx) error {
	if s.ApplyDelay <= 0 {
		return nil
	}
	pending, err := store.List[changeSetRec](ctx, tx, store.Query{Kind: kindChangeSet, Name: StatusPreparing})
	if err != nil {
		return err
	}
	now := s.now()
	for i := range pending {
		cs := &pending[i]
		if cs.Due.After(now) {
			continue
		}
		if err := unlock(ctx, tx, cs); err != nil {
			return err
		}
		if err := s.run(ctx, tx, cs); err != nil {
			return err
		}
		if err := putChangeSet(ctx, tx, cs); err != nil {
			return err
		}
	}
	return nil
}

// settleDue applies due change sets before a read, in a transaction of
// its own, when any may be pending.
func (s *Service) settleDue(ctx context.Context) error {
	if s.ApplyDelay <= 0 {
		return nil
	}
	return s.update(ctx, func(tx store.Tx) error { return s.settle(ctx, tx) })
}

// change is one change being applied.
type change struct {
	rec    *changeRec
	typ    *entityType
	entity *entityRec
	// details are the change's details with references resolved.
	details []byte
}

// run applies a change set: every change in order, all or nothing. The
// change set ends SUCCEEDED, or FAILED with CLIENT_ERROR and the errors
// of its changes; a VALIDATE change set changes nothing either way.
func (s *Service) run(ctx context.Context, tx store.Tx, cs *changeSetRec) error {
	cs.Status = StatusApplying
	a := &applier{s: s, ctx: ctx, tx: tx, account: cs.Owner, caller: cs.Caller, now: s.now(), entities: map[string]*entityRec{}, members: map[string]*memberRec{}}
	byName := map[string]*change{}
	failed := false
	for i := range cs.Changes {
		rec := &cs.Changes[i]
		rec.Errors = nil
		c, err := a.resolve(rec, byName)
		if err == nil {
			err = handlers[c.typ.name][rec.ChangeType].apply(a, c)
		}
		if err != nil {
			ce, ok := err.(changeErrors)
			if !ok {
				return err
			}
			rec.Errors, failed = ce, true
			continue
		}
		if c.entity != nil {
			rec.Identifier = c.entity.Id
			a.touch(c.entity)
			if len(rec.EntityTags) > 0 {
				c.entity.Tags = mergeTags(c.entity.Tags, rec.EntityTags)
			}
		}
		if rec.ChangeName != "" {
			byName[rec.ChangeName] = c
		}
	}
	cs.End = s.now()
	cs.Entities = a.order
	switch {
	case failed:
		cs.Status, cs.Failure = StatusFailed, FailureClientError
		cs.Reason = "One or more changes failed validation; see the ErrorDetailList of each change."
		return nil
	case cs.Intent == IntentValidate:
		cs.Status = StatusSucceeded
		return nil
	}
	if err := a.commit(); err != nil {
		return err
	}
	cs.Status = StatusSucceeded
	return nil
}

// applier holds the working copies of the entities a change set changes,
// written to the store only when every change succeeded.
type applier struct {
	s        *Service
	ctx      context.Context
	tx       store.Tx
	account  string
	caller   string // the ARN of the principal that started the change set
	now      time.Time
	entities map[string]*entityRec
	order    []string
	// members are the audience associations the change set changed, by
	// principal; a nil value removes one.
	members map[string]*memberRec
	admin   *adminInfo
}

// resolve finds the entity of a change and resolves the references in its
// identifier and details.
func (a *applier) resolve(rec *changeRec, byName map[string]*change) (*change, error) {
	t, err := parseEntityType(rec.EntityType, true)
	if err != nil {
		return nil, changeError(CodeInvalidInput, "%s", err.Error())
	}
	c := &change{rec: rec, typ: t}
	if c.details, err = resolveDetails(rec.Details, byName); err != nil {
		return nil, err
	}
	if handlers[t.name][rec.ChangeType].creates {
		return c, nil
	}
	id := baseID(rec.Identifier)
	if m := reReference.FindStringSubmatch(rec.Identifier); m != nil {
		ref, ok := byName[m[1]]
		if !ok || ref.entity == nil {
			return nil, changeError(CodeEntityNotFound, "The change %s that Entity.Identifier refers to did not succeed.", m[1])
		}
		id = ref.entity.Id
	}
	e, ok, err := a.entity(id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, changeError(CodeEntityNotFound, "The entity %s was not found.", id)
	}
	if e.Type != t.name {
		return nil, changeError(CodeInvalidInput, "Entity %s is of type %s, not %s.", id, e.typ().versioned(), t.versioned())
	}
	c.entity = e
	return c, nil
}

// resolveDetails replaces every string of the details that is a reference
// to an earlier change's entity with that entity's id.
func resolveDetails(details []byte, byName map[string]*change) ([]byte, error) {
	if len(byName) == 0 || !containsByte(details, '$') {
		return details, nil
	}
	var v any
	if err := json.Unmarshal(details, &v); err != nil {
		return details, nil // decodeDetails reports it
	}
	var failure error
	var walk func(any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case string:
			if m := reReference.FindStringSubmatch(t); m != nil {
				ref, ok := byName[m[1]]
				if !ok || ref.entity == nil {
					failure = changeError(CodeEntityNotFound, "The change %s that the details refer to did not succeed or does not come earlier.", m[1])
					return t
				}
				return ref.entity.Id
			}
		case []any:
			for i := range t {
				t[i] = walk(t[i])
			}
		case map[string]any:
			for k := range t {
				t[k] = walk(t[k])
			}
		}
		return x
	}
	v = walk(v)
	if failure != nil {
		return nil, failure
	}
	return json.Marshal(v)
}

func containsByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// entity returns the working copy of an entity, loading it first.
func (a *applier) entity(id string) (*entityRec, bool, error) {
	if e, ok := a.entities[id]; ok {
		return e, true, nil
	}
	e, ok, err := loadEntity(a.ctx, a.tx, id)
	if err != nil || !ok {
		return nil, false, err
	}
	if err := expireRequest(e, a.now); err != nil {
		return nil, false, err
	}
	a.entities[id] = e
	return e, true, nil
}

// create makes a new entity of type t owned by the change set's account.
func (a *applier) create(t *entityType) (*entityRec, error) {
	id, err := newID(a.s.rand(), t.prefix, 13)
	if err != nil {
		return nil, err
	}
	e := &entityRec{Id: id, Type: t.name, Owner: a.account, Created: a.now, Modified: a.now}
	a.entities[id] = e
	return e, nil
}

// touch records that a change changed an entity.
func (a *applier) touch(e *entityRec) {
	for _, id := range a.order {
		if id == e.Id {
			return
		}
	}
	a.order = append(a.order, e.Id)
}

// commit writes the changed entities and audience associations.
func (a *applier) commit() error {
	for _, id := range a.order {
		e := a.entities[id]
		e.Modified = a.now
		e.Revision++
		if err := putEntity(a.ctx, a.tx, e); err != nil {
			return err
		}
	}
	for principal, m := range a.members {
		if m == nil {
			if err := a.tx.Delete(a.ctx, kindMember, principal); err != nil && err != store.ErrNotFound {
				return err
			}
			continue
		}
		if err := store.Put(a.ctx, a.tx, store.Record{Kind: kindMember, ID: principal, Parent: m.Experience, Name: m.Audience}, m); err != nil {
			return err
		}
	}
	return nil
}

// newID returns prefix followed by n random characters of [0-9a-z],
// drawn uniformly from r.
func newID(r io.Reader, prefix string, n int) (string, error) {
	id, err := randid.String(r, randid.LowerAlnum, n)
	if err != nil {
		return "", fmt.Errorf("catalog: random id: %w", err)
	}
	return prefix + id, nil
}

// mergeTags sets tags on a tag list, replacing values of existing keys.
func mergeTags(list, tags []Tag) []Tag {
	for _, t := range tags {
		replaced := false
		for i := range list {
			if list[i].Key == t.Key {
				list[i].Value, replaced = t.Value, true
			}
		}
		if !replaced {
			list = append(list, t)
		}
	}
	return list
}
