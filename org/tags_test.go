package org

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestTags(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	sd := newSeed(t, s)
	many := func(n int, prefix string) []Tag {
		var tags []Tag
		for i := range n {
			tags = append(tags, Tag{Key: fmt.Sprintf("%s%02d", prefix, i), Value: "v"})
		}
		return tags
	}
	missingOU := "ou-" + strings.TrimPrefix(sd.root, "r-") + "-zzzzzzzz"
	for _, c := range []struct {
		name       string
		caller     string
		resource   string
		tags       []Tag
		want       []Tag
		wantCode   string
		wantReason string
	}{
		{name: "root", caller: mgmtID, resource: sd.root, tags: []Tag{{Key: "env", Value: "prod"}}, want: []Tag{{Key: "env", Value: "prod"}}},
		{name: "OU", caller: mgmtID, resource: sd.retailOU, tags: []Tag{{Key: "team", Value: "shops"}, {Key: "cost-center", Value: "42"}}, want: []Tag{{Key: "cost-center", Value: "42"}, {Key: "team", Value: "shops"}}},
		{name: "OU, replacing a value", caller: mgmtID, resource: sd.retailOU, tags: []Tag{{Key: "team", Value: "stores"}}, want: []Tag{{Key: "cost-center", Value: "42"}, {Key: "team", Value: "stores"}}},
		{name: "account", caller: mgmtID, resource: sd.tech, tags: []Tag{{Key: "owner", Value: "platform@example.com"}}, want: []Tag{{Key: "owner", Value: "platform@example.com"}}},
		{name: "policy", caller: mgmtID, resource: sd.scp, tags: []Tag{{Key: "seed", Value: ""}}, want: []Tag{{Key: "seed", Value: ""}}},
		{name: "50 tags", caller: mgmtID, resource: sd.sharedOU, tags: many(50, "k"), want: many(50, "k")},
		{name: "a 51st tag", caller: mgmtID, resource: sd.sharedOU, tags: many(1, "z"), wantCode: "ConstraintViolationException", wantReason: "MAX_TAG_LIMIT_EXCEEDED"},
		{name: "51 tags at once", caller: mgmtID, resource: sd.techOU, tags: many(51, "k"), wantCode: "ConstraintViolationException", wantReason: "MAX_TAG_LIMIT_EXCEEDED"},
		{name: "duplicate keys", caller: mgmtID, resource: sd.techOU, tags: []Tag{{Key: "a", Value: "1"}, {Key: "a", Value: "2"}}, wantCode: "InvalidInputException", wantReason: "DUPLICATE_TAG_KEY"},
		{name: "system tag", caller: mgmtID, resource: sd.techOU, tags: []Tag{{Key: "aws:created", Value: "1"}}, wantCode: "InvalidInputException", wantReason: "INVALID_SYSTEM_TAGS_PARAMETER"},
		{name: "invalid characters", caller: mgmtID, resource: sd.techOU, tags: []Tag{{Key: "a*b", Value: "1"}}, wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
		{name: "no tags", caller: mgmtID, resource: sd.techOU, wantCode: "InvalidInputException", wantReason: "INPUT_REQUIRED"},
		{name: "AWS managed policy", caller: mgmtID, resource: FullAWSAccessPolicyID, tags: []Tag{{Key: "a", Value: "1"}}, wantCode: "InvalidInputException", wantReason: "IMMUTABLE_POLICY"},
		{name: "OU not found", caller: mgmtID, resource: missingOU, tags: []Tag{{Key: "a", Value: "1"}}, wantCode: "TargetNotFoundException"},
		{name: "account not in the organization", caller: mgmtID, resource: otherID, tags: []Tag{{Key: "a", Value: "1"}}, wantCode: "TargetNotFoundException"},
		{name: "policy not found", caller: mgmtID, resource: "p-zzzzzzzz", tags: []Tag{{Key: "a", Value: "1"}}, wantCode: "TargetNotFoundException"},
		{name: "other root", caller: mgmtID, resource: "r-zzzz", tags: []Tag{{Key: "a", Value: "1"}}, wantCode: "TargetNotFoundException"},
		{name: "not a resource id", caller: mgmtID, resource: "o-1234567890", tags: []Tag{{Key: "a", Value: "1"}}, wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
		{name: "member account", caller: sd.retailAcct, resource: sd.root, tags: []Tag{{Key: "a", Value: "1"}}, wantCode: "AccessDeniedException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.TagResource(ctx, rootOf(c.caller), TagResourceInput{ResourceId: c.resource, Tags: c.tags})
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil {
				return
			}
			var got []Tag
			in := ListTagsForResourceInput{ResourceId: c.resource}
			for {
				out := must(s.ListTagsForResource(ctx, mgmt, in))(t)
				got = append(got, out.Tags...)
				if out.NextToken == "" {
					break
				}
				in.NextToken = out.NextToken
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("tags %v, want %v", got, c.want)
			}
		})
	}

	for _, c := range []struct {
		name     string
		resource string
		keys     []string
		want     []Tag
		wantCode string
	}{
		{name: "one key", resource: sd.retailOU, keys: []string{"team"}, want: []Tag{{Key: "cost-center", Value: "42"}}},
		{name: "missing key", resource: sd.retailOU, keys: []string{"nope"}, want: []Tag{{Key: "cost-center", Value: "42"}}},
		{name: "last key", resource: sd.retailOU, keys: []string{"cost-center"}, want: []Tag{}},
		{name: "no keys", resource: sd.retailOU, wantCode: "InvalidInputException"},
		{name: "target not found", resource: otherID, keys: []string{"a"}, wantCode: "TargetNotFoundException"},
	} {
		t.Run("untag "+c.name, func(t *testing.T) {
			_, err := s.UntagResource(ctx, mgmt, UntagResourceInput{ResourceId: c.resource, TagKeys: c.keys})
			if c.wantCode != "" {
				if err == nil {
					t.Fatalf("no error, want %s", c.wantCode)
				}
				wantErr(t, err, c.wantCode, map[string]string{"InvalidInputException": "INPUT_REQUIRED"}[c.wantCode])
				return
			}
			checkErr(t, err, "", "")
			got := must(s.ListTagsForResource(ctx, mgmt, ListTagsForResourceInput{ResourceId: c.resource}))(t).Tags
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("tags %v, want %v", got, c.want)
			}
		})
	}

	if got := must(s.ListTagsForResource(ctx, mgmt, ListTagsForResourceInput{ResourceId: FullAWSAccessPolicyID}))(t).Tags; len(got) != 0 {
		t.Errorf("tags of FullAWSAccess: %v", got)
	}
	// Tags go with their resource.
	must(s.DetachPolicy(ctx, mgmt, DetachPolicyInput{PolicyId: sd.scp, TargetId: sd.retailOU}))(t)
	must(s.DetachPolicy(ctx, mgmt, DetachPolicyInput{PolicyId: sd.scp, TargetId: sd.techOU}))(t)
	must(s.DetachPolicy(ctx, mgmt, DetachPolicyInput{PolicyId: sd.scp, TargetId: sd.sharedOU}))(t)
	must(s.DeletePolicy(ctx, mgmt, DeletePolicyInput{PolicyId: sd.scp}))(t)
	_, err := s.ListTagsForResource(ctx, mgmt, ListTagsForResourceInput{ResourceId: sd.scp})
	wantErr(t, err, "TargetNotFoundException", "")
}
