package org

import (
	"context"

	"gatehouse/principal"
	"gatehouse/store"
)

// findTarget resolves a root, OU or account id of the session's
// organization as a policy target.
func (ss *session) findTarget(ctx context.Context, id string) (PolicyTargetSummary, bool, error) {
	mgmt, orgID := ss.org.MasterAccountId, ss.org.Id
	switch {
	case id == ss.root.Id:
		return PolicyTargetSummary{TargetId: id, Arn: rootARN(mgmt, orgID, id), Name: ss.root.Name, Type: TargetTypeRoot}, true, nil
	case reOUID.MatchString(id):
		o, ok, err := ss.findOU(ctx, id)
		if err != nil || !ok {
			return PolicyTargetSummary{}, false, err
		}
		return PolicyTargetSummary{TargetId: id, Arn: ouARN(mgmt, orgID, id), Name: o.Name, Type: TargetTypeOrganizationalUnit}, true, nil
	case reAccountID.MatchString(id):
		a, ok, err := ss.findAccount(ctx, id)
		if err != nil || !ok {
			return PolicyTargetSummary{}, false, err
		}
		return PolicyTargetSummary{TargetId: id, Arn: accountARN(mgmt, orgID, id), Name: a.Name, Type: TargetTypeAccount}, true, nil
	}
	return PolicyTargetSummary{}, false, nil
}

// AttachPolicyInput is the input of AttachPolicy.
type AttachPolicyInput struct {
	PolicyId string
	// TargetId is a root, OU or account id.
	TargetId string
}

// AttachPolicyOutput is the output of AttachPolicy.
type AttachPolicyOutput struct{}

// AttachPolicy attaches a policy to a root, OU or account. The policy's
// type must be enabled (PolicyTypeNotEnabledException), the policy not
// attached there already (DuplicatePolicyAttachmentException), and the
// target below the type's limit, five for SCPs and RCPs
// (ConstraintViolationException MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED).
// Management account only.
func (s *Service) AttachPolicy(ctx context.Context, caller *principal.Caller, in AttachPolicyInput) (AttachPolicyOutput, error) {
	var out AttachPolicyOutput
	if err := checkPolicyID(in.PolicyId); err != nil {
		return out, err
	}
	if err := checkTargetID(in.TargetId); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		pol, _, found, err := ss.findPolicy(ctx, in.PolicyId)
		if err != nil || !found {
			return orNotFound(err, errPolicyNotFound)
		}
		if _, found, err := ss.findTarget(ctx, in.TargetId); err != nil || !found {
			return orNotFound(err, errTargetNotFound)
		}
		t := pol.PolicySummary.Type
		if !ss.root.enabled(t) {
			return errPolicyTypeNotEnabled()
		}
		atts, err := attachmentsOf(ctx, tx, in.TargetId, t)
		if err != nil {
			return err
		}
		for _, a := range atts {
			if a.PolicyId == in.PolicyId {
				return errDuplicatePolicyAttachment()
			}
		}
		if len(atts) >= policyTypes[t].maxAttach {
			return errConstraint(reasonMaxAttachments)
		}
		if err := putAttachment(ctx, tx, &attachmentRec{OrgId: ss.org.Id, TargetId: in.TargetId, PolicyId: in.PolicyId, Type: t}); err != nil {
			return err
		}
		return changed(ctx, tx)
	})
	return out, err
}

// DetachPolicyInput is the input of DetachPolicy.
type DetachPolicyInput struct {
	PolicyId string
	TargetId string
}

// DetachPolicyOutput is the output of DetachPolicy.
type DetachPolicyOutput struct{}

