package iam

import (
	"errors"
	"fmt"

	"gatehouse/awserr"
)

// The errors are awserr's IAM kinds with the messages IAM sends.

func errNoSuchUser(name string) error {
	return awserr.ErrNoSuchEntity.Newf("The user with name %s cannot be found.", name)
}

func errNoSuchGroup(name string) error {
	return awserr.ErrNoSuchEntity.Newf("The group with name %s cannot be found.", name)
}

func errNoSuchRole(name string) error {
	return awserr.ErrNoSuchEntity.Newf("The role with name %s cannot be found.", name)
}

func errNoSuchPolicy(arn string) error {
	return awserr.ErrNoSuchEntity.Newf("Policy %s was not found.", arn)
}

func errNotAttachable(arn string) error {
	return awserr.ErrNoSuchEntity.Newf("Policy %s does not exist or is not attachable.", arn)
}

func errNoSuchVersion(arn, version string) error {
	return awserr.ErrNoSuchEntity.Newf("Policy %s version %s does not exist or is not attachable.", arn, version)
}

func errNoSuchInline(entity, name string) error {
	return awserr.ErrNoSuchEntity.Newf("The %s policy with name %s cannot be found.", entity, name)
}

func errNoSuchLoginProfile(user string) error {
	return awserr.ErrNoSuchEntity.Newf("Login Profile for User %s cannot be found.", user)
}

func errNoSuchAccessKey(id string) error {
	return awserr.ErrNoSuchEntity.Newf("The Access Key with id %s cannot be found.", id)
}

func errExists(what, name string) error {
	return awserr.ErrEntityAlreadyExists.Newf("%s with name %s already exists.", what, name)
}

func errPolicyExists(name string) error {
	return awserr.ErrEntityAlreadyExists.Newf("A policy called %s already exists. Duplicate names are not allowed.", name)
}

func errLoginProfileExists(user string) error {
	return awserr.ErrEntityAlreadyExists.Newf("Login Profile for user %s already exists.", user)
}

func errDeleteConflict(what string) error {
	return awserr.ErrDeleteConflict.Newf("Cannot delete entity, must %s first.", what)
}

func errQuota(name string, n int) error {
	return awserr.ErrLimitExceeded.Newf("Cannot exceed quota for %s: %d", name, n)
}

func errVersionsLimit() error {
	return awserr.ErrLimitExceeded.New("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
}

func errInvalid(format string, args ...any) error {
	return awserr.ErrInvalidInput.Newf(format, args...)
}

func errProtectedRole(name string) error {
	return awserr.ErrUnmodifiableEntity.Newf("Cannot perform the operation on the protected role '%s' - this role is only modifiable by AWS", name)
}

// validation returns IAM's ValidationError: "1 validation error detected:
// Value 'x' at 'userName' failed to satisfy constraint: ...".
func validation(value, member, constraint string) error {
	return awserr.ErrValidationError.Newf("1 validation error detected: Value %s at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func quote(v string) string {
	if len(v) > 100 {
		v = v[:100] + "..."
	}
	return fmt.Sprintf("'%s'", v)
}

// isNoSuchEntity reports whether err is IAM's NoSuchEntity.
func isNoSuchEntity(err error) bool { return errors.Is(err, awserr.ErrNoSuchEntity) }
