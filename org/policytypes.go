package org

import (
	"context"
	"encoding/json"
	"unicode/utf8"

	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
)

// typeInfo holds the rules of one policy type.
type typeInfo struct {
	// language is the policy language the content is validated as, for
	// the authorization policy types (SCPs and RCPs); the other types
	// must be a JSON object of at most maxSize characters.
	language  policy.Type
	authz     bool
	maxSize   int
	maxAttach int // policies of the type attached to one target
	minAttach int // SCPs: every target keeps at least one
	// managed is the AWS managed policy attached everywhere while the
	// type is enabled; nil for none.
	managed *Policy
}

// The AWS managed policies attached when their type is enabled. Their
// content is AWS's.
var (
	fullAWSAccess = &Policy{
		PolicySummary: PolicySummary{
			Id:          "p-FullAWSAccess",
			Arn:         managedPolicyARN(PolicyTypeServiceControlPolicy, "p-FullAWSAccess"),
			Name:        "FullAWSAccess",
			Description: "Allows access to every operation",
			Type:        PolicyTypeServiceControlPolicy,
			AwsManaged:  true,
		},
		Content: "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}",
	}
	rcpFullAWSAccess = &Policy{
		PolicySummary: PolicySummary{
			Id:          "p-RCPFullAWSAccess",
			Arn:         managedPolicyARN(PolicyTypeResourceControlPolicy, "p-RCPFullAWSAccess"),
			Name:        "RCPFullAWSAccess",
			Description: "Allows access to every operation",
			Type:        PolicyTypeResourceControlPolicy,
			AwsManaged:  true,
		},
		Content: "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}",
	}
)

// FullAWSAccessPolicyID and RCPFullAWSAccessPolicyID are the ids of the
// AWS managed policies attached to every root, OU and account while SCPs,
// respectively RCPs, are enabled.
const (
	FullAWSAccessPolicyID    = "p-FullAWSAccess"
	RCPFullAWSAccessPolicyID = "p-RCPFullAWSAccess"
)

// managedPolicies are the AWS managed policies by id.
var managedPolicies = map[string]*Policy{
	fullAWSAccess.PolicySummary.Id:    fullAWSAccess,
	rcpFullAWSAccess.PolicySummary.Id: rcpFullAWSAccess,
}

// policyTypes are the policy types of the API. SCPs and RCPs follow AWS's
// quotas (5,120 characters, 5 per target, and at least one SCP on every
// target). For the management policy types Gatehouse checks only that the
// content is a JSON object, and applies 10,000 characters and 10 per
// target.
var policyTypes = map[PolicyType]typeInfo{
	PolicyTypeServiceControlPolicy:          {language: policy.SCP, authz: true, maxSize: 5120, maxAttach: 5, minAttach: 1, managed: fullAWSAccess},
	PolicyTypeResourceControlPolicy:         {language: policy.RCP, authz: true, maxSize: 5120, maxAttach: 5, managed: rcpFullAWSAccess},
	PolicyTypeTagPolicy:                     managementType,
	PolicyTypeBackupPolicy:                  managementType,
	PolicyTypeAiservicesOptOutPolicy:        managementType,
	PolicyTypeChatbotPolicy:                 managementType,
	PolicyTypeDeclarativePolicyEc2:          managementType,
	PolicyTypeSecurityhubPolicy:             managementType,
	PolicyTypeInspectorPolicy:               managementType,
	PolicyTypeUpgradeRolloutPolicy:          managementType,
	PolicyTypeBedrockPolicy:                 managementType,
	PolicyTypeS3Policy:                      managementType,
	PolicyTypeNetworkSecurityDirectorPolicy: managementType,
}

var managementType = typeInfo{maxSize: 10000, maxAttach: 10}

// checkContent validates policy content as its type requires.
func checkContent(t PolicyType, content string) error {
	if content == "" {
		return errInput(reasonInputRequired)
	}
	info := policyTypes[t]
	if utf8.RuneCountInString(content) > info.maxSize {
		return errConstraint(reasonPolicyContent)
	}
	if !info.authz {
		var v map[string]any
		if json.Unmarshal([]byte(content), &v) != nil {
			return errMalformedPolicyDocument()
		}
		return nil
	}
	for _, f := range policy.ValidateText([]byte(content), info.language) {
		if f.Severity != policy.Error {
			continue
		}
		if f.Code == policy.CodeConstraintViolation {
			return errConstraint(reasonPolicyContent)
		}
		return errMalformedPolicyDocument()
	}
	return nil
}

// EnablePolicyTypeInput is the input of EnablePolicyType.
type EnablePolicyTypeInput struct {
	RootId     string
	PolicyType PolicyType
}

