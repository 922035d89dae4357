package iam

import (
	"context"
	"sort"
	"strings"

	"gatehouse/principal"
	"gatehouse/store"
)

// maxTags is IAM's quota on the tags of one resource.
const maxTags = 50

// mergeTags adds or replaces tags (keys compare case-insensitively, as
// IAM treats them).
func mergeTags(have, add []Tag) ([]Tag, error) {
	if err := checkTags(add); err != nil {
		return nil, err
	}
	out := append([]Tag(nil), have...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if strings.EqualFold(out[i].Key, t.Key) {
				out[i], replaced = t, true
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if len(out) > maxTags {
		return nil, errQuota("TagsPerResource", maxTags)
	}
	return out, nil
}

// dropTags removes the tags with the keys.
func dropTags(have []Tag, keys []string) []Tag {
	out := []Tag{}
	for _, t := range have {
		drop := false
		for _, k := range keys {
			drop = drop || strings.EqualFold(t.Key, k)
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

// TagInput is the input of TagUser, TagRole and TagPolicy.
type TagInput struct {
	UserName  string
	RoleName  string
	PolicyArn string
	Tags      []Tag `query:",required"`
}

// UntagInput is the input of UntagUser, UntagRole and UntagPolicy.
type UntagInput struct {
	UserName  string
	RoleName  string
	PolicyArn string
	TagKeys   []string `query:",required"`
}

// TagOutput is the output of the Tag* and Untag* operations.
type TagOutput struct{}

// ListTagsInput is the input of ListUserTags, ListRoleTags and
// ListPolicyTags.
type ListTagsInput struct {
	UserName  string
	RoleName  string
	PolicyArn string
	Page
}

// ListTagsOutput is the output of the List*Tags operations.
type ListTagsOutput struct {
	Tags []Tag
	PageOut
}

// TagUser adds or replaces tags of a user; they are its principal tags.
func (s *Service) TagUser(ctx context.Context, caller *principal.Caller, in TagInput) (TagOutput, error) {
	return TagOutput{}, s.editUserTags(ctx, caller, in.UserName, func(t []Tag) ([]Tag, error) { return mergeTags(t, in.Tags) })
}

// UntagUser removes tags of a user.
func (s *Service) UntagUser(ctx context.Context, caller *principal.Caller, in UntagInput) (TagOutput, error) {
	return TagOutput{}, s.editUserTags(ctx, caller, in.UserName, func(t []Tag) ([]Tag, error) { return dropTags(t, in.TagKeys), nil })
}

func (s *Service) editUserTags(ctx context.Context, caller *principal.Caller, name string, edit func([]Tag) ([]Tag, error)) error {
	if err := cUserName.check("userName", name); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		u, err := s.user(ctx, tx, caller.Account, name)
		if err != nil {
			return err
		}
		if u.Tags, err = edit(u.Tags); err != nil {
			return err
		}
		return firstErr(putUser(ctx, tx, caller.Account, &u), s.refreshKeys(ctx, tx, caller.Account, &u), changed(ctx, tx))
	})
}

// ListUserTags lists the tags of a user.
func (s *Service) ListUserTags(ctx context.Context, caller *principal.Caller, in ListTagsInput) (ListTagsOutput, error) {
	if err := cUserName.check("userName", in.UserName); err != nil {
		return ListTagsOutput{}, err
	}
	var tags []Tag
	err := s.view(ctx, func(tx store.Tx) error {
		u, err := s.user(ctx, tx, caller.Account, in.UserName)
		tags = u.Tags
		return err
	})
	return pageTags(tags, in.Page, err)
}

// TagRole adds or replaces tags of a role.
func (s *Service) TagRole(ctx context.Context, caller *principal.Caller, in TagInput) (TagOutput, error) {
	return TagOutput{}, s.editRoleTags(ctx, caller, in.RoleName, func(t []Tag) ([]Tag, error) { return mergeTags(t, in.Tags) })
}

// UntagRole removes tags of a role.
func (s *Service) UntagRole(ctx context.Context, caller *principal.Caller, in UntagInput) (TagOutput, error) {
	return TagOutput{}, s.editRoleTags(ctx, caller, in.RoleName, func(t []Tag) ([]Tag, error) { return dropTags(t, in.TagKeys), nil })
}

func (s *Service) editRoleTags(ctx context.Context, caller *principal.Caller, name string, edit func([]Tag) ([]Tag, error)) error {
	if err := cRoleName.check("roleName", name); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		r, err := s.role(ctx, tx, caller.Account, name)
		if err != nil {
			return err
		}
		if r.Tags, err = edit(r.Tags); err != nil {
			return err
		}
		return firstErr(putRole(ctx, tx, caller.Account, &r), changed(ctx, tx))
	})
}

// ListRoleTags lists the tags of a role.
func (s *Service) ListRoleTags(ctx context.Context, caller *principal.Caller, in ListTagsInput) (ListTagsOutput, error) {
	if err := cRoleName.check("roleName", in.RoleName); err != nil {
		return ListTagsOutput{}, err
	}
	var tags []Tag
	err := s.view(ctx, func(tx store.Tx) error {
		r, err := s.role(ctx, tx, caller.Account, in.RoleName)
		tags = r.Tags
		return err
	})
	return pageTags(tags, in.Page, err)
}

// TagPolicy adds or replaces tags of a customer managed policy.
func (s *Service) TagPolicy(ctx context.Context, caller *principal.Caller, in TagInput) (TagOutput, error) {
	return TagOutput{}, s.editPolicyTags(ctx, caller, in.PolicyArn, func(t []Tag) ([]Tag, error) { return mergeTags(t, in.Tags) })
}

// UntagPolicy removes tags of a customer managed policy.
func (s *Service) UntagPolicy(ctx context.Context, caller *principal.Caller, in UntagInput) (TagOutput, error) {
	return TagOutput{}, s.editPolicyTags(ctx, caller, in.PolicyArn, func(t []Tag) ([]Tag, error) { return dropTags(t, in.TagKeys), nil })
}

func (s *Service) editPolicyTags(ctx context.Context, caller *principal.Caller, arn string, edit func([]Tag) ([]Tag, error)) error {
	return s.update(ctx, func(tx store.Tx) error {
		mp, err := s.customerPolicy(ctx, tx, caller.Account, arn)
		if err != nil {
			return err
		}
		if mp.rec.Tags, err = edit(mp.rec.Tags); err != nil {
			return err
		}
		return putPolicy(ctx, tx, mp.rec)
	})
}

// ListPolicyTags lists the tags of a managed policy.
func (s *Service) ListPolicyTags(ctx context.Context, caller *principal.Caller, in ListTagsInput) (ListTagsOutput, error) {
	if err := cArn.check("policyArn", in.PolicyArn); err != nil {
		return ListTagsOutput{}, err
	}
	var tags []Tag
	err := s.view(ctx, func(tx store.Tx) error {
		mp, err := s.managedPolicy(ctx, tx, caller.Account, in.PolicyArn, errNoSuchPolicy)
		if err == nil {
			tags = mp.Tags
		}
		return err
	})
	return pageTags(tags, in.Page, err)
}

func pageTags(tags []Tag, pg Page, err error) (ListTagsOutput, error) {
	if err != nil {
		return ListTagsOutput{}, err
	}
	tags = append([]Tag{}, tags...)
	sort.SliceStable(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	var out ListTagsOutput
	out.Tags, out.PageOut, err = page(tags, func(t Tag) string { return t.Key }, pg)
	return out, err
}
