package punchout

import (
	"context"
	"net/url"
	"strings"

	"gatehouse/cxml"
	"gatehouse/procurement"
	"gatehouse/store"
)

// extrinsicAccount names the Extrinsic a setup request may use to shop for
// another account of the preference's organization.
const extrinsicAccount = "AwsAccountId"

// authenticate finds the preference a request's From credentials name and
// checks its To and Sender credentials. Every failure is the same 401, so
// that a caller learns nothing about which part was wrong.
func (s *Service) authenticate(ctx context.Context, tx store.Tx, h *cxml.Header) (procurement.Portal, error) {
	denied := fail(cxml.StatusUnauthorized, "The credentials are not valid.")
	for _, from := range h.From.Credentials {
		portal, ok, err := s.Portals.PortalByCredential(ctx, tx, strings.TrimSpace(from.Domain), strings.TrimSpace(from.Identity))
		if err != nil {
			return procurement.Portal{}, err
		}
		if !ok {
			continue
		}
		domain, identity := supplier(portal)
		if _, ok := cxml.Find(h.To.Credentials, domain, identity); !ok {
			return procurement.Portal{}, denied
		}
		if !secretMatches(h.Sender.Credentials, portal.SharedSecret) {
			return procurement.Portal{}, denied
		}
		return portal, nil
	}
	return procurement.Portal{}, denied
}

// supplier returns the supplier credential of the environment matched.
func supplier(p procurement.Portal) (domain, identity string) {
	if p.Test && p.Preference.TestEnvPreference != nil {
		t := p.Preference.TestEnvPreference
		return t.SupplierDomain, t.SupplierIdentifier
	}
	return p.Preference.SupplierDomain, p.Preference.SupplierIdentifier
}

// secretMatches reports whether any Sender credential carries want. Every
// credential is compared, so that the time taken does not tell which one
// matched.
func secretMatches(creds []cxml.Credential, want string) bool {
	ok := false
	for _, c := range creds {
		if cxml.SecretEqual(string(c.SharedSecret), want) {
			ok = true
		}
	}
	return ok
}

// allowedEndpoints returns the endpoints of the environment matched, whose
// hosts a BrowserFormPost URL may point at.
func allowedEndpoints(p procurement.Portal) []string {
	if p.Test && p.Preference.TestEnvPreference != nil {
		t := p.Preference.TestEnvPreference
		return []string{t.ProcurementPortalInstanceEndpoint, t.PurchaseOrderRetrievalEndpoint}
	}
	return []string{p.Preference.ProcurementPortalInstanceEndpoint, p.Preference.PurchaseOrderRetrievalEndpoint}
}

// checkFormPost refuses a BrowserFormPost URL whose origin is not one of
// the buyer's configured endpoints' origins.
func checkFormPost(p procurement.Portal, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return fail(cxml.StatusBadRequest, "BrowserFormPost URL is not an absolute http or https URL.")
	}
	for _, e := range allowedEndpoints(p) {
		if e == "" {
			continue
		}
		if a, err := url.Parse(e); err == nil && sameOrigin(a, u) {
			return nil
		}
	}
	return fail(cxml.StatusForbidden, "BrowserFormPost URL host %s is not a host of the procurement portal.", u.Hostname())
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// account returns the account the session shops for: the preference's,
// or another of its organization's that the request names.
func (s *Service) account(ctx context.Context, tx store.Tx, p procurement.Portal, ext []cxml.Extrinsic) (string, error) {
	own := p.Preference.AwsAccountId
	named := ""
	for _, e := range ext {
		if strings.EqualFold(e.Name, extrinsicAccount) {
			named = strings.TrimSpace(e.Value)
		}
	}
	if named == "" || named == own {
		return own, nil
	}
	if s.Orgs == nil {
		return "", fail(cxml.StatusForbidden, "Account %s is not covered by the procurement portal.", named)
	}
	_, _, mgmt, err := s.Orgs.AccountContext(ctx, tx, named)
	if err != nil || mgmt != own {
		return "", fail(cxml.StatusForbidden, "Account %s is not covered by the procurement portal.", named)
	}
	return named, nil
}
