// Package randid draws random resource ids: strings of characters chosen
// uniformly and independently from an alphabet.
package randid

import (
	"crypto/rand"
	"fmt"
	"io"
)

// The alphabets of generated ids.
const (
	// LowerAlnum is the ASCII digits and lower-case letters, [0-9a-z].
	LowerAlnum = "0123456789abcdefghijklmnopqrstuvwxyz"
	// Digits is the ASCII digits, [0-9].
	Digits = "0123456789"
)

// String returns n bytes of alphabet, each drawn uniformly and
// independently when r's bytes are, reading r (crypto/rand when r is
// nil). alphabet must hold 1 to 256 bytes; n must not be negative.
//
// Each byte read is either mapped or rejected: with m = len(alphabet),
// a byte b below the largest multiple of m not above 256 becomes
// alphabet[b%m], and any other byte is discarded, so no character is
// likelier than another. String reads exactly n bytes plus one for each
// rejected byte. A read error is returned wrapped, with no id.
func String(r io.Reader, alphabet string, n int) (string, error) {
	if len(alphabet) == 0 || len(alphabet) > 256 {
		return "", fmt.Errorf("randid: alphabet of %d bytes, want 1 to 256", len(alphabet))
	}
	if n < 0 {
		return "", fmt.Errorf("randid: negative length %d", n)
	}
	if r == nil {
		r = rand.Reader
	}
	m := len(alphabet)
	limit := 256 - 256%m
	out := make([]byte, n)
	for filled := 0; filled < n; {
		// Read fresh bytes into the unfilled tail and move the accepted
		// ones to its front; the write index never passes the read index.
		fresh := out[filled:]
		if _, err := io.ReadFull(r, fresh); err != nil {
			return "", fmt.Errorf("randid: read random bytes: %w", err)
		}
		for _, b := range fresh {
			if int(b) < limit {
				out[filled] = alphabet[int(b)%m]
				filled++
			}
		}
	}
	return string(out), nil
}
