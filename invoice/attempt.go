package invoice

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"

	"gatehouse/cxml"
	"gatehouse/procurement"
	"gatehouse/store"
)

// ContentType is the Content-Type of a posted invoice.
const ContentType = "text/xml; charset=UTF-8"

// attempt sends the invoice of e once: it reads the preference as it is
// now, builds the document with the current credentials and secret, posts
// it and judges the answer.
func (d *Deliverer) attempt(ctx context.Context, e entry) outcome {
	var portal procurement.Portal
	var ok bool
	err := d.Store.View(ctx, func(tx store.Tx) error {
		var err error
		portal, ok, err = d.Portals.PortalByARN(ctx, tx, e.Delivery.PreferenceARN, e.Delivery.Test)
		return err
	})
	switch {
	case err != nil:
		return retryBecause("could not read the procurement portal preference: %v", err)
	case !ok:
		return finalBecause("the procurement portal preference or its %s environment no longer exists", environment(e.Delivery.Test))
	case !portal.Preference.EinvoiceDeliveryEnabled:
		return finalBecause("e-invoice delivery was disabled on the procurement portal preference")
	case portal.SharedSecret == "":
		return finalBecause("the %s environment has no shared secret", environment(e.Delivery.Test))
	}
	endpoint, out, ok := d.endpoint(portal.Environment().Endpoint)
	if !ok {
		return out
	}
	body, err := cxml.Marshal(document(e, portal))
	if err != nil {
		return finalBecause("the invoice cannot be written: %v", err)
	}
	return d.post(ctx, endpoint, body)
}

// endpoint checks the environment's endpoint: an absolute https URL
// without user information, or http to a loopback host (a portal
// simulator on the same machine) or with AllowHTTP.
func (d *Deliverer) endpoint(raw string) (string, outcome, bool) {
	if raw == "" {
		return "", finalBecause("the procurement portal preference has no instance endpoint"), false
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.User != nil:
		return "", finalBecause("the instance endpoint is not a usable URL"), false
	case u.Scheme == "https", u.Scheme == "http" && (d.AllowHTTP || loopback(u.Hostname())):
		return u.String(), outcome{}, true
	}
	return "", finalBecause("the instance endpoint is not an https URL"), false
}

// post sends body to endpoint and judges the answer, whose body is read
// up to cxml.MaxDocumentSize.
func (d *Deliverer) post(ctx context.Context, endpoint string, body []byte) outcome {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return finalBecause("the instance endpoint is not a usable URL")
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("User-Agent", UserAgent)
	resp, err := d.client().Do(req)
	if err != nil {
		return retryBecause("could not reach the portal: %v", transportError(err))
	}
	defer resp.Body.Close()
	doc, readErr := cxml.Parse(resp.Body)
	return classify(resp.StatusCode, doc, readErr)
}

// client is the HTTP client of one attempt: bounded by Timeout, following
// no redirect (the answer to a redirect is judged as it is).
func (d *Deliverer) client() *http.Client {
	return &http.Client{
		Transport:     d.Transport,
		Timeout:       positive(d.Timeout, DefaultTimeout),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// transportError strips the URL from a client error, keeping the cause:
// reasons are stored and logged, and an endpoint's query may be private.
func transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// loopback reports whether host names this machine, where plain http
// never leaves it.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
