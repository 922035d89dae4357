package catalog

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The Private Marketplace's entities and change types, with the fields,
// limits and patterns of AWS's shapes (Marketplace Catalog API reference,
// Working with a private marketplace).
//
// Which entity a change names is Gatehouse's reading of the shapes, whose
// details carry no entity ids: CreateExperience creates an Experience@1.0;
// the other change types name the experience (Entity Type Experience@1.0)
// and act on its procurement policy, branding settings or audiences.
// UpdateProcurementPolicy, UpdateBrandingSettings and DisassociateAudience
// may also name their ProcurementPolicy@1.0, BrandingSettings@1.0 or
// Audience@1.0 entity. An experience has at most one procurement policy
// and one branding settings entity; AllowProductProcurement and
// DenyProductProcurement need the procurement policy (create it in the
// same change set with CreateProcurementPolicy, as AWS's "Creating a
// private marketplace" task does). A new experience is Disabled until
// UpdateExperience enables it; RestrictExperience sets its AdminStatus to
// Restricted, which refuses every change but ReviveExperience, and the
// experience keeps governing its accounts meanwhile (fail closed).

// Experience statuses.
const (
	ExperienceEnabled     = "Enabled"
	ExperienceDisabled    = "Disabled"
	AdminStatusEnabled    = "Enabled"
	AdminStatusRestricted = "Restricted"
)

// Procurement policy statement effects.
const (
	EffectAllow = "Allow"
	EffectDeny  = "Deny"
)

// ExperienceDetails is an Experience@1.0 entity's DetailsDocument.
type ExperienceDetails struct {
	Name                string
	Description         string `json:",omitempty"`
	Catalog             string `json:",omitempty"`
	Status              string
	AdminStatus         string
	ProcurementPolicies []string
	DiscoveryPolicies   []string
	BrandingSettings    []string
	Audiences           []string
}

// ProcurementPolicyDetails is a ProcurementPolicy@1.0 entity's
// DetailsDocument: the products the experience allows and denies.
type ProcurementPolicyDetails struct {
	Name          string `json:",omitempty"`
	Description   string `json:",omitempty"`
	ExperienceId  string
	Statements    []Statement
	Configuration PolicyConfiguration
}

// Statement allows or denies products.
type Statement struct {
	Effect    string
	Resources []PolicyResource
}

// PolicyResource is one product of a statement.
type PolicyResource struct {
	Type  string
	Ids   []string
	Notes string `json:",omitempty"`
}

// PolicyConfiguration says whether users may request products.
type PolicyConfiguration struct {
	PolicyResourceRequests string
}

// products returns the product ids of the statements with an effect.
func (d *ProcurementPolicyDetails) products(effect string) []string {
	var ids []string
	for _, st := range d.Statements {
		if st.Effect != effect {
			continue
		}
		for _, r := range st.Resources {
			ids = append(ids, r.Ids...)
		}
	}
	return ids
}

// BrandingSettingsDetails is a BrandingSettings@1.0 entity's
// DetailsDocument.
type BrandingSettingsDetails struct {
	Name          string
	Description   string `json:",omitempty"`
	ExperienceId  string
	Configuration BrandingConfiguration
}

// BrandingConfiguration is what the users of a governed account see.
type BrandingConfiguration struct {
	Title       string `json:",omitempty"`
	Information string `json:",omitempty"`
	ThemeColor  string `json:",omitempty"`
	LogoUrl     string `json:",omitempty"`
}

// AudienceDetails is an Audience@1.0 entity's DetailsDocument.
type AudienceDetails struct {
	Name         string `json:",omitempty"`
	Description  string `json:",omitempty"`
	ExperienceId string
	Principals   []string
}

