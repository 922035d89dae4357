package invoice

import (
	"fmt"
	"strings"
	"unicode"

	"gatehouse/cxml"
)

// verdict is what an attempt's outcome means for the invoice.
type verdict int

const (
	// delivered: the portal accepted the invoice.
	delivered verdict = iota
	// retry: the attempt failed in a way that may pass later.
	retry
	// final: the portal refused the invoice, or Gatehouse cannot send it;
	// trying again would not help.
	final
)

// outcome is the verdict of one attempt and why.
type outcome struct {
	verdict verdict
	reason  string
}

func retryBecause(format string, args ...any) outcome {
	return outcome{verdict: retry, reason: fmt.Sprintf(format, args...)}
}

func finalBecause(format string, args ...any) outcome {
	return outcome{verdict: final, reason: fmt.Sprintf(format, args...)}
}

// maxReason bounds the portal's status message kept in a reason.
const maxReason = 200

// classify judges a portal's answer: the HTTP status and the cXML
// document read from the body (or the error reading it). The invoice is
// delivered only on HTTP 2xx with a cXML Response whose Status is 200 OK,
// 201 Accepted or 202; a cXML 4xx status is a final refusal (the cXML
// status table makes 4xx permanent errors of the request), except the
// transient ones of a busy or slow server (408, 429); anything else (5xx,
// no or unreadable cXML, a redirect) is retried.
func classify(httpStatus int, doc *cxml.Document, readErr error) outcome {
	if readErr != nil || doc == nil || doc.Response == nil {
		return retryBecause("HTTP %d without a cXML Response", httpStatus)
	}
	st := doc.Response.Status
	status := describe(st)
	switch {
	case httpStatus/100 == 2 && (st.Code == 200 || st.Code == 201 || st.Code == 202):
		return outcome{verdict: delivered, reason: status}
	case st.Code/100 == 4 && st.Code != 408 && st.Code != 429:
		return finalBecause("refused with %s (HTTP %d)", status, httpStatus)
	}
	return retryBecause("answered %s (HTTP %d)", status, httpStatus)
}

// describe writes a cXML status for a reason: code, text and the
// message, cut short and stripped of control characters.
func describe(st cxml.Status) string {
	s := fmt.Sprintf("cXML status %d %s", st.Code, clean(st.Text))
	if msg := clean(st.Message); msg != "" {
		s += ": " + msg
	}
	return strings.TrimSpace(s)
}

// clean makes text from a remote server safe to record and log: one line,
// printable, at most maxReason runes.
func clean(s string) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }), " ")
	if r := []rune(s); len(r) > maxReason {
		s = string(r[:maxReason]) + "…"
	}
	return s
}
