package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gatehouse/awserr"
	"gatehouse/catalog"
	"gatehouse/principal"
)

// Outcomes of importing one product.
const (
	importCreated   = "created"
	importUpdated   = "updated"
	importUnchanged = "unchanged"
	importFailed    = "failed"
)

// importResult is what importing one product did.
type importResult struct {
	Title     string
	Outcome   string
	ProductId string
	// Err is why the product failed: the catalog's error text.
	Err error
	// Warnings are what the import left as it was although the file
	// differs.
	Warnings []string
}

// catalogImporter creates and updates a seller's products and offers
// through the catalog's change sets, so that every rule of the Catalog API
// applies to them as to a seller's own requests.
type catalogImporter struct {
	cat    *catalog.Service
	seller *principal.Caller
	// products maps "TYPE/TITLE" to the seller's product ids.
	products map[string]string
	// offers maps a product id to its offers' ids by name.
	offers map[string]map[string]string
}

// newCatalogImporter returns an importer for the seller's account, loaded
// with the products and offers the seller already has.
func newCatalogImporter(ctx context.Context, cat *catalog.Service, seller string) (*catalogImporter, error) {
	im := &catalogImporter{
		cat:      cat,
		seller:   &principal.Caller{Type: principal.Root, Account: seller, ARN: principal.RootARN(seller), PrincipalARN: principal.RootARN(seller), UserID: seller},
		products: map[string]string{},
		offers:   map[string]map[string]string{},
	}
	for _, typ := range []string{"SaaSProduct", "ContainerProduct", "AmiProduct", "Offer"} {
		err := im.list(ctx, typ, func(e catalog.EntitySummary) {
			if typ != "Offer" {
				im.products[typ+"/"+e.Name] = e.EntityId
				return
			}
			if e.OfferSummary == nil {
				return
			}
			byName := im.offers[e.OfferSummary.ProductId]
			if byName == nil {
				byName = map[string]string{}
				im.offers[e.OfferSummary.ProductId] = byName
			}
			byName[e.OfferSummary.Name] = e.EntityId
		})
		if err != nil {
			return nil, fmt.Errorf("list the seller's %s entities: %w", typ, err)
		}
	}
	return im, nil
}

// list calls fn with every entity of a type the seller owns.
func (im *catalogImporter) list(ctx context.Context, typ string, fn func(catalog.EntitySummary)) error {
	token := ""
	for {
		out, err := im.cat.ListEntities(ctx, im.seller, catalog.ListEntitiesInput{Catalog: catalog.Catalog, EntityType: typ, OwnershipType: "SELF", NextToken: token})
		if err != nil {
			return err
		}
		for _, e := range out.EntitySummaryList {
			fn(e)
		}
		if token = out.NextToken; token == "" {
			return nil
		}
	}
}

// importProduct creates the product and its offers, or brings an existing
// one up to date.
func (im *catalogImporter) importProduct(ctx context.Context, p *productSpec) importResult {
	res := importResult{Title: p.ProductTitle}
	key := p.Type + "/" + p.ProductTitle
	id, exists := im.products[key]
	var err error
	if exists {
		res.ProductId = id
		res.Outcome, err = im.update(ctx, p, id, &res)
	} else {
		res.Outcome = importCreated
		res.ProductId, err = im.create(ctx, p)
		if res.ProductId != "" {
			im.products[key] = res.ProductId
		}
	}
	if err != nil {
		res.Outcome, res.Err = importFailed, err
	}
	return res
}

// maxChanges is the most changes a change set may hold.
const maxChanges = 20

// create makes a new product, released with its delivery option and its
// first offers in one change set, so that a product that fails leaves
// nothing behind; further offers follow in change sets of their own.
func (im *catalogImporter) create(ctx context.Context, p *productSpec) (string, error) {
	ref := "$Product.Entity.Identifier"
	changes := []catalog.Change{
		{ChangeType: "CreateProduct", ChangeName: "Product", Entity: catalog.Entity{Type: p.Type + "@1.0"}, DetailsDocument: details(map[string]any{"ProductTitle": p.ProductTitle})},
		productChange("UpdateInformation", p.Type, ref, information(p)),
		productChange("AddDeliveryOptions", p.Type, ref, im.delivery(p)),
		productChange("ReleaseProduct", p.Type, ref, map[string]any{}),
	}
	if p.visibility() != catalog.VisibilityLimited {
		changes = append(changes, productChange("UpdateVisibility", p.Type, ref, map[string]any{"TargetVisibility": p.visibility()}))
	}
	offers := p.Offers
	for len(offers) > 0 && len(changes)+len(offerChanges(&offers[0], ref, 0)) <= maxChanges {
		changes = append(changes, offerChanges(&offers[0], ref, len(p.Offers)-len(offers))...)
		offers = offers[1:]
	}
	ids, err := im.run(ctx, changes)
	if err != nil {
		return "", err
	}
	id := ids[0]
	return id, im.createOffers(ctx, id, offers)
}

