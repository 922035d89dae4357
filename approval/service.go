package approval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"slices"
	"sync/atomic"
	"time"

	"gatehouse/agreement"
	"gatehouse/awserr"
	"gatehouse/catalog"
	"gatehouse/credentials"
	"gatehouse/principal"
	"gatehouse/randid"
	"gatehouse/store"
)

// Organizations tells which organization an account belongs to;
// org.Service implements it.
type Organizations interface {
	AccountContext(ctx context.Context, tx store.Tx, account string) (orgID string, orgPaths []string, managementAccount string, err error)
}

// Agreements makes the agreement of an approved purchase;
// agreement.Service implements it.
type Agreements interface {
	ConcludeApproved(ctx context.Context, tx store.Tx, agreementRequestID, approver, purchaseOrderNumber string, held []agreement.PurchaseOrder) (string, error)
}

// Governance tells which Private Marketplace experience governs an
// account; catalog.Service implements it.
type Governance interface {
	GoverningExperience(ctx context.Context, tx store.Tx, account string) (catalog.Governance, bool, error)
}

// Service is the approval workflow. Set its fields before first use; it
// is then safe for concurrent use. Agreements may be set after the
// agreement service is made with this one as its Approvals.
type Service struct {
	Store      store.Store
	Orgs       Organizations
	Agreements Agreements
	Governance Governance
	// Cipher seals the webhook secret.
	Cipher *credentials.Cipher
	// Notifier, when set, is woken after each transition to deliver it.
	Notifier *Notifier
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the source of random ids; nil means crypto/rand.
	Rand io.Reader

	// seq numbers the notifications this Service queues.
	seq atomic.Uint64
}

// Record kinds.
const (
	// kindSettings holds an organization's settings; ID is its
	// management account.
	kindSettings = "approval.settings"
	// kindRequest holds purchase requests; Parent is the requesting
	// account and Name the status.
	kindRequest = "approval.purchase-request"
)

var rePurchaseRequestID = regexp.MustCompile(`^pr-[a-z0-9]{24}$`)

// errValidation, errNotFound, errConflict and errDenied are the AWS
// errors of the workflow.
func errValidation(format string, args ...any) error {
	return awserr.ErrValidationException.Newf(format, args...)
}

func errNotFound(id string) error {
	return awserr.ErrResourceNotFoundException.Newf("Purchase request %s was not found.", id).
		With("resourceId", id).With("resourceType", "PurchaseRequest")
}

func errConflict(id, format string, args ...any) error {
	return awserr.ErrConflictException.Newf(format, args...).With("resourceId", id).With("resourceType", "PurchaseRequest")
}

func errDenied(format string, args ...any) error {
	return awserr.ErrAccessDeniedException.Newf(format, args...)
}

// management returns the management account of the account's
// organization; an account outside any organization manages itself.
func (s *Service) management(ctx context.Context, tx store.Tx, account string) (string, error) {
	_, _, m, err := s.Orgs.AccountContext(ctx, tx, account)
	if err != nil {
		return "", fmt.Errorf("approval: organization of %s: %w", account, err)
	}
	if m == "" {
		return account, nil
	}
	return m, nil
}

// settings returns the settings of the organization its management
// account names.
func (s *Service) settings(ctx context.Context, tx store.Tx, management string) (settingsRecord, error) {
	r, err := store.Get[settingsRecord](ctx, tx, kindSettings, management)
	if errors.Is(err, store.ErrNotFound) {
		return settingsRecord{Settings: Settings{Experiences: []string{}}}, nil
	}
	return r, err
}

// GetApprovalSettings returns the settings of the caller's organization.
func (s *Service) GetApprovalSettings(ctx context.Context, caller *principal.Caller, _ GetApprovalSettingsInput) (GetApprovalSettingsOutput, error) {
	var out GetApprovalSettingsOutput
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		m, err := s.management(ctx, tx, caller.Account)
		if err != nil {
			return err
		}
		r, err := s.settings(ctx, tx, m)
		out.Settings = r.Settings
		return err
	})
	return out, err
}

