package org

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestAttachPolicy(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	root := rootID(t, s)
	ou := newOU(t, s, root, "retail")
	acct := newAccount(t, s, "a")
	var scps []string
	for i := range 5 {
		scps = append(scps, newSCP(t, s, fmt.Sprintf("scp%d", i), denySCP(fmt.Sprintf("s3:Get%d", i))))
	}
	rcp := must(s.CreatePolicy(ctx, mgmt, CreatePolicyInput{Name: "rcp", Type: PolicyTypeResourceControlPolicy,
		Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}`}))(t).Policy.PolicySummary.Id
	missingOU := "ou-" + strings.TrimPrefix(root, "r-") + "-zzzzzzzz"
	for _, c := range []struct {
		name       string
		caller     string
		policy     string
		target     string
		wantCode   string
		wantReason string
	}{
		// Every target has FullAWSAccess: four more SCPs reach the limit.
		{name: "1st customer SCP on an OU", caller: mgmtID, policy: scps[0], target: ou},
		{name: "2nd", caller: mgmtID, policy: scps[1], target: ou},
		{name: "3rd", caller: mgmtID, policy: scps[2], target: ou},
		{name: "4th, the fifth SCP", caller: mgmtID, policy: scps[3], target: ou},
		{name: "a sixth SCP", caller: mgmtID, policy: scps[4], target: ou, wantCode: "ConstraintViolationException", wantReason: "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"},
		{name: "attached already", caller: mgmtID, policy: scps[0], target: ou, wantCode: "DuplicatePolicyAttachmentException"},
		{name: "FullAWSAccess attached already", caller: mgmtID, policy: FullAWSAccessPolicyID, target: acct, wantCode: "DuplicatePolicyAttachmentException"},
		{name: "to the root", caller: mgmtID, policy: scps[4], target: root},
		{name: "to an account", caller: mgmtID, policy: scps[4], target: acct},
		{name: "to the management account", caller: mgmtID, policy: scps[4], target: mgmtID},
		{name: "type not enabled", caller: mgmtID, policy: rcp, target: ou, wantCode: "PolicyTypeNotEnabledException"},
		{name: "OU not found", caller: mgmtID, policy: scps[4], target: missingOU, wantCode: "TargetNotFoundException"},
		{name: "account not in the organization", caller: mgmtID, policy: scps[4], target: otherID, wantCode: "TargetNotFoundException"},
		{name: "other root", caller: mgmtID, policy: scps[4], target: "r-zzzz", wantCode: "TargetNotFoundException"},
		{name: "policy not found", caller: mgmtID, policy: "p-zzzzzzzz", target: ou, wantCode: "PolicyNotFoundException"},
		{name: "not a target id", caller: mgmtID, policy: scps[4], target: "o-1234567890", wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN_TARGET_ID"},
		{name: "member account", caller: acct, policy: scps[4], target: ou, wantCode: "AccessDeniedException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.AttachPolicy(ctx, rootOf(c.caller), AttachPolicyInput{PolicyId: c.policy, TargetId: c.target})
			checkErr(t, err, c.wantCode, c.wantReason)
		})
	}
	got := []string{}
	for _, p := range must(s.ListPoliciesForTarget(ctx, mgmt, ListPoliciesForTargetInput{TargetId: ou, Filter: PolicyTypeServiceControlPolicy}))(t).Policies {
		got = append(got, p.Id)
	}
	if want := sortedIDs(FullAWSAccessPolicyID, scps[0], scps[1], scps[2], scps[3]); !reflect.DeepEqual(got, want) {
		t.Errorf("SCPs on the OU %v, want %v", got, want)
	}
	targets := must(s.ListTargetsForPolicy(ctx, mgmt, ListTargetsForPolicyInput{PolicyId: scps[4]}))(t).Targets
	want := []PolicyTargetSummary{
		{TargetId: acct, Name: "a", Type: TargetTypeAccount},
		{TargetId: mgmtID, Name: "Management", Type: TargetTypeAccount},
		{TargetId: root, Name: "Root", Type: TargetTypeRoot},
	}
	sort.Slice(want, func(i, j int) bool { return want[i].TargetId < want[j].TargetId })
	if len(targets) != len(want) {
		t.Fatalf("targets %+v", targets)
	}
	for i := range want {
		if targets[i].TargetId != want[i].TargetId || targets[i].Name != want[i].Name || targets[i].Type != want[i].Type ||
			!strings.HasPrefix(targets[i].Arn, "arn:aws:organizations::"+mgmtID+":") {
			t.Errorf("target %d = %+v, want %+v", i, targets[i], want[i])
		}
	}

	// RCPs: five per target, RCPFullAWSAccess included.
	must(s.EnablePolicyType(ctx, mgmt, EnablePolicyTypeInput{RootId: root, PolicyType: PolicyTypeResourceControlPolicy}))(t)
	must(s.AttachPolicy(ctx, mgmt, AttachPolicyInput{PolicyId: rcp, TargetId: ou}))(t)
	for i := range 4 {
		id := must(s.CreatePolicy(ctx, mgmt, CreatePolicyInput{Name: fmt.Sprintf("rcp%d", i), Type: PolicyTypeResourceControlPolicy,
			Content: fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:Put%d","Resource":"*"}]}`, i)}))(t).Policy.PolicySummary.Id
		_, err := s.AttachPolicy(ctx, mgmt, AttachPolicyInput{PolicyId: id, TargetId: ou})
		if i < 3 {
			checkErr(t, err, "", "")
		} else {
			wantErr(t, err, "ConstraintViolationException", "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
		}
	}
}

