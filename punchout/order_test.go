package punchout

import (
	"math/big"
	"strings"
	"testing"
)

func TestAmount(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // RatString of the value; "" for refused
	}{
		{name: "integer", in: "1200", want: "1200"},
		{name: "two decimals", in: "1200.00", want: "1200"},
		{name: "fraction", in: " 300.50 ", want: "601/2"},
		{name: "fraction bar", in: "1/2"},
		{name: "exponent", in: "1e3"},
		{name: "sign", in: "-1"},
		{name: "plus sign", in: "+1"},
		{name: "comma", in: "1,200.00"},
		{name: "empty", in: ""},
		{name: "bare point", in: "1."},
		{name: "thirty digits", in: strings.Repeat("9", 30), want: strings.Repeat("9", 30)},
		{name: "too long", in: strings.Repeat("9", 31)},
		{name: "too precise", in: "1." + strings.Repeat("5", 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := amount(tt.in)
			if tt.want == "" {
				if ok {
					t.Fatalf("amount(%q) = %v, want refused", tt.in, got)
				}
				return
			}
			if !ok || got.RatString() != tt.want {
				t.Fatalf("amount(%q) = %v, %v; want %s", tt.in, got, ok, tt.want)
			}
		})
	}
}

// FuzzDecimal checks that amounts are read exactly: whatever decimal
// accepts is a plain non-negative decimal whose value prints back to the
// same number.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{"1200.00", "0.5", "1/2", "1e3", "-0", "00012.3400", " 7 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := amount(s)
		if !ok {
			return
		}
		if v.Sign() < 0 {
			t.Fatalf("amount(%q) is negative", s)
		}
		back, ok := new(big.Rat).SetString(v.FloatString(10))
		if !ok || back.Cmp(v) != 0 {
			t.Fatalf("amount(%q) = %v does not print back exactly", s, v)
		}
		if strings.ContainsAny(s, "/eE+-_") {
			t.Fatalf("amount(%q) accepted a non-decimal form", s)
		}
	})
}
