package catalog

import (
	"context"
	"slices"
	"unicode/utf8"

	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
)

// A tagged or policy-bearing resource: an entity or a change set, named
// by ARN.
type resource struct {
	entity    *entityRec
	changeSet *changeSetRec
}

func (r *resource) tags() *[]Tag {
	if r.entity != nil {
		return &r.entity.Tags
	}
	return &r.changeSet.Tags
}

func (r *resource) policy() *string {
	if r.entity != nil {
		return &r.entity.Policy
	}
	return &r.changeSet.Policy
}

func (r *resource) save(ctx context.Context, tx store.Tx) error {
	if r.entity != nil {
		return putEntity(ctx, tx, r.entity)
	}
	return putChangeSet(ctx, tx, r.changeSet)
}

// findResource loads the entity or change set an ARN names, if the
// caller may read it.
func (s *Service) findResource(ctx context.Context, tx store.Tx, caller *principal.Caller, arn string) (*resource, error) {
	if arn == "" || len(arn) > 255 {
		return nil, errValidation("ResourceArn must be 1 to 255 characters.")
	}
	ref, ok := parseARN(arn)
	if !ok {
		return nil, errValidationf("ResourceArn %q is not an AWS Marketplace catalog ARN.", arn)
	}
	if ref.typ == "ChangeSet" {
		cs, err := s.ownChangeSet(ctx, tx, caller, ref.id)
		if err != nil {
			return nil, errNotFound("The resource " + arn + " was not found.")
		}
		return &resource{changeSet: cs}, nil
	}
	e, err := s.readable(ctx, tx, caller, ref.id)
	if err != nil {
		return nil, err
	}
	if e.Type != ref.typ || e.Owner != ref.account {
		return nil, errNotFound("The resource " + arn + " was not found.")
	}
	return &resource{entity: e}, nil
}

// TagResource adds or replaces tags of an entity or change set; a
// resource has at most 200 tags.
func (s *Service) TagResource(ctx context.Context, caller *principal.Caller, in TagResourceInput) (TagResourceOutput, error) {
	var out TagResourceOutput
	if in.Tags == nil {
		return out, errValidation("Tags is required.")
	}
	if err := checkTags("Tags", in.Tags); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := s.findResource(ctx, tx, caller, in.ResourceArn)
		if err != nil {
			return err
		}
		tags := r.tags()
		*tags = mergeTags(*tags, in.Tags)
		if len(*tags) > maxTags {
			return errValidationf("A resource has at most %d tags.", maxTags)
		}
		return r.save(ctx, tx)
	})
	return out, err
}

// UntagResource removes tags by key; keys the resource lacks are ignored.
func (s *Service) UntagResource(ctx context.Context, caller *principal.Caller, in UntagResourceInput) (UntagResourceOutput, error) {
	var out UntagResourceOutput
	if len(in.TagKeys) < 1 || len(in.TagKeys) > maxTags {
		return out, errValidationf("TagKeys must have 1 to %d keys.", maxTags)
	}
	for _, k := range in.TagKeys {
		if n := utf8.RuneCountInString(k); n < 1 || n > 128 || !reTag.MatchString(k) {
			return out, errValidationf("TagKeys: tag key %q is not valid.", k)
		}
	}
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := s.findResource(ctx, tx, caller, in.ResourceArn)
		if err != nil {
			return err
		}
		tags := r.tags()
		*tags = slices.DeleteFunc(*tags, func(t Tag) bool { return slices.Contains(in.TagKeys, t.Key) })
		return r.save(ctx, tx)
	})
	return out, err
}

// ListTagsForResource returns the tags of an entity or change set.
func (s *Service) ListTagsForResource(ctx context.Context, caller *principal.Caller, in ListTagsForResourceInput) (ListTagsForResourceOutput, error) {
	out := ListTagsForResourceOutput{ResourceArn: in.ResourceArn}
	err := s.view(ctx, func(tx store.Tx) error {
		r, err := s.findResource(ctx, tx, caller, in.ResourceArn)
		if err != nil {
			return err
		}
		out.Tags = slices.Clone(*r.tags())
		if out.Tags == nil {
			out.Tags = []Tag{}
		}
		return nil
	})
	return out, err
}

// PutResourcePolicy attaches a resource-based policy (at most 10240
// characters, validated as IAM validates resource policies) to an entity
// or change set.
func (s *Service) PutResourcePolicy(ctx context.Context, caller *principal.Caller, in PutResourcePolicyInput) (PutResourcePolicyOutput, error) {
	var out PutResourcePolicyOutput
	if in.Policy == "" || len(in.Policy) > 10240 {
		return out, errValidation("Policy must be 1 to 10240 characters.")
	}
	for _, f := range policy.ValidateText([]byte(in.Policy), policy.Resource) {
		if f.Severity == policy.Error {
			return out, errValidation("The policy is not valid: " + f.Message)
		}
	}
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := s.findResource(ctx, tx, caller, in.ResourceArn)
		if err != nil {
			return err
		}
		*r.policy() = in.Policy
		return r.save(ctx, tx)
	})
	return out, err
}

// GetResourcePolicy returns a resource's policy
// (ResourceNotFoundException when it has none).
func (s *Service) GetResourcePolicy(ctx context.Context, caller *principal.Caller, in GetResourcePolicyInput) (GetResourcePolicyOutput, error) {
	var out GetResourcePolicyOutput
	err := s.view(ctx, func(tx store.Tx) error {
		r, err := s.findResource(ctx, tx, caller, in.ResourceArn)
		if err != nil {
			return err
		}
		if *r.policy() == "" {
			return errNotFound("The resource " + in.ResourceArn + " has no resource policy.")
		}
		out.Policy = *r.policy()
		return nil
	})
	return out, err
}

// DeleteResourcePolicy removes a resource's policy
// (ResourceNotFoundException when it has none).
func (s *Service) DeleteResourcePolicy(ctx context.Context, caller *principal.Caller, in DeleteResourcePolicyInput) (DeleteResourcePolicyOutput, error) {
	var out DeleteResourcePolicyOutput
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := s.findResource(ctx, tx, caller, in.ResourceArn)
		if err != nil {
			return err
		}
		if *r.policy() == "" {
			return errNotFound("The resource " + in.ResourceArn + " has no resource policy.")
		}
		*r.policy() = ""
		return r.save(ctx, tx)
	})
	return out, err
}
