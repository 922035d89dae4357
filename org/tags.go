package org

import (
	"context"
	"sort"
	"strings"

	"gatehouse/principal"
	"gatehouse/store"
)

// maxTags is the number of tags a resource may have.
const maxTags = 50

// checkTags validates tags given to a create or tag operation.
func checkTags(tags []Tag) error {
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if err := checkString(t.Key, 1, 128, reTagText); err != nil {
			return err
		}
		if err := checkOptional(t.Value, 0, 256, reTagText); err != nil {
			return err
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return errInput(reasonSystemTags)
		}
		if seen[t.Key] {
			return errInput(reasonDuplicateTagKey)
		}
		seen[t.Key] = true
	}
	if len(tags) > maxTags {
		return errConstraint(reasonMaxTags)
	}
	return nil
}

// readTags returns the tags of a resource.
func readTags(ctx context.Context, tx store.Tx, resourceID string) ([]Tag, error) {
	r, _, err := get[tagsRec](ctx, tx, kindTags, resourceID)
	return r.Tags, err
}

// addTags adds tags to a resource, replacing the values of keys it has.
func addTags(ctx context.Context, tx store.Tx, orgID, resourceID string, tags []Tag) error {
	if len(tags) == 0 {
		return nil
	}
	cur, err := readTags(ctx, tx, resourceID)
	if err != nil {
		return err
	}
	m := make(map[string]string, len(cur)+len(tags))
	for _, t := range cur {
		m[t.Key] = t.Value
	}
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	if len(m) > maxTags {
		return errConstraint(reasonMaxTags)
	}
	return writeTags(ctx, tx, orgID, resourceID, m)
}

// writeTags replaces the tags of a resource.
func writeTags(ctx context.Context, tx store.Tx, orgID, resourceID string, m map[string]string) error {
	if len(m) == 0 {
		return del(ctx, tx, kindTags, resourceID)
	}
	r := tagsRec{OrgId: orgID, Tags: make([]Tag, 0, len(m))}
	for k, v := range m {
		r.Tags = append(r.Tags, Tag{Key: k, Value: v})
	}
	sort.Slice(r.Tags, func(i, j int) bool { return r.Tags[i].Key < r.Tags[j].Key })
	return store.Put(ctx, tx, store.Record{Kind: kindTags, ID: resourceID, Parent: orgID}, &r)
}

// checkTaggable checks a ResourceId and resolves it to a root, OU,
// account or customer managed policy of the session's organization.
func (ss *session) checkTaggable(ctx context.Context, id string) error {
	switch {
	case id == "":
		return errInput(reasonInputRequired)
	case id == ss.root.Id:
		return nil
	case reRootID.MatchString(id):
		return errTargetNotFound()
	case reOUID.MatchString(id):
		if _, ok, err := ss.findOU(ctx, id); err != nil || !ok {
			return orNotFound(err, errTargetNotFound)
		}
		return nil
	case reAccountID.MatchString(id):
		if _, ok, err := ss.findAccount(ctx, id); err != nil || !ok {
			return orNotFound(err, errTargetNotFound)
		}
		return nil
	case rePolicyID.MatchString(id):
		if _, ok := managedPolicies[id]; ok {
			return errInput(reasonImmutablePolicy)
		}
		p, ok, err := get[policyRec](ctx, ss.tx, kindPolicy, id)
		if err != nil || !ok || p.OrgId != ss.org.Id {
			return orNotFound(err, errTargetNotFound)
		}
		return nil
	}
	return errInput(reasonPattern)
}

// orNotFound returns err when it is not nil and notFound() otherwise.
func orNotFound(err error, notFound func() error) error {
	if err != nil {
		return err
	}
	return notFound()
}

// TagResourceInput is the input of TagResource.
type TagResourceInput struct {
	// ResourceId is a root, OU, account or policy id.
	ResourceId string
	Tags       []Tag
}

// TagResourceOutput is the output of TagResource.
type TagResourceOutput struct{}

// TagResource adds tags to a root, OU, account or customer managed
// policy, replacing the values of keys it has. At most 50 tags per
// resource. Management account only.
func (s *Service) TagResource(ctx context.Context, caller *principal.Caller, in TagResourceInput) (TagResourceOutput, error) {
	var out TagResourceOutput
	if len(in.Tags) == 0 {
		return out, errInput(reasonInputRequired)
	}
	if err := checkTags(in.Tags); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		if err := ss.checkTaggable(ctx, in.ResourceId); err != nil {
			return err
		}
		return addTags(ctx, tx, ss.org.Id, in.ResourceId, in.Tags)
	})
	return out, err
}

// UntagResourceInput is the input of UntagResource.
type UntagResourceInput struct {
	ResourceId string
	TagKeys    []string
}

// UntagResourceOutput is the output of UntagResource.
type UntagResourceOutput struct{}

// UntagResource removes tags from a resource; keys it does not have are
// ignored. Management account only.
func (s *Service) UntagResource(ctx context.Context, caller *principal.Caller, in UntagResourceInput) (UntagResourceOutput, error) {
	var out UntagResourceOutput
	if len(in.TagKeys) == 0 {
		return out, errInput(reasonInputRequired)
	}
	for _, k := range in.TagKeys {
		if err := checkString(k, 1, 128, reTagText); err != nil {
			return out, err
		}
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		if err := ss.checkTaggable(ctx, in.ResourceId); err != nil {
			return err
		}
		cur, err := readTags(ctx, tx, in.ResourceId)
		if err != nil {
			return err
		}
		m := make(map[string]string, len(cur))
		for _, t := range cur {
			m[t.Key] = t.Value
		}
		for _, k := range in.TagKeys {
			delete(m, k)
		}
		return writeTags(ctx, tx, ss.org.Id, in.ResourceId, m)
	})
	return out, err
}

// ListTagsForResourceInput is the input of ListTagsForResource.
type ListTagsForResourceInput struct {
	ResourceId string
	NextToken  string
}

// ListTagsForResourceOutput is the output of ListTagsForResource.
type ListTagsForResourceOutput struct {
	Tags      []Tag
	NextToken string
}

// ListTagsForResource lists the tags of a resource, sorted by key.
// Management account or delegated administrator.
func (s *Service) ListTagsForResource(ctx context.Context, caller *principal.Caller, in ListTagsForResourceInput) (ListTagsForResourceOutput, error) {
	var out ListTagsForResourceOutput
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		var tags []Tag
		if _, managed := managedPolicies[in.ResourceId]; !managed {
			if err := ss.checkTaggable(ctx, in.ResourceId); err != nil {
				return err
			}
			if tags, err = readTags(ctx, tx, in.ResourceId); err != nil {
				return err
			}
		}
		out.Tags, out.NextToken, err = page(tags, func(t Tag) string { return t.Key }, "ListTagsForResource\x00"+in.ResourceId, in.NextToken, nil)
		return err
	})
	return out, err
}
