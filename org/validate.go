package org

import (
	"regexp"
	"unicode/utf8"
)

// AWS Organizations checks request parameters itself and answers
// InvalidInputException with a Reason; these helpers apply the length and
// pattern constraints of the service model.

// checkString checks a required string parameter's length in characters
// and, when re is not nil, its pattern.
func checkString(v string, minLen, maxLen int, re *regexp.Regexp) error {
	if v == "" && minLen > 0 {
		return errInput(reasonInputRequired)
	}
	return checkOptional(v, minLen, maxLen, re)
}

// checkOptional checks a string parameter that may be empty.
func checkOptional(v string, minLen, maxLen int, re *regexp.Regexp) error {
	n := utf8.RuneCountInString(v)
	switch {
	case maxLen > 0 && n > maxLen:
		return errInput(reasonMaxLength)
	case n < minLen:
		return errInput(reasonMinLength)
	case re != nil && !re.MatchString(v):
		return errInput(reasonPattern)
	}
	return nil
}

// checkID checks a required id parameter against its pattern.
func checkID(v string, re *regexp.Regexp) error {
	if v == "" {
		return errInput(reasonInputRequired)
	}
	if !re.MatchString(v) {
		return errInput(reasonPattern)
	}
	return nil
}

// checkParentID checks a ParentId: a root or OU id.
func checkParentID(v string) error {
	if v == "" {
		return errInput(reasonInputRequired)
	}
	if len(v) > 100 || !(reRootID.MatchString(v) || reOUID.MatchString(v)) {
		return errInput(reasonPattern)
	}
	return nil
}

// checkTargetID checks a policy TargetId: a root, OU or account id.
func checkTargetID(v string) error {
	if v == "" {
		return errInput(reasonInputRequired)
	}
	if len(v) > 100 || !(reRootID.MatchString(v) || reOUID.MatchString(v) || reAccountID.MatchString(v)) {
		return errInput(reasonPatternTargetID)
	}
	return nil
}

// checkPolicyID checks a PolicyId.
func checkPolicyID(v string) error {
	if v == "" {
		return errInput(reasonInputRequired)
	}
	if len(v) > 130 || !rePolicyID.MatchString(v) {
		return errInput(reasonPattern)
	}
	return nil
}

// checkPolicyType checks a required PolicyType against the API's enum.
func checkPolicyType(t PolicyType) error {
	if t == "" {
		return errInput(reasonInputRequired)
	}
	if _, ok := policyTypes[t]; !ok {
		return errInput(reasonEnumPolicyType)
	}
	return nil
}

// checkServicePrincipal checks a ServicePrincipal parameter and that it
// names an AWS service (*.amazonaws.com).
func checkServicePrincipal(v string) error {
	if err := checkString(v, 1, 128, rePrincipal); err != nil {
		return err
	}
	if !reServicePrincipal.MatchString(v) {
		return errInput(reasonUnknownPrincipal)
	}
	return nil
}

// reServicePrincipal is what Gatehouse recognizes as a service principal:
// AWS keeps a list of services that integrate with Organizations, which
// changes too often to copy; any AWS service principal is accepted.
var reServicePrincipal = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$`)
