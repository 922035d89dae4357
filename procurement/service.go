package procurement

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"gatehouse/awserr"
	"gatehouse/credentials"
	"gatehouse/principal"
	"gatehouse/store"
)

// Organizations tells which account manages an account's organization;
// org.Service implements it.
type Organizations interface {
	AccountContext(ctx context.Context, tx store.Tx, account string) (orgID string, orgPaths []string, managementAccount string, err error)
}

// Service is the procurement-portal preference service. Set its fields
// before first use; it is then safe for concurrent use.
type Service struct {
	Store  store.Store
	Cipher *credentials.Cipher
	Orgs   Organizations
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the source of random ids; nil means crypto/rand.
	Rand io.Reader
}

// New returns a Service with the system clock.
func New(st store.Store, cipher *credentials.Cipher, orgs Organizations) *Service {
	return &Service{Store: st, Cipher: cipher, Orgs: orgs, Now: time.Now}
}

// kindPreference holds preferences; Parent is the account.
const kindPreference = "procurement-portal-preference"

// record is a stored preference: the API view without secrets, and the
// secrets sealed under the preference's ARN.
type record struct {
	Preference ProcurementPortalPreference
	// Secret and TestSecret are the sealed shared secrets; nil when none
	// was given.
	Secret     []byte
	TestSecret []byte
	// ClientToken is the token of the request that created the preference.
	ClientToken string
	Tags        []ResourceTag
}

// Portal is a preference with its shared secrets in clear, for the cXML
// bridge's in-process use only: never log it or send it anywhere.
type Portal struct {
	Preference ProcurementPortalPreference
	// Test reports that the credential matched the test environment's.
	Test bool
	// SharedSecret is the shared secret of the environment matched.
	SharedSecret string
}

// Environment is one environment of a portal, production or test: the
// credentials each side presents and the endpoint that receives
// Gatehouse's documents.
type Environment struct {
	BuyerDomain        string
	BuyerIdentifier    string
	SupplierDomain     string
	SupplierIdentifier string
	// Endpoint is the procurement portal's instance endpoint; "" when
	// none was configured.
	Endpoint string
}

// Environment returns the credentials and endpoint of the environment the
// portal was matched in: the test environment's when Test is set (and the
// preference has one), else production's.
func (p Portal) Environment() Environment {
	pref := p.Preference
	if t := pref.TestEnvPreference; p.Test && t != nil {
		return Environment{
			BuyerDomain: t.BuyerDomain, BuyerIdentifier: t.BuyerIdentifier,
			SupplierDomain: t.SupplierDomain, SupplierIdentifier: t.SupplierIdentifier,
			Endpoint: t.ProcurementPortalInstanceEndpoint,
		}
	}
	return Environment{
		BuyerDomain: pref.BuyerDomain, BuyerIdentifier: pref.BuyerIdentifier,
		SupplierDomain: pref.SupplierDomain, SupplierIdentifier: pref.SupplierIdentifier,
		Endpoint: pref.ProcurementPortalInstanceEndpoint,
	}
}

// ARN returns the ARN of a preference:
// arn:aws:invoicing::ACCOUNT:procurement-portal-preference/ID.
func ARN(account, id string) string {
	return "arn:aws:invoicing::" + account + ":procurement-portal-preference/" + id
}