// createOffers creates offers of an existing product, as many to a change
// set as fit.
func (im *catalogImporter) createOffers(ctx context.Context, productID string, offers []offerSpec) error {
	var changes []catalog.Change
	for i := range offers {
		next := offerChanges(&offers[i], productID, i)
		if len(changes)+len(next) > maxChanges {
			if _, err := im.run(ctx, changes); err != nil {
				return err
			}
			changes = nil
		}
		changes = append(changes, next...)
	}
	if len(changes) == 0 {
		return nil
	}
	_, err := im.run(ctx, changes)
	return err
}

// update brings an existing product up to date: its information, its
// delivery option (a SaaS URL that changed, a container or AMI version not
// yet listed), its visibility, and offers not yet created. Existing
// offers keep their pricing, with a warning when the file's differs.
func (im *catalogImporter) update(ctx context.Context, p *productSpec, id string, res *importResult) (string, error) {
	d, err := im.describe(ctx, id)
	if err != nil {
		return "", err
	}
	var pd catalog.ProductDetails
	if err := json.Unmarshal(d.DetailsDocument, &pd); err != nil {
		return "", fmt.Errorf("product %s: %w", id, err)
	}
	var changes []catalog.Change
	if !sameInformation(p, &pd) {
		changes = append(changes, productChange("UpdateInformation", p.Type, id, information(p)))
	}
	if !hasDelivery(p, &pd) {
		changes = append(changes, productChange("AddDeliveryOptions", p.Type, id, im.delivery(p)))
	}
	visibility := pd.Description.Visibility
	if visibility == catalog.VisibilityDraft {
		changes = append(changes, productChange("ReleaseProduct", p.Type, id, map[string]any{}))
		visibility = catalog.VisibilityLimited
	}
	if visibility != p.visibility() {
		changes = append(changes, productChange("UpdateVisibility", p.Type, id, map[string]any{"TargetVisibility": p.visibility()}))
	}
	if len(changes) > 0 {
		if _, err := im.run(ctx, changes); err != nil {
			return "", err
		}
	}
	var missing []offerSpec
	for _, o := range p.Offers {
		offerID, ok := im.offers[id][o.Name]
		if !ok {
			missing = append(missing, o)
			continue
		}
		if err := im.checkOffer(ctx, offerID, &o, res); err != nil {
			return "", err
		}
	}
	if err := im.createOffers(ctx, id, missing); err != nil {
		return "", err
	}
	if len(changes) == 0 && len(missing) == 0 {
		return importUnchanged, nil
	}
	return importUpdated, nil
}

// checkOffer warns when an existing offer's pricing differs from the
// file's: the catalog changes pricing terms of Draft offers only, so the
// import leaves a released offer as it is and says so.
func (im *catalogImporter) checkOffer(ctx context.Context, id string, o *offerSpec, res *importResult) error {
	d, err := im.describe(ctx, id)
	if err != nil {
		return err
	}
	var od catalog.OfferDetails
	if err := json.Unmarshal(d.DetailsDocument, &od); err != nil {
		return fmt.Errorf("offer %s: %w", id, err)
	}
	pricing := slices.DeleteFunc(slices.Clone(od.Terms), func(t catalog.Term) bool { return t.Type == catalog.TermLegal })
	stored, _ := json.Marshal(pricing) // plain data always marshals
	file, _ := json.Marshal(o.Terms)
	if od.PricingModel != o.PricingModel || !bytes.Equal(stored, file) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("offer %q (%s) is %s and keeps its pricing; the file's differs (create a new offer to change it)", o.Name, id, od.State))
	}
	return nil
}

func (im *catalogImporter) describe(ctx context.Context, id string) (catalog.DescribeEntityOutput, error) {
	return im.cat.DescribeEntity(ctx, im.seller, catalog.DescribeEntityInput{Catalog: catalog.Catalog, EntityId: id})
}

