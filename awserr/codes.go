package awserr

// This file is the one place where Gatehouse's AWS error codes are
// declared. Each variable is named Err + its wire code and created by def
// (code, HTTP status, fault, models, extra members).
//
// Sources:
//   - Modeled errors (Models non-empty): the botocore service models
//     (botocore 1.43), which TestKindsMatchBotocore checks code by code:
//     code, status, fault and extra members. A modeled error without an
//     explicit httpStatusCode is sent as AWS's JSON services send it: 400,
//     or 500 for a server fault. The Smithy models bundled with
//     aws-sdk-go-v2 (service/organizations v1.62) add httpError traits to
//     Organizations' errors (403 AccessDenied, 404 ...NotFound, 409
//     conflicts, 429 TooManyRequests); botocore carries none, AWS responses
//     captured in the wild show 400, and no SDK maps errors by status, so
//     Gatehouse follows botocore.
//   - Common errors (Models empty): AWS's "Common Errors" API reference
//     pages, in each protocol family's spelling. toJSON and toQuery (below)
//     pair the spellings so a writer renders the right one.

// Errors common to AWS query services (IAM, STS), as AWS spells them there.
var (
	// ErrAccessDenied reports that policy evaluation denied the request.
	ErrAccessDenied = def("AccessDenied", 403, Sender, "")
	// ErrExpiredToken reports an expired session token.
	ErrExpiredToken = def("ExpiredToken", 403, Sender, "")
	// ErrIncompleteSignature reports a malformed or incomplete SigV4 signature.
	ErrIncompleteSignature = def("IncompleteSignature", 400, Sender, "")
	// ErrInvalidAction reports an unknown Action for the service's Version.
	ErrInvalidAction = def("InvalidAction", 400, Sender, "")
	// ErrInvalidClientTokenId reports an unknown access key ID.
	ErrInvalidClientTokenId = def("InvalidClientTokenId", 403, Sender, "")
	// ErrMalformedQueryString reports a query string or form body that
	// cannot be decoded.
	ErrMalformedQueryString = def("MalformedQueryString", 404, Sender, "")
	// ErrMissingAction reports a query request without an Action.
	ErrMissingAction = def("MissingAction", 400, Sender, "")
	// ErrMissingAuthenticationToken reports an unsigned request.
	ErrMissingAuthenticationToken = def("MissingAuthenticationToken", 403, Sender, "")
	// ErrRequestExpired reports a signing time outside the allowed skew.
	ErrRequestExpired = def("RequestExpired", 400, Sender, "")
	// ErrSignatureDoesNotMatch reports a wrong signature.
	ErrSignatureDoesNotMatch = def("SignatureDoesNotMatch", 403, Sender, "")
	// ErrThrottling reports a rate-limited query request.
	ErrThrottling = def("Throttling", 400, Sender, "")
	// ErrValidationError reports input that fails the operation's
	// constraints (query services).
	ErrValidationError = def("ValidationError", 400, Sender, "")
)

// Errors common to AWS JSON services (Organizations, CloudTrail,
// Invoicing), and those both families share.
var (
	// ErrAccessDeniedException reports that policy evaluation denied the
	// request (JSON services).
	ErrAccessDeniedException = def("AccessDeniedException", 400, Sender, "organizations cloudtrail invoicing")
	// ErrExpiredTokenException reports an expired session token (JSON
	// services; STS models it for web identity tokens).
	ErrExpiredTokenException = def("ExpiredTokenException", 400, Sender, "sts")
	// ErrIncompleteSignatureException reports a malformed SigV4 signature
	// (JSON services).
	ErrIncompleteSignatureException = def("IncompleteSignatureException", 400, Sender, "")
	// ErrInternalFailure reports an unexpected server failure.
	ErrInternalFailure = def("InternalFailure", 500, Receiver, "")
	// ErrInvalidSignatureException reports a wrong signature (JSON services).
	ErrInvalidSignatureException = def("InvalidSignatureException", 403, Sender, "")
	// ErrMissingAuthenticationTokenException reports an unsigned request
	// (JSON services).
	ErrMissingAuthenticationTokenException = def("MissingAuthenticationTokenException", 403, Sender, "")
	// ErrRequestEntityTooLargeException reports a body over the size limit.
	ErrRequestEntityTooLargeException = def("RequestEntityTooLargeException", 413, Sender, "")
	// ErrSerializationException reports a request body that is not the
	// JSON the operation expects.
	ErrSerializationException = def("SerializationException", 400, Sender, "")
	// ErrServiceUnavailable reports a temporary server failure.
	ErrServiceUnavailable = def("ServiceUnavailable", 503, Receiver, "")
	// ErrThrottlingException reports a rate-limited JSON request.
	ErrThrottlingException = def("ThrottlingException", 400, Sender, "cloudtrail invoicing")
	// ErrUnknownOperationException reports an X-Amz-Target the service
	// does not know.
	ErrUnknownOperationException = def("UnknownOperationException", 400, Sender, "")
	// ErrUnrecognizedClientException reports an unknown access key ID
	// (JSON services).
	ErrUnrecognizedClientException = def("UnrecognizedClientException", 403, Sender, "")
	// ErrValidationException reports input that fails the operation's
	// constraints (JSON services; Invoicing adds resourceName, reason and
	// fieldList).
	ErrValidationException = def("ValidationException", 400, Sender, "invoicing", "resourceName", "reason", "fieldList")
)

