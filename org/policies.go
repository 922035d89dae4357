package org

import (
	"context"

	"gatehouse/principal"
	"gatehouse/store"
)

// maxPoliciesPerType is the number of customer managed policies of one
// type an organization may have.
const maxPoliciesPerType = 1000

// policyView returns a customer managed policy as the API describes it.
func (ss *session) policyView(p policyRec) Policy {
	return Policy{
		PolicySummary: PolicySummary{
			Id:          p.Id,
			Arn:         policyARN(ss.org.MasterAccountId, ss.org.Id, p.Type, p.Id),
			Name:        p.Name,
			Description: p.Description,
			Type:        p.Type,
		},
		Content: p.Content,
	}
}

// findPolicy returns an AWS managed policy or a customer managed policy
// of the session's organization; rec is nil for an AWS managed policy.
func (ss *session) findPolicy(ctx context.Context, id string) (pol Policy, rec *policyRec, found bool, err error) {
	if m, ok := managedPolicies[id]; ok {
		return *m, nil, true, nil
	}
	p, ok, err := get[policyRec](ctx, ss.tx, kindPolicy, id)
	if err != nil || !ok || p.OrgId != ss.org.Id {
		return Policy{}, nil, false, err
	}
	return ss.policyView(p), &p, true, nil
}

// uniquePolicyName fails with DuplicatePolicyException when a policy of
// the type other than self has the name.
func (ss *session) uniquePolicyName(ctx context.Context, t PolicyType, name, self string) error {
	if m := policyTypes[t].managed; m != nil && m.PolicySummary.Name == name {
		return errDuplicatePolicy()
	}
	same, err := store.List[policyRec](ctx, ss.tx, store.Query{Kind: kindPolicy, Parent: ss.org.Id, Name: name})
	if err != nil {
		return err
	}
	for _, p := range same {
		if p.Type == t && p.Id != self {
			return errDuplicatePolicy()
		}
	}
	return nil
}

// CreatePolicyInput is the input of CreatePolicy.
type CreatePolicyInput struct {
	Content     string
	Description string
	Name        string
	Type        PolicyType
	Tags        []Tag
}

// CreatePolicyOutput is the output of CreatePolicy.
type CreatePolicyOutput struct {
	Policy Policy
}

// CreatePolicy creates a customer managed policy. SCP and RCP content is
// validated as AWS Organizations does (MalformedPolicyDocumentException;
// over 5,120 characters, ConstraintViolationException
// POLICY_CONTENT_LIMIT_EXCEEDED); a policy of the same type may not have
// the same name (DuplicatePolicyException). The organization must have
// all features (PolicyTypeNotAvailableForOrganizationException); the
// type need not be enabled. Management account only.
func (s *Service) CreatePolicy(ctx context.Context, caller *principal.Caller, in CreatePolicyInput) (CreatePolicyOutput, error) {
	var out CreatePolicyOutput
	if in.Content == "" {
		return out, errInput(reasonInputRequired)
	}
	if err := checkOptional(in.Description, 0, 512, nil); err != nil {
		return out, err
	}
	if err := checkString(in.Name, 1, 128, nil); err != nil {
		return out, err
	}
	if err := checkPolicyType(in.Type); err != nil {
		return out, err
	}
	if err := checkTags(in.Tags); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		if ss.org.FeatureSet != FeatureSetAll {
			return errPolicyTypeNotAvailable()
		}
		if err := checkContent(in.Type, in.Content); err != nil {
			return err
		}
		if err := ss.uniquePolicyName(ctx, in.Type, in.Name, ""); err != nil {
			return err
		}
		all, err := store.List[policyRec](ctx, tx, store.Query{Kind: kindPolicy, Parent: ss.org.Id})
		if err != nil {
			return err
		}
		n := 0
		for _, p := range all {
			if p.Type == in.Type {
				n++
			}
		}
		if n >= maxPoliciesPerType {
			return errConstraint(reasonPolicyNumber)
		}
		var id string
		for {
			if id, err = s.newPolicyID(); err != nil {
				return err
			}
			_, exists, err := get[policyRec](ctx, tx, kindPolicy, id)
			if err != nil {
				return err
			}
			if !exists {
				break
			}
		}
		p := policyRec{Id: id, OrgId: ss.org.Id, Name: in.Name, Description: in.Description, Type: in.Type, Content: in.Content}
		if err := putPolicy(ctx, tx, &p); err != nil {
			return err
		}
		if err := addTags(ctx, tx, ss.org.Id, id, in.Tags); err != nil {
			return err
		}
		if err := changed(ctx, tx); err != nil {
			return err
		}
		out.Policy = ss.policyView(p)
		return nil
	})
	return out, err
}

// UpdatePolicyInput is the input of UpdatePolicy. Nil fields stay as they
// are.
type UpdatePolicyInput struct {
	PolicyId    string
	Name        *string
	Description *string
	Content     *string
}

// UpdatePolicyOutput is the output of UpdatePolicy.
type UpdatePolicyOutput struct {
	Policy Policy
}

