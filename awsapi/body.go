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
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("awsapi: read request body: %w", err)
	}
	if n > limit {
		return nil, tooLarge(limit)
	}
	return buf.Bytes(), nil
}

func tooLarge(limit int64) *awserr.Error {
	return awserr.ErrRequestEntityTooLargeException.Newf("Request body is larger than the limit of %d bytes.", limit)
}
