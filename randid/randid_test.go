package randid

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// cycleReader yields the byte values 0, 1, ..., 255 over and over, each
// equally often, and counts the bytes it has yielded.
type cycleReader struct{ n int }

func (c *cycleReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c.n)
		c.n++
	}
	return len(p), nil
}

// allBytes is an alphabet of every byte value, which rejects none.
func allBytes() string {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}

func TestStringLengthAndAlphabet(t *testing.T) {
	tests := []struct {
		name     string
		alphabet string
		n        int
	}{
		{name: "empty id", alphabet: LowerAlnum, n: 0},
		{name: "one character", alphabet: LowerAlnum, n: 1},
		{name: "catalog entity id", alphabet: LowerAlnum, n: 13},
		{name: "change set id", alphabet: LowerAlnum, n: 25},
		{name: "long id", alphabet: LowerAlnum, n: 1000},
		{name: "account id", alphabet: Digits, n: 12},
		{name: "power of two alphabet", alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", n: 17},
		{name: "one letter alphabet", alphabet: "x", n: 5},
		{name: "every byte value", alphabet: allBytes(), n: 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			readers := []struct {
				name string
				r    io.Reader
			}{
				{name: "crypto/rand", r: nil},
				{name: "cycle", r: &cycleReader{n: 250}},
			}
			for _, rd := range readers {
				got, err := String(rd.r, tt.alphabet, tt.n)
				if err != nil {
					t.Fatalf("%s: String: %v", rd.name, err)
				}
				if len(got) != tt.n {
					t.Errorf("%s: len = %d, want %d", rd.name, len(got), tt.n)
				}
				for i := 0; i < len(got); i++ {
					if strings.IndexByte(tt.alphabet, got[i]) < 0 {
						t.Errorf("%s: byte %q at %d is not in the alphabet", rd.name, got[i], i)
					}
				}
			}
		})
	}
}

// TestStringUniform draws from a reader that yields every byte value
// equally often. Of each 256 bytes, limit = 256 - 256%m are accepted,
// limit/m for each character, so after k*limit characters every character
// has come up exactly k*limit/m times: a biased mapping would give the
// first 256%m characters more.
func TestStringUniform(t *testing.T) {
	tests := []struct {
		name     string
		alphabet string
		chunk    int // characters per call, to cross cycle boundaries mid-call
	}{
		{name: "lower alphanumeric", alphabet: LowerAlnum, chunk: 25},
		{name: "digits", alphabet: Digits, chunk: 12},
		{name: "power of two", alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", chunk: 17},
		{name: "seven", alphabet: "abcdefg", chunk: 1},
		{name: "every byte value", alphabet: allBytes(), chunk: 100},
	}
	const cycles = 5
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := len(tt.alphabet)
			limit := 256 - 256%m
			total := cycles * limit
			r := &cycleReader{}
			counts := make(map[byte]int)
			for drawn := 0; drawn < total; {
				n := min(tt.chunk, total-drawn)
				s, err := String(r, tt.alphabet, n)
				if err != nil {
					t.Fatal(err)
				}
				for i := 0; i < len(s); i++ {
					counts[s[i]]++
				}
				drawn += n
			}
			for i := 0; i < m; i++ {
				if got, want := counts[tt.alphabet[i]], cycles*limit/m; got != want {
					t.Errorf("character %q drawn %d times, want %d", tt.alphabet[i], got, want)
				}
			}
			// The last accepted byte is limit-1 of the last cycle, and no
			// byte was read beyond it.
			if want := (cycles-1)*256 + limit; r.n != want {
				t.Errorf("read %d bytes, want %d", r.n, want)
			}
		})
	}
}

func TestStringMapping(t *testing.T) {
	tests := []struct {
		name     string
		alphabet string
		in       []byte
		n        int
		want     string
	}{
		{name: "accepted bytes map modulo 36", alphabet: LowerAlnum,
			in: []byte{0, 35, 36, 71, 251}, n: 5, want: "0z0zz"},
		{name: "252 and up are skipped", alphabet: LowerAlnum,
			in: []byte{252, 1, 253, 254, 255, 2, 10}, n: 3, want: "12a"},
		{name: "250 and up are skipped for digits", alphabet: Digits,
			in: []byte{250, 251, 9, 255, 249}, n: 2, want: "99"},
		{name: "nothing is skipped for 32 characters", alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
			in: []byte{0, 31, 32, 255}, n: 4, want: "A7A7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bytes.NewReader(tt.in)
			got, err := String(r, tt.alphabet, tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("String = %q, want %q", got, tt.want)
			}
			if r.Len() != 0 {
				t.Errorf("%d bytes left unread, want every byte used or rejected", r.Len())
			}
		})
	}
}

// TestStringNeverMapsRejected offers only bytes the alphabet rejects: no
// character comes of them, and the reader runs dry.
func TestStringNeverMapsRejected(t *testing.T) {
	tests := []struct {
		name     string
		alphabet string
		first    int // the first rejected byte value
	}{
		{name: "lower alphanumeric", alphabet: LowerAlnum, first: 252},
		{name: "digits", alphabet: Digits, first: 250},
		{name: "seven", alphabet: "abcdefg", first: 252},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in []byte
			for b := tt.first; b < 256; b++ {
				in = append(in, byte(b), byte(b))
			}
			got, err := String(bytes.NewReader(in), tt.alphabet, 1)
			if !errors.Is(err, io.EOF) {
				t.Fatalf("String = %q, %v; want io.EOF once the reader is dry", got, err)
			}
		})
	}
}

var errBroken = errors.New("entropy source broken")

// brokenReader yields ok bytes of value 1, then fails.
type brokenReader struct{ ok int }

func (b *brokenReader) Read(p []byte) (int, error) {
	if b.ok == 0 {
		return 0, errBroken
	}
	n := min(len(p), b.ok)
	for i := range n {
		p[i] = 1
	}
	b.ok -= n
	return n, nil
}

func TestStringErrors(t *testing.T) {
	tests := []struct {
		name     string
		r        io.Reader
		alphabet string
		n        int
		want     error // matched with errors.Is; nil means any error
	}{
		{name: "reader fails at once", r: &brokenReader{}, alphabet: LowerAlnum, n: 8, want: errBroken},
		{name: "reader fails mid-id", r: &brokenReader{ok: 5}, alphabet: LowerAlnum, n: 8, want: errBroken},
		{name: "reader fails after a rejection", r: io.MultiReader(bytes.NewReader([]byte{1, 255}), &brokenReader{}),
			alphabet: LowerAlnum, n: 2, want: errBroken},
		{name: "reader runs short", r: bytes.NewReader([]byte{1, 2}), alphabet: LowerAlnum, n: 3, want: io.ErrUnexpectedEOF},
		{name: "empty alphabet", r: &cycleReader{}, alphabet: "", n: 1},
		{name: "alphabet over 256 bytes", r: &cycleReader{}, alphabet: allBytes() + "x", n: 1},
		{name: "negative length", r: &cycleReader{}, alphabet: LowerAlnum, n: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := String(tt.r, tt.alphabet, tt.n)
			if err == nil {
				t.Fatalf("String = %q, want an error", got)
			}
			if got != "" {
				t.Errorf("String = %q with the error, want no id", got)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v, want it to wrap %v", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "randid: ") {
				t.Errorf("error %q lacks the package's context", err)
			}
		})
	}
}
