package org

import (
	"context"
	"testing"
)

// TestGeneration checks that every change to policies, attachments,
// memberships, the OU tree or the enabled policy types bumps the store's
// generation, and that reads do not.
func TestGeneration(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	var sd seed
	var extraOU, acct, pol string
	steps := []struct {
		name string
		bump bool
		run  func(t *testing.T)
	}{
		{name: "seed organization", bump: true, run: func(t *testing.T) { sd = newSeed(t, s) }},
		{name: "DescribeOrganization", run: func(t *testing.T) { must(s.DescribeOrganization(ctx, mgmt, DescribeOrganizationInput{}))(t) }},
		{name: "CreateOrganizationalUnit", bump: true, run: func(t *testing.T) { extraOU = newOU(t, s, sd.root, "extra") }},
		{name: "CreateAccount", bump: true, run: func(t *testing.T) { acct = newAccount(t, s, "gen") }},
		{name: "MoveAccount", bump: true, run: func(t *testing.T) {
			must(s.MoveAccount(ctx, mgmt, MoveAccountInput{AccountId: acct, SourceParentId: sd.root, DestinationParentId: extraOU}))(t)
		}},
		{name: "CreatePolicy", bump: true, run: func(t *testing.T) { pol = newSCP(t, s, "gen", denySCP("s3:*")) }},
		{name: "UpdatePolicy", bump: true, run: func(t *testing.T) {
			must(s.UpdatePolicy(ctx, mgmt, UpdatePolicyInput{PolicyId: pol, Content: ptr(denySCP("s3:Get*"))}))(t)
		}},
		{name: "AttachPolicy", bump: true, run: func(t *testing.T) {
			must(s.AttachPolicy(ctx, mgmt, AttachPolicyInput{PolicyId: pol, TargetId: acct}))(t)
		}},
		{name: "ListPoliciesForTarget", run: func(t *testing.T) {
			must(s.ListPoliciesForTarget(ctx, mgmt, ListPoliciesForTargetInput{TargetId: acct, Filter: PolicyTypeServiceControlPolicy}))(t)
		}},
		{name: "DetachPolicy", bump: true, run: func(t *testing.T) {
			must(s.DetachPolicy(ctx, mgmt, DetachPolicyInput{PolicyId: pol, TargetId: acct}))(t)
		}},
		{name: "DeletePolicy", bump: true, run: func(t *testing.T) { must(s.DeletePolicy(ctx, mgmt, DeletePolicyInput{PolicyId: pol}))(t) }},
		{name: "EnablePolicyType", bump: true, run: func(t *testing.T) {
			must(s.EnablePolicyType(ctx, mgmt, EnablePolicyTypeInput{RootId: sd.root, PolicyType: PolicyTypeResourceControlPolicy}))(t)
		}},
		{name: "DisablePolicyType", bump: true, run: func(t *testing.T) {
			must(s.DisablePolicyType(ctx, mgmt, DisablePolicyTypeInput{RootId: sd.root, PolicyType: PolicyTypeResourceControlPolicy}))(t)
		}},
		{name: "CloseAccount", bump: true, run: func(t *testing.T) { must(s.CloseAccount(ctx, mgmt, CloseAccountInput{AccountId: acct}))(t) }},
		{name: "RemoveAccountFromOrganization", bump: true, run: func(t *testing.T) {
			must(s.RemoveAccountFromOrganization(ctx, mgmt, RemoveAccountFromOrganizationInput{AccountId: acct}))(t)
		}},
		{name: "DeleteOrganizationalUnit", bump: true, run: func(t *testing.T) {
			must(s.DeleteOrganizationalUnit(ctx, mgmt, DeleteOrganizationalUnitInput{OrganizationalUnitId: extraOU}))(t)
		}},
		{name: "failed AttachPolicy", run: func(t *testing.T) {
			_, err := s.AttachPolicy(ctx, mgmt, AttachPolicyInput{PolicyId: sd.scp, TargetId: sd.retailOU})
			wantErr(t, err, "DuplicatePolicyAttachmentException", "")
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before, err := s.Store.Generation(ctx)
			if err != nil {
				t.Fatal(err)
			}
			st.run(t)
			after, err := s.Store.Generation(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if bumped := after > before; bumped != st.bump {
				t.Errorf("generation %d -> %d, want bumped %v", before, after, st.bump)
			}
		})
	}
}