// Change details of the Private Marketplace change types; pointers and
// nil slices tell absent fields from empty ones.
type (
	createExperienceDetails struct {
		Name        *string
		Description *string
		Catalog     *string
	}
	updateExperienceDetails struct {
		Name        *string
		Description *string
		Status      *string
	}
	emptyDetails              struct{}
	procurementPolicyInDetail struct {
		PolicyResourceRequests *string
	}
	createProcurementPolicyDetails struct {
		Name          *string
		Description   *string
		Configuration *procurementPolicyInDetail
	}
	productsDetails struct {
		Products []productItem
	}
	productItem struct {
		Ids   []string
		Notes *string
	}
	brandingConfigurationIn struct {
		Title       *string
		Information *string
		ThemeColor  *string
		LogoUrl     *string
	}
	brandingDetails struct {
		Name          *string
		Description   *string
		Configuration *brandingConfigurationIn
	}
	associateAudienceDetails struct {
		Name        *string
		Description *string
		Principals  []string
	}
	disassociateAudienceDetails struct {
		Principals []string
	}
)

var (
	reThemeColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	// rePrincipal is an account, OU or root id, or the ARN of one.
	rePrincipal     = regexp.MustCompile(`^(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32}|arn:aws:organizations::\d{12}:(account|ou|root)/o-[a-z0-9]{10,32}/(\d{12}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32}))$`)
	reCatalogSuffix = regexp.MustCompile(`AWSMarketplace(Dev|Alpha|Beta|Gamma|)$`)
	reCatalogName   = regexp.MustCompile(`^[a-z0-9.-]{1,47}[^.-]$`)
	reDottedNumber  = regexp.MustCompile(`^[0-9]+\.[0-9.]+$`)
)

// validCatalogName checks CreateExperience's Catalog against AWS's
// pattern ^(?![.-])(?!.*[.-]{2})(?![0-9]+\.[0-9.]+$)[a-z0-9.-]{1,47}[^.-]$|AWSMarketplace(Dev|Alpha|Beta|Gamma|)$,
// whose lookaheads Go's regexp lacks.
func validCatalogName(s string) bool {
	if reCatalogSuffix.MatchString(s) {
		return true
	}
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "-") || reDottedNumber.MatchString(s) {
		return false
	}
	for _, pair := range []string{"..", ".-", "-.", "--"} {
		if strings.Contains(s, pair) {
			return false
		}
	}
	return reCatalogName.MatchString(s)
}

// pmpHandlers are the Private Marketplace change types by entity type.
func pmpHandlers() map[string]map[string]handler {
	return map[string]map[string]handler{
		TypeExperience: {
			"CreateExperience":        {creates: true, apply: createExperience},
			"UpdateExperience":        {apply: updateExperience},
			"RestrictExperience":      {apply: setAdminStatus(AdminStatusRestricted)},
			"ReviveExperience":        {apply: setAdminStatus(AdminStatusEnabled)},
			"CreateProcurementPolicy": {apply: createProcurementPolicy},
			"UpdateProcurementPolicy": {apply: updateProcurementPolicy},
			"AllowProductProcurement": {apply: productProcurement(EffectAllow), actions: []string{"aws-marketplace:AssociateProductsWithPrivateMarketplace"}},
			"DenyProductProcurement":  {apply: productProcurement(EffectDeny), actions: []string{"aws-marketplace:DisassociateProductsFromPrivateMarketplace"}},
			"CreateBrandingSettings":  {apply: createBrandingSettings},
			"UpdateBrandingSettings":  {apply: updateBrandingSettings},
			"AssociateAudience":       {apply: associateAudience},
			"DisassociateAudience":    {apply: disassociateAudience},
		},
		TypeProcurementPolicy: {"UpdateProcurementPolicy": {apply: updateProcurementPolicy}},
		TypeBrandingSettings:  {"UpdateBrandingSettings": {apply: updateBrandingSettings}},
		TypeAudience:          {"DisassociateAudience": {apply: disassociateAudience}},
	}
}

// decodeStored reads an entity's details.
func decodeStored(e *entityRec, v any) error {
	if err := json.Unmarshal(e.Details, v); err != nil {
		return fmt.Errorf("catalog: decode details of %s: %w", e.Id, err)
	}
	return nil
}

// storeDetails sets an entity's details.
func storeDetails(e *entityRec, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("catalog: encode details of %s: %w", e.Id, err)
	}
	e.Details = b
	return nil
}