// DetachPolicy detaches a policy from a root, OU or account. The last SCP
// of a target cannot be detached (ConstraintViolationException
// MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED), nor RCPFullAWSAccess
// (InvalidInputException NON_DETACHABLE_POLICY); a policy that is not
// attached there is PolicyNotAttachedException. Management account only.
func (s *Service) DetachPolicy(ctx context.Context, caller *principal.Caller, in DetachPolicyInput) (DetachPolicyOutput, error) {
	var out DetachPolicyOutput
	if err := checkPolicyID(in.PolicyId); err != nil {
		return out, err
	}
	if err := checkTargetID(in.TargetId); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		pol, _, found, err := ss.findPolicy(ctx, in.PolicyId)
		if err != nil || !found {
			return orNotFound(err, errPolicyNotFound)
		}
		if _, found, err := ss.findTarget(ctx, in.TargetId); err != nil || !found {
			return orNotFound(err, errTargetNotFound)
		}
		t := pol.PolicySummary.Type
		if in.PolicyId == RCPFullAWSAccessPolicyID {
			return errInput(reasonNonDetachable)
		}
		atts, err := attachmentsOf(ctx, tx, in.TargetId, t)
		if err != nil {
			return err
		}
		attached := false
		for _, a := range atts {
			attached = attached || a.PolicyId == in.PolicyId
		}
		if !attached {
			return errPolicyNotAttached()
		}
		if len(atts) <= policyTypes[t].minAttach {
			return errConstraint(reasonMinAttachments)
		}
		if err := del(ctx, tx, kindAttachment, attachmentID(in.TargetId, in.PolicyId)); err != nil {
			return err
		}
		return changed(ctx, tx)
	})
	return out, err
}

// ListPoliciesForTargetInput is the input of ListPoliciesForTarget.
type ListPoliciesForTargetInput struct {
	TargetId string
	// Filter is the type of the policies to list.
	Filter     PolicyType
	NextToken  string
	MaxResults *int32
}

// ListPoliciesForTargetOutput is the output of ListPoliciesForTarget.
type ListPoliciesForTargetOutput struct {
	Policies  []PolicySummary
	NextToken string
}

// ListPoliciesForTarget lists the policies of a type attached directly
// to a root, OU or account, by id. Management account or delegated
// administrator.
func (s *Service) ListPoliciesForTarget(ctx context.Context, caller *principal.Caller, in ListPoliciesForTargetInput) (ListPoliciesForTargetOutput, error) {
	var out ListPoliciesForTargetOutput
	if err := checkTargetID(in.TargetId); err != nil {
		return out, err
	}
	if err := checkPolicyType(in.Filter); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		if _, found, err := ss.findTarget(ctx, in.TargetId); err != nil || !found {
			return orNotFound(err, errTargetNotFound)
		}
		atts, err := attachmentsOf(ctx, tx, in.TargetId, in.Filter)
		if err != nil {
			return err
		}
		sums := make([]PolicySummary, 0, len(atts))
		for _, a := range atts {
			pol, _, found, err := ss.findPolicy(ctx, a.PolicyId)
			if err != nil {
				return err
			}
			if found {
				sums = append(sums, pol.PolicySummary)
			}
		}
		out.Policies, out.NextToken, err = page(sums, func(p PolicySummary) string { return p.Id }, "ListPoliciesForTarget\x00"+in.TargetId+"\x00"+string(in.Filter), in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}

// ListTargetsForPolicyInput is the input of ListTargetsForPolicy.
type ListTargetsForPolicyInput struct {
	PolicyId   string
	NextToken  string
	MaxResults *int32
}

// ListTargetsForPolicyOutput is the output of ListTargetsForPolicy.
type ListTargetsForPolicyOutput struct {
	Targets   []PolicyTargetSummary
	NextToken string
}

// ListTargetsForPolicy lists the roots, OUs and accounts a policy is
// attached to, by id. Management account or delegated administrator.
func (s *Service) ListTargetsForPolicy(ctx context.Context, caller *principal.Caller, in ListTargetsForPolicyInput) (ListTargetsForPolicyOutput, error) {
	var out ListTargetsForPolicyOutput
	if err := checkPolicyID(in.PolicyId); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		if _, _, found, err := ss.findPolicy(ctx, in.PolicyId); err != nil || !found {
			return orNotFound(err, errPolicyNotFound)
		}
		atts, err := attachmentsOfPolicy(ctx, tx, ss.org.Id, in.PolicyId)
		if err != nil {
			return err
		}
		targets := make([]PolicyTargetSummary, 0, len(atts))
		for _, a := range atts {
			t, found, err := ss.findTarget(ctx, a.TargetId)
			if err != nil {
				return err
			}
			if found {
				targets = append(targets, t)
			}
		}
		out.Targets, out.NextToken, err = page(targets, func(t PolicyTargetSummary) string { return t.TargetId }, "ListTargetsForPolicy\x00"+in.PolicyId, in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}