// run applies a change set as the seller.
func (im *catalogImporter) run(ctx context.Context, changes []catalog.Change) ([]string, error) {
	return runChangeSet(ctx, im.cat, im.seller, "catalog import", changes)
}

// runChangeSet applies a change set and returns the ids of its changes'
// entities. A change set that fails is reported with the errors of its
// changes as the catalog gives them.
func runChangeSet(ctx context.Context, cat *catalog.Service, caller *principal.Caller, name string, changes []catalog.Change) ([]string, error) {
	out, err := cat.StartChangeSet(ctx, caller, catalog.StartChangeSetInput{Catalog: catalog.Catalog, ChangeSet: changes, ChangeSetName: name})
	if err != nil {
		return nil, err
	}
	d, err := cat.DescribeChangeSet(ctx, caller, catalog.DescribeChangeSetInput{Catalog: catalog.Catalog, ChangeSetId: out.ChangeSetId})
	if err != nil {
		return nil, err
	}
	if d.Status != catalog.StatusSucceeded {
		return nil, changeSetError(&d)
	}
	ids := make([]string, len(d.ChangeSet))
	for i, c := range d.ChangeSet {
		ids[i] = c.Entity.Identifier
	}
	return ids, nil
}

// changeSetError describes a failed change set: each failed change's type
// and its errors, "UpdateInformation: INVALID_INPUT: ...".
func changeSetError(d *catalog.DescribeChangeSetOutput) error {
	var lines []string
	for _, c := range d.ChangeSet {
		for _, e := range c.ErrorDetailList {
			lines = append(lines, fmt.Sprintf("%s: %s: %s", c.ChangeType, e.ErrorCode, e.ErrorMessage))
		}
	}
	if len(lines) == 0 {
		lines = append(lines, fmt.Sprintf("change set %s: %s %s: %s", d.ChangeSetId, d.Status, d.FailureCode, d.FailureDescription))
	}
	return errors.New(strings.Join(lines, "; "))
}

// errorText is the AWS error text of an import error.
func errorText(err error) string {
	var e *awserr.Error
	if errors.As(err, &e) {
		return e.Code + ": " + e.Message
	}
	return err.Error()
}

func productChange(changeType, typ, id string, d map[string]any) catalog.Change {
	return catalog.Change{ChangeType: changeType, Entity: catalog.Entity{Type: typ + "@1.0", Identifier: id}, DetailsDocument: details(d)}
}

// details encodes a change's DetailsDocument.
func details(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("catalog import: encode details: %v", err)) // maps of plain data always encode
	}
	return b
}

// information is the UpdateInformation details of a product: every field
// the file sets.
func information(p *productSpec) map[string]any {
	d := map[string]any{"ProductTitle": p.ProductTitle}
	for name, v := range map[string]string{"ShortDescription": p.ShortDescription, "LongDescription": p.LongDescription,
		"Sku": p.Sku, "LogoUrl": p.LogoUrl, "SupportDescription": p.SupportDescription} {
		if v != "" {
			d[name] = v
		}
	}
	for name, v := range map[string][]string{"Highlights": p.Highlights, "Categories": p.Categories, "SearchKeywords": p.SearchKeywords} {
		if len(v) > 0 {
			d[name] = v
		}
	}
	return d
}

// sameInformation reports whether the stored product already has the
// file's information.
func sameInformation(p *productSpec, d *catalog.ProductDetails) bool {
	desc := &d.Description
	return desc.ProductTitle == p.ProductTitle && desc.ShortDescription == p.ShortDescription &&
		desc.LongDescription == p.LongDescription && desc.Sku == p.Sku &&
		d.PromotionalResources.LogoUrl == p.LogoUrl && d.SupportInformation.Description == p.SupportDescription &&
		sameList(desc.Highlights, p.Highlights) && sameList(desc.Categories, p.Categories) && sameList(desc.SearchKeywords, p.SearchKeywords)
}

// sameList compares a stored list with the file's, where an empty list in
// the file leaves the stored one alone.
func sameList(stored, file []string) bool {
	return len(file) == 0 || slices.Equal(stored, file)
}