func createExperience(a *applier, c *change) error {
	var in createExperienceDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.requiredText("Name", in.Name, 1, 50, reName)
	p.text("Description", in.Description, 1, 1000)
	if in.Catalog != nil && !validCatalogName(*in.Catalog) {
		p.addf("Catalog %q is not a valid catalog name.", *in.Catalog)
	}
	if err := p.err(); err != nil {
		return err
	}
	admin, err := a.pmpAdmin()
	if err != nil {
		return err
	}
	e, err := a.create(c.typ)
	if err != nil {
		return err
	}
	e.OrgId, e.Title = admin.orgID, *in.Name
	c.entity = e
	d := ExperienceDetails{Name: *in.Name, Description: deref(in.Description), Catalog: deref(in.Catalog),
		Status: ExperienceDisabled, AdminStatus: AdminStatusEnabled,
		ProcurementPolicies: []string{}, DiscoveryPolicies: []string{}, BrandingSettings: []string{}, Audiences: []string{}}
	return storeDetails(e, &d)
}

// experience reads the details of the experience a change names, and
// refuses a restricted experience.
func experience(c *change, restrictedOK bool) (*ExperienceDetails, error) {
	var d ExperienceDetails
	if err := decodeStored(c.entity, &d); err != nil {
		return nil, err
	}
	if d.AdminStatus == AdminStatusRestricted && !restrictedOK {
		return nil, changeError(CodeInvalidState, "The experience %s is restricted; revive it first.", c.entity.Id)
	}
	return &d, nil
}

func updateExperience(a *applier, c *change) error {
	var in updateExperienceDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.text("Name", in.Name, 1, 50, reName)
	p.text("Description", in.Description, 1, 1000)
	p.oneOf("Status", in.Status, ExperienceEnabled, ExperienceDisabled)
	if err := p.err(); err != nil {
		return err
	}
	d, err := experience(c, false)
	if err != nil {
		return err
	}
	setString(&d.Name, in.Name)
	setString(&d.Description, in.Description)
	setString(&d.Status, in.Status)
	c.entity.Title = d.Name
	return storeDetails(c.entity, d)
}

func setAdminStatus(status string) func(a *applier, c *change) error {
	return func(a *applier, c *change) error {
		var in emptyDetails
		if err := decodeDetails(c.details, &in); err != nil {
			return err
		}
		d, err := experience(c, true)
		if err != nil {
			return err
		}
		d.AdminStatus = status
		return storeDetails(c.entity, d)
	}
}

func createProcurementPolicy(a *applier, c *change) error {
	var in createProcurementPolicyDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.text("Name", in.Name, 1, 50, reName)
	p.text("Description", in.Description, 0, 100)
	checkPolicyConfiguration(&p, in.Configuration)
	if err := p.err(); err != nil {
		return err
	}
	d, err := experience(c, false)
	if err != nil {
		return err
	}
	if len(d.ProcurementPolicies) > 0 {
		return changeError(CodeConflict, "The experience %s already has procurement policy %s; update it instead.", c.entity.Id, d.ProcurementPolicies[0])
	}
	pol, err := a.child(c, entityTypes[TypeProcurementPolicy])
	if err != nil {
		return err
	}
	pol.Title = deref(in.Name)
	pd := ProcurementPolicyDetails{Name: deref(in.Name), Description: deref(in.Description), ExperienceId: c.entity.Id,
		Statements:    []Statement{{Effect: EffectAllow, Resources: []PolicyResource{}}, {Effect: EffectDeny, Resources: []PolicyResource{}}},
		Configuration: PolicyConfiguration{PolicyResourceRequests: *in.Configuration.PolicyResourceRequests}}
	if err := storeDetails(pol, &pd); err != nil {
		return err
	}
	d.ProcurementPolicies = append(d.ProcurementPolicies, pol.Id)
	return storeDetails(c.entity, d)
}

func checkPolicyConfiguration(p *problems, conf *procurementPolicyInDetail) {
	if conf == nil {
		p.addf("Configuration is required.")
		return
	}
	if conf.PolicyResourceRequests == nil {
		p.addf("Configuration.PolicyResourceRequests is required.")
		return
	}
	p.oneOf("Configuration.PolicyResourceRequests", conf.PolicyResourceRequests, EffectAllow, EffectDeny)
}