func TestDetachPolicy(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	root := rootID(t, s)
	ou := newOU(t, s, root, "retail")
	acct := newAccount(t, s, "a")
	scp := newSCP(t, s, "scp", denySCP("s3:*"))
	other := newSCP(t, s, "other", denySCP("ec2:*"))
	must(s.AttachPolicy(ctx, mgmt, AttachPolicyInput{PolicyId: scp, TargetId: ou}))(t)
	must(s.EnablePolicyType(ctx, mgmt, EnablePolicyTypeInput{RootId: root, PolicyType: PolicyTypeResourceControlPolicy}))(t)
	for _, c := range []struct {
		name       string
		caller     string
		policy     string
		target     string
		wantCode   string
		wantReason string
	}{
		{name: "member account", caller: acct, policy: scp, target: ou, wantCode: "AccessDeniedException"},
		{name: "FullAWSAccess next to another SCP", caller: mgmtID, policy: FullAWSAccessPolicyID, target: ou},
		{name: "the last SCP of an OU", caller: mgmtID, policy: scp, target: ou, wantCode: "ConstraintViolationException", wantReason: "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"},
		{name: "the last SCP of an account", caller: mgmtID, policy: FullAWSAccessPolicyID, target: acct, wantCode: "ConstraintViolationException", wantReason: "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"},
		{name: "the last SCP of the root", caller: mgmtID, policy: FullAWSAccessPolicyID, target: root, wantCode: "ConstraintViolationException", wantReason: "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"},
		{name: "not attached", caller: mgmtID, policy: other, target: ou, wantCode: "PolicyNotAttachedException"},
		{name: "detached already", caller: mgmtID, policy: FullAWSAccessPolicyID, target: ou, wantCode: "PolicyNotAttachedException"},
		{name: "RCPFullAWSAccess", caller: mgmtID, policy: RCPFullAWSAccessPolicyID, target: ou, wantCode: "InvalidInputException", wantReason: "NON_DETACHABLE_POLICY"},
		{name: "policy not found", caller: mgmtID, policy: "p-zzzzzzzz", target: ou, wantCode: "PolicyNotFoundException"},
		{name: "target not found", caller: mgmtID, policy: scp, target: "222222222222", wantCode: "TargetNotFoundException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.DetachPolicy(ctx, rootOf(c.caller), DetachPolicyInput{PolicyId: c.policy, TargetId: c.target})
			checkErr(t, err, c.wantCode, c.wantReason)
		})
	}
	// Replacing FullAWSAccess with an allow list: attach first, then detach.
	must(s.AttachPolicy(ctx, mgmt, AttachPolicyInput{PolicyId: other, TargetId: acct}))(t)
	must(s.DetachPolicy(ctx, mgmt, DetachPolicyInput{PolicyId: FullAWSAccessPolicyID, TargetId: acct}))(t)
	if got, want := levelIDs(t, s, acct, PolicyTypeServiceControlPolicy), [][]string{{FullAWSAccessPolicyID}, {other}}; !reflect.DeepEqual(got, want) {
		t.Errorf("levels %v, want %v", got, want)
	}
}

func TestListPoliciesForTarget(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	sd := newSeed(t, s)
	for _, c := range []struct {
		name       string
		target     string
		filter     PolicyType
		want       []string
		wantCode   string
		wantReason string
	}{
		{name: "OU", target: sd.retailOU, filter: PolicyTypeServiceControlPolicy, want: sortedIDs(FullAWSAccessPolicyID, sd.scp)},
		{name: "root", target: sd.root, filter: PolicyTypeServiceControlPolicy, want: []string{FullAWSAccessPolicyID}},
		{name: "type not enabled", target: sd.root, filter: PolicyTypeResourceControlPolicy, want: []string{}},
		{name: "target not found", target: otherID, filter: PolicyTypeServiceControlPolicy, wantCode: "TargetNotFoundException"},
		{name: "no filter", target: sd.root, wantCode: "InvalidInputException", wantReason: "INPUT_REQUIRED"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := s.ListPoliciesForTarget(ctx, mgmt, ListPoliciesForTargetInput{TargetId: c.target, Filter: c.filter})
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil {
				return
			}
			got := []string{}
			for _, p := range out.Policies {
				got = append(got, p.Id)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("policies %v, want %v", got, c.want)
			}
		})
	}
	_, err := s.ListTargetsForPolicy(ctx, mgmt, ListTargetsForPolicyInput{PolicyId: "p-zzzzzzzz"})
	wantErr(t, err, "PolicyNotFoundException", "")
}
