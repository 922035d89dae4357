// Package webhook posts signed JSON notifications. The body is signed
// with HMAC-SHA256 under a shared secret over the timestamp, a dot and
// the body, so a receiver can check both who sent it and that it is
// fresh:
//
//	X-Gatehouse-Timestamp: 1767225600
//	X-Gatehouse-Signature: sha256=HEX(HMAC-SHA256(secret, "1767225600." + body))
//
// Verify is the receiver's check.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Header names of a notification.
const (
	HeaderTimestamp = "X-Gatehouse-Timestamp"
	HeaderSignature = "X-Gatehouse-Signature"
)

// Sign returns the signature header value of body sent at timestamp
// (Unix seconds).
func Sign(secret []byte, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether signature signs body at timestamp under secret
// and the timestamp is within tolerance of now. It compares in constant
// time.
func Verify(secret []byte, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) bool {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return false
	}
	return hmac.Equal([]byte(signature), []byte(Sign(secret, ts, body)))
}

// Client posts notifications. The zero value uses a client with a
// 10-second timeout and the system clock.
type Client struct {
	// HTTP is the client; nil means one with a 10-second timeout that
	// follows no redirects.
	HTTP *http.Client
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

var defaultClient = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Post sends body to url signed under secret. Any answer but 2xx is an
// error, so that the caller retries.
func (c *Client) Post(ctx context.Context, url string, secret, body []byte) error {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	ts := now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Gatehouse-Webhook/1")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(secret, ts, body))
	hc := c.HTTP
	if hc == nil {
		hc = defaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: post: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook: post: status %d", resp.StatusCode)
	}
	return nil
}
