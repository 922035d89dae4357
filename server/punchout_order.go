package server

import (
	"net/http"
	"time"

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
	s.auditPunchOut(r, now, punchOutEvent{Name: "OrderRequest", PreferenceARN: res.PreferenceARN, Account: res.Account,
		Params:   map[string]any{"orderID": res.OrderID, "type": res.Type, "payloadID": doc.PayloadID},
		Response: outcome(err, res.Replayed), Err: err})
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
	s.auditPunchOut(r, now, punchOutEvent{Name: "ProfileRequest", PreferenceARN: res.PreferenceARN, Account: res.Account,
		ReadOnly: true, Response: outcome(err, false), Err: err})
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

// outcome is the response elements of a cXML request's event: the cXML
// status answered and whether a stored answer was replayed.
func outcome(err error, replayed bool) map[string]any {
	status := cxml.StatusOK
	if err != nil {
		status = punchout.StatusOf(err)
	}
	return map[string]any{"status": status, "replayed": replayed}
}