// CreateProcurementPortalPreference creates a preference in the caller's
// account, which must be its organization's management account. A
// repeated ClientToken returns the preference it created.
func (s *Service) CreateProcurementPortalPreference(ctx context.Context, caller *principal.Caller, in CreateProcurementPortalPreferenceInput) (CreateProcurementPortalPreferenceOutput, error) {
	if err := validateCreate(in); err != nil {
		return CreateProcurementPortalPreferenceOutput{}, err
	}
	var out CreateProcurementPortalPreferenceOutput
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		if err := s.management(ctx, tx, caller); err != nil {
			return err
		}
		all, err := s.all(ctx, tx)
		if err != nil {
			return err
		}
		for _, r := range all {
			if in.ClientToken != "" && r.ClientToken == in.ClientToken && r.Preference.AwsAccountId == caller.Account {
				out.ProcurementPortalPreferenceArn = r.Preference.ProcurementPortalPreferenceArn
				return nil
			}
		}
		id, err := s.newID()
		if err != nil {
			return err
		}
		now := s.now()
		p := ProcurementPortalPreference{
			AwsAccountId: caller.Account, ProcurementPortalPreferenceArn: ARN(caller.Account, id),
			ProcurementPortalName: in.ProcurementPortalName,
			BuyerDomain:           in.BuyerDomain, BuyerIdentifier: in.BuyerIdentifier,
			SupplierDomain: in.SupplierDomain, SupplierIdentifier: in.SupplierIdentifier,
			EinvoiceDeliveryPreferenceStatus:       StatusPendingVerification,
			PurchaseOrderRetrievalPreferenceStatus: StatusPendingVerification,
			Version:                                1, CreateDate: now, LastUpdateDate: now,
		}
		r := &record{Preference: p, ClientToken: in.ClientToken, Tags: in.ResourceTags}
		s.apply(r, settings{in.Selector, in.ProcurementPortalSharedSecret, in.ProcurementPortalInstanceEndpoint, in.TestEnvPreference,
			*in.EinvoiceDeliveryEnabled, in.EinvoiceDeliveryPreference, *in.PurchaseOrderRetrievalEnabled, in.Contacts})
		if err := conflicts(all, r); err != nil {
			return err
		}
		out.ProcurementPortalPreferenceArn = p.ProcurementPortalPreferenceArn
		return s.put(ctx, tx, id, r)
	})
	return out, err
}

// GetProcurementPortalPreference returns a preference of the caller's
// account, its shared secrets masked.
func (s *Service) GetProcurementPortalPreference(ctx context.Context, caller *principal.Caller, in GetProcurementPortalPreferenceInput) (GetProcurementPortalPreferenceOutput, error) {
	var out GetProcurementPortalPreferenceOutput
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		r, err := s.get(ctx, tx, caller, in.ProcurementPortalPreferenceArn)
		out.ProcurementPortalPreference = r.Preference
		return err
	})
	return out, err
}

// ListProcurementPortalPreferences lists the caller's account's
// preferences in id order, at most MaxResults (1 to 100, default 100) a
// page.
func (s *Service) ListProcurementPortalPreferences(ctx context.Context, caller *principal.Caller, in ListProcurementPortalPreferencesInput) (ListProcurementPortalPreferencesOutput, error) {
	limit := maxResults
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > maxResults {
			return ListProcurementPortalPreferencesOutput{}, fieldError("MaxResults", "MaxResults must be between 1 and 100.")
		}
		limit = int(*in.MaxResults)
	}
	if in.NextToken != "" && !reID.MatchString(in.NextToken) {
		return ListProcurementPortalPreferencesOutput{}, awserr.ErrValidationException.New("The NextToken is not valid.").With("reason", "invalidNextToken")
	}
	out := ListProcurementPortalPreferencesOutput{ProcurementPortalPreferences: []ProcurementPortalPreferenceSummary{}}
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		if err := s.management(ctx, tx, caller); err != nil {
			return err
		}
		list, err := store.List[record](ctx, tx, store.Query{Kind: kindPreference, Parent: caller.Account, After: in.NextToken, Limit: limit + 1})
		if err != nil {
			return err
		}
		if len(list) > limit {
			list = list[:limit]
			out.NextToken = idOf(list[limit-1].Preference.ProcurementPortalPreferenceArn)
		}
		for _, r := range list {
			out.ProcurementPortalPreferences = append(out.ProcurementPortalPreferences, summary(r.Preference))
		}
		return nil
	})
	return out, err
}

// PutProcurementPortalPreference replaces a preference's settings; its
// portal and credentials stay. An empty shared secret keeps the stored
// one.
func (s *Service) PutProcurementPortalPreference(ctx context.Context, caller *principal.Caller, in PutProcurementPortalPreferenceInput) (PutProcurementPortalPreferenceOutput, error) {
	if err := validatePut(in); err != nil {
		return PutProcurementPortalPreferenceOutput{}, err
	}
	out := PutProcurementPortalPreferenceOutput{ProcurementPortalPreferenceArn: in.ProcurementPortalPreferenceArn}
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		r, err := s.get(ctx, tx, caller, in.ProcurementPortalPreferenceArn)
		if err != nil {
			return err
		}
		s.apply(&r, settings{in.Selector, in.ProcurementPortalSharedSecret, in.ProcurementPortalInstanceEndpoint, in.TestEnvPreference,
			*in.EinvoiceDeliveryEnabled, in.EinvoiceDeliveryPreference, *in.PurchaseOrderRetrievalEnabled, in.Contacts})
		all, err := s.all(ctx, tx)
		if err != nil {
			return err
		}
		if err := conflicts(all, &r); err != nil {
			return err
		}
		s.touch(&r.Preference)
		return s.put(ctx, tx, idOf(in.ProcurementPortalPreferenceArn), &r)
	})
	return out, err
}

