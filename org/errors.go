package org

import "gatehouse/awserr"

// The errors are awserr's declared Organizations kinds (HTTP 400). The
// messages below are AWS's where a real response was available (marked
// "observed"); otherwise they are the error's description in the AWS
// Organizations API Reference.

func errNotInUse() error { // observed
	return awserr.ErrAWSOrganizationsNotInUseException.New("Your account is not a member of an organization.")
}

func errAccessDenied() error { // observed
	return awserr.ErrAccessDeniedException.New("You don't have permissions to access this resource.")
}

func errAlreadyInOrganization() error { // observed
	return awserr.ErrAlreadyInOrganizationException.New("The AWS account is already a member of an organization.")
}

func errOrganizationNotEmpty() error {
	return awserr.ErrOrganizationNotEmptyException.New("To delete an organization you must first remove all member accounts (except the master).")
}

func errOUNotFound() error {
	return awserr.ErrOrganizationalUnitNotFoundException.New("You specified an organizational unit that doesn't exist.")
}

func errOUNotEmpty() error {
	return awserr.ErrOrganizationalUnitNotEmptyException.New("The specified OU is not empty. Move all accounts to another root or to other OUs, remove all child OUs, and try the operation again.")
}

func errDuplicateOU() error {
	return awserr.ErrDuplicateOrganizationalUnitException.New("An OU with the same name already exists.")
}

func errParentNotFound() error {
	return awserr.ErrParentNotFoundException.New("You specified parent that doesn't exist.")
}

func errSourceParentNotFound() error {
	return awserr.ErrSourceParentNotFoundException.New("You specified a source parent that doesn't exist.")
}

func errDestinationParentNotFound() error {
	return awserr.ErrDestinationParentNotFoundException.New("You specified a destination parent that doesn't exist.")
}

func errChildNotFound() error {
	return awserr.ErrChildNotFoundException.New("You specified a child that doesn't exist.")
}

func errRootNotFound() error {
	return awserr.ErrRootNotFoundException.New("You specified a root that doesn't exist.")
}

func errTargetNotFound() error {
	return awserr.ErrTargetNotFoundException.New("You specified a target that doesn't exist.")
}

func errAccountNotFound() error { // observed
	return awserr.ErrAccountNotFoundException.New("You specified an account that doesn't exist.")
}

func errDuplicateAccount() error {
	return awserr.ErrDuplicateAccountException.New("That account is already present in the specified destination.")
}

func errMasterCannotLeave() error {
	return awserr.ErrMasterCannotLeaveOrganizationException.New("You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account.")
}

func errAccountAlreadyClosed() error {
	return awserr.ErrAccountAlreadyClosedException.New("The provided account is already closed.")
}

func errCreateAccountStatusNotFound() error {
	return awserr.ErrCreateAccountStatusNotFoundException.New("We can't find an create account request with the CreateAccountRequestId that you specified.")
}

func errPolicyNotFound() error {
	return awserr.ErrPolicyNotFoundException.New("We can't find a policy with the PolicyId that you specified.")
}

func errDuplicatePolicy() error {
	return awserr.ErrDuplicatePolicyException.New("A policy with the same name already exists.")
}

func errDuplicatePolicyAttachment() error { // observed
	return awserr.ErrDuplicatePolicyAttachmentException.New("A policy with the specified name and type already exists.")
}

func errPolicyNotAttached() error {
	return awserr.ErrPolicyNotAttachedException.New("The policy isn't attached to the specified target in the specified root.")
}

func errPolicyInUse() error {
	return awserr.ErrPolicyInUseException.New("The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.")
}

func errMalformedPolicyDocument() error { // observed
	return awserr.ErrMalformedPolicyDocumentException.New("The provided policy document does not meet the requirements of the specified policy type.")
}

func errPolicyTypeAlreadyEnabled() error {
	return awserr.ErrPolicyTypeAlreadyEnabledException.New("The specified policy type is already enabled.")
}

func errPolicyTypeNotEnabled() error { // observed
	return awserr.ErrPolicyTypeNotEnabledException.New("This operation can be performed only for enabled policy types.")
}

func errPolicyTypeNotAvailable() error {
	return awserr.ErrPolicyTypeNotAvailableForOrganizationException.New("You can't use the specified policy type with the feature set currently enabled for this organization.")
}

func errAccountAlreadyRegistered() error {
	return awserr.ErrAccountAlreadyRegisteredException.New("The provided account is already a delegated administrator for your organization.")
}

func errAccountNotRegistered() error {
	return awserr.ErrAccountNotRegisteredException.New("The provided account is not a registered delegated administrator for your organization.")
}

