package punchout

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"gatehouse/cxml"
	"gatehouse/procurement"
	"gatehouse/store"
)

// DefaultStartPageTTL is how long a StartPage URL can be opened.
const DefaultStartPageTTL = 5 * time.Minute

// DefaultSessionTTL is how long a shopping session lasts after its
// StartPage was opened.
const DefaultSessionTTL = time.Hour

// tokenBytes is the size of StartPage and session tokens: 256 bits.
const tokenBytes = 32

// Record kinds.
const (
	kindStartPage = "punchout-startpage"
	kindSession   = "punchout-session"
)

// Portals finds procurement-portal preferences by buyer credential;
// procurement.Service implements it.
type Portals interface {
	PortalByCredential(ctx context.Context, tx store.Tx, domain, identity string) (procurement.Portal, bool, error)
}

// Service handles PunchOut setup requests and shopping sessions. Set its
// fields before first use; it is then safe for concurrent use.
type Service struct {
	Store   store.Store
	Portals Portals
	// Orgs tells which organization an account belongs to, to check an
	// account named by a setup request.
	Orgs procurement.Organizations
	// StartPageTTL is the StartPage lifetime; 0 means DefaultStartPageTTL.
	StartPageTTL time.Duration
	// SessionTTL is the shopping session lifetime; 0 means
	// DefaultSessionTTL.
	SessionTTL time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the source of tokens and ids; nil means crypto/rand.
	Rand io.Reader
	// Agreements prices cart lines and makes the agreements of orders.
	Agreements Agreements
	// Catalog lists what a shopping session may buy.
	Catalog Catalog
	// Invoices bills what orders buy; nil means no invoices.
	Invoices Invoicer
}

// Session is a PunchOut shopping session: what the setup request asked for
// and where the cart goes back. It holds no shared secret.
type Session struct {
	PreferenceARN   string
	Portal          string
	Test            bool
	Account         string
	Operation       string
	BuyerCookie     string
	BrowserFormPost string
	// Supplier and Buyer are the credentials of the environment the setup
	// request matched: the PunchOutOrderMessage comes From the supplier
	// To the buyer.
	Supplier, Buyer PartyCredential
	// Items is the cart an edit or inspect request restored.
	Items []cxml.ItemOut `json:",omitempty"`
	// Cart holds the ids of the session's priced lines, in the order they
	// were added (see [Line]); at most [MaxCartLines].
	Cart []string `json:",omitempty"`
	// Unavailable describes the Items that name no line the session may
	// restore.
	Unavailable []string `json:",omitempty"`
	// CSRF is the token every form of the session posts back; it is drawn
	// when the session opens.
	CSRF    string `json:",omitempty"`
	Expires time.Time
}

// PartyCredential names a party of the cXML envelope: a credential
// without its shared secret.
type PartyCredential struct {
	Domain, Identity string
}

// Credential returns the party as a cXML credential, with no secret.
func (p PartyCredential) Credential() cxml.Credential {
	return cxml.Credential{Domain: p.Domain, Identity: p.Identity}
}

// startPageRec is the body of a StartPage record, keyed by the token's
// hash.
type startPageRec struct {
	Session Session
	Expires time.Time
	Used    bool
}