// UpdateProcurementPortalPreferenceStatus sets the status (and its
// reason) of e-invoice delivery, purchase order retrieval or both.
func (s *Service) UpdateProcurementPortalPreferenceStatus(ctx context.Context, caller *principal.Caller, in UpdateProcurementPortalPreferenceStatusInput) (UpdateProcurementPortalPreferenceStatusOutput, error) {
	if err := validateStatus(in); err != nil {
		return UpdateProcurementPortalPreferenceStatusOutput{}, err
	}
	out := UpdateProcurementPortalPreferenceStatusOutput{ProcurementPortalPreferenceArn: in.ProcurementPortalPreferenceArn}
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		r, err := s.get(ctx, tx, caller, in.ProcurementPortalPreferenceArn)
		if err != nil {
			return err
		}
		p := &r.Preference
		if in.EinvoiceDeliveryPreferenceStatus != "" {
			p.EinvoiceDeliveryPreferenceStatus, p.EinvoiceDeliveryPreferenceStatusReason = in.EinvoiceDeliveryPreferenceStatus, in.EinvoiceDeliveryPreferenceStatusReason
		}
		if in.PurchaseOrderRetrievalPreferenceStatus != "" {
			p.PurchaseOrderRetrievalPreferenceStatus, p.PurchaseOrderRetrievalPreferenceStatusReason = in.PurchaseOrderRetrievalPreferenceStatus, in.PurchaseOrderRetrievalPreferenceStatusReason
		}
		s.touch(p)
		return s.put(ctx, tx, idOf(in.ProcurementPortalPreferenceArn), &r)
	})
	return out, err
}

// DeleteProcurementPortalPreference deletes a preference; the cXML bridge
// then refuses its credentials.
func (s *Service) DeleteProcurementPortalPreference(ctx context.Context, caller *principal.Caller, in DeleteProcurementPortalPreferenceInput) (DeleteProcurementPortalPreferenceOutput, error) {
	out := DeleteProcurementPortalPreferenceOutput(in)
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		if _, err := s.get(ctx, tx, caller, in.ProcurementPortalPreferenceArn); err != nil {
			return err
		}
		return tx.Delete(ctx, kindPreference, idOf(in.ProcurementPortalPreferenceArn))
	})
	return out, err
}

// PortalByCredential finds the preference whose buyer credential is
// domain and identity, in production or in its test environment. Domains
// compare case-insensitively, identities exactly. The Portal it returns
// carries the decrypted shared secret of the environment matched, for
// in-process use only. It runs in the caller's transaction and checks no
// permission.
func (s *Service) PortalByCredential(ctx context.Context, tx store.Tx, domain, identity string) (Portal, bool, error) {
	if identity == "" {
		return Portal{}, false, nil
	}
	all, err := s.all(ctx, tx)
	if err != nil {
		return Portal{}, false, err
	}
	for _, r := range all {
		p := r.Preference
		switch {
		case strings.EqualFold(p.BuyerDomain, domain) && p.BuyerIdentifier == identity:
			return s.portal(r, false)
		case p.TestEnvPreference != nil && strings.EqualFold(p.TestEnvPreference.BuyerDomain, domain) && p.TestEnvPreference.BuyerIdentifier == identity:
			return s.portal(r, true)
		}
	}
	return Portal{}, false, nil
}

