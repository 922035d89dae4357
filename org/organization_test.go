package org

import (
	"context"
	"gatehouse/store"
	"reflect"
	"regexp"
	"testing"
)

func TestCreateOrganization(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name       string
		caller     string
		featureSet OrganizationFeatureSet
		twice      bool
		wantCode   string
		wantReason string
		wantTypes  []PolicyTypeSummary
	}{
		{name: "all features by default", caller: mgmtID, wantTypes: []PolicyTypeSummary{{Type: PolicyTypeServiceControlPolicy, Status: PolicyTypeStatusEnabled}}},
		{name: "all features", caller: mgmtID, featureSet: FeatureSetAll, wantTypes: []PolicyTypeSummary{{Type: PolicyTypeServiceControlPolicy, Status: PolicyTypeStatusEnabled}}},
		{name: "consolidated billing enables no policy type", caller: mgmtID, featureSet: FeatureSetConsolidatedBilling, wantTypes: []PolicyTypeSummary{}},
		{name: "invalid feature set", caller: mgmtID, featureSet: "SOME", wantCode: "InvalidInputException", wantReason: "INVALID_ENUM"},
		{name: "already in an organization", caller: mgmtID, twice: true, wantCode: "AlreadyInOrganizationException"},
		{name: "account not in the registry", caller: "123412341234", wantCode: "AccessDeniedException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newService(t)
			if c.twice {
				newOrg(t, s)
			}
			out, err := s.CreateOrganization(ctx, rootOf(c.caller), CreateOrganizationInput{FeatureSet: c.featureSet})
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil {
				return
			}
			o := out.Organization
			if !regexp.MustCompile(`^o-[a-z0-9]{10}$`).MatchString(o.Id) {
				t.Errorf("organization id %q", o.Id)
			}
			if o.Arn != "arn:aws:organizations::"+mgmtID+":organization/"+o.Id ||
				o.MasterAccountArn != "arn:aws:organizations::"+mgmtID+":account/"+o.Id+"/"+mgmtID ||
				o.MasterAccountId != mgmtID || o.MasterAccountEmail != "mgmt@example.com" {
				t.Errorf("organization %+v", o)
			}
			if want := c.featureSet; want != "" && o.FeatureSet != want || want == "" && o.FeatureSet != FeatureSetAll {
				t.Errorf("feature set %q", o.FeatureSet)
			}
			if !reflect.DeepEqual(o.AvailablePolicyTypes, c.wantTypes) {
				t.Errorf("policy types %v, want %v", o.AvailablePolicyTypes, c.wantTypes)
			}
			roots := must(s.ListRoots(ctx, mgmt, ListRootsInput{}))(t).Roots
			if len(roots) != 1 || !regexp.MustCompile(`^r-[0-9a-z]{4}$`).MatchString(roots[0].Id) || roots[0].Name != "Root" ||
				roots[0].Arn != "arn:aws:organizations::"+mgmtID+":root/"+o.Id+"/"+roots[0].Id {
				t.Errorf("roots %+v", roots)
			}
			acct := must(s.DescribeAccount(ctx, mgmt, DescribeAccountInput{AccountId: mgmtID}))(t).Account
			if acct.JoinedMethod != AccountJoinedMethodInvited || acct.Status != AccountStatusActive || acct.Email != "mgmt@example.com" ||
				!reflect.DeepEqual(acct.Paths, []string{o.Id + "/" + roots[0].Id + "/" + mgmtID + "/"}) {
				t.Errorf("management account %+v", acct)
			}
			wantSCPs := 0
			if o.FeatureSet == FeatureSetAll {
				wantSCPs = 1
			}
			for _, target := range []string{roots[0].Id, mgmtID} {
				pols, err := s.ListPoliciesForTarget(ctx, mgmt, ListPoliciesForTargetInput{TargetId: target, Filter: PolicyTypeServiceControlPolicy})
				if err != nil {
					t.Fatal(err)
				}
				if len(pols.Policies) != wantSCPs || wantSCPs == 1 && pols.Policies[0].Id != FullAWSAccessPolicyID {
					t.Errorf("SCPs on %s: %+v", target, pols.Policies)
				}
			}
		})
	}
}

func TestDescribeOrganization(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	o := newOrg(t, s)
	member := newAccount(t, s, "member")
	for _, c := range []struct {
		name     string
		caller   string
		wantCode string
	}{
		{name: "management account", caller: mgmtID},
		{name: "any member account", caller: member},
		{name: "account in no organization", caller: otherID, wantCode: "AWSOrganizationsNotInUseException"},
		{name: "unknown account", caller: "123412341234", wantCode: "AWSOrganizationsNotInUseException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := s.DescribeOrganization(ctx, rootOf(c.caller), DescribeOrganizationInput{})
			checkErr(t, err, c.wantCode, "")
			if err == nil && !reflect.DeepEqual(out.Organization, o) {
				t.Errorf("DescribeOrganization = %+v, want %+v", out.Organization, o)
			}
		})
	}
	_, err := s.DescribeOrganization(ctx, nil, DescribeOrganizationInput{})
	wantErr(t, err, "AccessDeniedException", "")
}

