package decimal

import (
	"math/big"
	"strings"
	"testing"
)

func TestArithmetic(t *testing.T) {
	tests := []struct {
		name, a, b   string
		product, sum string
		cmp          int
	}{
		{name: "integers", a: "12", b: "1200", product: "14400", sum: "1212", cmp: -1},
		{name: "cents", a: "2", b: "2400.50", product: "4801.00", sum: "2402.50", cmp: -1},
		{name: "fractions kept", a: "1.5", b: "0.125", product: "0.1875", sum: "1.625", cmp: 1},
		{name: "zero at two scales", a: "0", b: "0.00", product: "0.00", sum: "0.00", cmp: 0},
		{name: "equal at two scales", a: "1200", b: "1200.000", product: "1440000.000", sum: "2400.000", cmp: 0},
		{name: "leading zeros", a: "007", b: "0.01", product: "0.07", sum: "7.01", cmp: 1},
		// 0.1 + 0.2 is 0.30000000000000004 in binary floating point.
		{name: "no floating point error", a: "0.1", b: "0.2", product: "0.02", sum: "0.3", cmp: -1},
		{name: "beyond int64", a: "9223372036854775807", b: "9223372036854775807.5", product: "85070591730234615852008593802659889152.5",
			sum: "18446744073709551614.5", cmp: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := must(t, tt.a), must(t, tt.b)
			if got := a.Mul(b).String(); got != tt.product {
				t.Errorf("%s × %s = %s, want %s", tt.a, tt.b, got, tt.product)
			}
			if got := a.Add(b).String(); got != tt.sum {
				t.Errorf("%s + %s = %s, want %s", tt.a, tt.b, got, tt.sum)
			}
			if got := a.Cmp(b); got != tt.cmp {
				t.Errorf("Cmp(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.cmp)
			}
		})
	}
}

func must(t *testing.T, s string) Number {
	t.Helper()
	n, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestParseRefuses(t *testing.T) {
	for _, bad := range []string{"", "-1", "+1", "1e3", "1/2", "1.", ".5", "1,5", " 1", "1 ", "NaN", "0x10", "١٢",
		strings.Repeat("9", 31), "1." + strings.Repeat("5", 31)} {
		if n, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", bad, n)
		}
	}
}

func TestSumAndFormat(t *testing.T) {
	tests := []struct {
		name     string
		values   []string
		minScale int
		want     string
	}{
		{name: "none", want: "0"},
		{name: "none in cents", minScale: 2, want: "0.00"},
		{name: "scale of the most precise", values: []string{"1.5", "2", "0.125"}, want: "3.625"},
		{name: "carry into the whole part", values: []string{"0.999", "0.001"}, want: "1.000"},
		{name: "only fractions", values: []string{"0.01", "0.02"}, want: "0.03"},
		{name: "whole in cents", values: []string{"12", "30"}, minScale: 2, want: "42.00"},
		{name: "more precise than cents", values: []string{"0.125"}, minScale: 2, want: "0.125"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sum, err := Sum(tt.values)
			if err != nil {
				t.Fatal(err)
			}
			if got := sum.Format(tt.minScale); got != tt.want {
				t.Errorf("Sum(%q).Format(%d) = %q, want %q", tt.values, tt.minScale, got, tt.want)
			}
		})
	}
	if _, err := Sum([]string{"1", "x"}); err == nil {
		t.Error("Sum accepted a non-decimal")
	}
}

func TestZeroValue(t *testing.T) {
	var z Number
	if !z.IsZero() || z.String() != "0" || z.Cmp(must(t, "0.00")) != 0 || z.Add(must(t, "1.5")).String() != "1.5" {
		t.Errorf("the zero Number is not 0")
	}
}

// FuzzParse checks that what Parse accepts is a plain decimal whose value
// prints back exactly.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1200.00", "0.5", "1/2", "1e3", "-0", "00012.3400", " 7 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		if strings.ContainsAny(s, "/eE+-_ ") {
			t.Fatalf("Parse(%q) accepted a non-decimal form", s)
		}
		want, ok := new(big.Rat).SetString(s)
		got, ok2 := new(big.Rat).SetString(n.String())
		if !ok || !ok2 || want.Cmp(got) != 0 {
			t.Fatalf("Parse(%q) prints back as %s", s, n)
		}
	})
}

func TestNormal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1200", "1200"}, {"1200.00", "1200"}, {"1200.50", "1200.5"}, {"0.000", "0"}, {"0.125", "0.125"}, {"100", "100"},
	}
	for _, tt := range tests {
		if got := must(t, tt.in).Normal(); got != tt.want {
			t.Errorf("Normal(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