// PortalByARN returns the preference arn as a Portal of its production
// environment, or of its test environment when test is set, with that
// environment's decrypted shared secret, for in-process use only (the
// invoice deliverer). It reports false when there is no such preference,
// or test is set and the preference has no test environment. It runs in
// the caller's transaction and checks no permission.
func (s *Service) PortalByARN(ctx context.Context, tx store.Tx, arn string, test bool) (Portal, bool, error) {
	if !reARN.MatchString(arn) {
		return Portal{}, false, nil
	}
	r, err := store.Get[record](ctx, tx, kindPreference, idOf(arn))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Portal{}, false, nil
	case err != nil:
		return Portal{}, false, fmt.Errorf("procurement: read %s: %w", arn, err)
	case r.Preference.ProcurementPortalPreferenceArn != arn:
		return Portal{}, false, nil
	case test && r.Preference.TestEnvPreference == nil:
		return Portal{}, false, nil
	}
	return s.portal(r, test)
}

// portal returns r as a Portal of its production or test environment,
// opening that environment's shared secret.
func (s *Service) portal(r record, test bool) (Portal, bool, error) {
	p := r.Preference
	sealed := r.Secret
	if test {
		sealed = r.TestSecret
	}
	portal := Portal{Preference: p, Test: test}
	if sealed != nil {
		secret, err := s.Cipher.Open(sealed, secretContext(p.ProcurementPortalPreferenceArn, test))
		if err != nil {
			return Portal{}, false, fmt.Errorf("procurement: open the shared secret of %s: %w", p.ProcurementPortalPreferenceArn, err)
		}
		portal.SharedSecret = string(secret)
	}
	return portal, true, nil
}

// settings are the members Create and Put set.
type settings struct {
	selector   *Selector
	secret     string
	endpoint   string
	test       *TestEnvPreferenceInput
	einvoice   bool
	delivery   *EinvoiceDeliveryPreference
	poRetrieve bool
	contacts   []Contact
}

// apply sets a record's settings, sealing the shared secrets given (an
// empty one keeps the sealed secret).
func (s *Service) apply(r *record, in settings) {
	p := &r.Preference
	p.Selector, p.ProcurementPortalInstanceEndpoint = in.selector, in.endpoint
	p.EinvoiceDeliveryEnabled, p.EinvoiceDeliveryPreference = in.einvoice, in.delivery
	p.PurchaseOrderRetrievalEnabled, p.Contacts = in.poRetrieve, in.contacts
	if in.secret != "" {
		r.Secret = s.Cipher.Seal([]byte(in.secret), secretContext(p.ProcurementPortalPreferenceArn, false))
	}
	p.ProcurementPortalSharedSecret = mask(r.Secret)
	p.TestEnvPreference = nil
	if in.test == nil {
		r.TestSecret = nil
		return
	}
	if in.test.ProcurementPortalSharedSecret != "" {
		r.TestSecret = s.Cipher.Seal([]byte(in.test.ProcurementPortalSharedSecret), secretContext(p.ProcurementPortalPreferenceArn, true))
	}
	p.TestEnvPreference = &TestEnvPreference{
		BuyerDomain: in.test.BuyerDomain, BuyerIdentifier: in.test.BuyerIdentifier,
		SupplierDomain: in.test.SupplierDomain, SupplierIdentifier: in.test.SupplierIdentifier,
		ProcurementPortalSharedSecret:     mask(r.TestSecret),
		ProcurementPortalInstanceEndpoint: in.test.ProcurementPortalInstanceEndpoint,
	}
}

// conflicts returns ConflictException when another preference already
// uses one of r's buyer credentials: the cXML bridge must find exactly
// one portal for a credential.
func conflicts(all []record, r *record) error {
	mine := credentialsOf(r.Preference)
	for _, other := range all {
		if other.Preference.ProcurementPortalPreferenceArn == r.Preference.ProcurementPortalPreferenceArn {
			continue
		}
		for _, c := range credentialsOf(other.Preference) {
			if slices.Contains(mine, c) {
				return awserr.ErrConflictException.Newf("The buyer credential %s is already used by procurement portal preference %s.", c, other.Preference.ProcurementPortalPreferenceArn).
					With("resourceId", other.Preference.ProcurementPortalPreferenceArn).With("resourceType", "ProcurementPortalPreference")
			}
		}
	}
	return nil
}