// AWS Organizations errors.
var (
	// ErrAWSOrganizationsNotInUseException reports that the caller's account
	// is not a member of an organization.
	ErrAWSOrganizationsNotInUseException = def("AWSOrganizationsNotInUseException", 400, Sender, "organizations")
	// ErrAccessDeniedForDependencyException reports a missing
	// iam:CreateServiceLinkedRole permission; Reason says which.
	ErrAccessDeniedForDependencyException = def("AccessDeniedForDependencyException", 400, Sender, "organizations", "Reason")
	// ErrAccountAlreadyClosedException reports closing a closed account.
	ErrAccountAlreadyClosedException = def("AccountAlreadyClosedException", 400, Sender, "organizations")
	// ErrAccountAlreadyRegisteredException reports an account that already
	// is a delegated administrator for the service.
	ErrAccountAlreadyRegisteredException = def("AccountAlreadyRegisteredException", 400, Sender, "organizations")
	// ErrAccountNotFoundException reports an unknown AccountId.
	ErrAccountNotFoundException = def("AccountNotFoundException", 400, Sender, "organizations cloudtrail")
	// ErrAccountNotRegisteredException reports an account that is not a
	// delegated administrator for the service.
	ErrAccountNotRegisteredException = def("AccountNotRegisteredException", 400, Sender, "organizations cloudtrail")
	// ErrAlreadyInOrganizationException reports an account that already
	// belongs to an organization.
	ErrAlreadyInOrganizationException = def("AlreadyInOrganizationException", 400, Sender, "organizations")
	// ErrChildNotFoundException reports an unknown ChildId.
	ErrChildNotFoundException = def("ChildNotFoundException", 400, Sender, "organizations")
	// ErrConcurrentModificationException reports a target being modified by
	// another request.
	ErrConcurrentModificationException = def("ConcurrentModificationException", 400, Sender, "organizations cloudtrail")
	// ErrConflictException reports a request that conflicts with the
	// resource's current state.
	ErrConflictException = def("ConflictException", 400, Sender, "organizations cloudtrail invoicing")
	// ErrConstraintViolationException reports a violated limit; Reason
	// names it, e.g. OU_DEPTH_LIMIT_EXCEEDED.
	ErrConstraintViolationException = def("ConstraintViolationException", 400, Sender, "organizations", "Reason")
	// ErrCreateAccountStatusNotFoundException reports an unknown
	// CreateAccountRequestId.
	ErrCreateAccountStatusNotFoundException = def("CreateAccountStatusNotFoundException", 400, Sender, "organizations")
	// ErrDestinationParentNotFoundException reports an unknown destination
	// ParentId.
	ErrDestinationParentNotFoundException = def("DestinationParentNotFoundException", 400, Sender, "organizations")
	// ErrDuplicateAccountException reports an account already in the
	// destination.
	ErrDuplicateAccountException = def("DuplicateAccountException", 400, Sender, "organizations")
	// ErrDuplicateHandshakeException reports an existing handshake with the
	// same action and target.
	ErrDuplicateHandshakeException = def("DuplicateHandshakeException", 400, Sender, "organizations")
	// ErrDuplicateOrganizationalUnitException reports an OU name already in
	// use under the parent.
	ErrDuplicateOrganizationalUnitException = def("DuplicateOrganizationalUnitException", 400, Sender, "organizations")
	// ErrDuplicatePolicyAttachmentException reports a policy already
	// attached to the target.
	ErrDuplicatePolicyAttachmentException = def("DuplicatePolicyAttachmentException", 400, Sender, "organizations")
	// ErrDuplicatePolicyException reports a policy name already in use.
	ErrDuplicatePolicyException = def("DuplicatePolicyException", 400, Sender, "organizations")
	// ErrEffectivePolicyNotFoundException reports that the target has no
	// effective policy of the type.
	ErrEffectivePolicyNotFoundException = def("EffectivePolicyNotFoundException", 400, Sender, "organizations")
	// ErrFinalizingOrganizationException reports an organization that has
	// not finished initializing.
	ErrFinalizingOrganizationException = def("FinalizingOrganizationException", 400, Sender, "organizations")
	// ErrHandshakeConstraintViolationException reports a violated handshake
	// constraint; Reason names it.
	ErrHandshakeConstraintViolationException = def("HandshakeConstraintViolationException", 400, Sender, "organizations", "Reason")
	// ErrHandshakeNotFoundException reports an unknown HandshakeId.
	ErrHandshakeNotFoundException = def("HandshakeNotFoundException", 400, Sender, "organizations")
	// ErrInvalidInputException reports invalid parameters; Reason names the
	// problem, e.g. INVALID_PARTY_TYPE_TARGET.
	ErrInvalidInputException = def("InvalidInputException", 400, Sender, "organizations", "Reason")
	// ErrMalformedPolicyDocumentException reports a policy document that does
	// not meet its policy type's requirements.
	ErrMalformedPolicyDocumentException = def("MalformedPolicyDocumentException", 400, Sender, "organizations")
	// ErrMasterCannotLeaveOrganizationException reports an attempt to remove
	// the management account.
	ErrMasterCannotLeaveOrganizationException = def("MasterCannotLeaveOrganizationException", 400, Sender, "organizations")
	// ErrOrganizationNotEmptyException reports deleting an organization that
	// still has member accounts.
	ErrOrganizationNotEmptyException = def("OrganizationNotEmptyException", 400, Sender, "organizations")
	// ErrOrganizationalUnitNotEmptyException reports deleting an OU that
	// still has children.
	ErrOrganizationalUnitNotEmptyException = def("OrganizationalUnitNotEmptyException", 400, Sender, "organizations")
	// ErrOrganizationalUnitNotFoundException reports an unknown
	// OrganizationalUnitId.
	ErrOrganizationalUnitNotFoundException = def("OrganizationalUnitNotFoundException", 400, Sender, "organizations")
	// ErrParentNotFoundException reports an unknown ParentId.
	ErrParentNotFoundException = def("ParentNotFoundException", 400, Sender, "organizations")
	// ErrPolicyInUseException reports deleting a policy that is attached.
	ErrPolicyInUseException = def("PolicyInUseException", 400, Sender, "organizations")
	// ErrPolicyNotAttachedException reports detaching a policy that is not
	// attached to the target.
	ErrPolicyNotAttachedException = def("PolicyNotAttachedException", 400, Sender, "organizations")
	// ErrPolicyNotFoundException reports an unknown PolicyId.
	ErrPolicyNotFoundException = def("PolicyNotFoundException", 400, Sender, "organizations")
	// ErrPolicyTypeAlreadyEnabledException reports enabling an enabled
	// policy type.
	ErrPolicyTypeAlreadyEnabledException = def("PolicyTypeAlreadyEnabledException", 400, Sender, "organizations")
	// ErrPolicyTypeNotAvailableForOrganizationException reports a policy
	// type the organization's feature set does not allow.
	ErrPolicyTypeNotAvailableForOrganizationException = def("PolicyTypeNotAvailableForOrganizationException", 400, Sender, "organizations")
	// ErrPolicyTypeNotEnabledException reports a policy type not enabled in
	// the root.
	ErrPolicyTypeNotEnabledException = def("PolicyTypeNotEnabledException", 400, Sender, "organizations")
	// ErrRootNotFoundException reports an unknown RootId.
	ErrRootNotFoundException = def("RootNotFoundException", 400, Sender, "organizations")
	// ErrServiceException reports an internal Organizations failure.
	ErrServiceException = def("ServiceException", 500, Receiver, "organizations")
	// ErrSourceParentNotFoundException reports an unknown source ParentId.
	ErrSourceParentNotFoundException = def("SourceParentNotFoundException", 400, Sender, "organizations")
	// ErrTargetNotFoundException reports an unknown TargetId.
	ErrTargetNotFoundException = def("TargetNotFoundException", 400, Sender, "organizations")
	// ErrTooManyRequestsException reports a rate-limited Organizations
	// request; Type is its optional extra member.
	ErrTooManyRequestsException = def("TooManyRequestsException", 400, Sender, "organizations", "Type")
	// ErrUnsupportedAPIEndpointException reports an action not available in
	// the Region.
	ErrUnsupportedAPIEndpointException = def("UnsupportedAPIEndpointException", 400, Sender, "organizations")
)

