package server

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gatehouse/catalog"
	"gatehouse/cxml"
	"gatehouse/punchout"
)

// The PunchOut storefront, reached with the session cookie the StartPage
// sets:
//
//	GET  /cxml/shop           the governed storefront and the cart (?q= title filter, ?page=)
//	POST /cxml/shop/cart      add an offer (action=add) or remove a line (action=remove)
//	POST /cxml/shop/checkout  "Request approval": return the cart to the procurement system
//
// Every POST carries the session's CSRF token besides the SameSite=Lax
// cookie.
const (
	shopPath     = "/cxml/shop"
	cartPath     = "/cxml/shop/cart"
	checkoutPath = "/cxml/shop/checkout"
	// csrfField is the form field of the CSRF token.
	csrfField = "csrf"
	// maxShopForm bounds the body of the storefront's forms.
	maxShopForm = 16 << 10
	// sessionEnded is the answer to a request without a live session.
	sessionEnded = "Your PunchOut session has ended or expired; start again from your procurement system."
	// maxSummaryItems bounds the prices listed for one term.
	maxSummaryItems = 10
)

//go:embed templates/shop.html templates/checkout.html
var shopTemplateFiles embed.FS

var shopTemplates = template.Must(template.New("").ParseFS(shopTemplateFiles, "templates/shop.html", "templates/checkout.html"))

// routePunchOutShop registers the storefront's routes.
func (s *Server) routePunchOutShop() {
	s.mux.HandleFunc("GET "+shopPath, s.shop)
	s.mux.HandleFunc("POST "+cartPath, s.shopCart)
	s.mux.HandleFunc("POST "+checkoutPath, s.shopCheckout)
}

// shopSession returns the session of the request's cookie and its token;
// without a live one it answers 401 and ok is false.
func (s *Server) shopSession(w http.ResponseWriter, r *http.Request) (sess punchout.Session, token string, ok bool) {
	c, err := r.Cookie(punchOutCookie)
	if err == nil {
		token = c.Value
		sess, err = s.deps.PunchOut.Session(r.Context(), token)
	} else {
		err = punchout.ErrSession
	}
	if errors.Is(err, punchout.ErrSession) {
		http.Error(w, sessionEnded, http.StatusUnauthorized)
		return sess, "", false
	}
	if err != nil {
		s.internalError(w, "punchout session", err)
		return sess, "", false
	}
	return sess, token, true
}

func (s *Server) internalError(w http.ResponseWriter, what string, err error) {
	s.cfg.Log.Error("punchout storefront: "+what, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// shop shows the storefront and the cart.
func (s *Server) shop(w http.ResponseWriter, r *http.Request) {
	sess, _, ok := s.shopSession(w, r)
	if !ok {
		return
	}
	s.renderShop(w, r, sess, http.StatusOK, "")
}

// shopCart adds an offer to the cart or removes a line, then shows the
// storefront again (303, so that a reload does not post twice). A
// refusal is shown on the page with its status, and changes nothing.
func (s *Server) shopCart(w http.ResponseWriter, r *http.Request) {
	sess, token, ok := s.shopSession(w, r)
	if !ok || !s.parseShopForm(w, r) {
		return
	}
	var err error
	switch r.PostForm.Get("action") {
	case "add":
		var c punchout.Choice
		if c, err = choice(r.PostForm); err == nil {
			_, err = s.deps.PunchOut.AddToCart(r.Context(), token, r.PostForm.Get(csrfField), c)
		}
	case "remove":
		err = s.deps.PunchOut.RemoveFromCart(r.Context(), token, r.PostForm.Get(csrfField), r.PostForm.Get("line"))
	default:
		err = &punchout.Error{Status: cxml.StatusBadRequest, Message: "The form names no action."}
	}
	if err != nil {
		s.shopRefusal(w, r, sess, err)
		return
	}
	http.Redirect(w, r, shopURL(r.PostForm.Get("q"), r.PostForm.Get("page")), http.StatusSeeOther)
}

// shopURL is the storefront at a search and page, so that adding or
// removing a line returns the shopper where they were.
func shopURL(query, page string) string {
	v := url.Values{}
	if query != "" {
		v.Set("q", query)
	}
	if n, err := strconv.Atoi(page); err == nil && n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return shopPath
	}
	return shopPath + "?" + v.Encode()
}

func (s *Server) parseShopForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxShopForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read.", http.StatusBadRequest)
		return false
	}
	return true
}

// choice reads an add-to-cart form: product, offer, selector and a
// qty.<dimension> field per dimension of a configurable term.
func choice(form url.Values) (punchout.Choice, error) {
	c := punchout.Choice{ProductID: form.Get("product"), OfferID: form.Get("offer"), Selector: form.Get("selector"), Quantities: map[string]int{}}
	for name, vals := range form {
		key, ok := strings.CutPrefix(name, "qty.")
		if !ok || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(vals[0]))
		if err != nil || n < 0 {
			return c, &punchout.Error{Status: cxml.StatusBadRequest, Message: fmt.Sprintf("The quantity of %s must be a whole number.", key)}
		}
		c.Quantities[key] = n
	}
	return c, nil
}