// credentialsOf returns a preference's buyer credentials as
// lower-case-domain/identity pairs.
func credentialsOf(p ProcurementPortalPreference) []string {
	out := []string{strings.ToLower(p.BuyerDomain) + "/" + p.BuyerIdentifier}
	if t := p.TestEnvPreference; t != nil {
		out = append(out, strings.ToLower(t.BuyerDomain)+"/"+t.BuyerIdentifier)
	}
	return out
}

// secretContext binds a sealed secret to its preference and environment,
// so that a ciphertext cannot be moved to another record.
func secretContext(arn string, test bool) []byte {
	if test {
		return []byte(arn + "#test")
	}
	return []byte(arn)
}

// mask is what the API shows of a sealed secret.
func mask(sealed []byte) string {
	if sealed == nil {
		return ""
	}
	return MaskedSecret
}

// management fails with AccessDeniedException unless the caller's account
// is its organization's management account.
func (s *Service) management(ctx context.Context, tx store.Tx, caller *principal.Caller) error {
	_, _, mgmt, err := s.Orgs.AccountContext(ctx, tx, caller.Account)
	if err != nil {
		return err
	}
	if mgmt == "" || mgmt != caller.Account {
		return awserr.ErrAccessDeniedException.New("Procurement portal preferences can only be managed from the organization's management account.")
	}
	return nil
}

// get reads a preference of the caller's account by ARN.
func (s *Service) get(ctx context.Context, tx store.Tx, caller *principal.Caller, arn string) (record, error) {
	if err := validateARN(arn); err != nil {
		return record{}, err
	}
	if err := s.management(ctx, tx, caller); err != nil {
		return record{}, err
	}
	r, err := store.Get[record](ctx, tx, kindPreference, idOf(arn))
	if errors.Is(err, store.ErrNotFound) || (err == nil && r.Preference.ProcurementPortalPreferenceArn != arn) {
		return record{}, awserr.ErrResourceNotFoundException.Newf("Procurement portal preference %s was not found.", arn)
	}
	return r, err
}

func (s *Service) all(ctx context.Context, tx store.Tx) ([]record, error) {
	return store.List[record](ctx, tx, store.Query{Kind: kindPreference})
}

func (s *Service) put(ctx context.Context, tx store.Tx, id string, r *record) error {
	return store.Put(ctx, tx, store.Record{Kind: kindPreference, ID: id, Parent: r.Preference.AwsAccountId}, r)
}

// touch records a change: a new version and update time.
func (s *Service) touch(p *ProcurementPortalPreference) {
	p.Version++
	p.LastUpdateDate = s.now()
}

func summary(p ProcurementPortalPreference) ProcurementPortalPreferenceSummary {
	return ProcurementPortalPreferenceSummary{
		AwsAccountId: p.AwsAccountId, ProcurementPortalPreferenceArn: p.ProcurementPortalPreferenceArn,
		ProcurementPortalName: p.ProcurementPortalName, BuyerDomain: p.BuyerDomain, BuyerIdentifier: p.BuyerIdentifier,
		SupplierDomain: p.SupplierDomain, SupplierIdentifier: p.SupplierIdentifier, Selector: p.Selector,
		EinvoiceDeliveryEnabled: p.EinvoiceDeliveryEnabled, PurchaseOrderRetrievalEnabled: p.PurchaseOrderRetrievalEnabled,
		EinvoiceDeliveryPreferenceStatus: p.EinvoiceDeliveryPreferenceStatus, EinvoiceDeliveryPreferenceStatusReason: p.EinvoiceDeliveryPreferenceStatusReason,
		PurchaseOrderRetrievalPreferenceStatus: p.PurchaseOrderRetrievalPreferenceStatus, PurchaseOrderRetrievalPreferenceStatusReason: p.PurchaseOrderRetrievalPreferenceStatusReason,
		Version: p.Version, CreateDate: p.CreateDate, LastUpdateDate: p.LastUpdateDate,
	}
}

// idOf returns the id part of a preference ARN.
func idOf(arn string) string {
	return arn[strings.LastIndexByte(arn, '/')+1:]
}

func (s *Service) now() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return now().UTC().Truncate(time.Millisecond)
}

// newID returns a random UUID, the form AWS's preference ids take.
func (s *Service) newID() (string, error) {
	r := s.Rand
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, 16)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("procurement: random id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}
