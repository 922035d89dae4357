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

// orderRequest answers a cXML OrderRequest. The Response is rendered in
// the order's transaction, so that a repeated payloadID gets the same
// bytes back; a refusal is rendered afresh, since it changed nothing.
func (s *Server) orderRequest(w http.ResponseWriter, r *http.Request, now time.Time, doc *cxml.Document) {
	res, err := s.deps.PunchOut.Order(r.Context(), doc, func(st cxml.Status) ([]byte, error) {
		return cxml.Marshal(cxml.NewResponse(now, r.Host, st))
	})
	s.auditCXML(r, now, "OrderRequest", cxmlEvent{PreferenceARN: res.PreferenceARN, Account: res.Account,
		Params: map[string]any{"orderID": res.OrderID, "type": res.Type, "payloadID": doc.PayloadID}, Replayed: res.Replayed}, err)
	if err != nil {
		s.writeCXML(w, r, now, s.punchOutStatus(r, err), nil, nil)
		return
	}
	writeCXMLBytes(w, res.Response)
}

// profileRequest answers a cXML ProfileRequest with the transactions the
// bridge supports, all posted to the URL the request came in on.
func (s *Server) profileRequest(w http.ResponseWriter, r *http.Request, now time.Time, doc *cxml.Document) {
	res, err := s.deps.PunchOut.Profile(r.Context(), doc, s.baseURL(r)+punchOutPath)
	s.auditCXML(r, now, "ProfileRequest", cxmlEvent{PreferenceARN: res.PreferenceARN, Account: res.Account}, err)
	if err != nil {
		s.writeCXML(w, r, now, s.punchOutStatus(r, err), nil, nil)
		return
	}
	s.writeCXML(w, r, now, cxml.NewStatus(cxml.StatusOK, ""), nil, res.Profile)
}

// writeCXMLBytes sends a rendered cXML document.
func writeCXMLBytes(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(body)
}

// cxmlEvent is what the audit trail records of a cXML request: who sent
// it and what it asked. It never holds a secret.
type cxmlEvent struct {
	PreferenceARN string
	Account       string
	Params        map[string]any
	Replayed      bool
}

// auditCXML records an OrderRequest or ProfileRequest in the preference's
// account, with its outcome.
func (s *Server) auditCXML(r *http.Request, now time.Time, name string, e cxmlEvent, err error) {
	if s.deps.Audit == nil {
		return
	}
	rec := audit.NewRecord(awsapi.NewTimeOrderedID(now), now)
	rec.EventSource, rec.EventName = punchOutEventSource, name
	rec.AWSRegion = s.cfg.Region
	rec.SourceIPAddress, rec.UserAgent = sourceIP(r), r.UserAgent()
	rec.RequestID = awsapi.NewRequestID()
	rec.ReadOnly = name == "ProfileRequest"
	rec.UserIdentity = audit.UserIdentity{Type: "ProcurementPortal", ARN: e.PreferenceARN, AccountID: e.Account}
	rec.RecipientAccountID = e.Account
	if e.PreferenceARN != "" {
		rec.Resources = []audit.Resource{{Type: "ProcurementPortalPreference", ARN: e.PreferenceARN, AccountID: e.Account}}
	}
	if e.Params != nil {
		rec.SetRequestParameters(e.Params)
	}
	outcome := map[string]any{"status": cxml.StatusOK, "replayed": e.Replayed}
	if err != nil {
		status := punchout.StatusOf(err)
		outcome["status"] = status
		rec.ErrorCode = cxml.StatusText(status)
		rec.ErrorMessage = "internal error"
		var pe *punchout.Error
		if errors.As(err, &pe) {
			rec.ErrorMessage = pe.Message
		}
	}
	rec.SetResponseElements(outcome)
	if qerr := s.queueEvent(r.Context(), rec); qerr != nil {
		s.cfg.Log.Error("audit event lost", "event", name, "err", qerr)
	}
}
