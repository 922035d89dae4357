package catalog

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gatehouse/awserr"
)

// errValidation is ValidationException: input that fails the API's
// constraints.
func errValidation(msg string) error { return awserr.ErrValidationException.New(msg) }

func errValidationf(format string, args ...any) error {
	return errValidation(fmt.Sprintf(format, args...))
}

// errNotFound is ResourceNotFoundException.
func errNotFound(msg string) error { return awserr.ErrResourceNotFoundException.New(msg) }

func errEntityNotFound(id string) error {
	return errNotFound(fmt.Sprintf("The entity %s was not found.", id))
}

func errChangeSetNotFound(id string) error {
	return errNotFound(fmt.Sprintf("The change set %s was not found.", id))
}

// errInUse is ResourceInUseException.
func errInUse(msg string) error { return awserr.ErrResourceInUseException.New(msg) }

// errAccessDenied is AccessDeniedException.
func errAccessDenied(msg string) error { return awserr.ErrAccessDeniedException.New(msg) }

// Error codes of a change's ErrorDetailList. AWS's documentation shows
// codes in this style without listing them all; these are the ones
// Gatehouse reports.
const (
	// CodeInvalidInput: the change's details do not match the change
	// type's schema or limits.
	CodeInvalidInput = "INVALID_INPUT"
	// CodeEntityNotFound: an entity the details name does not exist.
	CodeEntityNotFound = "ENTITY_NOT_FOUND"
	// CodeInvalidState: the entity is not in a state the change applies
	// to, such as releasing an incomplete product.
	CodeInvalidState = "INVALID_STATE"
	// CodeDuplicateValue: the details add something the entity already
	// has, such as a version title.
	CodeDuplicateValue = "DUPLICATE_VALUE"
	// CodeConflict: the change conflicts with another entity, such as a
	// principal associated with another experience.
	CodeConflict = "CONFLICT"
)

// ErrorDetail is one error of a change.
type ErrorDetail struct {
	ErrorCode    string
	ErrorMessage string
}

// changeErrors are the errors of one change; a handler returns them to
// fail its change (and so the change set) with CLIENT_ERROR.
type changeErrors []ErrorDetail

func (e changeErrors) Error() string {
	msgs := make([]string, len(e))
	for i, d := range e {
		msgs[i] = d.ErrorCode + ": " + d.ErrorMessage
	}
	return strings.Join(msgs, "; ")
}

// changeError returns a one-error changeErrors.
func changeError(code, format string, args ...any) error {
	return changeErrors{{ErrorCode: code, ErrorMessage: fmt.Sprintf(format, args...)}}
}

// problems collects the INVALID_INPUT errors of a change's details.
type problems struct{ list changeErrors }

func (p *problems) addf(format string, args ...any) {
	p.list = append(p.list, ErrorDetail{ErrorCode: CodeInvalidInput, ErrorMessage: fmt.Sprintf(format, args...)})
}

// err returns the collected errors, or nil.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return p.list
}

// isNotFound reports whether err is ResourceNotFoundException.
func isNotFound(err error) bool {
	return errors.Is(err, awserr.ErrResourceNotFoundException)
}

func itoa(n int) string { return strconv.Itoa(n) }