// SetupResult is the outcome of a successful setup request.
type SetupResult struct {
	// StartToken is the one-time token to put in the StartPage URL.
	StartToken string
	Session    Session
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// rand returns the source of tokens and ids.
func (s *Service) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

func ttl(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// newToken returns a fresh URL-safe token and the hash it is stored under.
func (s *Service) newToken() (token, hash string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := io.ReadFull(s.rand(), b); err != nil {
		return "", "", fmt.Errorf("punchout: random token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// validToken reports whether t has the shape of a token, so that garbage
// is refused before any store access.
func validToken(t string) bool {
	b, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil && len(b) == tokenBytes
}

// Setup authenticates a PunchOutSetupRequest document and opens a
// StartPage for it. Failures are *Error with the cXML status to answer.
func (s *Service) Setup(ctx context.Context, doc *cxml.Document) (SetupResult, error) {
	req, err := setupRequest(doc)
	if err != nil {
		return SetupResult{}, err
	}
	// Authentication and the checks only read: they run on a snapshot,
	// concurrently with other requests, and the write transaction that
	// follows only stores the StartPage.
	var sess Session
	err = store.View(ctx, s.Store, func(tx store.Tx) error {
		portal, err := s.authenticate(ctx, tx, doc.Header)
		if err != nil {
			return err
		}
		if err := checkFormPost(portal, req.BrowserFormPost.URL); err != nil {
			return err
		}
		account, err := s.account(ctx, tx, portal, req.Extrinsics)
		if err != nil {
			return err
		}
		p := portal.Preference
		sess = Session{PreferenceARN: p.ProcurementPortalPreferenceArn, Portal: p.ProcurementPortalName, Test: portal.Test,
			Account: account, Operation: req.Operation, BuyerCookie: req.BuyerCookie, BrowserFormPost: req.BrowserFormPost.URL, Items: req.Items,
			Supplier: supplierCredential(portal), Buyer: buyerCredential(portal)}
		return nil
	})
	if err != nil {
		return SetupResult{}, err
	}
	token, hash, err := s.newToken()
	if err != nil {
		return SetupResult{}, err
	}
	rec := &startPageRec{Session: sess, Expires: s.now().Add(ttl(s.StartPageTTL, DefaultStartPageTTL))}
	err = store.Update(ctx, s.Store, func(tx store.Tx) error {
		return store.Put(ctx, tx, store.Record{Kind: kindStartPage, ID: hash, Parent: sess.Account}, rec)
	})
	if err != nil {
		return SetupResult{}, err
	}
	return SetupResult{StartToken: token, Session: sess}, nil
}

// setupRequest returns the PunchOutSetupRequest of doc after checking what
// the bridge needs of it.
func setupRequest(doc *cxml.Document) (*cxml.PunchOutSetupRequest, error) {
	if doc == nil || doc.Request == nil || doc.Request.PunchOutSetupRequest == nil {
		return nil, fail(cxml.StatusBadRequest, "The document is not a PunchOutSetupRequest.")
	}
	if doc.Header == nil {
		return nil, fail(cxml.StatusUnauthorized, "The request has no Header with credentials.")
	}
	req := doc.Request.PunchOutSetupRequest
	switch req.Operation {
	case cxml.OperationCreate, cxml.OperationEdit, cxml.OperationInspect:
	default:
		return nil, fail(cxml.StatusBadRequest, "Operation %q is not one of create, edit and inspect.", req.Operation)
	}
	if req.BuyerCookie == "" {
		return nil, fail(cxml.StatusBadRequest, "BuyerCookie is required.")
	}
	if req.BrowserFormPost == nil || req.BrowserFormPost.URL == "" {
		return nil, fail(cxml.StatusBadRequest, "BrowserFormPost URL is required.")
	}
	return req, nil
}

// Open consumes a StartPage token and opens the shopping session it was
// issued for. It returns the session and the session token to keep in the
// browser's cookie. A token that is unknown, expired or used is
// ErrStartPage; for an expired or used one the session it was issued for
// is returned too, so that the refusal can be audited in its account.
func (s *Service) Open(ctx context.Context, startToken string) (Session, string, error) {
	if !validToken(startToken) {
		return Session{}, "", ErrStartPage
	}
	var (
		sess  Session
		token string
	)
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		id := hashToken(startToken)
		rec, err := store.Get[startPageRec](ctx, tx, kindStartPage, id)
		if errors.Is(err, store.ErrNotFound) {
			return ErrStartPage
		}
		if err != nil {
			return err
		}
		now := s.now()
		if rec.Used || !now.Before(rec.Expires) {
			sess = rec.Session // for the caller's audit trail
			return ErrStartPage
		}
		rec.Used = true
		if err := store.Put(ctx, tx, store.Record{Kind: kindStartPage, ID: id, Parent: rec.Session.Account}, &rec); err != nil {
			return err
		}
		var hash string
		token, hash, err = s.newToken()
		if err != nil {
			return err
		}
		sess = rec.Session
		sess.Expires = now.Add(ttl(s.SessionTTL, DefaultSessionTTL))
		if sess.CSRF, _, err = s.newToken(); err != nil {
			return err
		}
		if err := s.restoreCart(ctx, tx, &sess); err != nil {
			return err
		}
		return store.Put(ctx, tx, store.Record{Kind: kindSession, ID: hash, Parent: sess.Account}, &sess)
	})
	if err != nil {
		return sess, "", err
	}
	return sess, token, nil
}

// Session returns the live shopping session of a session token, or
// ErrSession.
func (s *Service) Session(ctx context.Context, token string) (Session, error) {
	var sess Session
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		var err error
		sess, _, err = s.liveSession(ctx, tx, token)
		return err
	})
	return sess, err
}

// supplierCredential and buyerCredential are the parties of the
// environment a setup request matched, without secrets.
func supplierCredential(p procurement.Portal) PartyCredential {
	domain, identity := supplier(p)
	return PartyCredential{Domain: domain, Identity: identity}
}

func buyerCredential(p procurement.Portal) PartyCredential {
	if p.Test && p.Preference.TestEnvPreference != nil {
		t := p.Preference.TestEnvPreference
		return PartyCredential{Domain: t.BuyerDomain, Identity: t.BuyerIdentifier}
	}
	return PartyCredential{Domain: p.Preference.BuyerDomain, Identity: p.Preference.BuyerIdentifier}
}
