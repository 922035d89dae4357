package agreement

import (
	"fmt"

	"gatehouse/awserr"
)

// Validation reasons of ValidationException, from the model's
// ValidationExceptionReason.
const (
	ReasonInvalidCatalog                   = "INVALID_CATALOG"
	ReasonInvalidFilterName                = "INVALID_FILTER_NAME"
	ReasonInvalidFilterValues              = "INVALID_FILTER_VALUES"
	ReasonMissingFilterValues              = "MISSING_FILTER_VALUES"
	ReasonInvalidSortBy                    = "INVALID_SORT_BY"
	ReasonInvalidSortOrder                 = "INVALID_SORT_ORDER"
	ReasonInvalidNextToken                 = "INVALID_NEXT_TOKEN"
	ReasonInvalidMaxResults                = "INVALID_MAX_RESULTS"
	ReasonInvalidPartyType                 = "INVALID_PARTY_TYPE"
	ReasonInvalidAgreementType             = "INVALID_AGREEMENT_TYPE"
	ReasonMissingAgreementID               = "MISSING_AGREEMENT_ID"
	ReasonInvalidAgreementID               = "INVALID_AGREEMENT_ID"
	ReasonInvalidClientToken               = "INVALID_CLIENT_TOKEN"
	ReasonMissingIntent                    = "MISSING_INTENT"
	ReasonInvalidIntent                    = "INVALID_INTENT"
	ReasonUnsupportedAction                = "UNSUPPORTED_ACTION"
	ReasonMissingProposalIdentifier        = "MISSING_AGREEMENT_PROPOSAL_IDENTIFIER"
	ReasonInvalidProposalIdentifier        = "INVALID_AGREEMENT_PROPOSAL_IDENTIFIER"
	ReasonExpiredProposal                  = "EXPIRED_AGREEMENT_PROPOSAL"
	ReasonMissingRequestedTerms            = "MISSING_REQUESTED_TERMS"
	ReasonInvalidRequestedTerms            = "INVALID_REQUESTED_TERMS"
	ReasonMissingRequestedTermID           = "MISSING_REQUESTED_TERM_ID"
	ReasonInvalidRequestedTermID           = "INVALID_REQUESTED_TERM_ID"
	ReasonInvalidRequestedTermConfig       = "INVALID_REQUESTED_TERM_CONFIGURATION"
	ReasonMissingRequestedTermConfig       = "MISSING_REQUESTED_TERM_CONFIGURATION"
	ReasonMissingMandatoryTerms            = "MISSING_MANDATORY_TERMS"
	ReasonMissingAgreementRequestID        = "MISSING_AGREEMENT_REQUEST_ID"
	ReasonInvalidAgreementRequestID        = "INVALID_AGREEMENT_REQUEST_ID"
	ReasonInvalidPurchaseOrders            = "INVALID_PURCHASE_ORDERS"
	ReasonMissingChargeID                  = "MISSING_CHARGE_ID"
	ReasonInvalidChargeID                  = "INVALID_CHARGE_ID"
	ReasonInvalidPurchaseOrderReference    = "INVALID_PURCHASE_ORDER_REFERENCE"
	ReasonInactiveAgreement                = "INACTIVE_AGREEMENT"
	ReasonDeniedByPrivateMarketplacePolicy = "DENIED_BY_PRIVATE_MARKETPLACE_POLICY"
)

// Resource types of ResourceNotFoundException and ConflictException.
const (
	ResourceAgreement         = "Agreement"
	ResourceAgreementRequest  = "AgreementRequest"
	ResourceAgreementProposal = "AgreementProposal"
	// ResourcePurchaseRequest is Gatehouse's: a ConflictException naming
	// one tells the buyer the purchase awaits approval.
	ResourcePurchaseRequest = "PurchaseRequest"
)

// errValidation is ValidationException with its reason.
func errValidation(reason, format string, args ...any) error {
	return awserr.ErrValidationException.Newf(format, args...).With("reason", reason)
}

// errNotFound is ResourceNotFoundException naming the resource.
func errNotFound(resourceType, id string) error {
	return awserr.ErrResourceNotFoundException.New(fmt.Sprintf("%s %s was not found.", resourceType, id)).
		With("resourceId", id).With("resourceType", resourceType)
}

// errConflict is ConflictException naming the resource.
func errConflict(resourceType, id, format string, args ...any) error {
	return awserr.ErrConflictException.Newf(format, args...).With("resourceId", id).With("resourceType", resourceType)
}

// errAccessDenied is AccessDeniedException with its reason.
func errAccessDenied(reason, format string, args ...any) error {
	return awserr.ErrAccessDeniedException.Newf(format, args...).With("reason", reason)
}
