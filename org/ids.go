package org

import (
	"fmt"
	"regexp"
	"strings"

	"gatehouse/randid"
)

// The id patterns of the AWS Organizations API, anchored.
var (
	reRootID      = regexp.MustCompile(`^r-[0-9a-z]{4,32}$`)
	reOUID        = regexp.MustCompile(`^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
	reAccountID   = regexp.MustCompile(`^\d{12}$`)
	rePolicyID    = regexp.MustCompile(`^p-[0-9a-zA-Z_]{8,128}$`)
	reCARID       = regexp.MustCompile(`^car-[a-z0-9]{8,32}$`)
	reEmail       = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
	rePrincipal   = regexp.MustCompile(`^[\w+=,.@-]*$`)
	reRoleName    = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	reAccountName = regexp.MustCompile(`^[\x{0020}-\x{007E}]+$`)
	reTagText     = regexp.MustCompile(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
)

// newOrgID returns a new organization id: o- and 10 characters.
func (s *Service) newOrgID() (string, error) { return s.prefixed("o-", randid.LowerAlnum, 10) }

// newRootID returns a new root id: r- and 4 characters.
func (s *Service) newRootID() (string, error) { return s.prefixed("r-", randid.LowerAlnum, 4) }

// newOUID returns a new OU id under the root: ou-, the root's suffix, a
// dash and 8 characters.
func (s *Service) newOUID(rootID string) (string, error) {
	return s.prefixed("ou-"+strings.TrimPrefix(rootID, "r-")+"-", randid.LowerAlnum, 8)
}

// newAccountID returns a new 12-digit account id.
func (s *Service) newAccountID() (string, error) { return s.prefixed("", randid.Digits, 12) }

// newPolicyID returns a new policy id: p- and 8 characters.
func (s *Service) newPolicyID() (string, error) { return s.prefixed("p-", randid.LowerAlnum, 8) }

// newCreateAccountRequestID returns a new CreateAccount request id: car-
// and 32 characters.
func (s *Service) newCreateAccountRequestID() (string, error) {
	return s.prefixed("car-", randid.LowerAlnum, 32)
}

// prefixed returns prefix and n characters of alphabet drawn from s.Rand.
func (s *Service) prefixed(prefix, alphabet string, n int) (string, error) {
	r, err := randid.String(s.Rand, alphabet, n)
	if err != nil {
		return "", fmt.Errorf("org: random id: %w", err)
	}
	return prefix + r, nil
}

// The ARNs of Organizations resources. mgmt is the management account of
// the organization, which every ARN but an AWS managed policy's names.

func organizationARN(mgmt, orgID string) string {
	return "arn:aws:organizations::" + mgmt + ":organization/" + orgID
}

func rootARN(mgmt, orgID, rootID string) string {
	return "arn:aws:organizations::" + mgmt + ":root/" + orgID + "/" + rootID
}

func ouARN(mgmt, orgID, ouID string) string {
	return "arn:aws:organizations::" + mgmt + ":ou/" + orgID + "/" + ouID
}

func accountARN(mgmt, orgID, accountID string) string {
	return "arn:aws:organizations::" + mgmt + ":account/" + orgID + "/" + accountID
}

func policyARN(mgmt, orgID string, t PolicyType, policyID string) string {
	return "arn:aws:organizations::" + mgmt + ":policy/" + orgID + "/" + arnSegment(t) + "/" + policyID
}

func managedPolicyARN(t PolicyType, policyID string) string {
	return "arn:aws:organizations::aws:policy/" + arnSegment(t) + "/" + policyID
}

// arnSegment is the policy type as policy ARNs spell it, such as
// service_control_policy.
func arnSegment(t PolicyType) string { return strings.ToLower(string(t)) }
