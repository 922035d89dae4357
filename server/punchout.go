package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"gatehouse/catalog"
	"gatehouse/cxml"
	"gatehouse/punchout"
	"gatehouse/store"
)

// The PunchOut bridge's routes. cXML authenticates by shared secret, not
// SigV4, so they are served outside the AWS pipeline:
//
//	POST /cxml/punchout       a cXML request (PunchOutSetupRequest, OrderRequest, ProfileRequest)
//	GET  /cxml/start/{token}  the one-time StartPage; sets the session cookie
//	                          and redirects to the storefront (punchout_shop.go)
const (
	punchOutPath  = "/cxml/punchout"
	startPagePath = "/cxml/start/"
	// punchOutCookie holds the shopping session token.
	punchOutCookie = "gatehouse_punchout"
	// punchOutEventSource is the eventSource of the bridge's audit events.
	punchOutEventSource = "punchout.gatehouse"
)

// routePunchOut registers the bridge's routes when it is configured.
func (s *Server) routePunchOut() {
	if s.deps.PunchOut == nil {
		return
	}
	s.mux.HandleFunc("POST "+punchOutPath, s.punchOutRequest)
	s.mux.HandleFunc("GET "+startPagePath+"{token}", s.startPage)
	s.routePunchOutShop()
}

// punchOutRequest answers a cXML request. Every answer, errors included,
// is a well-formed cXML Response with HTTP status 200: the cXML status in
// the document is what procurement systems read.
func (s *Server) punchOutRequest(w http.ResponseWriter, r *http.Request) {
	now := s.cfg.Now()
	doc, err := cxml.Parse(http.MaxBytesReader(w, r.Body, cxml.MaxDocumentSize+1))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			err = cxml.ErrTooLarge
		}
		s.writeCXML(w, r, now, cxml.NewStatus(cxml.StatusFor(err), "The document could not be read."), nil, nil)
		return
	}
	switch doc.Kind() {
	case "PunchOutSetupRequest":
	case "OrderRequest":
		s.orderRequest(w, r, now, doc)
		return
	case "ProfileRequest":
		s.profileRequest(w, r, now, doc)
		return
	default:
		s.writeCXML(w, r, now, cxml.NewStatus(cxml.StatusBadRequest, doc.Kind()+" is not supported here."), nil, nil)
		return
	}
	res, err := s.deps.PunchOut.Setup(r.Context(), doc)
	s.auditPunchOut(r, now, sessionEvent("PunchOutSetupRequest", res.Session, err))
	if err != nil {
		s.writeCXML(w, r, now, s.punchOutStatus(r, err), nil, nil)
		return
	}
	start := &cxml.PunchOutSetupResponse{StartPage: cxml.URLElement{URL: s.baseURL(r) + startPagePath + res.StartToken}}
	s.writeCXML(w, r, now, cxml.NewStatus(cxml.StatusOK, ""), start, nil)
}

// punchOutStatus is the cXML status of a failure; internal errors are
// logged and answered without detail.
func (s *Server) punchOutStatus(r *http.Request, err error) cxml.Status {
	var e *punchout.Error
	if errors.As(err, &e) {
		return cxml.NewStatus(e.Status, e.Message)
	}
	s.cfg.Log.Error("punchout request failed", "path", r.URL.Path, "err", err)
	return cxml.NewStatus(cxml.StatusInternalServerError, "")
}

func (s *Server) writeCXML(w http.ResponseWriter, r *http.Request, now time.Time, st cxml.Status, start *cxml.PunchOutSetupResponse, profile *cxml.ProfileResponse) {
	doc := cxml.NewResponse(now, r.Host, st)
	doc.Response.PunchOutSetupResponse = start
	doc.Response.ProfileResponse = profile
	body, err := cxml.Marshal(doc)
	if err != nil {
		s.cfg.Log.Error("punchout: cannot marshal response", "err", err)
		body, _ = cxml.Marshal(cxml.NewResponse(now, r.Host, cxml.NewStatus(cxml.StatusInternalServerError, "")))
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write(body)
}

// baseURL is the URL the buyer reached Gatehouse at, from which the
// StartPage URL is built: the configured PublicURL, else the request's
// scheme and Host.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	u := url.URL{Scheme: "http", Host: r.Host}
	if r.TLS != nil {
		u.Scheme = "https"
	}
	return u.String()
}

// startPage consumes a StartPage token, opens the shopping session in a
// cookie and redirects to the storefront (303), so that reloading the
// page does not present the used token again.
func (s *Server) startPage(w http.ResponseWriter, r *http.Request) {
	now := s.cfg.Now()
	sess, token, err := s.deps.PunchOut.Open(r.Context(), r.PathValue("token"))
	s.auditPunchOut(r, now, sessionEvent("PunchOutStartPage", sess, err))
	if errors.Is(err, punchout.ErrStartPage) {
		http.Error(w, "This PunchOut link is no longer valid; start again from your procurement system.", http.StatusNotFound)
		return
	}
	if err != nil {
		s.cfg.Log.Error("punchout start page failed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: punchOutCookie, Value: token, Path: "/cxml/", HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteLaxMode, Expires: sess.Expires})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, shopPath, http.StatusSeeOther)
}

// branding returns the Private Marketplace branding of the experience
// governing account, or none.
func (s *Server) branding(ctx context.Context, account string) catalog.BrandingConfiguration {
	if s.deps.Catalog == nil {
		return catalog.BrandingConfiguration{}
	}
	var b catalog.BrandingConfiguration
	err := store.View(ctx, s.deps.Store, func(tx store.Tx) error {
		g, ok, err := s.deps.Catalog.GoverningExperience(ctx, tx, account)
		if ok && g.Enabled {
			b = g.Branding
		}
		return err
	})
	if err != nil {
		s.cfg.Log.Error("punchout: governing experience", "account", account, "err", err)
	}
	return b
}

// sessionEvent is the audit event of a step of a shopping session.
func sessionEvent(name string, sess punchout.Session, err error) punchOutEvent {
	return punchOutEvent{Name: name, PreferenceARN: sess.PreferenceARN, Account: sess.Account, Err: err,
		Params: map[string]any{"operation": sess.Operation, "browserFormPost": sess.BrowserFormPost}}
}
