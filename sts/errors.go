package sts

import (
	"fmt"

	"gatehouse/awserr"
	"gatehouse/principal"
)

// The errors are awserr's STS kinds. Their messages are AWS's where AWS
// documents or is known to send them (noted at each); the others say
// plainly what is wrong.

// errRoleMaxDuration: a DurationSeconds over the role's
// MaxSessionDuration. "If you specify a value higher than this setting
// ... the operation fails" (AssumeRole, DurationSeconds).
func errRoleMaxDuration() error {
	return awserr.ErrValidationError.New("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
}

// errChainDuration: "Role chaining limits your AWS CLI or AWS API role
// session to a maximum of one hour ... if you assume a role using role
// chaining and provide a DurationSeconds parameter value greater than one
// hour, the operation fails" (AssumeRole, DurationSeconds); the text is
// AWS's, as the IAM knowledge center quotes it.
func errChainDuration() error {
	return awserr.ErrValidationError.New("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
}

// errSessionCredentials: GetSessionToken "must be called by using the
// long-term AWS security credentials of an IAM user" or the root user.
func errSessionCredentials() error {
	return awserr.ErrAccessDenied.New("Cannot call GetSessionToken with session credentials")
}

// errMFA: Gatehouse has no MFA devices, so no MFA code can be valid.
func errMFA() error {
	return awserr.ErrAccessDenied.New("MultiFactorAuthentication failed with invalid MFA one time pass code. ")
}

// errPackedPolicyTooLarge: the session policies and tags over the packed
// size limit, by percentage of it.
func errPackedPolicyTooLarge(percent int) error {
	return awserr.ErrPackedPolicyTooLarge.Newf("Packed policy consumes %d%% of allotted space, please use smaller policy.", percent)
}

func errInvalidRoleARN() error {
	return awserr.ErrValidationError.New("Request ARN is invalid")
}

func errNoSuchPolicy(arn string) error {
	return awserr.ErrValidationError.Newf("Policy %s does not exist or is not attachable.", arn)
}

// errDuplicateTagKeys: session tag keys are case-insensitive, so no two
// may differ only in case.
func errDuplicateTagKeys() error {
	return awserr.ErrValidationError.New("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
}

func errTransitiveKeyNotTagged(key string) error {
	return awserr.ErrValidationError.Newf("The transitive tag key %s is not one of the session tags of the request.", quote(key))
}

// errTransitiveOverride: "you can't override a transitive session tag"
// passed in from the previous session of a role chain.
func errTransitiveOverride(key string) error {
	return awserr.ErrValidationError.Newf("The session tag %s cannot be set: the incoming session passes a transitive tag with that key.", quote(key))
}

// errSourceIdentityChanged: "After you set the source identity value, it
// cannot be changed" along a role chain.
func errSourceIdentityChanged(have string) error {
	return awserr.ErrValidationError.Newf("The source identity of this session is %s; it cannot be changed.", quote(have))
}

// errMalformedPolicy is a session policy the policy engine rejects.
func errMalformedPolicy(code, message string) error {
	if code == awserr.ErrMalformedPolicyDocument.Code {
		return awserr.ErrMalformedPolicyDocument.New(message)
	}
	return awserr.ErrValidationError.New(message)
}

func errUnknownAccessKey(id string) error {
	return awserr.ErrValidationError.New(fmt.Sprintf("The access key ID %s was not issued by this Gatehouse.", quote(id)))
}

// errRoleGone: AssumeRole of a role that does not exist is denied as one
// whose trust policy does not allow the caller.
func errRoleGone(c *principal.Caller, roleARN string) error {
	return awserr.ErrAccessDenied.Newf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.ARN, roleARN)
}

// errRootAssumesRole is AWS's answer to AssumeRole signed by a root user,
// whom no trust policy can let assume a role.
func errRootAssumesRole() error {
	return awserr.ErrAccessDenied.New("Roles may not be assumed by root accounts.")
}
