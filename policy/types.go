package policy

import "fmt"

// Type is the kind of a policy, which decides its grammar and limits.
type Type uint8

// The policy types.
const (
	Identity Type = iota // identity-based policy attached to a user, group or role
	Resource             // resource-based policy, such as a bucket or catalog resource policy
	Trust                // role trust policy
	SCP                  // service control policy
	RCP                  // resource control policy
	Boundary             // permissions boundary
	Session              // session policy passed to AssumeRole or GetFederationToken
)

var typeNames = [...]string{"identity", "resource", "trust", "scp", "rcp", "boundary", "session"}

// String returns the type's short name as used on the command line.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", t)
}

// ParseType returns the Type named by s, one of the names String returns.
func ParseType(s string) (Type, error) {
	for i, n := range typeNames {
		if n == s {
			return Type(i), nil
		}
	}
	return 0, fmt.Errorf("unknown policy type %q (want identity, resource, trust, scp, rcp, boundary or session)", s)
}

// Severity says whether a Finding makes a policy unusable.
type Severity uint8

// The severities of findings.
const (
	Error   Severity = iota // the service rejects the policy
	Warning                 // the service accepts the policy, but it probably does not mean what it says
)

// Finding is one problem validation found in a policy.
type Finding struct {
	Severity Severity
	// Code is the AWS error code the service answers with, such as
	// "MalformedPolicyDocument" or "LimitExceeded".
	Code string
	// Message is the service's error text.
	Message string
	// Span locates the statement the finding is about; zero for findings
	// about the whole document.
	Span Span
}

func (f Finding) String() string {
	if f.Span.Start.Line == 0 {
		return f.Code + ": " + f.Message
	}
	return fmt.Sprintf("%d:%d: %s: %s", f.Span.Start.Line, f.Span.Start.Column, f.Code, f.Message)
}
