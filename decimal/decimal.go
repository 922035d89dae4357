// Package decimal is exact arithmetic on the non-negative decimal
// amounts that prices, totals and quantities are written as in offers and
// cXML documents, such as "1200", "2400.50" and "0.125". No floating point
// is involved and nothing is ever rounded: a sum or product keeps every
// digit of its operands.
package decimal

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// reNumber is the one accepted form: up to 30 integer digits and 30
// fractional ones, no sign, exponent, fraction bar, grouping or space.
var reNumber = regexp.MustCompile(`^[0-9]{1,30}(\.[0-9]{1,30})?$`)

// Number is an exact non-negative decimal: unscaled / 10^scale. The zero
// Number is 0. Numbers are immutable.
type Number struct {
	unscaled *big.Int
	scale    int
}

// Parse reads s, which must be a plain non-negative decimal ("12",
// "0.125"). Its scale is the number of fractional digits written.
func Parse(s string) (Number, error) {
	if !reNumber.MatchString(s) {
		return Number{}, fmt.Errorf("decimal: %q is not a non-negative decimal number", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	u, _ := new(big.Int).SetString(whole+frac, 10)
	return Number{unscaled: u, scale: len(frac)}, nil
}

// Sum returns the exact sum of the decimals in values; 0 for none.
func Sum(values []string) (Number, error) {
	var sum Number
	for _, v := range values {
		n, err := Parse(v)
		if err != nil {
			return Number{}, err
		}
		sum = sum.Add(n)
	}
	return sum, nil
}

func (n Number) int() *big.Int {
	if n.unscaled == nil {
		return new(big.Int)
	}
	return n.unscaled
}

// Add returns n + m at the larger of their scales.
func (n Number) Add(m Number) Number {
	a, b := n.rescale(m.scale), m.rescale(n.scale)
	return Number{unscaled: new(big.Int).Add(a.int(), b.int()), scale: a.scale}
}

// Mul returns n × m, whose scale is the sum of theirs.
func (n Number) Mul(m Number) Number {
	return Number{unscaled: new(big.Int).Mul(n.int(), m.int()), scale: n.scale + m.scale}
}

// Cmp compares the values of n and m, whatever their scales: -1, 0 or +1.
func (n Number) Cmp(m Number) int {
	a, b := n.rescale(m.scale), m.rescale(n.scale)
	return a.int().Cmp(b.int())
}

// IsZero reports whether n is 0.
func (n Number) IsZero() bool {
	return n.int().Sign() == 0
}

// rescale returns n with at least scale fractional digits.
func (n Number) rescale(scale int) Number {
	if scale <= n.scale {
		return n
	}
	f := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale-n.scale)), nil)
	return Number{unscaled: new(big.Int).Mul(n.int(), f), scale: scale}
}

// String writes n with its scale's fractional digits: the sum of "1.5"
// and "0.125" is "1.625", of "0.999" and "0.001" "1.000".
func (n Number) String() string {
	return n.Format(0)
}

// Format writes n with at least minScale fractional digits, such as 2
// for an amount of money written with cents.
func (n Number) Format(minScale int) string {
	r := n.rescale(minScale)
	digits := r.int().String()
	if r.scale == 0 {
		return digits
	}
	if len(digits) <= r.scale {
		digits = strings.Repeat("0", r.scale-len(digits)+1) + digits
	}
	cut := len(digits) - r.scale
	return digits[:cut] + "." + digits[cut:]
}

// Normal writes n without trailing fractional zeros, so that equal values
// write alike whatever their scales: "1200.50" as "1200.5", "1200.00" as
// "1200".
func (n Number) Normal() string {
	s := n.String()
	if !strings.Contains(s, ".") {
		return s
	}
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}