// hasDelivery reports whether the stored product already has the file's
// delivery option: the same SaaS URL, or a version of the same title.
func hasDelivery(p *productSpec, d *catalog.ProductDetails) bool {
	for _, v := range d.Versions {
		if p.Type != "SaaSProduct" {
			if v.VersionTitle == p.Delivery.VersionTitle {
				return true
			}
			continue
		}
		for _, o := range v.DeliveryOptions {
			if o.FulfillmentUrl == p.Delivery.FulfillmentUrl {
				return true
			}
		}
	}
	return false
}

// delivery is the AddDeliveryOptions details of a product.
func (im *catalogImporter) delivery(p *productSpec) map[string]any {
	dl := &p.Delivery
	option := map[string]any{}
	if dl.DeliveryOptionTitle != "" {
		option["DeliveryOptionTitle"] = dl.DeliveryOptionTitle
	}
	d := map[string]any{"DeliveryOptions": []any{option}}
	if p.Type != "SaaSProduct" {
		version := map[string]any{"VersionTitle": dl.VersionTitle}
		if dl.ReleaseNotes != "" {
			version["ReleaseNotes"] = dl.ReleaseNotes
		}
		d["Version"] = version
	}
	switch p.Type {
	case "SaaSProduct":
		option["Details"] = map[string]any{"SaaSUrlDeliveryOptionDetails": map[string]any{"FulfillmentUrl": dl.FulfillmentUrl}}
	case "ContainerProduct":
		ecr := map[string]any{"ContainerImages": dl.ContainerImages, "CompatibleServices": dl.CompatibleServices}
		setIf(ecr, "Description", dl.Description)
		setIf(ecr, "UsageInstructions", dl.UsageInstructions)
		option["Details"] = map[string]any{"EcrDeliveryOptionDetails": ecr}
	case "AmiProduct":
		option["Details"] = map[string]any{"AmiDeliveryOptionDetails": im.ami(dl)}
	}
	return d
}

func (im *catalogImporter) ami(dl *deliverySpec) map[string]any {
	a := dl.Ami
	if a == nil {
		a = &amiSpec{}
	}
	role := a.AccessRoleArn
	if role == "" {
		role = "arn:aws:iam::" + im.seller.Account + ":role/AwsMarketplaceAmiIngestion"
	}
	m := map[string]any{
		"AmiSource": map[string]any{"AmiId": a.AmiId, "AccessRoleArn": role, "UserName": a.UserName,
			"OperatingSystemName": a.OperatingSystemName, "OperatingSystemVersion": a.OperatingSystemVersion},
		"UsageInstructions":       dl.UsageInstructions,
		"RecommendedInstanceType": a.RecommendedInstanceType,
	}
	if len(a.SecurityGroups) > 0 {
		m["SecurityGroups"] = a.SecurityGroups
	}
	return m
}

func setIf(m map[string]any, key, v string) {
	if v != "" {
		m[key] = v
	}
}

// offerChanges are the changes that create and release an offer of a
// product (an id or a reference); i numbers the offer's change name.
func offerChanges(o *offerSpec, product string, i int) []catalog.Change {
	name := "Offer" + letters(i)
	ref := "$" + name + ".Entity.Identifier"
	eula := standardEula
	if o.Eula != nil {
		eula = *o.Eula
	}
	offer := func(changeType string, d map[string]any) catalog.Change {
		return catalog.Change{ChangeType: changeType, Entity: catalog.Entity{Type: "Offer@1.0", Identifier: ref}, DetailsDocument: details(d)}
	}
	changes := []catalog.Change{{ChangeType: "CreateOffer", ChangeName: name, Entity: catalog.Entity{Type: "Offer@1.0"},
		DetailsDocument: details(map[string]any{"ProductId": product, "Name": o.Name})}}
	if o.Description != "" {
		changes = append(changes, offer("UpdateInformation", map[string]any{"Description": o.Description}))
	}
	return append(changes,
		offer("UpdatePricingTerms", map[string]any{"PricingModel": o.PricingModel, "Terms": o.Terms}),
		offer("UpdateLegalTerms", map[string]any{"Terms": []any{map[string]any{"Type": catalog.TermLegal, "Documents": []catalog.Document{eula}}}}),
		offer("ReleaseOffer", map[string]any{}),
	)
}

// letters spells i in letters (A, B, ... Z, BA, ...), since change names
// are letters only.
func letters(i int) string {
	s := string(rune('A' + i%26))
	for i /= 26; i > 0; i /= 26 {
		s = string(rune('A'+i%26)) + s
	}
	return s
}
