package policy

// globMatch reports whether s matches pattern p, where '*' matches any run
// of characters (including '/' and ':') and '?' exactly one character.
// Positions i with lit[i] set are literal even when they hold '*' or '?';
// lit may be nil. With fold, ASCII letters compare case-insensitively.
// With wild false, p is compared literally.
//
// The algorithm keeps only the most recent star as a backtracking point,
// which is enough for glob patterns and runs in O(len(p)·len(s)) at worst
// without allocating.
func globMatch[P, S string | []byte](p P, lit []bool, s S, wild, fold bool) bool {
	pi, si := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			c := p[pi]
			meta := wild && (lit == nil || !lit[pi])
			switch {
			case meta && c == '*':
				starP, starS = pi, si
				pi++
				continue
			case meta && c == '?':
				pi++
				si += min(runeWidth(s[si]), len(s)-si)
				continue
			case byteEqual(c, s[si], fold):
				pi++
				si++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		pi = starP + 1
		starS++
		si = starS
	}
	for pi < len(p) && wild && p[pi] == '*' && (lit == nil || !lit[pi]) {
		pi++
	}
	return pi == len(p)
}

func byteEqual(a, b byte, fold bool) bool {
	if a == b {
		return true
	}
	return fold && lowerASCII(a) == lowerASCII(b)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func hasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}

// runeWidth returns the length of the UTF-8 sequence that starts with b.
func runeWidth(b byte) int {
	switch {
	case b < 0xC0:
		return 1
	case b < 0xE0:
		return 2
	case b < 0xF0:
		return 3
	}
	return 4
}
