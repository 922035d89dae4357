package approval

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"gatehouse/principal"
	"gatehouse/store"
)

// maxJustification is the most characters a justification may have.
const maxJustification = 1000

// UpdatePurchaseRequestJustification sets the justification of a pending
// request, replacing any earlier one; only its requester (the same
// principal, in any session) may. The justification is stored trimmed of
// surrounding white space and must then be 1 to 1000 characters of valid
// UTF-8 with no control characters but newline and tab
// (ValidationException). A request no longer PENDING is a
// ConflictException. The change is notified as PurchaseRequestJustified.
func (s *Service) UpdatePurchaseRequestJustification(ctx context.Context, caller *principal.Caller, in UpdatePurchaseRequestJustificationInput) (PurchaseRequestOutput, error) {
	text, err := checkJustification(in.Justification)
	if err != nil {
		return PurchaseRequestOutput{}, err
	}
	return s.transition(ctx, caller, in.PurchaseRequestId, "PurchaseRequestJustified", func(_ context.Context, _ store.Tx, _ string, r *record) error {
		if err := requesterOnly(caller, r, "justify"); err != nil {
			return err
		}
		r.Request.Justification = text
		return nil
	})
}

// checkJustification validates a justification and returns it trimmed,
// with CRLF line ends (what browsers post from a text area) made LF.
func checkJustification(j string) (string, error) {
	if !utf8.ValidString(j) {
		return "", errValidation("Justification must be valid UTF-8.")
	}
	j = strings.TrimSpace(strings.ReplaceAll(j, "\r\n", "\n"))
	if n := utf8.RuneCountInString(j); n == 0 || n > maxJustification {
		return "", errValidation("Justification must be 1 to %d characters.", maxJustification)
	}
	for _, c := range j {
		if unicode.IsControl(c) && c != '\n' && c != '\t' {
			return "", errValidation("Justification may contain no control characters but newline and tab.")
		}
	}
	return j, nil
}
