package cxml

import (
	"errors"
)

// Status codes the bridge answers with. The texts are those of the cXML
// specification's status table (see [StatusText]).
const (
	StatusOK                  = 200
	StatusBadRequest          = 400
	StatusUnauthorized        = 401
	StatusForbidden           = 403
	StatusNotAcceptable       = 406
	StatusConflict            = 409
	StatusExpectationFailed   = 417 // the request refers to a document the server does not have
	StatusInternalServerError = 500
)

var statusTexts = map[int]string{
	StatusOK:                  "OK",
	StatusBadRequest:          "Bad Request",
	StatusUnauthorized:        "Unauthorized",
	StatusForbidden:           "Forbidden",
	StatusNotAcceptable:       "Not Acceptable",
	StatusConflict:            "Conflict",
	StatusExpectationFailed:   "Expectation Failed",
	StatusInternalServerError: "Internal Server Error",
}

// StatusText returns the cXML status text for code, or "" for a code the
// bridge does not use.
func StatusText(code int) string {
	return statusTexts[code]
}

// Errors returned by [Parse]. Each wraps the detail; [StatusFor] maps them to
// the cXML status to answer with.
var (
	// ErrTooLarge: the document is larger than [MaxDocumentSize].
	ErrTooLarge = errors.New("cxml: document too large")
	// ErrMalformed: the input is not a well-formed XML document.
	ErrMalformed = errors.New("cxml: malformed document")
	// ErrForbiddenMarkup: a DOCTYPE with an internal subset, an entity
	// declaration or another markup declaration.
	ErrForbiddenMarkup = errors.New("cxml: forbidden markup declaration")
	// ErrWrongRoot: the root element is not cXML.
	ErrWrongRoot = errors.New("cxml: root element is not cXML")
	// ErrVersion: the version is not a cXML 1.2.x version.
	ErrVersion = errors.New("cxml: unsupported cXML version")
	// ErrInvalid: well-formed cXML that breaks a rule of the protocol
	// (missing payload, unknown operation, ...).
	ErrInvalid = errors.New("cxml: invalid document")
)

// StatusFor returns the cXML status code to answer a document that failed
// with err. The cXML status table gives 406 Not Acceptable for a request the
// server could not parse and 400 Bad Request for one that parsed but is
// unacceptable; anything else is a 500.
func StatusFor(err error) int {
	switch {
	case err == nil:
		return StatusOK
	case errors.Is(err, ErrTooLarge), errors.Is(err, ErrMalformed),
		errors.Is(err, ErrForbiddenMarkup), errors.Is(err, ErrWrongRoot):
		return StatusNotAcceptable
	case errors.Is(err, ErrVersion), errors.Is(err, ErrInvalid):
		return StatusBadRequest
	default:
		return StatusInternalServerError
	}
}
