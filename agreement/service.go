package agreement

import (
	"context"
	"fmt"
	"io"
	"time"

	"gatehouse/catalog"
	"gatehouse/randid"
	"gatehouse/store"
)

// Catalog is what buying needs of the Marketplace Catalog; the
// catalog.Service implements it. Its methods run in the caller's
// transaction and check no permission.
type Catalog interface {
	// OfferForAgreement returns an offer with its terms and product.
	OfferForAgreement(ctx context.Context, tx store.Tx, offerID string) (catalog.AgreementOffer, bool, error)
	// IsProductAllowed reports whether an account may buy a product under
	// the Private Marketplace experience that governs it.
	IsProductAllowed(ctx context.Context, tx store.Tx, account, productID string) (bool, string, error)
	// GoverningExperience returns the experience that governs an account.
	GoverningExperience(ctx context.Context, tx store.Tx, account string) (catalog.Governance, bool, error)
}

// Service is the Marketplace Agreement service. Set its fields before
// first use; it is then safe for concurrent use.
type Service struct {
	// Store holds agreements and agreement requests.
	Store store.Store
	// Catalog answers questions about offers and governance.
	Catalog Catalog
	// Approvals holds purchases that need approval; nil means none does.
	Approvals Approvals
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the source of random ids; nil means crypto/rand.
	Rand io.Reader
}

// New returns a Service over st and the catalog cat with the system clock.
func New(st store.Store, cat Catalog) *Service {
	return &Service{Store: st, Catalog: cat, Now: time.Now}
}

// now returns the current time in UTC to the millisecond, as the
// Agreement API's timestamps carry it.
func (s *Service) now() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return now().UTC().Truncate(time.Millisecond)
}

// newID returns prefix followed by n random characters of [0-9a-z],
// drawn uniformly from s.Rand.
func (s *Service) newID(prefix string, n int) (string, error) {
	id, err := randid.String(s.Rand, randid.LowerAlnum, n)
	if err != nil {
		return "", fmt.Errorf("agreement: random id: %w", err)
	}
	return prefix + id, nil
}
