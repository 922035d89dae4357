package org

import (
	"context"
	"strings"

	"gatehouse/store"
)

// ResourceARN returns the ARN of the Organizations resource with the
// given id — an organization, root, OU, account or policy id — in the
// organization of callerAccount, for authorizing a request that names it;
// for a policy it also returns the policy's type (the
// organizations:PolicyType condition key). The resource need not exist:
// its ARN is then built from the id alone, so that authorization comes
// before the service reports it missing. arn is "" when callerAccount is
// in no organization or the id has no recognizable form. ResourceARN runs
// in the caller's transaction and checks no permission.
func (s *Service) ResourceARN(ctx context.Context, tx store.Tx, callerAccount, id string) (arn string, policyType PolicyType, err error) {
	ss, _, err := accountSession(ctx, tx, callerAccount)
	if err != nil || ss == nil {
		return "", "", err
	}
	mgmt, orgID := ss.org.MasterAccountId, ss.org.Id
	switch {
	case strings.HasPrefix(id, "o-"):
		return organizationARN(mgmt, orgID), "", nil
	case strings.HasPrefix(id, "r-"):
		return rootARN(mgmt, orgID, id), "", nil
	case strings.HasPrefix(id, "ou-"):
		return ouARN(mgmt, orgID, id), "", nil
	case len(id) == 12 && strings.Trim(id, "0123456789") == "":
		return accountARN(mgmt, orgID, id), "", nil
	case id == FullAWSAccessPolicyID:
		return managedPolicyARN(PolicyTypeServiceControlPolicy, id), PolicyTypeServiceControlPolicy, nil
	case id == RCPFullAWSAccessPolicyID:
		return managedPolicyARN(PolicyTypeResourceControlPolicy, id), PolicyTypeResourceControlPolicy, nil
	case strings.HasPrefix(id, "p-"):
		p, ok, err := get[policyRec](ctx, tx, kindPolicy, id)
		if err != nil {
			return "", "", err
		}
		t := PolicyTypeServiceControlPolicy
		if ok {
			t = p.Type
		}
		return policyARN(mgmt, orgID, t, id), t, nil
	}
	return "", "", nil
}
