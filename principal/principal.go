// Package principal describes who makes a request: the authenticated
// caller that services and the policy engine reason about.
package principal

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
	// Tags are the principal's tags (aws:PrincipalTag/...).
	Tags map[string]string
}

// IsRoot reports whether the caller is an account root user.
func (c *Caller) IsRoot() bool { return c.Type == Root }

// RootARN returns the ARN of an account's root user.
func RootARN(account string) string { return "arn:aws:iam::" + account + ":root" }
