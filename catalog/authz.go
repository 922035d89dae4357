package catalog

import (
	"context"

	"gatehouse/store"
)

// ChangeTarget is what one change of a StartChangeSet request is
// authorized on: aws-marketplace:StartChangeSet and Actions on ARN, with
// catalog:ChangeType set to ChangeType.
type ChangeTarget struct {
	ChangeType string
	// ARN is the entity's ARN; for a change that creates its entity or
	// names it by reference, the ARN of every entity of its type in the
	// caller's account (…/AWSMarketplace/SaaSProduct/*).
	ARN string
	// Actions are the change type's dependent actions.
	Actions []string
	Tags    []Tag
}

// ChangeTargets returns the authorization target of each change of a
// StartChangeSet request. Changes the catalog will refuse (unknown types,
// malformed identifiers) get a target too, so that authorization runs
// before validation as in AWS.
func (s *Service) ChangeTargets(ctx context.Context, account string, in *StartChangeSetInput) ([]ChangeTarget, error) {
	out := make([]ChangeTarget, 0, len(in.ChangeSet))
	err := s.view(ctx, func(tx store.Tx) error {
		for _, c := range in.ChangeSet {
			t := ChangeTarget{ChangeType: c.ChangeType, Tags: c.EntityTags}
			typ, _ := parseEntityType(c.Entity.Type, false)
			name := "*"
			if typ != nil {
				name = typ.name
				t.Actions = handlers[typ.name][c.ChangeType].actions
			}
			t.ARN = s.entityARN(account, name, "*")
			if id := baseID(c.Entity.Identifier); id != "" && reResourceID.MatchString(id) {
				e, ok, err := loadEntity(ctx, tx, id)
				if err != nil {
					return err
				}
				if ok {
					t.ARN = s.entityARN(e.Owner, e.Type, e.Id)
				}
			}
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// EntityARNOf returns the ARN of an entity, or "" when there is none.
func (s *Service) EntityARNOf(ctx context.Context, id string) (string, error) {
	var arn string
	if !reResourceID.MatchString(id) {
		return "", nil
	}
	err := s.view(ctx, func(tx store.Tx) error {
		e, ok, err := loadEntity(ctx, tx, id)
		if ok {
			arn = s.entityARN(e.Owner, e.Type, e.Id)
		}
		return err
	})
	return arn, err
}