// shopRefusal answers a failed storefront action: 401 for an ended
// session, the storefront with the refusal's message and status for a
// *punchout.Error, 500 without detail otherwise.
func (s *Server) shopRefusal(w http.ResponseWriter, r *http.Request, sess punchout.Session, err error) {
	var e *punchout.Error
	switch {
	case errors.Is(err, punchout.ErrSession):
		http.Error(w, sessionEnded, http.StatusUnauthorized)
	case errors.As(err, &e):
		s.renderShop(w, r, sess, e.Status, e.Message)
	default:
		s.internalError(w, "action", err)
	}
}

// shopCheckout returns the cart: a page whose form posts the
// PunchOutOrderMessage to the session's BrowserFormPost URL, submitted by
// a script or the shopper. The session ends with it.
func (s *Server) shopCheckout(w http.ResponseWriter, r *http.Request) {
	now := s.cfg.Now()
	sess, token, ok := s.shopSession(w, r)
	if !ok || !s.parseShopForm(w, r) {
		return
	}
	out, err := s.deps.PunchOut.Checkout(r.Context(), token, r.PostForm.Get(csrfField), r.Host)
	s.auditPunchOut(r, now, checkoutEvent(sess, out, err))
	if err != nil {
		s.shopRefusal(w, r, sess, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: punchOutCookie, Value: "", Path: "/cxml/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	nonce, err := newNonce()
	if err != nil {
		s.internalError(w, "nonce", err)
		return
	}
	type field struct{ Name, Value string }
	page := struct {
		Nonce, Action string
		Fields        []field
		Lines         int
		Total         cxml.Money
	}{Nonce: nonce, Action: sess.BrowserFormPost, Lines: out.Lines, Total: out.Total}
	for _, name := range []string{cxml.FieldURLEncoded, cxml.FieldBase64} {
		if v := out.Form.Get(name); v != "" {
			page.Fields = append(page.Fields, field{Name: name, Value: v})
		}
	}
	csp := "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" + nonce + "'; base-uri 'none'; form-action " + formActionSource(sess.BrowserFormPost)
	s.writePage(w, "checkout.html", page, http.StatusOK, csp)
}

// formActionSource is the CSP source expression that allows posting to
// the BrowserFormPost URL only: its scheme, host, port and path (CSP
// matches no query). A path that a source expression cannot hold
// narrows to the origin.
func formActionSource(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "'none'"
	}
	origin := u.Scheme + "://" + u.Host
	path := u.EscapedPath()
	if strings.ContainsAny(path, ";, '") {
		return origin
	}
	return origin + path
}

// newNonce returns a fresh CSP nonce.
func newNonce() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// shopPage is what shop.html shows.
type shopPage struct {
	Nonce       string
	Session     punchout.Session
	ReadOnly    bool
	Branding    catalog.BrandingConfiguration
	Title       string
	Front       punchout.Storefront
	Query       string
	Products    []shopProductView
	Cart        []cartLineView
	Total       string
	Unavailable []string
	Message     string
	CSRF        string
	Prev, Next  int
}

type shopProductView struct {
	Id, Title, ShortDescription string
	Offers                      []shopOfferView
}

type shopOfferView struct {
	ProductId, Id, Name string
	Prices              []string
	// Selectors and Dimensions are the choices of a configurable upfront
	// term: its contract durations and the dimensions bought.
	Selectors, Dimensions []string
}

type cartLineView struct {
	Id, Description, Price, Duration string
}

// renderShop writes the storefront page for the session with status and
// an optional message.
func (s *Server) renderShop(w http.ResponseWriter, r *http.Request, sess punchout.Session, status int, message string) {
	// The search and page come from the URL, or from the form of a
	// refused cart change, which carries them.
	query := r.FormValue("q")
	page, _ := strconv.Atoi(r.FormValue("page"))
	front, err := s.deps.PunchOut.Storefront(r.Context(), sess, query, page)
	if err != nil {
		s.internalError(w, "storefront", err)
		return
	}
	lines, err := s.deps.PunchOut.CartLines(r.Context(), sess)
	if err != nil {
		s.internalError(w, "cart", err)
		return
	}
	nonce, err := newNonce()
	if err != nil {
		s.internalError(w, "nonce", err)
		return
	}
	p := shopPage{Nonce: nonce, Session: sess, ReadOnly: sess.Operation == cxml.OperationInspect, Branding: s.branding(r.Context(), sess.Account),
		Front: front, Query: query, Unavailable: sess.Unavailable, Message: message, CSRF: sess.CSRF}
	p.Title = p.Branding.Title
	if p.Title == "" {
		p.Title = "Gatehouse Marketplace"
	}
	if front.Page > 1 {
		p.Prev = front.Page - 1
	}
	if front.More {
		p.Next = front.Page + 1
	}
	for _, prod := range front.Products {
		p.Products = append(p.Products, productView(prod))
	}
	for _, l := range lines {
		p.Cart = append(p.Cart, cartLineView{Id: l.Id, Description: l.Description(),
			Price: l.Quote.Currency + " " + l.Quote.Value, Duration: duration(l.Quote.Duration)})
	}
	var refusal *punchout.Error
	total, err := punchout.CartTotal(lines)
	switch {
	case err == nil:
		p.Total = total.Currency + " " + total.Value
	case errors.As(err, &refusal) && p.Message == "":
		p.Message = refusal.Message
	case p.Message == "":
		s.internalError(w, "cart total", err)
		return
	}
	csp := "default-src 'none'; style-src 'nonce-" + nonce + "'; img-src https:; form-action 'self'; base-uri 'none'"
	s.writePage(w, "shop.html", p, status, csp)
}

// writePage renders a template into a buffer first, so that a failure
// sends no half page, and writes it with the page headers.
func (s *Server) writePage(w http.ResponseWriter, name string, data any, status int, csp string) {
	var buf bytes.Buffer
	if err := shopTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		s.internalError(w, "template "+name, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	io.Copy(w, &buf)
}

func productView(p punchout.ShopProduct) shopProductView {
	v := shopProductView{Id: p.Id, Title: p.Title, ShortDescription: p.ShortDescription}
	for _, o := range p.Offers {
		ov := shopOfferView{ProductId: p.Id, Id: o.Id, Name: o.Name}
		if ov.Name == "" {
			ov.Name = o.Id
		}
		for _, t := range o.Terms {
			if price := termSummary(t); price != "" {
				ov.Prices = append(ov.Prices, price)
			}
			if t.Type == catalog.TermConfigurableUpfront {
				ov.Selectors, ov.Dimensions = configurableChoices(t)
			}
		}
		v.Offers = append(v.Offers, ov)
	}
	return v
}

// configurableChoices returns the durations and the dimensions of a
// configurable upfront term's rate cards.
func configurableChoices(t catalog.Term) (selectors, dimensions []string) {
	for _, c := range t.RateCards {
		if c.Selector != nil {
			selectors = append(selectors, c.Selector.Value)
		}
		for _, r := range c.RateCard {
			if !slices.Contains(dimensions, r.DimensionKey) {
				dimensions = append(dimensions, r.DimensionKey)
			}
		}
	}
	return selectors, dimensions
}

// termSummary describes the price of a pricing term for the shopper; ""
// for a legal term.
func termSummary(t catalog.Term) string {
	switch t.Type {
	case catalog.TermFixedUpfront:
		return fmt.Sprintf("%s %s upfront for %s", t.CurrencyCode, t.Price, duration(t.Duration))
	case catalog.TermConfigurableUpfront:
		var parts []string
		for _, c := range t.RateCards {
			for _, r := range c.RateCard {
				if len(parts) == maxSummaryItems {
					break
				}
				sel := ""
				if c.Selector != nil {
					sel = " for " + duration(c.Selector.Value)
				}
				parts = append(parts, fmt.Sprintf("%s %s per %s%s", t.CurrencyCode, r.Price, r.DimensionKey, sel))
			}
		}
		return "Contract: " + strings.Join(parts, "; ")
	case catalog.TermUsageBased:
		var parts []string
		for _, c := range t.RateCards {
			for _, r := range c.RateCard {
				if len(parts) < maxSummaryItems {
					parts = append(parts, fmt.Sprintf("%s %s per %s", t.CurrencyCode, r.Price, r.DimensionKey))
				}
			}
		}
		return "Pay as you go: " + strings.Join(parts, "; ")
	case catalog.TermFreeTrial:
		return "Free trial for " + duration(t.Duration)
	case catalog.TermByol:
		return "Bring your own license"
	}
	return ""
}

// duration writes an ISO 8601 duration of days, months or years (P30D,
// P12M, P1Y) in words; anything else as it is.
func duration(d string) string {
	if len(d) < 3 || d[0] != 'P' {
		return d
	}
	n, err := strconv.Atoi(d[1 : len(d)-1])
	if err != nil {
		return d
	}
	unit := map[byte]string{'D': "day", 'M': "month", 'Y': "year"}[d[len(d)-1]]
	if unit == "" {
		return d
	}
	if n != 1 {
		unit += "s"
	}
	return strconv.Itoa(n) + " " + unit
}

// checkoutEvent is the audit event of a cart's return,
// PunchOutOrderMessage: the number of lines and the total, never a token
// or the document.
func checkoutEvent(sess punchout.Session, out punchout.Checkout, err error) punchOutEvent {
	e := sessionEvent("PunchOutOrderMessage", sess, err)
	e.Params["account"] = sess.Account
	if err == nil {
		e.Params["lines"], e.Params["total"], e.Params["currency"] = strconv.Itoa(out.Lines), out.Total.Value, out.Total.Currency
	}
	return e
}
