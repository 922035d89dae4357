package org

import (
	"context"
	"os"
	"reflect"
	"testing"

	"gatehouse/store"
)

// seed is the organization of the mission's seed: three OUs (shared
// services, retail, technology), an account in each, and the Private
// Marketplace admin SCP attached to every OU.
type seed struct {
	org                          Organization
	root                         string
	sharedOU, retailOU, techOU   string
	sharedAcct, retailAcct, tech string
	scp, scpContent              string
}

func newSeed(t *testing.T, s *Service) seed {
	t.Helper()
	ctx := context.Background()
	content, err := os.ReadFile("testdata/pmp-admin-scp.json")
	if err != nil {
		t.Fatal(err)
	}
	sd := seed{org: newOrg(t, s), scpContent: string(content)}
	sd.root = rootID(t, s)
	sd.sharedOU = newOU(t, s, sd.root, "shared services")
	sd.retailOU = newOU(t, s, sd.root, "retail")
	sd.techOU = newOU(t, s, sd.root, "technology")
	for _, a := range []struct {
		name string
		ou   string
		id   *string
	}{
		{name: "shared-services", ou: sd.sharedOU, id: &sd.sharedAcct},
		{name: "retail", ou: sd.retailOU, id: &sd.retailAcct},
		{name: "technology", ou: sd.techOU, id: &sd.tech},
	} {
		*a.id = newAccount(t, s, a.name)
		must(s.MoveAccount(ctx, mgmt, MoveAccountInput{AccountId: *a.id, SourceParentId: sd.root, DestinationParentId: a.ou}))(t)
	}
	sd.scp = must(s.CreatePolicy(ctx, mgmt, CreatePolicyInput{
		Name: "ProcurementPolicy", Description: "Only procurement-manager administers the Private Marketplace",
		Type: PolicyTypeServiceControlPolicy, Content: sd.scpContent,
	}))(t).Policy.PolicySummary.Id
	for _, ou := range []string{sd.sharedOU, sd.retailOU, sd.techOU} {
		must(s.AttachPolicy(ctx, mgmt, AttachPolicyInput{PolicyId: sd.scp, TargetId: ou}))(t)
	}
	return sd
}

func TestSeedOrganization(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	sd := newSeed(t, s)

	ous := must(s.ListOrganizationalUnitsForParent(ctx, mgmt, ListOrganizationalUnitsForParentInput{ParentId: sd.root}))(t).OrganizationalUnits
	names := map[string]string{}
	for _, o := range ous {
		names[o.Name] = o.Id
		if want := sd.org.Id + "/" + sd.root + "/" + o.Id + "/"; o.Path != want {
			t.Errorf("OU %s path %q, want %q", o.Name, o.Path, want)
		}
	}
	if want := map[string]string{"shared services": sd.sharedOU, "retail": sd.retailOU, "technology": sd.techOU}; !reflect.DeepEqual(names, want) {
		t.Errorf("OUs under the root = %v, want %v", names, want)
	}

	for _, c := range []struct {
		ou, account string
	}{
		{ou: sd.sharedOU, account: sd.sharedAcct},
		{ou: sd.retailOU, account: sd.retailAcct},
		{ou: sd.techOU, account: sd.tech},
	} {
		accts := must(s.ListAccountsForParent(ctx, mgmt, ListAccountsForParentInput{ParentId: c.ou}))(t).Accounts
		if len(accts) != 1 || accts[0].Id != c.account {
			t.Errorf("accounts in %s = %+v, want %s", c.ou, accts, c.account)
		}
	}

	// LookupAccount describes a member as DescribeAccount does.
	described := must(s.DescribeAccount(ctx, mgmt, DescribeAccountInput{AccountId: sd.retailAcct}))(t).Account
	if want := sd.org.Id + "/" + sd.root + "/" + sd.retailOU + "/" + sd.retailAcct + "/"; !reflect.DeepEqual(described.Paths, []string{want}) {
		t.Errorf("account paths %v, want %v", described.Paths, want)
	}
	err := s.Store.View(ctx, func(tx store.Tx) error {
		got, ok, err := s.LookupAccount(ctx, tx, sd.retailAcct)
		if err != nil || !ok || !reflect.DeepEqual(got, described) {
			t.Errorf("LookupAccount = %+v %v %v, want %+v", got, ok, err, described)
		}
		if _, ok, err := s.LookupAccount(ctx, tx, "123412341234"); ok || err != nil {
			t.Errorf("LookupAccount of an unknown account = %v %v", ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	targets := must(s.ListTargetsForPolicy(ctx, mgmt, ListTargetsForPolicyInput{PolicyId: sd.scp}))(t).Targets
	var got []string
	for _, tg := range targets {
		got = append(got, tg.TargetId)
		if tg.Type != TargetTypeOrganizationalUnit {
			t.Errorf("target %+v, want an OU", tg)
		}
	}
	if len(got) != 3 {
		t.Errorf("seed SCP targets = %v, want the three OUs", got)
	}
}