// child creates an entity that belongs to the experience a change names.
func (a *applier) child(c *change, t *entityType) (*entityRec, error) {
	e, err := a.create(t)
	if err != nil {
		return nil, err
	}
	e.OrgId, e.Owner, e.Parent = c.entity.OrgId, c.entity.Owner, c.entity.Id
	a.touch(e)
	return e, nil
}

// linked returns the entity of type t a change acts on: the one it names,
// or the experience's first of that type.
func (a *applier) linked(c *change, t string, ids func(*ExperienceDetails) []string) (*entityRec, error) {
	if c.entity.Type == t {
		exp, ok, err := a.entity(c.entity.Parent)
		if err != nil {
			return nil, err
		}
		if ok {
			if _, err := experience(&change{entity: exp}, false); err != nil {
				return nil, err
			}
		}
		return c.entity, nil
	}
	d, err := experience(c, false)
	if err != nil {
		return nil, err
	}
	list := ids(d)
	if len(list) == 0 {
		return nil, changeError(CodeInvalidState, "The experience %s has no %s; create one first.", c.entity.Id, t)
	}
	e, ok, err := a.entity(list[0])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, changeError(CodeEntityNotFound, "The %s %s was not found.", t, list[0])
	}
	a.touch(e)
	return e, nil
}

func updateProcurementPolicy(a *applier, c *change) error {
	var in createProcurementPolicyDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.text("Name", in.Name, 1, 50, reName)
	p.text("Description", in.Description, 1, 1000)
	checkPolicyConfiguration(&p, in.Configuration)
	if err := p.err(); err != nil {
		return err
	}
	pol, err := a.linked(c, TypeProcurementPolicy, func(d *ExperienceDetails) []string { return d.ProcurementPolicies })
	if err != nil {
		return err
	}
	var pd ProcurementPolicyDetails
	if err := decodeStored(pol, &pd); err != nil {
		return err
	}
	setString(&pd.Name, in.Name)
	setString(&pd.Description, in.Description)
	pd.Configuration.PolicyResourceRequests = *in.Configuration.PolicyResourceRequests
	pol.Title = pd.Name
	return storeDetails(pol, &pd)
}

// productProcurement allows or denies products in the experience's
// procurement policy: a product is in one statement at most, the last
// change wins.
func productProcurement(effect string) func(a *applier, c *change) error {
	return func(a *applier, c *change) error {
		var in productsDetails
		if err := decodeDetails(c.details, &in); err != nil {
			return err
		}
		var p problems
		p.count("Products", len(in.Products), in.Products != nil, true, 1, 50)
		for i, item := range in.Products {
			at := fmt.Sprintf("Products[%d]", i)
			p.count(at+".Ids", len(item.Ids), item.Ids != nil, true, 1, 50)
			for _, id := range item.Ids {
				p.length(at+".Ids", id, 1, 50)
			}
			p.text(at+".Notes", item.Notes, 1, 50)
		}
		if err := p.err(); err != nil {
			return err
		}
		for _, item := range in.Products {
			for _, id := range item.Ids {
				if err := a.requireProduct(id); err != nil {
					return err
				}
			}
		}
		pol, err := a.linked(c, TypeProcurementPolicy, func(d *ExperienceDetails) []string { return d.ProcurementPolicies })
		if err != nil {
			return err
		}
		var pd ProcurementPolicyDetails
		if err := decodeStored(pol, &pd); err != nil {
			return err
		}
		for _, item := range in.Products {
			for _, id := range item.Ids {
				pd.set(id, effect, deref(item.Notes))
				if err := a.answerPending(c.entity.Id, id, effect); err != nil {
					return err
				}
			}
		}
		return storeDetails(pol, &pd)
	}
}

// set puts a product in the statement of an effect, out of the others.
func (d *ProcurementPolicyDetails) set(id, effect, notes string) {
	found := false
	for i := range d.Statements {
		st := &d.Statements[i]
		st.Resources = slices.DeleteFunc(st.Resources, func(r PolicyResource) bool { return len(r.Ids) == 1 && r.Ids[0] == id })
		if st.Effect == effect {
			st.Resources = append(st.Resources, PolicyResource{Type: "Product", Ids: []string{id}, Notes: notes})
			found = true
		}
	}
	if !found {
		d.Statements = append(d.Statements, Statement{Effect: effect, Resources: []PolicyResource{{Type: "Product", Ids: []string{id}, Notes: notes}}})
	}
}

