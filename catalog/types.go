package catalog

import (
	"fmt"
	"strings"
)

// Entity types the catalog serves, as StartChangeSet names them without
// their version.
const (
	TypeSaaSProduct       = "SaaSProduct"
	TypeContainerProduct  = "ContainerProduct"
	TypeAmiProduct        = "AmiProduct"
	TypeOffer             = "Offer"
	TypeExperience        = "Experience"
	TypeProcurementPolicy = "ProcurementPolicy"
	TypeBrandingSettings  = "BrandingSettings"
	TypeAudience          = "Audience"
	// TypeProductProcurementRequest is a user's request that a Private
	// Marketplace experience allow a product.
	TypeProductProcurementRequest = "ProductProcurementRequest"
)

// entityType describes one entity type.
type entityType struct {
	name    string
	version string
	// prefix starts the type's entity ids. AWS documents prod- and offer-;
	// the Private Marketplace's prefixes are Gatehouse's choice, in the
	// same style.
	prefix string
	// product types are sold; pmp types are an organization's Private
	// Marketplace, managed by its administrators; request types are owned
	// by the requester's account and answered by those administrators.
	product, pmp, request bool
}

var entityTypes = map[string]*entityType{
	TypeSaaSProduct:               {name: TypeSaaSProduct, version: "1.0", prefix: "prod-", product: true},
	TypeContainerProduct:          {name: TypeContainerProduct, version: "1.0", prefix: "prod-", product: true},
	TypeAmiProduct:                {name: TypeAmiProduct, version: "1.0", prefix: "prod-", product: true},
	TypeOffer:                     {name: TypeOffer, version: "1.0", prefix: "offer-"},
	TypeExperience:                {name: TypeExperience, version: "1.0", prefix: "exp-", pmp: true},
	TypeProcurementPolicy:         {name: TypeProcurementPolicy, version: "1.0", prefix: "procpolicy-", pmp: true},
	TypeBrandingSettings:          {name: TypeBrandingSettings, version: "1.0", prefix: "brandingsettings-", pmp: true},
	TypeAudience:                  {name: TypeAudience, version: "1.0", prefix: "audience-", pmp: true},
	TypeProductProcurementRequest: {name: TypeProductProcurementRequest, version: "1.0", prefix: "procreq-", request: true},
}

// versioned returns the type with its version, such as SaaSProduct@1.0.
func (t *entityType) versioned() string { return t.name + "@" + t.version }

// kind is the store kind of the type's entity records: one kind per
// entity type, so that discovery can read one type's records alone.
func (t *entityType) kind() string { return "catalog." + t.name }

// parseEntityType resolves "SaaSProduct@1.0" (or, where AWS accepts it,
// a type without version) to its entityType.
func parseEntityType(s string, needVersion bool) (*entityType, error) {
	name, version, hasVersion := strings.Cut(s, "@")
	t, ok := entityTypes[name]
	if !ok {
		return nil, errValidation(fmt.Sprintf("Entity type %q is not supported.", s))
	}
	if needVersion && !hasVersion {
		return nil, errValidation(fmt.Sprintf("Entity type %q must name its version, such as %s.", s, t.versioned()))
	}
	if hasVersion && version != t.version {
		return nil, errValidation(fmt.Sprintf("Version %q of entity type %s is not supported; use %s.", version, name, t.versioned()))
	}
	return t, nil
}

// entityARN returns the ARN of an entity:
// arn:aws:aws-marketplace:REGION:ACCOUNT:AWSMarketplace/TYPE/ID.
func (s *Service) entityARN(account, typ, id string) string {
	return "arn:aws:aws-marketplace:" + s.Region + ":" + account + ":" + Catalog + "/" + typ + "/" + id
}

// changeSetARN returns the ARN of a change set:
// arn:aws:aws-marketplace:REGION:ACCOUNT:AWSMarketplace/ChangeSet/ID.
func (s *Service) changeSetARN(account, id string) string {
	return s.entityARN(account, "ChangeSet", id)
}

// EntityARN returns the ARN of an entity of type typ (without version)
// owned by account, for authorization; id "*" names every entity of the
// type.
func (s *Service) EntityARN(account, typ, id string) string { return s.entityARN(account, typ, id) }

// ChangeSetARN returns the ARN of a change set of account.
func (s *Service) ChangeSetARN(account, id string) string { return s.changeSetARN(account, id) }

// resourceRef is what a catalog ARN names.
type resourceRef struct {
	account string
	typ     string // an entity type, or "ChangeSet"
	id      string
}

// parseARN splits a catalog ARN; ok is false for anything else.
func parseARN(arn string) (ref resourceRef, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "aws-marketplace" {
		return ref, false
	}
	path := strings.Split(parts[5], "/")
	if len(path) != 3 || path[0] != Catalog || path[2] == "" {
		return ref, false
	}
	return resourceRef{account: parts[4], typ: path[1], id: path[2]}, true
}

// ChangeTypeInfo describes a change type for authorization.
type ChangeTypeInfo struct {
	// Creates is set for change types that create their entity; the
	// change names no identifier.
	Creates bool
	// Actions are the further IAM actions the change type needs besides
	// aws-marketplace:StartChangeSet, such as
	// aws-marketplace:AssociateProductsWithPrivateMarketplace for
	// AllowProductProcurement.
	Actions []string
}

// LookupChangeType returns what authorization needs to know of a change
// type of an entity type (such as "Experience@1.0"); ok is false for a
// pair the catalog does not serve.
func LookupChangeType(entityType, changeType string) (info ChangeTypeInfo, ok bool) {
	t, err := parseEntityType(entityType, false)
	if err != nil {
		return info, false
	}
	h, ok := handlers[t.name][changeType]
	if !ok {
		return info, false
	}
	return ChangeTypeInfo{Creates: h.creates, Actions: h.actions}, true
}
