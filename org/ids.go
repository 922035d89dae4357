package org

import (
	"crypto/rand"
	"io"
	"regexp"
	"strings"
)

// The alphabets of generated ids.
const (
	lowerAlnum = "0123456789abcdefghijklmnopqrstuvwxyz"
	digits     = "0123456789"
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

// randomString returns n characters drawn uniformly from alphabet,
// reading r (crypto/rand when nil).
func randomString(r io.Reader, alphabet string, n int) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	// Reject bytes at or above the largest multiple of len(alphabet) so
	// every character is equally likely.
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2+8)
	for len(out) < n {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}

// newOrgID returns a new organization id: o- and 10 characters.
func (s *Service) newOrgID() (string, error) { return s.prefixed("o-", lowerAlnum, 10) }

// newRootID returns a new root id: r- and 4 characters.
func (s *Service) newRootID() (string, error) { return s.prefixed("r-", lowerAlnum, 4) }

// newOUID returns a new OU id under the root: ou-, the root's suffix, a
// dash and 8 characters.
func (s *Service) newOUID(rootID string) (string, error) {
	return s.prefixed("ou-"+strings.TrimPrefix(rootID, "r-")+"-", lowerAlnum, 8)
}

// newAccountID returns a new 12-digit account id.
func (s *Service) newAccountID() (string, error) { return s.prefixed("", digits, 12) }

// newPolicyID returns a new policy id: p- and 8 characters.
func (s *Service) newPolicyID() (string, error) { return s.prefixed("p-", lowerAlnum, 8) }

// newCreateAccountRequestID returns a new CreateAccount request id: car-
// and 32 characters.
func (s *Service) newCreateAccountRequestID() (string, error) {
	return s.prefixed("car-", lowerAlnum, 32)
}

func (s *Service) prefixed(prefix, alphabet string, n int) (string, error) {
	r, err := randomString(s.Rand, alphabet, n)
	if err != nil {
		return "", err
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
