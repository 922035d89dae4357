package org

import (
	"context"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestCreateOrganizationalUnit(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	o := newOrg(t, s)
	root := rootID(t, s)
	member := newAccount(t, s, "member")
	// A chain of five levels: root > l1 > l2 > l3 > l4 > l5.
	levels := []string{root}
	for i := 1; i <= 5; i++ {
		levels = append(levels, newOU(t, s, levels[i-1], "level"))
	}
	newOU(t, s, root, "retail") // the name the duplicate case reuses
	for _, c := range []struct {
		name       string
		caller     string
		parent     string
		ouName     string
		wantCode   string
		wantReason string
	}{
		{name: "under the root", caller: mgmtID, parent: root, ouName: "technology"},
		{name: "same name under another parent", caller: mgmtID, parent: levels[1], ouName: "retail"},
		{name: "fifth level", caller: mgmtID, parent: levels[4], ouName: "sibling of level 5"},
		{name: "sixth level", caller: mgmtID, parent: levels[5], ouName: "too deep", wantCode: "ConstraintViolationException", wantReason: "OU_DEPTH_LIMIT_EXCEEDED"},
		{name: "same name under the same parent", caller: mgmtID, parent: root, ouName: "retail", wantCode: "DuplicateOrganizationalUnitException"},
		{name: "parent not found", caller: mgmtID, parent: "ou-" + strings.TrimPrefix(root, "r-") + "-zzzzzzzz", ouName: "x", wantCode: "ParentNotFoundException"},
		{name: "other root", caller: mgmtID, parent: "r-zzzz", ouName: "x", wantCode: "ParentNotFoundException"},
		{name: "parent not an id", caller: mgmtID, parent: "retail", ouName: "x", wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
		{name: "no parent", caller: mgmtID, ouName: "x", wantCode: "InvalidInputException", wantReason: "INPUT_REQUIRED"},
		{name: "no name", caller: mgmtID, parent: root, wantCode: "InvalidInputException", wantReason: "INPUT_REQUIRED"},
		{name: "name too long", caller: mgmtID, parent: root, ouName: strings.Repeat("n", 129), wantCode: "InvalidInputException", wantReason: "MAX_LENGTH_EXCEEDED"},
		{name: "member account", caller: member, parent: root, ouName: "x", wantCode: "AccessDeniedException"},
		{name: "account in no organization", caller: otherID, parent: root, ouName: "x", wantCode: "AWSOrganizationsNotInUseException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := s.CreateOrganizationalUnit(ctx, rootOf(c.caller), CreateOrganizationalUnitInput{ParentId: c.parent, Name: c.ouName})
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil {
				return
			}
			ou := out.OrganizationalUnit
			suffix := strings.TrimPrefix(root, "r-")
			if !regexp.MustCompile(`^ou-`+suffix+`-[0-9a-z]{8}$`).MatchString(ou.Id) || ou.Name != c.ouName ||
				ou.Arn != "arn:aws:organizations::"+mgmtID+":ou/"+o.Id+"/"+ou.Id {
				t.Errorf("OU %+v", ou)
			}
			parentPath := o.Id + "/" + root + "/"
			if c.parent != root {
				parentPath = must(s.DescribeOrganizationalUnit(ctx, mgmt, DescribeOrganizationalUnitInput{OrganizationalUnitId: c.parent}))(t).OrganizationalUnit.Path
			}
			if ou.Path != parentPath+ou.Id+"/" {
				t.Errorf("path %q, want %q", ou.Path, parentPath+ou.Id+"/")
			}
			pols := must(s.ListPoliciesForTarget(ctx, mgmt, ListPoliciesForTargetInput{TargetId: ou.Id, Filter: PolicyTypeServiceControlPolicy}))(t).Policies
			if len(pols) != 1 || pols[0].Id != FullAWSAccessPolicyID {
				t.Errorf("SCPs of a new OU: %+v", pols)
			}
		})
	}
}

func TestDescribeUpdateDeleteOrganizationalUnit(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	root := rootID(t, s)
	retail := newOU(t, s, root, "retail")
	tech := newOU(t, s, root, "technology")
	child := newOU(t, s, tech, "platform")
	acctOU := newOU(t, s, root, "with account")
	acct := newAccount(t, s, "member")
	must(s.MoveAccount(ctx, mgmt, MoveAccountInput{AccountId: acct, SourceParentId: root, DestinationParentId: acctOU}))(t)
	missing := "ou-" + strings.TrimPrefix(root, "r-") + "-zzzzzzzz"

	t.Run("describe", func(t *testing.T) {
		for _, c := range []struct {
			name       string
			id         string
			wantCode   string
			wantReason string
		}{
			{name: "found", id: retail},
			{name: "not found", id: missing, wantCode: "OrganizationalUnitNotFoundException"},
			{name: "not an OU id", id: root, wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
		} {
			t.Run(c.name, func(t *testing.T) {
				out, err := s.DescribeOrganizationalUnit(ctx, mgmt, DescribeOrganizationalUnitInput{OrganizationalUnitId: c.id})
				checkErr(t, err, c.wantCode, c.wantReason)
				if err == nil && (out.OrganizationalUnit.Id != c.id || out.OrganizationalUnit.Name != "retail") {
					t.Errorf("OU %+v", out.OrganizationalUnit)
				}
			})
		}
	})

	t.Run("update", func(t *testing.T) {
		for _, c := range []struct {
			name       string
			id         string
			newName    *string
			wantName   string
			wantCode   string
			wantReason string
		}{
			{name: "rename", id: retail, newName: ptr("retail stores"), wantName: "retail stores"},
			{name: "same name", id: retail, newName: ptr("retail stores"), wantName: "retail stores"},
			{name: "no name", id: retail, wantName: "retail stores"},
			{name: "name of a sibling", id: retail, newName: ptr("technology"), wantCode: "DuplicateOrganizationalUnitException"},
			{name: "name of an OU elsewhere", id: child, newName: ptr("retail stores"), wantName: "retail stores"},
			{name: "empty name", id: retail, newName: ptr(""), wantCode: "InvalidInputException", wantReason: "MIN_LENGTH_EXCEEDED"},
			{name: "not found", id: missing, newName: ptr("x"), wantCode: "OrganizationalUnitNotFoundException"},
		} {
			t.Run(c.name, func(t *testing.T) {
				out, err := s.UpdateOrganizationalUnit(ctx, mgmt, UpdateOrganizationalUnitInput{OrganizationalUnitId: c.id, Name: c.newName})
				checkErr(t, err, c.wantCode, c.wantReason)
				if err == nil && out.OrganizationalUnit.Name != c.wantName {
					t.Errorf("name %q, want %q", out.OrganizationalUnit.Name, c.wantName)
				}
			})
		}
		_, err := s.UpdateOrganizationalUnit(ctx, rootOf(acct), UpdateOrganizationalUnitInput{OrganizationalUnitId: retail, Name: ptr("x")})
		wantErr(t, err, "AccessDeniedException", "")
	})

	t.Run("delete", func(t *testing.T) {
		scp := newSCP(t, s, "on retail", denySCP("ec2:*"))
		must(s.AttachPolicy(ctx, mgmt, AttachPolicyInput{PolicyId: scp, TargetId: retail}))(t)
		must(s.TagResource(ctx, mgmt, TagResourceInput{ResourceId: retail, Tags: []Tag{{Key: "team", Value: "shops"}}}))(t)
		for _, c := range []struct {
			name     string
			id       string
			wantCode string
		}{
			{name: "with a child OU", id: tech, wantCode: "OrganizationalUnitNotEmptyException"},
			{name: "with an account", id: acctOU, wantCode: "OrganizationalUnitNotEmptyException"},
			{name: "empty", id: retail},
			{name: "deleted already", id: retail, wantCode: "OrganizationalUnitNotFoundException"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := s.DeleteOrganizationalUnit(ctx, mgmt, DeleteOrganizationalUnitInput{OrganizationalUnitId: c.id})
				checkErr(t, err, c.wantCode, "")
			})
		}
		if targets := must(s.ListTargetsForPolicy(ctx, mgmt, ListTargetsForPolicyInput{PolicyId: scp}))(t).Targets; len(targets) != 0 {
			t.Errorf("targets of a policy of a deleted OU: %+v", targets)
		}
		must(s.DeletePolicy(ctx, mgmt, DeletePolicyInput{PolicyId: scp}))(t)
	})
}

func TestListChildrenAndParents(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	root := rootID(t, s)
	tech := newOU(t, s, root, "technology")
	platform := newOU(t, s, tech, "platform")
	a := newAccount(t, s, "a")
	b := newAccount(t, s, "b")
	must(s.MoveAccount(ctx, mgmt, MoveAccountInput{AccountId: b, SourceParentId: root, DestinationParentId: platform}))(t)

	for _, c := range []struct {
		name       string
		parent     string
		childType  ChildType
		want       []string
		wantCode   string
		wantReason string
	}{
		{name: "accounts in the root", parent: root, childType: ChildTypeAccount, want: sortedIDs(mgmtID, a)},
		{name: "OUs in the root", parent: root, childType: ChildTypeOrganizationalUnit, want: []string{tech}},
		{name: "accounts in a nested OU", parent: platform, childType: ChildTypeAccount, want: []string{b}},
		{name: "OUs in a leaf OU", parent: platform, childType: ChildTypeOrganizationalUnit, want: []string{}},
		{name: "invalid child type", parent: root, childType: "POLICY", wantCode: "InvalidInputException", wantReason: "INVALID_ENUM"},
		{name: "no child type", parent: root, wantCode: "InvalidInputException", wantReason: "INPUT_REQUIRED"},
		{name: "parent not found", parent: "r-zzzz", childType: ChildTypeAccount, wantCode: "ParentNotFoundException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := s.ListChildren(ctx, mgmt, ListChildrenInput{ParentId: c.parent, ChildType: c.childType})
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil {
				return
			}
			got := []string{}
			for _, ch := range out.Children {
				got = append(got, ch.Id)
				if ch.Type != c.childType {
					t.Errorf("child %+v", ch)
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("children %v, want %v", got, c.want)
			}
		})
	}

	for _, c := range []struct {
		name       string
		child      string
		want       Parent
		wantCode   string
		wantReason string
	}{
		{name: "account in the root", child: a, want: Parent{Id: root, Type: ParentTypeRoot}},
		{name: "account in an OU", child: b, want: Parent{Id: platform, Type: ParentTypeOrganizationalUnit}},
		{name: "OU in the root", child: tech, want: Parent{Id: root, Type: ParentTypeRoot}},
		{name: "OU in an OU", child: platform, want: Parent{Id: tech, Type: ParentTypeOrganizationalUnit}},
		{name: "account not in the organization", child: otherID, wantCode: "ChildNotFoundException"},
		{name: "root is no child", child: root, wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := s.ListParents(ctx, mgmt, ListParentsInput{ChildId: c.child})
			checkErr(t, err, c.wantCode, c.wantReason)
			if err == nil && !reflect.DeepEqual(out.Parents, []Parent{c.want}) {
				t.Errorf("parents %+v, want %+v", out.Parents, c.want)
			}
		})
	}
}

// sortedIDs returns ids sorted, as the List operations sort by id.
func sortedIDs(ids ...string) []string {
	out := append([]string{}, ids...)
	sort.Strings(out)
	return out
}
