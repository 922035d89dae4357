package catalog

import (
	"context"
	"crypto/rand"
	"io"
	"time"

	"gatehouse/store"
)

// Catalog is the only catalog the API serves.
const Catalog = "AWSMarketplace"

// PrivateMarketplaceServicePrincipal is the service principal whose
// delegated administrators may manage an organization's Private
// Marketplace besides its management account.
const PrivateMarketplaceServicePrincipal = "private-marketplace.marketplace.amazonaws.com"

// Organizations is what the catalog needs of AWS Organizations; the
// org.Service implements it. Both methods run in the caller's transaction
// and check no permission.
type Organizations interface {
	// AccountContext returns the organization of an account, the account's
	// path (o-ORG/r-ROOT/ou-.../) and the management account; all empty
	// when the account is in no organization.
	AccountContext(ctx context.Context, tx store.Tx, account string) (orgID string, orgPaths []string, managementAccount string, err error)
	// IsDelegatedAdministrator reports whether an account is a delegated
	// administrator of its organization for a service principal.
	IsDelegatedAdministrator(ctx context.Context, tx store.Tx, account, servicePrincipal string) (bool, error)
}

// Service is the Marketplace Catalog service. Set its fields before first
// use; it is then safe for concurrent use.
type Service struct {
	// Store holds the catalog's records.
	Store store.Store
	// Orgs answers questions about organizations.
	Orgs Organizations
	// Region is the region in entity and change set ARNs.
	Region string
	// Now returns the current time; tests set a fixed clock.
	Now func() time.Time
	// Rand is the source of random ids; nil means crypto/rand.
	Rand io.Reader
	// ApplyDelay is how long a change set stays PREPARING before it is
	// applied; zero applies it inside StartChangeSet's transaction.
	ApplyDelay time.Duration
}

// New returns a Service over st with the system clock.
func New(st store.Store, orgs Organizations, region string) *Service {
	return &Service{Store: st, Orgs: orgs, Region: region, Now: time.Now}
}

// now returns the current time in UTC to the second, as the catalog's
// ISO 8601 timestamps carry it.
func (s *Service) now() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return now().UTC().Truncate(time.Second)
}

func (s *Service) rand() io.Reader {
	if s.Rand != nil {
		return s.Rand
	}
	return rand.Reader
}

// update runs fn in the caller's transaction (see store.WithTx) or a new
// read-write one.
func (s *Service) update(ctx context.Context, fn func(store.Tx) error) error {
	return store.Update(ctx, s.Store, fn)
}

// view runs fn in the caller's transaction or a new read-only one.
func (s *Service) view(ctx context.Context, fn func(store.Tx) error) error {
	return store.View(ctx, s.Store, fn)
}

// timeFormat is the catalog's DateTimeISO8601: 2018-02-27T13:45:22Z.
const timeFormat = "2006-01-02T15:04:05Z"

func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeFormat)
}