// UpdatePolicy changes a customer managed policy's name, description or
// content, validated as CreatePolicy validates them. AWS managed policies
// cannot be changed (InvalidInputException IMMUTABLE_POLICY). Management
// account only.
func (s *Service) UpdatePolicy(ctx context.Context, caller *principal.Caller, in UpdatePolicyInput) (UpdatePolicyOutput, error) {
	var out UpdatePolicyOutput
	if err := checkPolicyID(in.PolicyId); err != nil {
		return out, err
	}
	if in.Name != nil {
		if err := checkOptional(*in.Name, 1, 128, nil); err != nil {
			return out, err
		}
	}
	if in.Description != nil {
		if err := checkOptional(*in.Description, 0, 512, nil); err != nil {
			return out, err
		}
	}
	if in.Content != nil && *in.Content == "" {
		return out, errInput(reasonMinLength)
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		_, p, found, err := ss.findPolicy(ctx, in.PolicyId)
		if err != nil {
			return err
		}
		if !found {
			return errPolicyNotFound()
		}
		if p == nil {
			return errInput(reasonImmutablePolicy)
		}
		if in.Content != nil {
			if err := checkContent(p.Type, *in.Content); err != nil {
				return err
			}
			p.Content = *in.Content
		}
		if in.Name != nil && *in.Name != p.Name {
			if err := ss.uniquePolicyName(ctx, p.Type, *in.Name, p.Id); err != nil {
				return err
			}
			p.Name = *in.Name
		}
		if in.Description != nil {
			p.Description = *in.Description
		}
		if err := putPolicy(ctx, tx, p); err != nil {
			return err
		}
		if err := changed(ctx, tx); err != nil {
			return err
		}
		out.Policy = ss.policyView(*p)
		return nil
	})
	return out, err
}

// DeletePolicyInput is the input of DeletePolicy.
type DeletePolicyInput struct {
	PolicyId string
}

// DeletePolicyOutput is the output of DeletePolicy.
type DeletePolicyOutput struct{}

// DeletePolicy deletes a customer managed policy that is attached
// nowhere (PolicyInUseException). AWS managed policies cannot be deleted
// (InvalidInputException IMMUTABLE_POLICY). Management account only.
func (s *Service) DeletePolicy(ctx context.Context, caller *principal.Caller, in DeletePolicyInput) (DeletePolicyOutput, error) {
	var out DeletePolicyOutput
	if err := checkPolicyID(in.PolicyId); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		_, p, found, err := ss.findPolicy(ctx, in.PolicyId)
		if err != nil {
			return err
		}
		if !found {
			return errPolicyNotFound()
		}
		if p == nil {
			return errInput(reasonImmutablePolicy)
		}
		atts, err := attachmentsOfPolicy(ctx, tx, ss.org.Id, p.Id)
		if err != nil {
			return err
		}
		if len(atts) > 0 {
			return errPolicyInUse()
		}
		if err := del(ctx, tx, kindTags, p.Id); err != nil {
			return err
		}
		if err := del(ctx, tx, kindPolicy, p.Id); err != nil {
			return err
		}
		return changed(ctx, tx)
	})
	return out, err
}

// DescribePolicyInput is the input of DescribePolicy.
type DescribePolicyInput struct {
	PolicyId string
}

// DescribePolicyOutput is the output of DescribePolicy.
type DescribePolicyOutput struct {
	Policy Policy
}

// DescribePolicy describes a policy with its content. Management account
// or delegated administrator.
func (s *Service) DescribePolicy(ctx context.Context, caller *principal.Caller, in DescribePolicyInput) (DescribePolicyOutput, error) {
	var out DescribePolicyOutput
	if err := checkPolicyID(in.PolicyId); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		pol, _, found, err := ss.findPolicy(ctx, in.PolicyId)
		if err != nil {
			return err
		}
		if !found {
			return errPolicyNotFound()
		}
		out.Policy = pol
		return nil
	})
	return out, err
}

// ListPoliciesInput is the input of ListPolicies.
type ListPoliciesInput struct {
	// Filter is the type of the policies to list.
	Filter     PolicyType
	NextToken  string
	MaxResults *int32
}

// ListPoliciesOutput is the output of ListPolicies.
type ListPoliciesOutput struct {
	Policies  []PolicySummary
	NextToken string
}

// ListPolicies lists the policies of a type, the AWS managed one
// included, by id. Management account or delegated administrator.
func (s *Service) ListPolicies(ctx context.Context, caller *principal.Caller, in ListPoliciesInput) (ListPoliciesOutput, error) {
	var out ListPoliciesOutput
	if err := checkPolicyType(in.Filter); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		recs, err := store.List[policyRec](ctx, tx, store.Query{Kind: kindPolicy, Parent: ss.org.Id})
		if err != nil {
			return err
		}
		var sums []PolicySummary
		if m := policyTypes[in.Filter].managed; m != nil {
			sums = append(sums, m.PolicySummary)
		}
		for _, p := range recs {
			if p.Type == in.Filter {
				sums = append(sums, ss.policyView(p).PolicySummary)
			}
		}
		out.Policies, out.NextToken, err = page(sums, func(p PolicySummary) string { return p.Id }, "ListPolicies\x00"+string(in.Filter), in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}
