package punchout

import (
	"errors"
	"fmt"

	"gatehouse/cxml"
)

// Error is a refusal with the cXML status code to answer with. Its
// message is safe to send back to the buyer.
type Error struct {
	Status  int
	Message string
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("punchout: %d %s: %s", e.Status, cxml.StatusText(e.Status), e.Message)
}

func fail(status int, format string, args ...any) *Error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// ErrStartPage is returned for a StartPage token that is unknown, expired
// or already used. The three are not told apart, so that probing learns
// nothing.
var ErrStartPage = errors.New("punchout: the start page is unknown, expired or already used")

// ErrSession is returned for a shopping session cookie that is unknown or
// expired.
var ErrSession = errors.New("punchout: no such shopping session")

// StatusOf returns the cXML status for err: its own for an *Error, 500 for
// anything else.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return cxml.StatusInternalServerError
}