// AWS CloudTrail errors (LookupEvents).
var (
	// ErrInvalidEventCategoryException reports an invalid EventCategory.
	ErrInvalidEventCategoryException = def("InvalidEventCategoryException", 400, Sender, "cloudtrail")
	// ErrInvalidLookupAttributesException reports an invalid lookup
	// attribute.
	ErrInvalidLookupAttributesException = def("InvalidLookupAttributesException", 400, Sender, "cloudtrail")
	// ErrInvalidMaxResultsException reports an invalid MaxResults.
	ErrInvalidMaxResultsException = def("InvalidMaxResultsException", 400, Sender, "cloudtrail")
	// ErrInvalidNextTokenException reports an invalid or reused NextToken.
	ErrInvalidNextTokenException = def("InvalidNextTokenException", 400, Sender, "cloudtrail")
	// ErrInvalidTimeRangeException reports a start time after the end time
	// or a range out of bounds.
	ErrInvalidTimeRangeException = def("InvalidTimeRangeException", 400, Sender, "cloudtrail")
)

// AWS Invoicing errors not declared above.
var (
	// ErrInternalServerException reports an internal Invoicing failure.
	ErrInternalServerException = def("InternalServerException", 500, Receiver, "invoicing", "retryAfterSeconds")
	// ErrResourceNotFoundException reports an unknown Invoicing resource.
	ErrResourceNotFoundException = def("ResourceNotFoundException", 400, Sender, "invoicing", "resourceName")
	// ErrServiceQuotaExceededException reports an exceeded Invoicing quota.
	ErrServiceQuotaExceededException = def("ServiceQuotaExceededException", 400, Sender, "invoicing")
)

