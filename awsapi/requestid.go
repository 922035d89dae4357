package awsapi

import (
	"crypto/rand"
	"encoding/hex"
)

// NewRequestID returns a new AWS-style request ID: a random (version 4)
// UUID in lower case, such as "5f6c2a9e-3b1d-4c8e-9a7f-0123456789ab", from
// crypto/rand.
func NewRequestID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])  // never fails; it crashes the program instead
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}
