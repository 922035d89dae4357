// Package principal describes who makes a request: the authenticated
// caller that services and the policy engine reason about.
package principal

import "time"

// Type is the kind of principal, as CloudTrail's userIdentity.type names it.
type Type string

// The principal types.
const (
	Root        Type = "Root"
	IAMUser     Type = "IAMUser"
	AssumedRole Type = "AssumedRole"
	Federated   Type = "FederatedUser"
	Service     Type = "AWSService"
)

// Caller is an authenticated principal.
type Caller struct {
	Type Type
	// Account is the 12-digit account the principal belongs to.
	Account string
	// ARN is the principal's ARN: arn:aws:iam::ACCOUNT:root, an IAM user ARN,
	// or an assumed-role session ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION).
	ARN string
	// PrincipalARN is aws:PrincipalArn: the role ARN for a role session,
	// otherwise ARN.
	PrincipalARN string
	// UserID is aws:userid: the unique ID (AIDA..., AROA...:session) or the
	// account ID for a root user.
	UserID string
	// Name is aws:username for IAM users; "" otherwise.
	Name string
	// AccessKeyID is the access key that signed the request.
	AccessKeyID string
	// Tags are the principal's tags (aws:PrincipalTag/...): for a role
	// session, its session tags (incoming transitive ones included).
	Tags map[string]string `json:",omitempty"`
	// Session describes the temporary credentials that signed the request;
	// nil for long-term credentials.
	Session *Session `json:",omitempty"`
}

// Session is what a request signed with temporary credentials carries
// besides the principal: the limits and attributes fixed when STS issued
// the credentials.
type Session struct {
	// Issuer is the STS operation that issued the credentials:
	// "AssumeRole" or "GetSessionToken".
	Issuer string
	// Issued and Expiration bound the credentials' validity
	// (aws:TokenIssueTime is Issued).
	Issued, Expiration time.Time
	// Policies are the session policies (the inline Policy first, then the
	// documents of PolicyArns); they limit what the principal's own
	// policies allow. None means no limit.
	Policies []string `json:",omitempty"`
	// TransitiveTagKeys are the keys of the principal's Tags that pass on
	// to sessions assumed with these credentials.
	TransitiveTagKeys []string `json:",omitempty"`
	// SourceIdentity is sts:SourceIdentity as set when the session was
	// made; once set it passes unchanged along a role chain.
	SourceIdentity string `json:",omitempty"`
}

// IsRoot reports whether the caller is an account root user.
func (c *Caller) IsRoot() bool { return c.Type == Root }

// RootARN returns the ARN of an account's root user.
func RootARN(account string) string { return "arn:aws:iam::" + account + ":root" }
