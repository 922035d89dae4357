package invoice

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
)

// reDecimal is a non-negative decimal as prices and quantities are
// written: up to 15 integer digits and 6 fractional ones, no sign, no
// exponent.
var reDecimal = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,6})?$`)

// minScale is the fewest fractional digits an amount is written with.
const minScale = 2

// decimal is an exact non-negative decimal number, unscaled / 10^scale.
// Amounts are never rounded: a product or sum keeps every digit.
type decimal struct {
	unscaled *big.Int
	scale    int
}

// parseDecimal reads s, which must match reDecimal.
func parseDecimal(s string) (decimal, error) {
	if !reDecimal.MatchString(s) {
		return decimal{}, fmt.Errorf("%q is not a non-negative decimal number", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	u, _ := new(big.Int).SetString(whole+frac, 10)
	return decimal{unscaled: u, scale: len(frac)}, nil
}

// zero is 0 with no fractional digits.
func zero() decimal {
	return decimal{unscaled: new(big.Int)}
}

// mul returns d × e.
func (d decimal) mul(e decimal) decimal {
	return decimal{unscaled: new(big.Int).Mul(d.unscaled, e.unscaled), scale: d.scale + e.scale}
}

// add returns d + e at the larger of their scales.
func (d decimal) add(e decimal) decimal {
	a, b := d.rescale(e.scale), e.rescale(d.scale)
	return decimal{unscaled: new(big.Int).Add(a.unscaled, b.unscaled), scale: a.scale}
}

// rescale returns d with at least scale fractional digits.
func (d decimal) rescale(scale int) decimal {
	if scale <= d.scale {
		return d
	}
	f := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale-d.scale)), nil)
	return decimal{unscaled: new(big.Int).Mul(d.unscaled, f), scale: scale}
}

// isZero reports whether d is 0.
func (d decimal) isZero() bool {
	return d.unscaled.Sign() == 0
}

// String writes d with at least minScale fractional digits.
func (d decimal) String() string {
	r := d.rescale(minScale)
	digits := r.unscaled.String()
	if len(digits) <= r.scale {
		digits = strings.Repeat("0", r.scale-len(digits)+1) + digits
	}
	cut := len(digits) - r.scale
	return digits[:cut] + "." + digits[cut:]
}
