package org

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestCreatePolicy(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	o := newOrg(t, s)
	member := newAccount(t, s, "member")
	newSCP(t, s, "Existing", denySCP("s3:*"))
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/x":"` + strings.Repeat("a", 5200) + `"}}}]}`
	rcp := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
	for _, c := range []struct {
		name       string
		caller     string
		in         CreatePolicyInput
		wantCode   string
		wantReason string
	}{
		{name: "SCP", caller: mgmtID, in: CreatePolicyInput{Name: "DenyEC2", Description: "no EC2", Type: PolicyTypeServiceControlPolicy, Content: denySCP("ec2:*")}},
		{name: "RCP before RCPs are enabled", caller: mgmtID, in: CreatePolicyInput{Name: "TLSOnly", Type: PolicyTypeResourceControlPolicy, Content: rcp}},
		{name: "same name, other type", caller: mgmtID, in: CreatePolicyInput{Name: "Existing", Type: PolicyTypeTagPolicy, Content: `{"tags":{}}`}},
		{name: "same name", caller: mgmtID, in: CreatePolicyInput{Name: "Existing", Type: PolicyTypeServiceControlPolicy, Content: denySCP("ec2:*")}, wantCode: "DuplicatePolicyException"},
		{name: "name of the AWS managed policy", caller: mgmtID, in: CreatePolicyInput{Name: "FullAWSAccess", Type: PolicyTypeServiceControlPolicy, Content: denySCP("ec2:*")}, wantCode: "DuplicatePolicyException"},
		{name: "not JSON", caller: mgmtID, in: CreatePolicyInput{Name: "x", Type: PolicyTypeServiceControlPolicy, Content: "{"}, wantCode: "MalformedPolicyDocumentException"},
		{name: "SCP with a principal", caller: mgmtID, in: CreatePolicyInput{Name: "x", Type: PolicyTypeServiceControlPolicy, Content: rcp}, wantCode: "MalformedPolicyDocumentException"},
		{name: "RCP allowing", caller: mgmtID, in: CreatePolicyInput{Name: "x", Type: PolicyTypeResourceControlPolicy, Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`}, wantCode: "MalformedPolicyDocumentException"},
		{name: "tag policy not JSON", caller: mgmtID, in: CreatePolicyInput{Name: "x", Type: PolicyTypeTagPolicy, Content: "tags"}, wantCode: "MalformedPolicyDocumentException"},
		{name: "over 5,120 characters", caller: mgmtID, in: CreatePolicyInput{Name: "x", Type: PolicyTypeServiceControlPolicy, Content: big}, wantCode: "ConstraintViolationException", wantReason: "POLICY_CONTENT_LIMIT_EXCEEDED"},
		{name: "invalid type", caller: mgmtID, in: CreatePolicyInput{Name: "x", Type: "IAM_POLICY", Content: "{}"}, wantCode: "InvalidInputException", wantReason: "INVALID_ENUM_POLICY_TYPE"},
		{name: "no content", caller: mgmtID, in: CreatePolicyInput{Name: "x", Type: PolicyTypeServiceControlPolicy}, wantCode: "InvalidInputException", wantReason: "INPUT_REQUIRED"},
		{name: "description too long", caller: mgmtID, in: CreatePolicyInput{Name: "x", Description: strings.Repeat("d", 513), Type: PolicyTypeServiceControlPolicy, Content: "{}"}, wantCode: "InvalidInputException", wantReason: "MAX_LENGTH_EXCEEDED"},
		{name: "member account", caller: member, in: CreatePolicyInput{Name: "x", Type: PolicyTypeServiceControlPolicy, Content: denySCP("ec2:*")}, wantCode: "AccessDeniedException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := s.CreatePolicy(ctx, rootOf(c.caller), c.in)
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil {
				return
			}
			p := out.Policy
			if !regexp.MustCompile(`^p-[0-9a-z]{8}$`).MatchString(p.PolicySummary.Id) {
				t.Errorf("policy id %q", p.PolicySummary.Id)
			}
			want := Policy{
				PolicySummary: PolicySummary{
					Id:   p.PolicySummary.Id,
					Arn:  "arn:aws:organizations::" + mgmtID + ":policy/" + o.Id + "/" + strings.ToLower(string(c.in.Type)) + "/" + p.PolicySummary.Id,
					Name: c.in.Name, Description: c.in.Description, Type: c.in.Type,
				},
				Content: c.in.Content,
			}
			if !reflect.DeepEqual(p, want) {
				t.Errorf("policy %+v, want %+v", p, want)
			}
			if got := must(s.DescribePolicy(ctx, mgmt, DescribePolicyInput{PolicyId: p.PolicySummary.Id}))(t).Policy; !reflect.DeepEqual(got, want) {
				t.Errorf("DescribePolicy = %+v", got)
			}
		})
	}

	t.Run("consolidated billing", func(t *testing.T) {
		s := newService(t)
		must(s.CreateOrganization(ctx, mgmt, CreateOrganizationInput{FeatureSet: FeatureSetConsolidatedBilling}))(t)
		_, err := s.CreatePolicy(ctx, mgmt, CreatePolicyInput{Name: "x", Type: PolicyTypeServiceControlPolicy, Content: denySCP("ec2:*")})
		wantErr(t, err, "PolicyTypeNotAvailableForOrganizationException", "")
		_, err = s.EnablePolicyType(ctx, mgmt, EnablePolicyTypeInput{RootId: rootID(t, s), PolicyType: PolicyTypeServiceControlPolicy})
		wantErr(t, err, "PolicyTypeNotAvailableForOrganizationException", "")
	})
}

func TestUpdateDeleteDescribePolicy(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	root := rootID(t, s)
	p := newSCP(t, s, "DenyS3", denySCP("s3:*"))
	newSCP(t, s, "DenyEC2", denySCP("ec2:*"))
	attached := newSCP(t, s, "Attached", denySCP("iam:*"))
	must(s.AttachPolicy(ctx, mgmt, AttachPolicyInput{PolicyId: attached, TargetId: root}))(t)

	for _, c := range []struct {
		name       string
		in         UpdatePolicyInput
		want       func(*Policy)
		wantCode   string
		wantReason string
	}{
		{name: "rename", in: UpdatePolicyInput{PolicyId: p, Name: ptr("DenyS3Everywhere")}, want: func(p *Policy) { p.PolicySummary.Name = "DenyS3Everywhere" }},
		{name: "description", in: UpdatePolicyInput{PolicyId: p, Description: ptr("")}, want: func(p *Policy) { p.PolicySummary.Description = "" }},
		{name: "content", in: UpdatePolicyInput{PolicyId: p, Content: ptr(denySCP("s3:Delete*"))}, want: func(p *Policy) { p.Content = denySCP("s3:Delete*") }},
		{name: "attached policy content", in: UpdatePolicyInput{PolicyId: attached, Content: ptr(denySCP("iam:Create*"))}},
		{name: "name of another policy", in: UpdatePolicyInput{PolicyId: p, Name: ptr("DenyEC2")}, wantCode: "DuplicatePolicyException"},
		{name: "malformed content", in: UpdatePolicyInput{PolicyId: p, Content: ptr(`{"Statement":[]}`)}, wantCode: "MalformedPolicyDocumentException"},
		{name: "empty content", in: UpdatePolicyInput{PolicyId: p, Content: ptr("")}, wantCode: "InvalidInputException", wantReason: "MIN_LENGTH_EXCEEDED"},
		{name: "AWS managed", in: UpdatePolicyInput{PolicyId: FullAWSAccessPolicyID, Name: ptr("x")}, wantCode: "InvalidInputException", wantReason: "IMMUTABLE_POLICY"},
		{name: "not found", in: UpdatePolicyInput{PolicyId: "p-zzzzzzzz", Name: ptr("x")}, wantCode: "PolicyNotFoundException"},
		{name: "not a policy id", in: UpdatePolicyInput{PolicyId: "policy", Name: ptr("x")}, wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
	} {
		t.Run("update "+c.name, func(t *testing.T) {
			before, _ := s.DescribePolicy(ctx, mgmt, DescribePolicyInput{PolicyId: c.in.PolicyId})
			out, err := s.UpdatePolicy(ctx, mgmt, c.in)
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil || c.want == nil {
				return
			}
			want := before.Policy
			c.want(&want)
			if !reflect.DeepEqual(out.Policy, want) {
				t.Errorf("policy %+v, want %+v", out.Policy, want)
			}
		})
	}

	for _, c := range []struct {
		name       string
		id         string
		wantCode   string
		wantReason string
	}{
		{name: "attached", id: attached, wantCode: "PolicyInUseException"},
		{name: "AWS managed", id: FullAWSAccessPolicyID, wantCode: "InvalidInputException", wantReason: "IMMUTABLE_POLICY"},
		{name: "unattached", id: p},
		{name: "deleted already", id: p, wantCode: "PolicyNotFoundException"},
	} {
		t.Run("delete "+c.name, func(t *testing.T) {
			_, err := s.DeletePolicy(ctx, mgmt, DeletePolicyInput{PolicyId: c.id})
			checkErr(t, err, c.wantCode, c.wantReason)
		})
	}

	t.Run("describe AWS managed", func(t *testing.T) {
		got := must(s.DescribePolicy(ctx, mgmt, DescribePolicyInput{PolicyId: FullAWSAccessPolicyID}))(t).Policy
		want := PolicySummary{
			Id: "p-FullAWSAccess", Arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
			Name: "FullAWSAccess", Description: "Allows access to every operation", Type: PolicyTypeServiceControlPolicy, AwsManaged: true,
		}
		if got.PolicySummary != want || !strings.Contains(got.Content, `"Action": "*"`) {
			t.Errorf("FullAWSAccess = %+v", got)
		}
	})
}

func TestListPolicies(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	a := newSCP(t, s, "a", denySCP("s3:*"))
	b := newSCP(t, s, "b", denySCP("ec2:*"))
	tag := must(s.CreatePolicy(ctx, mgmt, CreatePolicyInput{Name: "tags", Type: PolicyTypeTagPolicy, Content: `{"tags":{}}`}))(t).Policy.PolicySummary.Id
	for _, c := range []struct {
		name       string
		filter     PolicyType
		want       []string
		wantCode   string
		wantReason string
	}{
		{name: "SCPs with FullAWSAccess", filter: PolicyTypeServiceControlPolicy, want: sortedIDs(FullAWSAccessPolicyID, a, b)},
		{name: "RCPs", filter: PolicyTypeResourceControlPolicy, want: []string{RCPFullAWSAccessPolicyID}},
		{name: "tag policies", filter: PolicyTypeTagPolicy, want: []string{tag}},
		{name: "no filter", wantCode: "InvalidInputException", wantReason: "INPUT_REQUIRED"},
		{name: "invalid filter", filter: "X", wantCode: "InvalidInputException", wantReason: "INVALID_ENUM_POLICY_TYPE"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := s.ListPolicies(ctx, mgmt, ListPoliciesInput{Filter: c.filter})
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
}

func TestEnableDisablePolicyType(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	sd := newSeed(t, s)
	member := sd.retailAcct
	for _, c := range []struct {
		name       string
		caller     string
		root       string
		typ        PolicyType
		disable    bool
		wantTypes  []PolicyType
		wantCode   string
		wantReason string
	}{
		{name: "SCPs enabled at creation", caller: mgmtID, root: sd.root, typ: PolicyTypeServiceControlPolicy, wantCode: "PolicyTypeAlreadyEnabledException"},
		{name: "enable RCPs", caller: mgmtID, root: sd.root, typ: PolicyTypeResourceControlPolicy, wantTypes: []PolicyType{PolicyTypeServiceControlPolicy, PolicyTypeResourceControlPolicy}},
		{name: "enable tag policies", caller: mgmtID, root: sd.root, typ: PolicyTypeTagPolicy, wantTypes: []PolicyType{PolicyTypeServiceControlPolicy, PolicyTypeResourceControlPolicy, PolicyTypeTagPolicy}},
		{name: "disable tag policies", caller: mgmtID, root: sd.root, typ: PolicyTypeTagPolicy, disable: true, wantTypes: []PolicyType{PolicyTypeServiceControlPolicy, PolicyTypeResourceControlPolicy}},
		{name: "disable a disabled type", caller: mgmtID, root: sd.root, typ: PolicyTypeTagPolicy, disable: true, wantCode: "PolicyTypeNotEnabledException"},
		{name: "other root", caller: mgmtID, root: "r-zzzz", typ: PolicyTypeTagPolicy, wantCode: "RootNotFoundException"},
		{name: "not a root id", caller: mgmtID, root: sd.retailOU, typ: PolicyTypeTagPolicy, wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
		{name: "invalid type", caller: mgmtID, root: sd.root, typ: "X", wantCode: "InvalidInputException", wantReason: "INVALID_ENUM_POLICY_TYPE"},
		{name: "member account", caller: member, root: sd.root, typ: PolicyTypeTagPolicy, wantCode: "AccessDeniedException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var root Root
			var err error
			if c.disable {
				var out DisablePolicyTypeOutput
				out, err = s.DisablePolicyType(ctx, rootOf(c.caller), DisablePolicyTypeInput{RootId: c.root, PolicyType: c.typ})
				root = out.Root
			} else {
				var out EnablePolicyTypeOutput
				out, err = s.EnablePolicyType(ctx, rootOf(c.caller), EnablePolicyTypeInput{RootId: c.root, PolicyType: c.typ})
				root = out.Root
			}
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil {
				return
			}
			var got []PolicyType
			for _, pt := range root.PolicyTypes {
				got = append(got, pt.Type)
				if pt.Status != PolicyTypeStatusEnabled {
					t.Errorf("status %+v", pt)
				}
			}
			if !reflect.DeepEqual(got, c.wantTypes) || root.Id != sd.root {
				t.Errorf("root %+v, want types %v", root, c.wantTypes)
			}
		})
	}

	// RCPFullAWSAccess is attached to the root, every OU and every account.
	targets := must(s.ListTargetsForPolicy(ctx, mgmt, ListTargetsForPolicyInput{PolicyId: RCPFullAWSAccessPolicyID}))(t).Targets
	if len(targets) != 1+3+4 {
		t.Errorf("RCPFullAWSAccess targets: %d, want 8", len(targets))
	}
	// Disabling SCPs detaches every SCP, the seed's included, and keeps
	// the policies.
	must(s.DisablePolicyType(ctx, mgmt, DisablePolicyTypeInput{RootId: sd.root, PolicyType: PolicyTypeServiceControlPolicy}))(t)
	for _, p := range []string{FullAWSAccessPolicyID, sd.scp} {
		if targets := must(s.ListTargetsForPolicy(ctx, mgmt, ListTargetsForPolicyInput{PolicyId: p}))(t).Targets; len(targets) != 0 {
			t.Errorf("%s still attached to %+v", p, targets)
		}
	}
	if got := levelIDs(t, s, sd.retailAcct, PolicyTypeServiceControlPolicy); got != nil {
		t.Errorf("SCP levels with SCPs disabled: %v", got)
	}
	must(s.DescribePolicy(ctx, mgmt, DescribePolicyInput{PolicyId: sd.scp}))(t)
	// Enabling them again attaches FullAWSAccess only.
	must(s.EnablePolicyType(ctx, mgmt, EnablePolicyTypeInput{RootId: sd.root, PolicyType: PolicyTypeServiceControlPolicy}))(t)
	full := FullAWSAccessPolicyID
	if got, want := levelIDs(t, s, sd.retailAcct, PolicyTypeServiceControlPolicy), [][]string{{full}, {full}, {full}}; !reflect.DeepEqual(got, want) {
		t.Errorf("SCP levels after enabling again: %v, want %v", got, want)
	}
}