// AWS Marketplace Catalog errors not declared above. The Catalog API is
// REST-JSON and sends the codes it shares with other services
// (AccessDeniedException, ResourceNotFoundException,
// ServiceQuotaExceededException, ThrottlingException, ValidationException)
// with statuses of its own; the server's REST-JSON codec applies them.
var (
	// ErrInternalServiceException reports an internal Catalog failure.
	ErrInternalServiceException = def("InternalServiceException", 500, Receiver, "marketplace-catalog")
	// ErrResourceInUseException reports an entity locked by a change set
	// in progress, or a change set that can no longer be cancelled.
	ErrResourceInUseException = def("ResourceInUseException", 423, Sender, "marketplace-catalog")
	// ErrResourceNotSupportedException reports an entity type the
	// operation does not support.
	ErrResourceNotSupportedException = def("ResourceNotSupportedException", 415, Sender, "marketplace-catalog")
)

// AWS IAM errors, with their query codes.
var (
	// ErrConcurrentModification reports concurrent changes to an entity.
	ErrConcurrentModification = def("ConcurrentModification", 409, Sender, "iam")
	// ErrDeleteConflict reports deleting an entity that still has
	// subordinate entities, such as a user with access keys.
	ErrDeleteConflict = def("DeleteConflict", 409, Sender, "iam")
	// ErrEntityAlreadyExists reports creating an entity that exists.
	ErrEntityAlreadyExists = def("EntityAlreadyExists", 409, Sender, "iam")
	// ErrEntityTemporarilyUnmodifiable reports an entity that cannot be
	// modified yet.
	ErrEntityTemporarilyUnmodifiable = def("EntityTemporarilyUnmodifiable", 409, Sender, "iam")
	// ErrInvalidInput reports an invalid IAM parameter.
	ErrInvalidInput = def("InvalidInput", 400, Sender, "iam")
	// ErrLimitExceeded reports an exceeded IAM quota.
	ErrLimitExceeded = def("LimitExceeded", 409, Sender, "iam")
	// ErrMalformedPolicyDocument reports a policy document IAM or STS
	// rejects.
	ErrMalformedPolicyDocument = def("MalformedPolicyDocument", 400, Sender, "iam sts")
	// ErrNoSuchEntity reports an IAM entity that does not exist.
	ErrNoSuchEntity = def("NoSuchEntity", 404, Sender, "iam")
	// ErrPasswordPolicyViolation reports a password the account's password
	// policy rejects.
	ErrPasswordPolicyViolation = def("PasswordPolicyViolation", 400, Sender, "iam")
	// ErrPolicyEvaluation reports a failed policy simulation.
	ErrPolicyEvaluation = def("PolicyEvaluation", 500, Receiver, "iam")
	// ErrPolicyNotAttachable reports a policy that cannot be attached, such
	// as a service-role policy on a user.
	ErrPolicyNotAttachable = def("PolicyNotAttachable", 400, Sender, "iam")
	// ErrServiceFailure reports an internal IAM failure.
	ErrServiceFailure = def("ServiceFailure", 500, Receiver, "iam")
	// ErrUnmodifiableEntity reports modifying a protected entity, such as a
	// service-linked role.
	ErrUnmodifiableEntity = def("UnmodifiableEntity", 400, Sender, "iam")
)

