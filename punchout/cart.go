package punchout

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"

	"gatehouse/agreement"
	"gatehouse/awserr"
	"gatehouse/catalog"
	"gatehouse/cxml"
	"gatehouse/store"
)

// MaxCartLines bounds the lines of a cart.
const MaxCartLines = 50

// ShopPageSize is the number of products a storefront page lists.
const ShopPageSize = 50

// maxOffersShown bounds the offers listed for one product.
const maxOffersShown = 20

// maxQueryLength bounds the storefront's title filter.
const maxQueryLength = 200

// Storefront is one page of what a session may buy.
type Storefront struct {
	// Governed is set when a Private Marketplace experience governs the
	// session's account: the page lists only the products it allows.
	Governed bool
	Products []ShopProduct
	// Page counts from 1; More is set when a next page exists.
	Page int
	More bool
}

// ShopProduct is a product of the storefront with its released offers.
type ShopProduct struct {
	Id, Type, Title, ShortDescription string
	Offers                            []ShopOffer
}

// ShopOffer is a released offer and the terms a buyer accepts with it.
type ShopOffer struct {
	Id, Name, Description string
	PricingModel          string
	Terms                 []catalog.Term
}

// Choice is a shopper's order of one offer: for an offer with a
// configurable upfront term, the rate card picked by its selector value
// (a duration such as P12M) and the quantity of each dimension bought.
// Dimensions with no or zero quantity are left out.
type Choice struct {
	ProductID, OfferID string
	Selector           string
	Quantities         map[string]int
}

// Storefront returns page (from 1) of the products the session's account
// may buy, whose titles or descriptions match query: those the governing
// Private Marketplace experience allows, or else the Public products.
// Only released offers are listed.
func (s *Service) Storefront(ctx context.Context, sess Session, query string, page int) (Storefront, error) {
	if page < 1 {
		page = 1
	}
	if len(query) > maxQueryLength {
		query = query[:maxQueryLength]
	}
	front := Storefront{Page: page}
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		ids, governed, _, err := s.Catalog.AllowedProducts(ctx, tx, sess.Account)
		if err != nil {
			return fmt.Errorf("punchout: allowed products of %s: %w", sess.Account, err)
		}
		front.Governed = governed
		if governed && len(ids) == 0 {
			return nil
		}
		sr, err := store.SearcherOf(tx)
		if err != nil {
			return err
		}
		// Public products are unscoped; a governed account may also see
		// its own products the experience allows, as discovery does.
		q := store.SearchQuery{Kind: catalog.SearchKindProduct, Text: query, Offset: (page - 1) * ShopPageSize, Limit: ShopPageSize + 1}
		if governed {
			q.IDs, q.Scopes = ids, []string{sess.Account}
		}
		res, err := sr.Search(ctx, q)
		if err != nil {
			return fmt.Errorf("punchout: storefront search: %w", err)
		}
		if len(res.IDs) > ShopPageSize {
			front.More, res.IDs = true, res.IDs[:ShopPageSize]
		}
		front.Products, err = s.shopProducts(ctx, tx, res.IDs)
		return err
	})
	return front, err
}

// shopProducts loads the products of a storefront page with their
// released offers.
func (s *Service) shopProducts(ctx context.Context, tx store.Tx, ids []string) ([]ShopProduct, error) {
	out := make([]ShopProduct, 0, len(ids))
	for _, id := range ids {
		p, ok, err := s.Catalog.Product(ctx, tx, id)
		if err != nil {
			return nil, fmt.Errorf("punchout: product %s: %w", id, err)
		}
		if !ok {
			continue
		}
		offers, err := s.Catalog.Offers(ctx, tx, id)
		if err != nil {
			return nil, fmt.Errorf("punchout: offers of %s: %w", id, err)
		}
		sp := ShopProduct{Id: p.Id, Type: p.Type, Title: p.Details.Description.ProductTitle, ShortDescription: p.Details.Description.ShortDescription}
		for _, o := range offers {
			if o.Details.State != catalog.OfferReleased || len(sp.Offers) == maxOffersShown {
				continue
			}
			sp.Offers = append(sp.Offers, ShopOffer{Id: o.Id, Name: o.Details.Name, Description: o.Details.Description,
				PricingModel: o.Details.PricingModel, Terms: o.Details.Terms})
		}
		out = append(out, sp)
	}
	return out, nil
}

// CartLines returns the priced lines of the session's cart, in order.
func (s *Service) CartLines(ctx context.Context, sess Session) ([]Line, error) {
	var lines []Line
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		var err error
		lines, err = cartLines(ctx, tx, sess)
		return err
	})
	return lines, err
}

