package punchout

import (
	"strings"
	"testing"
)

func TestAmount(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the value, Normal; "" for refused
	}{
		{name: "integer", in: "1200", want: "1200"},
		{name: "two decimals", in: "1200.00", want: "1200"},
		{name: "fraction, space around", in: " 300.50 ", want: "300.5"},
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
			if !ok || got.Normal() != tt.want {
				t.Fatalf("amount(%q) = %v, %v; want %s", tt.in, got, ok, tt.want)
			}
		})
	}
}
