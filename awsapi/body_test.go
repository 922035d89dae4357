package awsapi

import (
	"errors"
	"gatehouse/awserr"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadBody(t *testing.T) {
	readErr := errors.New("connection reset")
	tests := []struct {
		name          string
		body          io.Reader
		contentLength int64 // -1: unknown (chunked)
		limit         int64
		want          string
		wantCode      string
		wantCause     error
	}{
		{name: "no body", body: nil, limit: 10, want: ""},
		{name: "within limit", body: strings.NewReader("Action=A"), contentLength: 8, limit: 10, want: "Action=A"},
		{name: "exactly the limit", body: strings.NewReader("0123456789"), contentLength: 10, limit: 10, want: "0123456789"},
		{name: "declared too large", body: strings.NewReader("x"), contentLength: 11, limit: 10, wantCode: "RequestEntityTooLargeException"},
		{name: "chunked too large", body: strings.NewReader("01234567890"), contentLength: -1, limit: 10, wantCode: "RequestEntityTooLargeException"},
		{name: "read failure", body: iotest.ErrReader(readErr), contentLength: -1, limit: 10, wantCode: "InternalFailure", wantCause: readErr},
		{name: "read failure, declared length", body: iotest.ErrReader(readErr), contentLength: 4, limit: 10, wantCode: "InternalFailure", wantCause: readErr},
		{name: "shorter than declared", body: strings.NewReader("abc"), contentLength: 4, limit: 10, wantCode: "InternalFailure", wantCause: io.ErrUnexpectedEOF},
		{name: "longer than declared", body: strings.NewReader("abcde"), contentLength: 4, limit: 10, wantCode: "SerializationException"},
		{name: "declared empty", body: strings.NewReader(""), contentLength: 0, limit: 10, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", tt.body)
			if tt.body != nil {
				r.ContentLength = tt.contentLength
			}
			got, err := ReadBody(r, tt.limit)
			if tt.wantCode == "" {
				if err != nil || string(got) != tt.want {
					t.Errorf("ReadBody = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			e := awserr.As(err)
			if e.Code != tt.wantCode {
				t.Errorf("err = %v, want %s", err, tt.wantCode)
			}
			if tt.wantCode == "RequestEntityTooLargeException" && e.Status != 413 {
				t.Errorf("status = %d, want 413", e.Status)
			}
			if tt.wantCause != nil && !errors.Is(err, tt.wantCause) {
				t.Errorf("err = %v does not wrap %v", err, tt.wantCause)
			}
		})
	}
}
