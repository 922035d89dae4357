package agreement

import (
	"strconv"
	"strings"
	"time"
)

// Prices are decimal strings with up to three fractional digits
// (catalog offers accept no more); sums are kept in thousandths.

// parsePrice returns a price in thousandths; ok is false for anything but
// a non-negative decimal with at most three fractional digits.
func parsePrice(s string) (int64, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 3 {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1e12 {
		return 0, false
	}
	frac += strings.Repeat("0", 3-len(frac))
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return w*1000 + f, true
}

// formatPrice writes thousandths as a decimal without trailing zeros.
func formatPrice(m int64) string {
	s := strconv.FormatInt(m/1000, 10)
	if f := m % 1000; f != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(1000+f, 10)[1:], "0")
	}
	return s
}

// addDuration adds an ISO 8601 duration of days, months or years (P7D,
// P12M, P1Y), as offers state them; ok is false for any other form.
func addDuration(t time.Time, d string) (time.Time, bool) {
	if len(d) < 3 || d[0] != 'P' {
		return t, false
	}
	n, err := strconv.Atoi(d[1 : len(d)-1])
	if err != nil || n < 1 || n > 1200 {
		return t, false
	}
	switch d[len(d)-1] {
	case 'D':
		return t.AddDate(0, 0, n), true
	case 'M':
		return t.AddDate(0, n, 0), true
	case 'Y':
		return t.AddDate(n, 0, 0), true
	}
	return t, false
}
