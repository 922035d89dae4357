package discovery

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gatehouse/awserr"
	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/store"
)

// Service is the Marketplace Discovery service. Set its fields before
// first use; it is then safe for concurrent use.
type Service struct {
	// Store holds the catalog and its search index.
	Store store.Store
	// Catalog reads products, offers and Private Marketplace governance.
	Catalog *catalog.Service
}

// New returns a Service over the catalog's store.
func New(st store.Store, c *catalog.Service) *Service {
	return &Service{Store: st, Catalog: c}
}

// Validation reasons of ValidationException.
const (
	ReasonInvalidToken = "INVALID_PAGINATION_TOKEN"
	ReasonMalformed    = "MALFORMED_REQUEST_PARAMETERS"
)

func errValidation(format string, args ...any) error {
	return awserr.ErrValidationException.Newf(format, args...).With("reason", ReasonMalformed)
}

func errNotFound(format string, args ...any) error {
	return awserr.ErrResourceNotFoundException.Newf(format, args...)
}

var reID = regexp.MustCompile(`^[\w-]{1,255}$`)

// checkID validates an id member: 1 to 255 word characters or hyphens.
func checkID(member, id string) error {
	if !reID.MatchString(id) {
		return errValidation("%s must be 1 to 255 letters, digits, underscores or hyphens.", member)
	}
	return nil
}

// viewer is what one caller may see.
type viewer struct {
	account string
	// allowed is set for a governed account: the products its Private
	// Marketplace experience allows, and that experience.
	allowed    []string
	experience string
}

// viewerOf works out what the caller may see, in tx.
func (s *Service) viewerOf(ctx context.Context, tx store.Tx, caller *principal.Caller) (*viewer, error) {
	if caller == nil || caller.Account == "" {
		return nil, awserr.ErrAccessDeniedException.New("The caller is not authenticated.")
	}
	ids, governed, exp, err := s.Catalog.AllowedProducts(ctx, tx, caller.Account)
	if err != nil {
		return nil, fmt.Errorf("discovery: governance of %s: %w", caller.Account, err)
	}
	v := &viewer{account: caller.Account}
	if governed {
		v.allowed, v.experience = ids, exp
	}
	return v, nil
}

// maySee reports whether the viewer may see a product.
func (v *viewer) maySee(p *catalog.ProductView) bool {
	if p.Visibility != catalog.VisibilityPublic && p.Owner != v.account {
		return false
	}
	return v.allowed == nil || slices.Contains(v.allowed, p.Id)
}

// product loads a product the viewer may see, or ResourceNotFoundException.
func (s *Service) product(ctx context.Context, tx store.Tx, v *viewer, id string) (catalog.ProductView, error) {
	p, ok, err := s.Catalog.Product(ctx, tx, id)
	if err != nil {
		return p, err
	}
	if !ok || !v.maySee(&p) {
		return p, errNotFound("The product %s was not found.", id)
	}
	return p, nil
}

// offer loads a released offer of a product the viewer may see, or
// ResourceNotFoundException.
func (s *Service) offer(ctx context.Context, tx store.Tx, v *viewer, id string) (catalog.OfferView, catalog.ProductView, error) {
	o, ok, err := s.Catalog.Offer(ctx, tx, id)
	if err != nil {
		return o, catalog.ProductView{}, err
	}
	if !ok || o.Details.State != catalog.OfferReleased {
		return o, catalog.ProductView{}, errNotFound("The offer %s was not found.", id)
	}
	p, err := s.product(ctx, tx, v, o.Details.ProductId)
	if err != nil {
		return o, p, errNotFound("The offer %s was not found.", id)
	}
	return o, p, nil
}

// ListingID returns the listing id of a product.
func ListingID(productID string) string {
	if rest, ok := strings.CutPrefix(productID, "prod-"); ok {
		return "prodview-" + rest
	}
	return productID
}

// ProductID returns the product id of a listing.
func ProductID(listingID string) string {
	if rest, ok := strings.CutPrefix(listingID, "prodview-"); ok {
		return "prod-" + rest
	}
	return listingID
}

// view runs fn in the caller's transaction or a new read-only one.
func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return store.View(ctx, s.Store, fn)
}

// isNotFound reports a ResourceNotFoundException.
func isNotFound(err error) bool {
	e := awserr.As(err)
	return e != nil && e.Code == awserr.ErrResourceNotFoundException.Code
}
