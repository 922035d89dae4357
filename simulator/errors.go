package simulator

import (
	"errors"

	"gatehouse/awserr"
)

// ErrNoSuchEntity is what an Entities source answers for an ARN that names
// no user, group or role.
var ErrNoSuchEntity = errors.New("simulator: no such entity")

func errInput(format string, args ...any) error {
	return awserr.ErrInvalidInput.Newf(format, args...)
}

// errEntityARN is IAM's answer to a PolicySourceArn that is not a user,
// group or role ARN (observed: "Invalid Entity Arn: arn:aws:sts::...").
func errEntityARN(arn string) error {
	return errInput("Invalid Entity Arn: %s", arn)
}

// errNoSuchEntity is IAM's answer to a PolicySourceArn naming nothing.
func errNoSuchEntity(arn string) error {
	return awserr.ErrNoSuchEntity.Newf("The entity %s cannot be found.", arn)
}

// errResourceOwner is IAM's answer to a bad ResourceOwner (observed, with
// its grammar: "'123456789012' is not a valid as a Resource Owner.").
func errResourceOwner(v string) error {
	return errInput("%s is not a valid as a Resource Owner.", quote(v))
}

// errResourceARN is IAM's answer to a resource that is not an ARN
// (observed: "ResourceNames are not in a valid ARN format: 14a050d4-...").
func errResourceARN(v string) error {
	return errInput("ResourceNames are not in a valid ARN format: %s.", v)
}
