package awserr

import (
	"errors"
	"fmt"
	"testing"
)

// foreignError stands for another package's coded error (smithy-go's
// APIError shape).
type foreignError struct{ code, msg string }

func (e foreignError) Error() string        { return e.code + ": " + e.msg }
func (e foreignError) ErrorCode() string    { return e.code }
func (e foreignError) ErrorMessage() string { return e.msg }

func TestAs(t *testing.T) {
	noSuch := ErrNoSuchEntity.New("no bob")
	plain := errors.New("disk full")
	tests := []struct {
		name        string
		err         error
		wantCode    string
		wantStatus  int
		wantFault   Fault
		wantMessage string
		wantSame    bool
		wantCause   error
	}{
		{name: "nil", err: nil},
		{name: "*Error as is", err: noSuch, wantCode: "NoSuchEntity", wantStatus: 404, wantMessage: "no bob", wantSame: true},
		{name: "wrapped *Error", err: fmt.Errorf("get user: %w", noSuch), wantCode: "NoSuchEntity", wantStatus: 404, wantMessage: "no bob", wantSame: true},
		{name: "bare *Kind", err: ErrPolicyNotFoundException, wantCode: "PolicyNotFoundException", wantStatus: 400, wantCause: ErrPolicyNotFoundException},
		{name: "coded foreign error", err: foreignError{"SignatureDoesNotMatch", "bad sig"}, wantCode: "SignatureDoesNotMatch", wantStatus: 403, wantMessage: "bad sig"},
		{name: "undeclared foreign code", err: foreignError{"Whatever", "m"}, wantCode: "Whatever", wantStatus: 400, wantMessage: "m"},
		{name: "plain error hidden", err: plain, wantCode: "InternalFailure", wantStatus: 500, wantFault: Receiver, wantMessage: InternalMessage, wantCause: plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := As(tt.err)
			if tt.err == nil {
				if got != nil {
					t.Fatalf("As(nil) = %v", got)
				}
				return
			}
			if got.Code != tt.wantCode || got.Status != tt.wantStatus || got.Fault != tt.wantFault || got.Message != tt.wantMessage {
				t.Errorf("As = %+v, want code %s status %d fault %v message %q", got, tt.wantCode, tt.wantStatus, tt.wantFault, tt.wantMessage)
			}
			if tt.wantSame && got != noSuch {
				t.Errorf("As returned a copy, want the original *Error")
			}
			if tt.wantCause != nil && !errors.Is(got, tt.wantCause) {
				t.Errorf("cause %v not kept", tt.wantCause)
			}
		})
	}
}

func TestErrorIs(t *testing.T) {
	err := fmt.Errorf("op: %w", ErrNoSuchEntity.New("x"))
	tests := []struct {
		name   string
		target error
		want   bool
	}{
		{name: "same kind", target: ErrNoSuchEntity, want: true},
		{name: "other kind", target: ErrEntityAlreadyExists, want: false},
		{name: "*Error with same code", target: &Error{Code: "NoSuchEntity"}, want: true},
		{name: "unrelated error", target: errors.New("NoSuchEntity"), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(err, tt.target); got != tt.want {
				t.Errorf("errors.Is = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestErrorWithCopies(t *testing.T) {
	base := ErrConstraintViolationException.New("too deep")
	a := base.With("Reason", "OU_DEPTH_LIMIT_EXCEEDED")
	b := a.With("Reason", "OU_NUMBER_LIMIT_EXCEEDED").With("Extra", 3)
	tests := []struct {
		name  string
		err   *Error
		field string
		want  any
		found bool
	}{
		{name: "base untouched", err: base, field: "Reason", found: false},
		{name: "first value", err: a, field: "Reason", want: "OU_DEPTH_LIMIT_EXCEEDED", found: true},
		{name: "replaced value", err: b, field: "Reason", want: "OU_NUMBER_LIMIT_EXCEEDED", found: true},
		{name: "second field", err: b, field: "Extra", want: 3, found: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.err.Field(tt.field)
			if ok != tt.found || got != tt.want {
				t.Errorf("Field(%q) = %v, %v; want %v, %v", tt.field, got, ok, tt.want, tt.found)
			}
		})
	}
	if len(b.Fields) != 2 || b.Fields[0].Name != "Reason" {
		t.Errorf("Fields = %+v, want Reason replaced in place of appended twice", b.Fields)
	}
}

func TestNewLooksUpKind(t *testing.T) {
	tests := []struct {
		code       string
		wantStatus int
		wantFault  Fault
	}{
		{code: "NoSuchEntity", wantStatus: 404},
		{code: "ServiceException", wantStatus: 500, wantFault: Receiver},
		{code: "MissingAuthenticationToken", wantStatus: 403},
		{code: "NotDeclaredAnywhere", wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			e := New(tt.code, "m")
			if e.Status != tt.wantStatus || e.Fault != tt.wantFault || e.Error() != tt.code+": m" {
				t.Errorf("New = %+v", e)
			}
		})
	}
}

func TestStatusDefaults(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want int
	}{
		{name: "explicit", err: &Error{Status: 409}, want: 409},
		{name: "sender default", err: &Error{}, want: 400},
		{name: "receiver default", err: &Error{Fault: Receiver}, want: 500},
		{name: "out of range", err: &Error{Status: 200}, want: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.HTTPStatus(); got != tt.want {
				t.Errorf("status = %d, want %d", got, tt.want)
			}
		})
	}
}
