package server

import (
	"errors"
	"net/http"
	"time"

	"gatehouse/audit"
	"gatehouse/awsapi"
	"gatehouse/cxml"
	"gatehouse/punchout"
)

// punchOutEvent is what the audit trail records of one step of the
// PunchOut bridge, in the preference's account. It never holds a secret,
// a token or a cXML document.
type punchOutEvent struct {
	Name          string
	PreferenceARN string
	Account       string
	ReadOnly      bool
	Params        map[string]any
	// Response, when set, is recorded as the event's response elements.
	Response map[string]any
	Err      error
}

// auditPunchOut queues a bridge event. A refusal is recorded with its
// cXML status text and message; an internal error without its detail,
// which goes to the log instead.
func (s *Server) auditPunchOut(r *http.Request, now time.Time, e punchOutEvent) {
	if s.deps.Audit == nil {
		return
	}
	rec := audit.NewRecord(awsapi.NewTimeOrderedID(now), now)
	rec.EventSource, rec.EventName = punchOutEventSource, e.Name
	rec.AWSRegion, rec.ReadOnly = s.cfg.Region, e.ReadOnly
	rec.SourceIPAddress, rec.UserAgent = sourceIP(r), r.UserAgent()
	rec.RequestID = awsapi.NewRequestID()
	rec.UserIdentity = audit.UserIdentity{Type: "ProcurementPortal", ARN: e.PreferenceARN, AccountID: e.Account}
	rec.RecipientAccountID = e.Account
	if e.PreferenceARN != "" {
		rec.Resources = []audit.Resource{{Type: "ProcurementPortalPreference", ARN: e.PreferenceARN, AccountID: e.Account}}
	}
	if e.Params != nil {
		rec.SetRequestParameters(e.Params)
	}
	if e.Response != nil {
		rec.SetResponseElements(e.Response)
	}
	if e.Err != nil {
		rec.ErrorCode, rec.ErrorMessage = punchOutError(e.Err)
	}
	if qerr := s.queueEvent(r.Context(), rec); qerr != nil {
		s.cfg.Log.Error("audit event lost", "event", e.Name, "err", qerr)
	}
}

// punchOutError is the errorCode and errorMessage of a failed step.
func punchOutError(err error) (code, message string) {
	var pe *punchout.Error
	switch {
	case errors.Is(err, punchout.ErrStartPage):
		return "InvalidStartPage", err.Error()
	case errors.Is(err, punchout.ErrSession):
		return "InvalidSession", err.Error()
	case errors.As(err, &pe):
		return cxml.StatusText(pe.Status), pe.Message
	}
	return cxml.StatusText(cxml.StatusInternalServerError), "internal error"
}
