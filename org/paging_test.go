package org

import (
	"context"
	"fmt"
	"reflect"
	"testing"
)

func TestPagination(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	root := rootID(t, s)
	for i := range 6 {
		newAccount(t, s, fmt.Sprintf("acct%d", i))
		newOU(t, s, root, fmt.Sprintf("ou%d", i))
		newSCP(t, s, fmt.Sprintf("scp%d", i), denySCP(fmt.Sprintf("s3:Get%d", i)))
	}

	// collect pages through a list operation with MaxResults n and
	// returns the ids and the number of pages.
	type lister func(token string, max *int32) ([]string, string, error)
	collect := func(t *testing.T, list lister, n int32) ([]string, int) {
		t.Helper()
		var all []string
		token, pages := "", 0
		for {
			ids, next, err := list(token, &n)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if len(ids) > int(n) {
				t.Fatalf("page of %d, MaxResults %d", len(ids), n)
			}
			all = append(all, ids...)
			if next == "" {
				return all, pages
			}
			token = next
		}
	}
	ops := []struct {
		name  string
		list  lister
		total int
	}{
		{name: "ListAccounts", total: 7, list: func(tok string, max *int32) ([]string, string, error) {
			out, err := s.ListAccounts(ctx, mgmt, ListAccountsInput{NextToken: tok, MaxResults: max})
			var ids []string
			for _, a := range out.Accounts {
				ids = append(ids, a.Id)
			}
			return ids, out.NextToken, err
		}},
		{name: "ListChildren", total: 6, list: func(tok string, max *int32) ([]string, string, error) {
			out, err := s.ListChildren(ctx, mgmt, ListChildrenInput{ParentId: root, ChildType: ChildTypeOrganizationalUnit, NextToken: tok, MaxResults: max})
			var ids []string
			for _, c := range out.Children {
				ids = append(ids, c.Id)
			}
			return ids, out.NextToken, err
		}},
		{name: "ListOrganizationalUnitsForParent", total: 6, list: func(tok string, max *int32) ([]string, string, error) {
			out, err := s.ListOrganizationalUnitsForParent(ctx, mgmt, ListOrganizationalUnitsForParentInput{ParentId: root, NextToken: tok, MaxResults: max})
			var ids []string
			for _, o := range out.OrganizationalUnits {
				ids = append(ids, o.Id)
			}
			return ids, out.NextToken, err
		}},
		{name: "ListPolicies", total: 7, list: func(tok string, max *int32) ([]string, string, error) {
			out, err := s.ListPolicies(ctx, mgmt, ListPoliciesInput{Filter: PolicyTypeServiceControlPolicy, NextToken: tok, MaxResults: max})
			var ids []string
			for _, p := range out.Policies {
				ids = append(ids, p.Id)
			}
			return ids, out.NextToken, err
		}},
		{name: "ListCreateAccountStatus", total: 6, list: func(tok string, max *int32) ([]string, string, error) {
			out, err := s.ListCreateAccountStatus(ctx, mgmt, ListCreateAccountStatusInput{NextToken: tok, MaxResults: max})
			var ids []string
			for _, c := range out.CreateAccountStatuses {
				ids = append(ids, c.Id)
			}
			return ids, out.NextToken, err
		}},
		{name: "ListTargetsForPolicy", total: 1 + 6 + 7, list: func(tok string, max *int32) ([]string, string, error) {
			out, err := s.ListTargetsForPolicy(ctx, mgmt, ListTargetsForPolicyInput{PolicyId: FullAWSAccessPolicyID, NextToken: tok, MaxResults: max})
			var ids []string
			for _, c := range out.Targets {
				ids = append(ids, c.TargetId)
			}
			return ids, out.NextToken, err
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			all, pages := collect(t, op.list, 20)
			if len(all) != op.total || pages != 1 {
				t.Fatalf("%d results in %d pages, want %d in 1", len(all), pages, op.total)
			}
			for _, n := range []int32{1, 2, 5} {
				got, pages := collect(t, op.list, n)
				if !reflect.DeepEqual(got, all) {
					t.Errorf("MaxResults %d: %v, want %v", n, got, all)
				}
				if want := (op.total + int(n) - 1) / int(n); pages != want {
					t.Errorf("MaxResults %d: %d pages, want %d", n, pages, want)
				}
			}
		})
	}

	// A token of one query is no token for another.
	accounts := must(s.ListAccounts(ctx, mgmt, ListAccountsInput{MaxResults: ptr(int32(2))}))(t).NextToken
	policies := must(s.ListPolicies(ctx, mgmt, ListPoliciesInput{Filter: PolicyTypeServiceControlPolicy, MaxResults: ptr(int32(2))}))(t).NextToken
	rootChildren := must(s.ListChildren(ctx, mgmt, ListChildrenInput{ParentId: root, ChildType: ChildTypeAccount, MaxResults: ptr(int32(2))}))(t).NextToken
	for _, c := range []struct {
		name       string
		call       func() error
		wantReason string
	}{
		{name: "garbage", wantReason: "INVALID_NEXT_TOKEN", call: func() error {
			_, err := s.ListAccounts(ctx, mgmt, ListAccountsInput{NextToken: "not a token"})
			return err
		}},
		{name: "token of another operation", wantReason: "INVALID_NEXT_TOKEN", call: func() error {
			_, err := s.ListAccounts(ctx, mgmt, ListAccountsInput{NextToken: policies})
			return err
		}},
		{name: "token of another filter", wantReason: "INVALID_NEXT_TOKEN", call: func() error {
			_, err := s.ListPolicies(ctx, mgmt, ListPoliciesInput{Filter: PolicyTypeResourceControlPolicy, NextToken: policies})
			return err
		}},
		{name: "token of another child type", wantReason: "INVALID_NEXT_TOKEN", call: func() error {
			_, err := s.ListChildren(ctx, mgmt, ListChildrenInput{ParentId: root, ChildType: ChildTypeOrganizationalUnit, NextToken: rootChildren})
			return err
		}},
		{name: "MaxResults 0", wantReason: "MIN_VALUE_EXCEEDED", call: func() error {
			_, err := s.ListAccounts(ctx, mgmt, ListAccountsInput{NextToken: accounts, MaxResults: ptr(int32(0))})
			return err
		}},
		{name: "MaxResults 21", wantReason: "MAX_VALUE_EXCEEDED", call: func() error {
			_, err := s.ListAccounts(ctx, mgmt, ListAccountsInput{MaxResults: ptr(int32(21))})
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.call(), "InvalidInputException", c.wantReason) })
	}

	// Without MaxResults a page holds 20 results.
	for i := range 15 {
		newAccount(t, s, fmt.Sprintf("more%d", i))
	}
	out := must(s.ListAccounts(ctx, mgmt, ListAccountsInput{}))(t)
	if len(out.Accounts) != 20 || out.NextToken == "" {
		t.Fatalf("first page %d accounts, token %q", len(out.Accounts), out.NextToken)
	}
	rest := must(s.ListAccounts(ctx, mgmt, ListAccountsInput{NextToken: out.NextToken}))(t)
	if len(rest.Accounts) != 2 || rest.NextToken != "" {
		t.Fatalf("second page %d accounts, token %q", len(rest.Accounts), rest.NextToken)
	}
}
