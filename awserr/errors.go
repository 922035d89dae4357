package awserr

import (
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Fault says whose fault an error is: the caller's (Sender) or the
// service's (Receiver). The query protocol sends it as <Type>.
type Fault uint8

// The two faults AWS distinguishes.
const (
	Sender Fault = iota
	Receiver
)

// String returns "Sender" or "Receiver".
func (f Fault) String() string {
	if f == Receiver {
		return "Receiver"
	}
	return "Sender"
}

// Field is an extra member of an error shape, such as the Reason of
// Organizations' ConstraintViolationException. Value is encoded with
// encoding/json or encoding/xml, so strings, numbers and plain structs work.
type Field struct {
	Name  string // the member name as the model spells it
	Value any
}

// Error is an AWS API error as Gatehouse sends it: the code clients
// dispatch on, a human-readable message, the HTTP status, the fault and any
// extra members of the error shape, in the order they are written.
type Error struct {
	// Code is the AWS error code, such as "NoSuchEntity".
	Code string
	// Message is the human-readable message; it reaches the client.
	Message string
	// Status is the HTTP status; 0 means 400, or 500 for a Receiver fault.
	Status int
	// Fault says whose fault the error is.
	Fault Fault
	// Fields are the shape's extra members, such as Reason.
	Fields []Field

	cause error
}

// Error returns "Code: Message".
func (e *Error) Error() string {
	return e.Code + ": " + e.Message
}

// ErrorCode returns the AWS error code; with ErrorMessage it matches the
// smithy-go APIError accessors.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns the message.
func (e *Error) ErrorMessage() string { return e.Message }

// Unwrap returns the underlying cause, if any, for logging. The cause is
// never sent to the client.
func (e *Error) Unwrap() error { return e.cause }

// Is reports whether target is a *Kind or an *Error with the same code, so
// errors.Is(err, awserr.ErrNoSuchEntity) works.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case *Kind:
		return t.Code == e.Code
	case *Error:
		return t.Code == e.Code
	}
	return false
}

// With returns a copy of e with the extra member name set to value,
// replacing an earlier value of the same name.
func (e *Error) With(name string, value any) *Error {
	c := *e
	c.Fields = slices.DeleteFunc(slices.Clone(e.Fields), func(f Field) bool { return f.Name == name })
	c.Fields = append(c.Fields, Field{Name: name, Value: value})
	return &c
}

// Field returns the value of the extra member name.
func (e *Error) Field(name string) (any, bool) {
	for _, f := range e.Fields {
		if f.Name == name {
			return f.Value, true
		}
	}
	return nil, false
}

// HTTPStatus returns the HTTP status to send: Status, or 400 for a
// Sender fault and 500 for a Receiver fault when Status is unset.
func (e *Error) HTTPStatus() int {
	switch {
	case e.Status >= 400 && e.Status <= 599:
		return e.Status
	case e.Fault == Receiver:
		return 500
	}
	return 400
}

// Kind is one AWS error shape: its code, HTTP status and fault. Every kind
// Gatehouse sends is declared in codes.go. A *Kind is also an error value
// for errors.Is; a bare *Kind returned as an error is sent with an empty
// message.
type Kind struct {
	// Code is the code on the wire, e.g. "NoSuchEntity".
	Code string
	// Status is the HTTP status code AWS answers with.
	Status int
	// Fault is Sender for client errors, Receiver for server errors.
	Fault Fault
	// Members lists the extra members of the shape besides its message,
	// as the first of Models names them.
	Members []string
	// Models lists, space-separated, the botocore service models that
	// define the code; empty for AWS's common (unmodeled) errors.
	Models string
}

// Error returns the code.
func (k *Kind) Error() string { return k.Code }

// New returns an error of this kind with the given message.
func (k *Kind) New(message string) *Error {
	return &Error{Code: k.Code, Message: message, Status: k.Status, Fault: k.Fault}
}

// Newf returns an error of this kind with a formatted message.
func (k *Kind) Newf(format string, args ...any) *Error {
	return k.New(fmt.Sprintf(format, args...))
}

// Wrap returns an error of this kind with the given message that keeps
// cause for logging (see [Error.Unwrap]).
func (k *Kind) Wrap(cause error, message string) *Error {
	e := k.New(message)
	e.cause = cause
	return e
}

var registry []*Kind

// def declares a kind and registers it for [Kinds] and [Lookup].
func def(code string, status int, fault Fault, models string, members ...string) *Kind {
	k := &Kind{Code: code, Status: status, Fault: fault, Members: members, Models: models}
	registry = append(registry, k)
	return k
}

// Kinds returns every declared kind, in declaration order.
func Kinds() []*Kind {
	return slices.Clone(registry)
}

var byCode = sync.OnceValue(func() map[string]*Kind {
	m := make(map[string]*Kind, len(registry))
	for _, k := range registry {
		m[k.Code] = k
	}
	return m
})

// Lookup returns the declared kind with the given code.
func Lookup(code string) (*Kind, bool) {
	k, ok := byCode()[code]
	return k, ok
}

// New returns an error with the given code and message, taking status and
// fault from the declared kind; an undeclared code is a 400 Sender error.
// It converts errors of other packages, such as sigv4's, that carry a code.
func New(code, message string) *Error {
	if k, ok := Lookup(code); ok {
		return k.New(message)
	}
	return &Error{Code: code, Message: message, Status: 400}
}

// InternalMessage is the message AWS sends with InternalFailure.
// InternalMessage is the message of an InternalFailure, which never
// reveals its cause.
const InternalMessage = "The request processing has failed because of an unknown error, exception or failure."

// Internal returns an InternalFailure that keeps cause for logging but does
// not reveal it to the client.
func Internal(cause error) *Error {
	return ErrInternalFailure.Wrap(cause, InternalMessage)
}

// Coded is implemented by errors of other packages that carry an AWS error
// code, such as smithy-go's APIError; [As] converts them with [New].
type Coded interface {
	error
	ErrorCode() string
	ErrorMessage() string
}

// As returns err as an *Error: an *Error in err's chain as is, a *Kind or
// [Coded] error converted, anything else an InternalFailure that hides the
// cause. A nil err yields nil.
func As(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var k *Kind
	if errors.As(err, &k) {
		return k.Wrap(err, "")
	}
	var c Coded
	if errors.As(err, &c) && c.ErrorCode() != "" {
		e = New(c.ErrorCode(), c.ErrorMessage())
		e.cause = err
		return e
	}
	return Internal(err)
}