// TestDescribeOrganizationCache checks that DescribeOrganization, whose
// answers are kept in memory, answers from the current state after every
// kind of change to the records it is made of.
func TestDescribeOrganizationCache(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	member := newAccount(t, s, "member")
	describe := func(account string) (Organization, error) {
		out, err := s.DescribeOrganization(ctx, rootOf(account), DescribeOrganizationInput{})
		return out.Organization, err
	}
	before := must(describe(member))(t)
	must(s.EnablePolicyType(ctx, mgmt, EnablePolicyTypeInput{RootId: rootID(t, s), PolicyType: PolicyTypeTagPolicy}))(t)
	if got := must(describe(member))(t).AvailablePolicyTypes; len(got) != len(before.AvailablePolicyTypes)+1 {
		t.Errorf("policy types after enabling tag policies: %+v, before: %+v", got, before.AvailablePolicyTypes)
	}
	must(s.RemoveAccountFromOrganization(ctx, mgmt, RemoveAccountFromOrganizationInput{AccountId: member}))(t)
	_, err := describe(member)
	wantErr(t, err, "AWSOrganizationsNotInUseException", "")

	// Inside a transaction the answer is that transaction's view.
	err = s.Store.Update(ctx, func(tx store.Tx) error {
		a, _, err := get[accountRec](ctx, tx, kindAccount, mgmtID)
		if err != nil {
			return err
		}
		a.Email = "renamed@example.com"
		if err := putAccount(ctx, tx, &a); err != nil {
			return err
		}
		out, err := s.DescribeOrganization(store.WithTx(ctx, tx, false), mgmt, DescribeOrganizationInput{})
		if err != nil {
			return err
		}
		if got := out.Organization.MasterAccountEmail; got != "renamed@example.com" {
			t.Errorf("inside the transaction: MasterAccountEmail = %q", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := must(describe(mgmtID))(t).MasterAccountEmail; got != "renamed@example.com" {
		t.Errorf("after the commit: MasterAccountEmail = %q", got)
	}
}

func TestDeleteOrganization(t *testing.T) {
	ctx := context.Background()
	t.Run("not empty, then empty", func(t *testing.T) {
		s := newService(t)
		newOrg(t, s)
		root := rootID(t, s)
		newOU(t, s, root, "left behind")
		newSCP(t, s, "scp", denySCP("s3:*"))
		member := newAccount(t, s, "member")
		_, err := s.DeleteOrganization(ctx, rootOf(member), DeleteOrganizationInput{})
		wantErr(t, err, "AccessDeniedException", "")
		_, err = s.DeleteOrganization(ctx, mgmt, DeleteOrganizationInput{})
		wantErr(t, err, "OrganizationNotEmptyException", "")
		must(s.RemoveAccountFromOrganization(ctx, mgmt, RemoveAccountFromOrganizationInput{AccountId: member}))(t)
		must(s.DeleteOrganization(ctx, mgmt, DeleteOrganizationInput{}))(t)
		_, err = s.DescribeOrganization(ctx, mgmt, DescribeOrganizationInput{})
		wantErr(t, err, "AWSOrganizationsNotInUseException", "")
		_, err = s.DeleteOrganization(ctx, mgmt, DeleteOrganizationInput{})
		wantErr(t, err, "AWSOrganizationsNotInUseException", "")
		if got := levelIDs(t, s, mgmtID, PolicyTypeServiceControlPolicy); got != nil {
			t.Errorf("policy levels after delete: %v", got)
		}
		// The management account can create a new organization.
		o2 := newOrg(t, s)
		if pols := must(s.ListPolicies(ctx, mgmt, ListPoliciesInput{Filter: PolicyTypeServiceControlPolicy}))(t).Policies; len(pols) != 1 {
			t.Errorf("policies of the new organization %s: %+v", o2.Id, pols)
		}
		if ous := must(s.ListOrganizationalUnitsForParent(ctx, mgmt, ListOrganizationalUnitsForParentInput{ParentId: rootID(t, s)}))(t).OrganizationalUnits; len(ous) != 0 {
			t.Errorf("OUs of the new organization: %+v", ous)
		}
		// The removed account can create its own.
		must(s.CreateOrganization(ctx, rootOf(member), CreateOrganizationInput{}))(t)
	})
}

func TestListRoots(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	member := newAccount(t, s, "member")
	_, err := s.ListRoots(ctx, rootOf(member), ListRootsInput{})
	wantErr(t, err, "AccessDeniedException", "")
	_, err = s.ListRoots(ctx, rootOf(otherID), ListRootsInput{})
	wantErr(t, err, "AWSOrganizationsNotInUseException", "")
	_, err = s.ListRoots(ctx, mgmt, ListRootsInput{MaxResults: ptr(int32(0))})
	wantErr(t, err, "InvalidInputException", "MIN_VALUE_EXCEEDED")
}