// requireProduct requires a product entity to exist.
func (a *applier) requireProduct(id string) error {
	e, ok, err := a.entity(id)
	if err != nil {
		return err
	}
	if !ok || !e.typ().product {
		return changeError(CodeEntityNotFound, "The product %s was not found.", id)
	}
	return nil
}

func checkBranding(p *problems, conf *brandingConfigurationIn) {
	if conf == nil {
		return
	}
	p.text("Configuration.Title", conf.Title, 1, 50)
	p.text("Configuration.Information", conf.Information, 1, 1000)
	p.text("Configuration.ThemeColor", conf.ThemeColor, 7, 7, reThemeColor)
	p.text("Configuration.LogoUrl", conf.LogoUrl, 1, 2048, reHTTPURL)
}

func (b *BrandingConfiguration) apply(conf *brandingConfigurationIn) {
	if conf == nil {
		return
	}
	setString(&b.Title, conf.Title)
	setString(&b.Information, conf.Information)
	setString(&b.ThemeColor, conf.ThemeColor)
	setString(&b.LogoUrl, conf.LogoUrl)
}

func createBrandingSettings(a *applier, c *change) error {
	var in brandingDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.requiredText("Name", in.Name, 1, 50, reName)
	p.text("Description", in.Description, 1, 1000)
	checkBranding(&p, in.Configuration)
	if err := p.err(); err != nil {
		return err
	}
	d, err := experience(c, false)
	if err != nil {
		return err
	}
	if len(d.BrandingSettings) > 0 {
		return changeError(CodeConflict, "The experience %s already has branding settings %s; update them instead.", c.entity.Id, d.BrandingSettings[0])
	}
	b, err := a.child(c, entityTypes[TypeBrandingSettings])
	if err != nil {
		return err
	}
	b.Title = *in.Name
	bd := BrandingSettingsDetails{Name: *in.Name, Description: deref(in.Description), ExperienceId: c.entity.Id}
	bd.Configuration.apply(in.Configuration)
	if err := storeDetails(b, &bd); err != nil {
		return err
	}
	d.BrandingSettings = append(d.BrandingSettings, b.Id)
	return storeDetails(c.entity, d)
}

func updateBrandingSettings(a *applier, c *change) error {
	var in brandingDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.text("Name", in.Name, 1, 50, reName)
	p.text("Description", in.Description, 1, 1000)
	checkBranding(&p, in.Configuration)
	if err := p.err(); err != nil {
		return err
	}
	b, err := a.linked(c, TypeBrandingSettings, func(d *ExperienceDetails) []string { return d.BrandingSettings })
	if err != nil {
		return err
	}
	var bd BrandingSettingsDetails
	if err := decodeStored(b, &bd); err != nil {
		return err
	}
	setString(&bd.Name, in.Name)
	setString(&bd.Description, in.Description)
	bd.Configuration.apply(in.Configuration)
	b.Title = bd.Name
	return storeDetails(b, &bd)
}