func cartLines(ctx context.Context, tx store.Tx, sess Session) ([]Line, error) {
	lines := make([]Line, 0, len(sess.Cart))
	for _, id := range sess.Cart {
		l, ok, err := loadLine(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if ok {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// AddToCart prices the shopper's choice for the session's account with
// Agreements.Quote, which refuses an offer that is not released, a
// product the governing Private Marketplace has not approved and an
// invalid configuration, then stores the line and adds it to the cart.
// csrf must be the session's CSRF token. Nothing is stored on failure.
func (s *Service) AddToCart(ctx context.Context, token, csrf string, c Choice) (Line, error) {
	var line Line
	err := s.changeSession(ctx, token, csrf, func(tx store.Tx, sess *Session) error {
		if len(sess.Cart) >= MaxCartLines {
			return fail(cxml.StatusBadRequest, "The cart is full: it holds at most %d lines.", MaxCartLines)
		}
		l, err := s.lineFor(ctx, tx, c)
		if err != nil {
			return err
		}
		if line, err = s.priceLine(ctx, tx, sess, l); err != nil {
			return err
		}
		sess.Cart = append(sess.Cart, line.Id)
		return nil
	})
	return line, err
}

// RemoveFromCart takes a line out of the session's cart. The line itself
// is kept: a cart returned earlier may still name it in an order.
func (s *Service) RemoveFromCart(ctx context.Context, token, csrf, lineID string) error {
	return s.changeSession(ctx, token, csrf, func(_ store.Tx, sess *Session) error {
		i := slices.Index(sess.Cart, lineID)
		if i < 0 {
			return fail(cxml.StatusBadRequest, "That line is not in the cart.")
		}
		sess.Cart = slices.Delete(sess.Cart, i, i+1)
		return nil
	})
}

// writableSession returns the live session of token and its record id,
// refusing a wrong CSRF token and an inspect session, whose cart can be
// neither changed nor returned.
func (s *Service) writableSession(ctx context.Context, tx store.Tx, token, csrf string) (Session, string, error) {
	sess, id, err := s.liveSession(ctx, tx, token)
	if err != nil {
		return sess, id, err
	}
	if err := checkCSRF(sess, csrf); err != nil {
		return sess, id, err
	}
	if sess.Operation == cxml.OperationInspect {
		return sess, id, fail(cxml.StatusForbidden, "This PunchOut session only shows the cart; it cannot be changed or returned.")
	}
	return sess, id, nil
}

// changeSession runs fn on the live session of token in one transaction
// and stores the session it changed. It refuses a wrong CSRF token and an
// inspect session, before fn runs.
func (s *Service) changeSession(ctx context.Context, token, csrf string, fn func(tx store.Tx, sess *Session) error) error {
	return store.Update(ctx, s.Store, func(tx store.Tx) error {
		sess, id, err := s.writableSession(ctx, tx, token, csrf)
		if err != nil {
			return err
		}
		if err := fn(tx, &sess); err != nil {
			return err
		}
		return store.Put(ctx, tx, store.Record{Kind: kindSession, ID: id, Parent: sess.Account}, &sess)
	})
}

// liveSession returns the live session of a session token in tx and the
// id of its record, or ErrSession.
func (s *Service) liveSession(ctx context.Context, tx store.Tx, token string) (Session, string, error) {
	if !validToken(token) {
		return Session{}, "", ErrSession
	}
	id := hashToken(token)
	sess, err := store.Get[Session](ctx, tx, kindSession, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !s.now().Before(sess.Expires) {
		return Session{}, "", ErrSession
	}
	if err != nil {
		return Session{}, "", fmt.Errorf("punchout: session: %w", err)
	}
	return sess, id, nil
}

// checkCSRF compares a form's CSRF token with the session's in constant
// time; a session without one accepts none.
func checkCSRF(sess Session, got string) error {
	if sess.CSRF == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
		return fail(cxml.StatusForbidden, "The form has expired; reload the page and try again.")
	}
	return nil
}

// lineFor builds the agreement line of a choice: every term of the
// released offer accepted, the configurable upfront term configured as
// chosen.
func (s *Service) lineFor(ctx context.Context, tx store.Tx, c Choice) (agreement.Line, error) {
	offers, err := s.Catalog.Offers(ctx, tx, c.ProductID)
	if err != nil {
		return agreement.Line{}, fmt.Errorf("punchout: offers of %s: %w", c.ProductID, err)
	}
	i := slices.IndexFunc(offers, func(o catalog.OfferView) bool { return o.Id == c.OfferID && c.OfferID != "" })
	if i < 0 || offers[i].Details.State != catalog.OfferReleased {
		return agreement.Line{}, fail(cxml.StatusBadRequest, "Offer %q of product %q is not available.", c.OfferID, c.ProductID)
	}
	l := agreement.Line{OfferId: c.OfferID}
	for n, t := range offers[i].Details.Terms {
		rt := agreement.RequestedTerm{Id: catalog.TermID(c.OfferID, n, t.Type)}
		if t.Type == catalog.TermConfigurableUpfront {
			cfg, err := configure(t, c)
			if err != nil {
				return agreement.Line{}, err
			}
			rt.Configuration = &agreement.RequestedTermConfiguration{ConfigurableUpfrontPricingTermConfiguration: cfg}
		}
		l.Terms = append(l.Terms, rt)
	}
	return l, nil
}

// configure turns a choice into the configuration of a configurable
// upfront term: the rate card of the chosen selector and the positive
// quantities of its dimensions, in the card's order.
func configure(t catalog.Term, c Choice) (*agreement.ConfigurableUpfrontPricingTermConfiguration, error) {
	i := slices.IndexFunc(t.RateCards, func(r catalog.RateCardItem) bool { return r.Selector != nil && r.Selector.Value == c.Selector })
	if i < 0 {
		return nil, fail(cxml.StatusBadRequest, "Choose one of the offer's contract durations.")
	}
	cfg := &agreement.ConfigurableUpfrontPricingTermConfiguration{SelectorValue: c.Selector}
	for _, r := range t.RateCards[i].RateCard {
		if n := c.Quantities[r.DimensionKey]; n > 0 {
			cfg.Dimensions = append(cfg.Dimensions, agreement.Dimension{DimensionKey: r.DimensionKey, DimensionValue: n})
		}
	}
	if len(cfg.Dimensions) == 0 {
		return nil, fail(cxml.StatusBadRequest, "Enter a quantity of at least one dimension.")
	}
	return cfg, nil
}

// agreementFailure is the one mapping of the agreement service's AWS
// errors to cXML statuses: ValidationException 400,
// AccessDeniedException 403 (a product the Private Marketplace has not
// approved), ResourceNotFoundException 400 (an unknown offer or line),
// ConflictException 409. Their messages are safe to show. Anything else
// is returned as it is, for the caller to log and answer 500 without
// detail.
func agreementFailure(err error) error {
	var e *awserr.Error
	if !errors.As(err, &e) {
		return err
	}
	switch {
	case errors.Is(err, awserr.ErrValidationException), errors.Is(err, awserr.ErrResourceNotFoundException):
		return fail(cxml.StatusBadRequest, "%s", e.ErrorMessage())
	case errors.Is(err, awserr.ErrAccessDeniedException):
		return fail(cxml.StatusForbidden, "%s", e.ErrorMessage())
	case errors.Is(err, awserr.ErrConflictException):
		return fail(cxml.StatusConflict, "%s", e.ErrorMessage())
	}
	return err
}

// restoreCart puts the lines an edit or inspect setup request returns
// (its ItemOut) back in the session's cart: those whose
// SupplierPartAuxiliaryID names a stored line of the session's
// preference and account. The others are described in Unavailable.
func (s *Service) restoreCart(ctx context.Context, tx store.Tx, sess *Session) error {
	for _, item := range sess.Items {
		l, ok, err := s.restorable(ctx, tx, sess, item)
		if err != nil {
			return err
		}
		if !ok || len(sess.Cart) == MaxCartLines {
			if len(sess.Unavailable) < MaxCartLines {
				sess.Unavailable = append(sess.Unavailable, describe(item))
			}
			continue
		}
		sess.Cart = append(sess.Cart, l.Id)
	}
	return nil
}

// restorable returns the line an ItemOut names when the session may
// restore it.
func (s *Service) restorable(ctx context.Context, tx store.Tx, sess *Session, item cxml.ItemOut) (Line, bool, error) {
	offerID, lineID, ok := ParseAuxID(item.ItemID.SupplierPartAuxiliaryID)
	if !ok || slices.Contains(sess.Cart, lineID) {
		return Line{}, false, nil
	}
	l, ok, err := loadLine(ctx, tx, lineID)
	if err != nil || !ok {
		return l, false, err
	}
	same := l.PreferenceARN == sess.PreferenceARN && l.Account == sess.Account && l.Line.OfferId == offerID
	return l, same, nil
}

// maxDescription bounds the description of an unavailable item.
const maxDescription = 200

// describe names an item of a setup request for the shopper.
func describe(item cxml.ItemOut) string {
	d := item.ItemID.SupplierPartID
	if item.ItemDetail != nil && item.ItemDetail.Description.Text != "" {
		d = item.ItemDetail.Description.Text
	}
	if r := []rune(d); len(r) > maxDescription {
		d = string(r[:maxDescription]) + "…"
	}
	if d == "" {
		d = "An item without description"
	}
	return d
}
