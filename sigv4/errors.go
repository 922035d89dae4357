package sigv4

import (
	"fmt"
	"net/http"
)

// Error codes returned in [Error.Code]. They are the codes AWS services use.
const (
	// CodeMissingAuthenticationToken (403): no Authorization header and no
	// X-Amz-* query authentication.
	CodeMissingAuthenticationToken = "MissingAuthenticationToken"
	// CodeIncompleteSignature (400): the signature elements are missing or
	// malformed.
	CodeIncompleteSignature = "IncompleteSignature"
	// CodeInvalidClientTokenID (403): the access key ID is unknown.
	CodeInvalidClientTokenID = "InvalidClientTokenId"
	// CodeSignatureDoesNotMatch (403): the signature or its scope is wrong.
	CodeSignatureDoesNotMatch = "SignatureDoesNotMatch"
	// CodeRequestExpired (400): the signing time is outside the allowed
	// clock skew, or a presigned URL has expired.
	CodeRequestExpired = "RequestExpired"
	// CodeMalformedQueryString (404, as AWS documents it): the query string
	// cannot be decoded.
	CodeMalformedQueryString = "MalformedQueryString"
	// CodeContentSHA256Mismatch (400): the body does not match the
	// x-amz-content-sha256 header.
	CodeContentSHA256Mismatch = "XAmzContentSHA256Mismatch"
)

// Messages AWS uses verbatim for the fixed-text errors.
const (
	msgMissingToken      = "Missing Authentication Token"
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgInvalidClientToken = "The security token included in the request is invalid."
)

// Error is a SigV4 authentication failure as AWS reports it: an error code
// (one of the Code* constants), the HTTP status code AWS answers with, and a
// human-readable message. All errors returned by this package are *Error.
type Error struct {
	Code       string
	StatusCode int
	Message    string
}

// Error returns "Code: Message".
func (e *Error) Error() string {
	return e.Code + ": " + e.Message
}

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, &sigv4.Error{Code: sigv4.CodeRequestExpired}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// InvalidClientTokenID returns the error AWS sends when the access key ID (or
// session token) is not known: InvalidClientTokenId, HTTP 403. Parse and
// Verify never return it themselves except for an empty secret; callers return
// it when their key lookup fails.
func InvalidClientTokenID() *Error {
	return &Error{Code: CodeInvalidClientTokenID, StatusCode: http.StatusForbidden, Message: msgInvalidClientToken}
}

func missingToken() *Error {
	return &Error{Code: CodeMissingAuthenticationToken, StatusCode: http.StatusForbidden, Message: msgMissingToken}
}

func incomplete(format string, args ...any) *Error {
	return &Error{Code: CodeIncompleteSignature, StatusCode: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func mismatch() *Error {
	return mismatchMsg(msgSignatureMismatch)
}

func mismatchMsg(format string, args ...any) *Error {
	return &Error{Code: CodeSignatureDoesNotMatch, StatusCode: http.StatusForbidden, Message: fmt.Sprintf(format, args...)}
}

func expired(format string, args ...any) *Error {
	return &Error{Code: CodeRequestExpired, StatusCode: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

func malformedQuery() *Error {
	// AWS documents MalformedQueryString with HTTP 404.
	return &Error{Code: CodeMalformedQueryString, StatusCode: http.StatusNotFound, Message: "The query string contains a syntax error."}
}

func contentMismatch() *Error {
	return &Error{Code: CodeContentSHA256Mismatch, StatusCode: http.StatusBadRequest,
		Message: "The provided 'x-amz-content-sha256' header does not match what was computed."}
}

// clip bounds client-supplied text echoed in error messages.
func clip(s string) string {
	const limit = 128
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
