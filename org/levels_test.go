package org

import (
	"context"
	"reflect"
	"sort"
	"testing"

	"gatehouse/store"
)

// levelIDs returns the policy ids of PolicyLevels by level.
func levelIDs(t *testing.T, s *Service, account string, typ PolicyType) [][]string {
	t.Helper()
	var levels [][]PolicyDocument
	err := s.Store.View(context.Background(), func(tx store.Tx) error {
		var err error
		levels, err = s.PolicyLevels(context.Background(), tx, account, string(typ))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if levels == nil {
		return nil
	}
	out := [][]string{}
	for _, l := range levels {
		ids := []string{}
		for _, d := range l {
			ids = append(ids, d.Id)
			if d.Content == "" {
				t.Errorf("policy %s has no content", d.Id)
			}
		}
		sort.Strings(ids)
		out = append(out, ids)
	}
	return out
}

// sorted sorts each level of want, as levelIDs sorts what it returns.
func sorted(want [][]string) [][]string {
	for _, l := range want {
		sort.Strings(l)
	}
	return want
}

func TestPolicyLevels(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	sd := newSeed(t, s)
	// A nested OU under technology with an account and an SCP on it.
	platform := newOU(t, s, sd.techOU, "platform")
	dev := newAccount(t, s, "platform-dev")
	must(s.MoveAccount(ctx, mgmt, MoveAccountInput{AccountId: dev, SourceParentId: sd.root, DestinationParentId: platform}))(t)
	denyS3 := newSCP(t, s, "DenyS3", denySCP("s3:*"))
	must(s.AttachPolicy(ctx, mgmt, AttachPolicyInput{PolicyId: denyS3, TargetId: dev}))(t)

	full := FullAWSAccessPolicyID
	for _, c := range []struct {
		name    string
		account string
		typ     PolicyType
		want    [][]string
	}{
		{name: "account in an OU", account: sd.retailAcct, typ: PolicyTypeServiceControlPolicy, want: [][]string{{full}, {full, sd.scp}, {full}}},
		{name: "account two OUs deep", account: dev, typ: PolicyTypeServiceControlPolicy, want: [][]string{{full}, {full, sd.scp}, {full}, {full, denyS3}}},
		{name: "management account is not exempt", account: mgmtID, typ: PolicyTypeServiceControlPolicy, want: [][]string{{full}, {full}}},
		{name: "type not enabled", account: sd.retailAcct, typ: PolicyTypeResourceControlPolicy, want: nil},
		{name: "account in no organization", account: otherID, typ: PolicyTypeServiceControlPolicy, want: nil},
		{name: "unknown account", account: "123412341234", typ: PolicyTypeServiceControlPolicy, want: nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := levelIDs(t, s, c.account, c.typ); !reflect.DeepEqual(got, sorted(c.want)) {
				t.Errorf("PolicyLevels = %v, want %v", got, c.want)
			}
		})
	}

	// The seed SCP's content is returned as stored.
	err := s.Store.View(ctx, func(tx store.Tx) error {
		levels, err := s.PolicyLevels(ctx, tx, sd.retailAcct, "SERVICE_CONTROL_POLICY")
		if err != nil {
			return err
		}
		found := false
		for _, d := range levels[1] {
			if d.Id == sd.scp {
				found = d.Content == sd.scpContent
			}
		}
		if !found {
			t.Errorf("OU level policies = %+v, want the seed SCP with its content", levels[1])
		}
		if got := levels[0][0].Content; got != fullAWSAccess.Content {
			t.Errorf("FullAWSAccess content = %q", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// RCPs once enabled: RCPFullAWSAccess at every level.
	must(s.EnablePolicyType(ctx, mgmt, EnablePolicyTypeInput{RootId: sd.root, PolicyType: PolicyTypeResourceControlPolicy}))(t)
	rfull := RCPFullAWSAccessPolicyID
	if got, want := levelIDs(t, s, dev, PolicyTypeResourceControlPolicy), [][]string{{rfull}, {rfull}, {rfull}, {rfull}}; !reflect.DeepEqual(got, want) {
		t.Errorf("RCP levels = %v, want %v", got, want)
	}
}

func TestAccountContext(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	sd := newSeed(t, s)
	platform := newOU(t, s, sd.techOU, "platform")
	dev := newAccount(t, s, "platform-dev")
	must(s.MoveAccount(ctx, mgmt, MoveAccountInput{AccountId: dev, SourceParentId: sd.root, DestinationParentId: platform}))(t)
	o, r := sd.org.Id, sd.root
	for _, c := range []struct {
		name      string
		account   string
		wantOrg   string
		wantPaths []string
		wantMgmt  string
	}{
		{name: "management account in the root", account: mgmtID, wantOrg: o, wantPaths: []string{o + "/" + r + "/"}, wantMgmt: mgmtID},
		{name: "account in an OU", account: sd.retailAcct, wantOrg: o, wantPaths: []string{o + "/" + r + "/" + sd.retailOU + "/"}, wantMgmt: mgmtID},
		{name: "account in a nested OU", account: dev, wantOrg: o, wantPaths: []string{o + "/" + r + "/" + sd.techOU + "/" + platform + "/"}, wantMgmt: mgmtID},
		{name: "account in no organization", account: otherID},
		{name: "unknown account", account: "123412341234"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := s.Store.View(ctx, func(tx store.Tx) error {
				org, paths, m, err := s.AccountContext(ctx, tx, c.account)
				if err != nil {
					return err
				}
				if org != c.wantOrg || !reflect.DeepEqual(paths, c.wantPaths) || m != c.wantMgmt {
					t.Errorf("AccountContext = %q %v %q, want %q %v %q", org, paths, m, c.wantOrg, c.wantPaths, c.wantMgmt)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