// EnablePolicyTypeOutput is the output of EnablePolicyType.
type EnablePolicyTypeOutput struct {
	Root Root
}

// EnablePolicyType enables a policy type in the root. Enabling SCPs
// attaches FullAWSAccess, and enabling RCPs RCPFullAWSAccess, to the root
// and every OU and account. Management account only.
func (s *Service) EnablePolicyType(ctx context.Context, caller *principal.Caller, in EnablePolicyTypeInput) (EnablePolicyTypeOutput, error) {
	var out EnablePolicyTypeOutput
	if err := checkID(in.RootId, reRootID); err != nil {
		return out, err
	}
	if err := checkPolicyType(in.PolicyType); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		if in.RootId != ss.root.Id {
			return errRootNotFound()
		}
		if ss.org.FeatureSet != FeatureSetAll {
			return errPolicyTypeNotAvailable()
		}
		if ss.root.enabled(in.PolicyType) {
			return errPolicyTypeAlreadyEnabled()
		}
		if err := s.enableType(ctx, ss, in.PolicyType); err != nil {
			return err
		}
		out.Root = ss.rootView()
		return nil
	})
	return out, err
}

// enableType enables t in the session's root and attaches its AWS managed
// policy everywhere.
func (s *Service) enableType(ctx context.Context, ss *session, t PolicyType) error {
	tx := ss.tx
	ss.root.PolicyTypes = append(ss.root.PolicyTypes, PolicyTypeSummary{Type: t, Status: PolicyTypeStatusEnabled})
	if err := putRoot(ctx, tx, &ss.root); err != nil {
		return err
	}
	if m := policyTypes[t].managed; m != nil {
		targets := []string{ss.root.Id}
		ous, err := ousOf(ctx, tx, ss.org.Id)
		if err != nil {
			return err
		}
		for _, o := range ous {
			targets = append(targets, o.Id)
		}
		accts, err := accountsOf(ctx, tx, ss.org.Id)
		if err != nil {
			return err
		}
		for _, a := range accts {
			targets = append(targets, a.Id)
		}
		for _, target := range targets {
			if err := putAttachment(ctx, tx, &attachmentRec{OrgId: ss.org.Id, TargetId: target, PolicyId: m.PolicySummary.Id, Type: t}); err != nil {
				return err
			}
		}
	}
	return changed(ctx, tx)
}

// attachDefaults attaches the AWS managed policy of every enabled type to
// a new OU or account.
func attachDefaults(ctx context.Context, ss *session, target string) error {
	for _, pt := range ss.root.PolicyTypes {
		if m := policyTypes[pt.Type].managed; m != nil {
			if err := putAttachment(ctx, ss.tx, &attachmentRec{OrgId: ss.org.Id, TargetId: target, PolicyId: m.PolicySummary.Id, Type: pt.Type}); err != nil {
				return err
			}
		}
	}
	return nil
}

// DisablePolicyTypeInput is the input of DisablePolicyType.
type DisablePolicyTypeInput struct {
	RootId     string
	PolicyType PolicyType
}

// DisablePolicyTypeOutput is the output of DisablePolicyType.
type DisablePolicyTypeOutput struct {
	Root Root
}

// DisablePolicyType disables a policy type in the root and detaches every
// policy of the type from the root, OUs and accounts; the policies
// themselves remain. Management account only.
func (s *Service) DisablePolicyType(ctx context.Context, caller *principal.Caller, in DisablePolicyTypeInput) (DisablePolicyTypeOutput, error) {
	var out DisablePolicyTypeOutput
	if err := checkID(in.RootId, reRootID); err != nil {
		return out, err
	}
	if err := checkPolicyType(in.PolicyType); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		if in.RootId != ss.root.Id {
			return errRootNotFound()
		}
		if !ss.root.enabled(in.PolicyType) {
			return errPolicyTypeNotEnabled()
		}
		kept := ss.root.PolicyTypes[:0]
		for _, pt := range ss.root.PolicyTypes {
			if pt.Type != in.PolicyType {
				kept = append(kept, pt)
			}
		}
		ss.root.PolicyTypes = kept
		if err := putRoot(ctx, tx, &ss.root); err != nil {
			return err
		}
		atts, err := store.List[attachmentRec](ctx, tx, store.Query{Kind: kindAttachment})
		if err != nil {
			return err
		}
		for _, a := range atts {
			if a.OrgId == ss.org.Id && a.Type == in.PolicyType {
				if err := del(ctx, tx, kindAttachment, attachmentID(a.TargetId, a.PolicyId)); err != nil {
					return err
				}
			}
		}
		if err := changed(ctx, tx); err != nil {
			return err
		}
		out.Root = ss.rootView()
		return nil
	})
	return out, err
}
