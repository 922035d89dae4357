package discovery

import (
	"encoding/base64"
	"encoding/json"

	"hash/fnv"
	"strconv"
	"strings"

	"gatehouse/awserr"
)

// Page tokens are base64 of "OFFSET.FINGERPRINT": the position of the
// next page and a hash of the request it continues, so a token is not
// taken for another request.

// fingerprint hashes the members of a request that select its results.
func fingerprint(v any) string {
	b, _ := json.Marshal(v) // plain data always marshals
	h := fnv.New64a()
	h.Write(b)
	return strconv.FormatUint(h.Sum64(), 36)
}

func encodeToken(offset int, fp string) string {
	return base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(offset) + "." + fp))
}

// decodeToken returns the offset a token continues at; "" is 0.
func decodeToken(token, fp string) (int, error) {
	if token == "" {
		return 0, nil
	}
	b, err := base64.StdEncoding.DecodeString(token)
	if err == nil {
		off, got, ok := strings.Cut(string(b), ".")
		n, convErr := strconv.Atoi(off)
		if ok && convErr == nil && n >= 0 && got == fp {
			return n, nil
		}
	}
	return 0, awserr.ErrValidationException.New("The nextToken is not valid for this request.").With("reason", ReasonInvalidToken)
}

// pageSize returns the page size: max when absent, else 1 to limit.
func pageSize(v *int, def, limit int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < 1 || *v > limit {
		return 0, errValidation("maxResults must be from 1 to %d.", limit)
	}
	return *v, nil
}

// nextToken returns the token of the page after [offset, offset+n) of
// total results, "" at the end.
func nextToken(offset, n, total int, fp string) string {
	if offset+n >= total {
		return ""
	}
	return encodeToken(offset+n, fp)
}

// pageOf cuts one page out of a list.
func pageOf[T any](items []T, offset, size int) []T {
	if offset >= len(items) {
		return []T{}
	}
	return items[offset:min(offset+size, len(items))]
}