// AWS STS errors not declared above.
var (
	// ErrInvalidAuthorizationMessageException reports a message
	// DecodeAuthorizationMessage cannot decode.
	ErrInvalidAuthorizationMessageException = def("InvalidAuthorizationMessageException", 400, Sender, "sts")
	// ErrPackedPolicyTooLarge reports session policies and tags over STS's
	// packed size limit.
	ErrPackedPolicyTooLarge = def("PackedPolicyTooLarge", 400, Sender, "sts")
	// ErrRegionDisabledException reports STS not activated in the Region.
	ErrRegionDisabledException = def("RegionDisabledException", 403, Sender, "sts")
)

// toJSON maps a query-family common code to its JSON-family spelling; the
// JSON writers apply it.
var toJSON = map[string]*Kind{
	ErrAccessDenied.Code:               ErrAccessDeniedException,
	ErrExpiredToken.Code:               ErrExpiredTokenException,
	ErrIncompleteSignature.Code:        ErrIncompleteSignatureException,
	ErrInvalidAction.Code:              ErrUnknownOperationException,
	ErrInvalidClientTokenId.Code:       ErrUnrecognizedClientException,
	ErrMissingAuthenticationToken.Code: ErrMissingAuthenticationTokenException,
	ErrSignatureDoesNotMatch.Code:      ErrInvalidSignatureException,
	ErrThrottling.Code:                 ErrThrottlingException,
	ErrValidationError.Code:            ErrValidationException,
}

// toQuery maps a JSON-family common code to its query-family spelling; the
// query writers apply it. ExpiredTokenException stays: STS models it.
var toQuery = map[string]*Kind{
	ErrAccessDeniedException.Code:               ErrAccessDenied,
	ErrIncompleteSignatureException.Code:        ErrIncompleteSignature,
	ErrInvalidSignatureException.Code:           ErrSignatureDoesNotMatch,
	ErrMissingAuthenticationTokenException.Code: ErrMissingAuthenticationToken,
	ErrThrottlingException.Code:                 ErrThrottling,
	ErrUnknownOperationException.Code:           ErrInvalidAction,
	ErrUnrecognizedClientException.Code:         ErrInvalidClientTokenId,
	ErrValidationException.Code:                 ErrValidationError,
}

// JSONSpelling returns e as AWS's JSON services spell it: the common
// query-family codes (AccessDenied, InvalidClientTokenId ...) become their
// JSON-family codes (AccessDeniedException, UnrecognizedClientException ...).
func (e *Error) JSONSpelling() *Error { return respell(e, toJSON) }

// QuerySpelling returns e as AWS's query services (IAM, STS) spell it.
func (e *Error) QuerySpelling() *Error { return respell(e, toQuery) }

// respell returns e rendered in a protocol family: if table maps e's code,
// a copy with the other spelling and its status; otherwise e.
func respell(e *Error, table map[string]*Kind) *Error {
	k, ok := table[e.Code]
	if !ok {
		return e
	}
	c := *e
	c.Code, c.Status, c.Fault = k.Code, k.Status, k.Fault
	return &c
}
