package server

import (
	"bytes"
	"io"
	"net/http"
)

// sdkHTTPClient is the HTTP client of the tests' aws-sdk-go-v2 clients: it
// gives each request a body of its own. smithy-go closes the request body
// as soon as Do returns, and net/http may then close the connection while
// the SDK still reads the response ("deserialization failed ... use of
// closed network connection", aws/aws-sdk-go-v2#2737). The SDK's remedy
// is a retry, but these clients retry nothing, so that every server error
// reaches the test.
type sdkHTTPClient struct{}

// Do implements the SDK's HTTPClient.
func (sdkHTTPClient) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	return http.DefaultClient.Do(r)
}