// principalID returns the account, OU or root id a principal names.
func principalID(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func checkPrincipals(p *problems, principals []string) {
	p.count("Principals", len(principals), principals != nil, true, 1, 50)
	for _, pr := range principals {
		if !rePrincipal.MatchString(pr) {
			p.addf("Principal %q is not an account id, OU id, root id or the ARN of one.", pr)
		}
	}
}

// associateAudience associates principals with the experience, as a new
// Audience@1.0 entity. A principal belongs to one experience at most:
// associating it with another is a CONFLICT error; with the same, no
// change.
func associateAudience(a *applier, c *change) error {
	var in associateAudienceDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.text("Name", in.Name, 1, 50, reName)
	p.text("Description", in.Description, 1, 1000)
	checkPrincipals(&p, in.Principals)
	if err := p.err(); err != nil {
		return err
	}
	d, err := experience(c, false)
	if err != nil {
		return err
	}
	aud, err := a.child(c, entityTypes[TypeAudience])
	if err != nil {
		return err
	}
	ad := AudienceDetails{Name: deref(in.Name), Description: deref(in.Description), ExperienceId: c.entity.Id, Principals: []string{}}
	for _, pr := range in.Principals {
		id := principalID(pr)
		m, err := a.member(id)
		if err != nil {
			return err
		}
		if m != nil && m.Experience != c.entity.Id {
			return changeError(CodeConflict, "The principal %s is associated with experience %s already.", pr, m.Experience)
		}
		if m != nil || slices.Contains(ad.Principals, id) {
			continue
		}
		if err := a.checkPrincipalOrg(c.entity, id); err != nil {
			return err
		}
		ad.Principals = append(ad.Principals, id)
		a.members[id] = &memberRec{Principal: id, Experience: c.entity.Id, Audience: aud.Id}
	}
	aud.Title = ad.Name
	if err := storeDetails(aud, &ad); err != nil {
		return err
	}
	d.Audiences = append(d.Audiences, aud.Id)
	return storeDetails(c.entity, d)
}

// checkPrincipalOrg requires an account principal to belong to the
// experience's organization. OU and root ids are unique across
// organizations and are taken as given.
func (a *applier) checkPrincipalOrg(exp *entityRec, id string) error {
	if !reAccountID.MatchString(id) || exp.OrgId == "" {
		return nil
	}
	orgID, _, _, err := a.s.Orgs.AccountContext(a.ctx, a.tx, id)
	if err != nil {
		return err
	}
	if orgID != exp.OrgId {
		return changeError(CodeEntityNotFound, "The account %s is not a member of the organization %s.", id, exp.OrgId)
	}
	return nil
}

// member returns the association of a principal, as the change set has
// left it so far.
func (a *applier) member(id string) (*memberRec, error) {
	if m, ok := a.members[id]; ok {
		return m, nil
	}
	m, ok, err := get[memberRec](a.ctx, a.tx, kindMember, id)
	if err != nil || !ok {
		return nil, err
	}
	return &m, nil
}

// disassociateAudience removes principals from the experience's
// audiences; principals that are not associated with it are errors.
func disassociateAudience(a *applier, c *change) error {
	var in disassociateAudienceDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	checkPrincipals(&p, in.Principals)
	if err := p.err(); err != nil {
		return err
	}
	expID := c.entity.Id
	if c.entity.Type == TypeAudience {
		expID = c.entity.Parent
	}
	exp, ok, err := a.entity(expID)
	if err != nil {
		return err
	}
	if ok {
		if _, err := experience(&change{entity: exp}, false); err != nil {
			return err
		}
	}
	for _, pr := range in.Principals {
		id := principalID(pr)
		m, err := a.member(id)
		if err != nil {
			return err
		}
		if m == nil || m.Experience != expID || (c.entity.Type == TypeAudience && m.Audience != c.entity.Id) {
			return changeError(CodeEntityNotFound, "The principal %s is not associated with %s.", pr, c.entity.Id)
		}
		if err := a.removePrincipal(m.Audience, id); err != nil {
			return err
		}
		a.members[id] = nil
	}
	return nil
}

// removePrincipal removes a principal from an audience entity.
func (a *applier) removePrincipal(audienceID, id string) error {
	aud, ok, err := a.entity(audienceID)
	if err != nil || !ok {
		return err
	}
	var ad AudienceDetails
	if err := decodeStored(aud, &ad); err != nil {
		return err
	}
	ad.Principals = slices.DeleteFunc(ad.Principals, func(p string) bool { return p == id })
	a.touch(aud)
	return storeDetails(aud, &ad)
}

// pmpAdmin returns the change set owner's administrator information.
func (a *applier) pmpAdmin() (*adminInfo, error) {
	if a.admin != nil {
		return a.admin, nil
	}
	admin, err := a.s.pmpAdmin(a.ctx, a.tx, a.account)
	if err != nil {
		return nil, changeError("ACCESS_DENIED", "%s", err.Error())
	}
	a.admin = admin
	return admin, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func setString(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}
