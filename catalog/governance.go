package catalog

import (
	"context"
	"slices"
	"strings"

	"gatehouse/store"
)

// adminInfo is a Private Marketplace administrator's organization.
type adminInfo struct {
	// orgID is the organization the caller administers; "" for an account
	// in no organization, which administers its own Private Marketplace.
	orgID string
}

// pmpAdmin requires account to administer its organization's Private
// Marketplace: "All change types can be called only from the
// organization's management account or by a member account that is a
// delegated administrator for private marketplace" (Marketplace Catalog
// API reference, Working with a private marketplace). An account in no
// organization manages a Private Marketplace of its own, as AWS allows
// accounts without the Organizations integration to.
func (s *Service) pmpAdmin(ctx context.Context, tx store.Tx, account string) (*adminInfo, error) {
	orgID, _, management, err := s.Orgs.AccountContext(ctx, tx, account)
	if err != nil {
		return nil, err
	}
	if orgID == "" || management == account {
		return &adminInfo{orgID: orgID}, nil
	}
	ok, err := s.Orgs.IsDelegatedAdministrator(ctx, tx, account, PrivateMarketplaceServicePrincipal)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errAccessDenied("Private Marketplace changes can be made only by the organization's management account or by a delegated administrator for " + PrivateMarketplaceServicePrincipal + ".")
	}
	return &adminInfo{orgID: orgID}, nil
}

// Governance is the Private Marketplace experience that governs an
// account.
type Governance struct {
	// ExperienceId and Name identify the experience.
	ExperienceId string
	Name         string
	// Enabled reports whether the experience is enabled: only then does it
	// restrict what the account may see and buy.
	Enabled bool
	// Via is the principal the experience is associated with: the account
	// itself, the nearest OU holding it, or the organization root.
	Via string
	// Branding is what the account's users see; empty without branding
	// settings.
	Branding BrandingConfiguration
}

// GoverningExperience returns the experience that governs an account: the
// one associated with the account, else with its nearest OU, else with the
// organization root. ok is false when none does. It runs in the caller's
// transaction and checks no permission.
func (s *Service) GoverningExperience(ctx context.Context, tx store.Tx, account string) (g Governance, ok bool, err error) {
	chain := []string{account}
	_, paths, _, err := s.Orgs.AccountContext(ctx, tx, account)
	if err != nil {
		return g, false, err
	}
	if len(paths) > 0 {
		// o-ORG/r-ROOT/ou-A/ou-B/: the OUs nearest first, then the root.
		parts := strings.Split(strings.TrimSuffix(paths[0], "/"), "/")
		for i := len(parts) - 1; i >= 1; i-- {
			chain = append(chain, parts[i])
		}
	}
	for _, principal := range chain {
		m, found, err := get[memberRec](ctx, tx, kindMember, principal)
		if err != nil {
			return g, false, err
		}
		if !found {
			continue
		}
		e, found, err := loadEntity(ctx, tx, m.Experience)
		if err != nil || !found {
			return g, false, err
		}
		return s.governance(ctx, tx, e, principal)
	}
	return g, false, nil
}

// governance describes an experience for GoverningExperience.
func (s *Service) governance(ctx context.Context, tx store.Tx, e *entityRec, via string) (Governance, bool, error) {
	var d ExperienceDetails
	if err := decodeStored(e, &d); err != nil {
		return Governance{}, false, err
	}
	g := Governance{ExperienceId: e.Id, Name: d.Name, Enabled: d.Status == ExperienceEnabled, Via: via}
	if len(d.BrandingSettings) > 0 {
		b, found, err := loadEntity(ctx, tx, d.BrandingSettings[0])
		if err != nil {
			return g, false, err
		}
		if found {
			var bd BrandingSettingsDetails
			if err := decodeStored(b, &bd); err != nil {
				return g, false, err
			}
			g.Branding = bd.Configuration
		}
	}
	return g, true, nil
}

// IsProductAllowed reports whether an account may see and buy a product:
// always when no enabled experience governs it, else only when the
// experience's procurement policy allows the product. experience is the
// governing enabled experience's id, "" when none. It runs in the
// caller's transaction and checks no permission.
func (s *Service) IsProductAllowed(ctx context.Context, tx store.Tx, account, productID string) (allowed bool, experience string, err error) {
	g, ok, err := s.GoverningExperience(ctx, tx, account)
	if err != nil || !ok || !g.Enabled {
		return err == nil, "", err
	}
	e, found, err := loadEntity(ctx, tx, g.ExperienceId)
	if err != nil || !found {
		return false, g.ExperienceId, err
	}
	allowedIDs, err := s.allowedProducts(ctx, tx, e)
	if err != nil {
		return false, g.ExperienceId, err
	}
	return slices.Contains(allowedIDs, productID), g.ExperienceId, nil
}

// allowedProducts returns the products an experience's procurement
// policies allow.
func (s *Service) allowedProducts(ctx context.Context, tx store.Tx, e *entityRec) ([]string, error) {
	var d ExperienceDetails
	if err := decodeStored(e, &d); err != nil {
		return nil, err
	}
	var ids []string
	for _, pid := range d.ProcurementPolicies {
		p, found, err := loadEntity(ctx, tx, pid)
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		var pd ProcurementPolicyDetails
		if err := decodeStored(p, &pd); err != nil {
			return nil, err
		}
		ids = append(ids, pd.products(EffectAllow)...)
	}
	return ids, nil
}
