package awsapi

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// NewRequestID returns a new AWS-style request ID: a random (version 4)
// UUID in lower case, such as "5f6c2a9e-3b1d-4c8e-9a7f-0123456789ab", from
// crypto/rand.
func NewRequestID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])  // never fails; it crashes the program instead
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return formatUUID(u)
}

// NewTimeOrderedID returns a new time-ordered (version 7, RFC 9562) UUID
// in lower case: the first 48 bits are t in Unix milliseconds, the rest
// random from crypto/rand. IDs made later sort after earlier ones (to the
// millisecond), so that an index keyed by them grows at its end instead of
// at random places: audit event IDs are such keys.
func NewTimeOrderedID(t time.Time) string {
	var u [16]byte
	_, _ = rand.Read(u[6:]) // never fails; it crashes the program instead
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(t.UnixMilli()))
	copy(u[0:6], ms[2:8])
	u[6] = u[6]&0x0f | 0x70 // version 7
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return formatUUID(u)
}

// formatUUID writes u as 8-4-4-4-12 lower-case hex digits.
func formatUUID(u [16]byte) string {
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
