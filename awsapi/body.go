package awsapi

import (
	"bytes"
	"fmt"
	"gatehouse/awserr"
	"io"
	"net/http"
)

// DefaultMaxBodyBytes is the request body limit servers should pass to
// [ReadBody] unless an operation needs more: 1 MiB, well above the largest
// Organizations, IAM or STS request (policy documents are at most tens of
// kilobytes).
const DefaultMaxBodyBytes = 1 << 20

// ReadBody reads r's whole body, refusing more than limit bytes with
// RequestEntityTooLargeException (413). The bytes serve both SigV4
// verification and the protocol decoder. A failure to read is returned
// wrapped; [As] turns it into InternalFailure.
func ReadBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	if r.ContentLength >= 0 {
		return readExactly(r.Body, r.ContentLength)
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("awsapi: read request body: %w", err)
	}
	if n > limit {
		return nil, tooLarge(limit)
	}
	return buf.Bytes(), nil
}

// readExactly reads a body of a declared length n into a buffer of that
// size; a body that ends early or runs past n is an error.
func readExactly(body io.Reader, n int64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := io.ReadFull(body, buf); err != nil {
		return nil, fmt.Errorf("awsapi: read request body: %w", err)
	}
	var extra [1]byte
	if m, _ := body.Read(extra[:]); m > 0 {
		return nil, awserr.ErrSerializationException.New("The request body is longer than its Content-Length.")
	}
	return buf, nil
}

func tooLarge(limit int64) *awserr.Error {
	return awserr.ErrRequestEntityTooLargeException.Newf("Request body is larger than the limit of %d bytes.", limit)
}