// The Reasons of ConstraintViolationException.
const (
	reasonOUDepth              = "OU_DEPTH_LIMIT_EXCEEDED"
	reasonPolicyNumber         = "POLICY_NUMBER_LIMIT_EXCEEDED"
	reasonPolicyContent        = "POLICY_CONTENT_LIMIT_EXCEEDED"
	reasonMaxAttachments       = "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
	reasonMinAttachments       = "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
	reasonNotAllFeatures       = "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE"
	reasonMaxTags              = "MAX_TAG_LIMIT_EXCEEDED"
	reasonRegisterMaster       = "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR"
	reasonRegisterSuspended    = "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR"
	reasonRemoveDelegatedAdmin = "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG"
	reasonCloseManagement      = "CANNOT_CLOSE_MANAGEMENT_ACCOUNT"
	reasonServiceAccess        = "SERVICE_ACCESS_NOT_ENABLED"
)

// constraintMessages are the messages of ConstraintViolationException by
// Reason.
var constraintMessages = map[string]string{
	reasonOUDepth:              "You attempted to create an OU tree that is too many levels deep.",
	reasonPolicyNumber:         "You attempted to exceed the number of policies that you can have in an organization.",
	reasonPolicyContent:        "You have exceeded the maximum policy size.", // observed
	reasonMaxAttachments:       "You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.",
	reasonMinAttachments:       "You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.",
	reasonNotAllFeatures:       "You attempted to perform an operation that requires the organization to be configured to support all features. An organization that supports only consolidated billing features can't perform this operation.",
	reasonMaxTags:              "You have exceeded the number of tags allowed on this resource.",
	reasonRegisterMaster:       "You cannot register master account/yourself as delegated administrator for your organization.",
	reasonRegisterSuspended:    "You cannot register a suspended account as a delegated administrator.",
	reasonRemoveDelegatedAdmin: "You attempted to remove an account that is registered as a delegated administrator for a service integrated with your organization. To complete this operation, you must first deregister this account as a delegated administrator.",
	reasonCloseManagement:      "You attempted to close the management account. To close the management account for the organization, you must first either remove or close all member accounts in the organization.",
	reasonServiceAccess:        "You must enable service access before you delegate an administrator for this service. Call the AWS API EnableAWSServiceAccess first.", // observed
}

// errConstraint returns ConstraintViolationException with the reason.
func errConstraint(reason string) error {
	return awserr.ErrConstraintViolationException.New(constraintMessages[reason]).With("Reason", reason)
}

// The Reasons of InvalidInputException.
const (
	reasonInputRequired    = "INPUT_REQUIRED"
	reasonPattern          = "INVALID_PATTERN"
	reasonPatternTargetID  = "INVALID_PATTERN_TARGET_ID"
	reasonEnum             = "INVALID_ENUM"
	reasonEnumPolicyType   = "INVALID_ENUM_POLICY_TYPE"
	reasonMaxLength        = "MAX_LENGTH_EXCEEDED"
	reasonMinLength        = "MIN_LENGTH_EXCEEDED"
	reasonMaxValue         = "MAX_VALUE_EXCEEDED"
	reasonMinValue         = "MIN_VALUE_EXCEEDED"
	reasonNextToken        = "INVALID_NEXT_TOKEN"
	reasonImmutablePolicy  = "IMMUTABLE_POLICY"
	reasonNonDetachable    = "NON_DETACHABLE_POLICY"
	reasonUnknownPrincipal = "UNRECOGNIZED_SERVICE_PRINCIPAL"
	reasonDuplicateTagKey  = "DUPLICATE_TAG_KEY"
	reasonSystemTags       = "INVALID_SYSTEM_TAGS_PARAMETER"
	reasonRoleName         = "INVALID_ROLE_NAME"
)

// inputMessages are the messages of InvalidInputException by Reason.
var inputMessages = map[string]string{
	reasonInputRequired:    "You must include a value for all required parameters.",
	reasonPattern:          "You provided a value that does not match the required pattern.", // observed
	reasonPatternTargetID:  "You specified a policy target ID that doesn't match the required pattern.",
	reasonEnum:             "You specified an invalid value.",
	reasonEnumPolicyType:   "You specified an invalid policy type string.",
	reasonMaxLength:        "You provided a string parameter that is longer than allowed.",
	reasonMinLength:        "You provided a string parameter that is shorter than allowed.",
	reasonMaxValue:         "You provided a numeric parameter that has a larger value than allowed.",
	reasonMinValue:         "You provided a numeric parameter that has a smaller value than allowed.",
	reasonNextToken:        "You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.",
	reasonImmutablePolicy:  "You specified a policy that is managed by AWS and can't be modified.",
	reasonNonDetachable:    "You can't detach this AWS Managed Policy.",
	reasonUnknownPrincipal: "You specified an unrecognized service principal.",
	reasonDuplicateTagKey:  "Tag keys must be unique among the tags attached to the same entity.",
	reasonSystemTags:       "You specified a tag key that is a system tag. You can't add, edit, or delete system tag keys because they're reserved for AWS use.",
	reasonRoleName:         "You provided a role name that isn't valid. A role name can't begin with the reserved prefix AWSServiceRoleFor.",
}

// errInput returns InvalidInputException with the reason.
func errInput(reason string) error {
	return awserr.ErrInvalidInputException.New(inputMessages[reason]).With("Reason", reason)
}