// PutApprovalSettings replaces the settings of the caller's organization;
// only its management account may.
func (s *Service) PutApprovalSettings(ctx context.Context, caller *principal.Caller, in PutApprovalSettingsInput) (PutApprovalSettingsOutput, error) {
	if err := checkSettings(in); err != nil {
		return PutApprovalSettingsOutput{}, err
	}
	var out PutApprovalSettingsOutput
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		m, err := s.management(ctx, tx, caller.Account)
		if err != nil {
			return err
		}
		if m != caller.Account {
			return errDenied("Only the organization's management account %s may change its approval settings.", m)
		}
		old, err := s.settings(ctx, tx, m)
		if err != nil {
			return err
		}
		r := settingsRecord{Settings: in.Settings, Secret: old.Secret}
		r.Settings.Experiences = slices.Clone(in.Settings.Experiences)
		if r.Settings.Experiences == nil {
			r.Settings.Experiences = []string{}
		}
		switch {
		case r.Settings.WebhookUrl == "":
			r.Secret = nil
		case in.WebhookSecret != "":
			r.Secret = s.Cipher.Seal([]byte(in.WebhookSecret), secretContext(m))
		}
		if r.Settings.WebhookUrl != "" && r.Secret == nil {
			return errValidation("A webhook needs a WebhookSecret to sign its notifications.")
		}
		r.Settings.HasWebhookSecret = r.Secret != nil
		out.Settings = r.Settings
		return store.Put(ctx, tx, store.Record{Kind: kindSettings, ID: m}, &r)
	})
	return out, err
}

// secretContext binds a sealed webhook secret to its organization.
func secretContext(management string) []byte {
	return []byte("approval-webhook/" + management)
}

var reExperienceID = regexp.MustCompile(`^exp-[a-z0-9]{1,64}$`)

// checkSettings validates PutApprovalSettings' input.
func checkSettings(in PutApprovalSettingsInput) error {
	st := in.Settings
	if len(st.Experiences) > 100 {
		return errValidation("Experiences may name at most 100 experiences.")
	}
	for _, e := range st.Experiences {
		if !reExperienceID.MatchString(e) {
			return errValidation("Experience id %q is not valid.", e)
		}
	}
	if len(in.WebhookSecret) > 0 && (len(in.WebhookSecret) < 16 || len(in.WebhookSecret) > 256) {
		return errValidation("WebhookSecret must be 16 to 256 characters.")
	}
	if st.WebhookUrl == "" {
		return nil
	}
	u, err := url.Parse(st.WebhookUrl)
	if err != nil || u.Host == "" || len(st.WebhookUrl) > 2048 {
		return errValidation("WebhookUrl must be an absolute https URL.")
	}
	if u.Scheme == "https" || (u.Scheme == "http" && isLoopback(u.Hostname())) {
		return nil
	}
	return errValidation("WebhookUrl must be https (http only to a loopback host).")
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// required reports whether a purchase by the account must wait for
// approval under its organization's settings.
func (s *Service) required(ctx context.Context, tx store.Tx, st Settings, p agreement.Purchase) (bool, error) {
	if (st.SkipFree && p.Free()) || (st.SkipByol && p.Byol()) {
		return false, nil
	}
	if st.RequireApproval {
		return true, nil
	}
	if len(st.Experiences) == 0 {
		return false, nil
	}
	g, ok, err := s.Governance.GoverningExperience(ctx, tx, p.Account)
	if err != nil || !ok {
		return false, err
	}
	return g.Enabled && slices.Contains(st.Experiences, g.ExperienceId), nil
}

// now returns the current time in UTC to the millisecond.
func (s *Service) now() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return now().UTC().Truncate(time.Millisecond)
}

// newID returns a purchase request id: pr- and 24 of [0-9a-z], drawn
// uniformly from s.Rand.
func (s *Service) newID() (string, error) {
	id, err := randid.String(s.Rand, randid.LowerAlnum, 24)
	if err != nil {
		return "", fmt.Errorf("approval: random id: %w", err)
	}
	return "pr-" + id, nil
}

var reAccount = regexp.MustCompile(`^[0-9]{12}$`)
