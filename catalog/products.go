package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"
)

// Products: SaaSProduct@1.0, ContainerProduct@1.0 and AmiProduct@1.0, with
// the change types AWS documents for sellers (Marketplace Catalog API
// reference, Working with seller products): CreateProduct makes a Draft
// product; UpdateInformation sets its description; AddDeliveryOptions adds
// a version with its delivery options (a SaaS fulfillment URL, container
// images or an AMI); ReleaseProduct moves a complete Draft product to
// Limited; UpdateVisibility moves a released product between Limited,
// Public and Restricted (AWS reviews the move to Public; Gatehouse makes it
// at once).
//
// The limits are those of the AWS Marketplace Management Portal's product
// forms where the API reference gives none: title 1–72 characters, short
// description up to 1000, long description up to 5000, 1–3 highlights of
// up to 250, 1–3 categories, up to 15 search keywords of 250 characters in
// all, a logo and up to 3 additional resources. Categories are not checked
// against AWS's list, which changes over time.

// Product visibilities.
const (
	VisibilityDraft      = "Draft"
	VisibilityLimited    = "Limited"
	VisibilityPublic     = "Public"
	VisibilityRestricted = "Restricted"
)

// ProductDetails is a product entity's DetailsDocument.
type ProductDetails struct {
	Description          ProductDescription
	PromotionalResources PromotionalResources
	SupportInformation   SupportInformation
	Versions             []ProductVersion
}

// ProductDescription is a product's listing information.
type ProductDescription struct {
	ProductTitle     string `json:",omitempty"`
	ProductCode      string
	ShortDescription string `json:",omitempty"`
	LongDescription  string `json:",omitempty"`
	Sku              string `json:",omitempty"`
	Visibility       string
	Highlights       []string
	SearchKeywords   []string
	Categories       []string
}

// PromotionalResources are a product's logo, videos and links.
type PromotionalResources struct {
	LogoUrl             string `json:",omitempty"`
	Videos              []Video
	AdditionalResources []AdditionalResource
}

// Video is a product video.
type Video struct {
	Type  string
	Title string `json:",omitempty"`
	Url   string
}

// AdditionalResource is a link of a product's listing.
type AdditionalResource struct {
	Type string
	Text string
	Url  string
}

// SupportInformation says how buyers get support.
type SupportInformation struct {
	Description string `json:",omitempty"`
}

// ProductVersion is one version of a product and how it is delivered.
type ProductVersion struct {
	Id              string
	VersionTitle    string `json:",omitempty"`
	ReleaseNotes    string `json:",omitempty"`
	CreationDate    string
	DeliveryOptions []DeliveryOption
}

// DeliveryOption is one way to deploy a version.
type DeliveryOption struct {
	Id               string
	Type             string // SaaSUrl, ElasticContainerRegistry or AmazonMachineImage
	Title            string `json:",omitempty"`
	ShortDescription string `json:",omitempty"`
	Visibility       string
	// FulfillmentUrl is a SaaS product's registration page.
	FulfillmentUrl string `json:",omitempty"`
	// ContainerImages are a container product's image URIs.
	ContainerImages    []string `json:",omitempty"`
	CompatibleServices []string `json:",omitempty"`
	// AmiId and the rest describe an AMI product's image.
	AmiId                   string `json:",omitempty"`
	OperatingSystemName     string `json:",omitempty"`
	OperatingSystemVersion  string `json:",omitempty"`
	UserName                string `json:",omitempty"`
	RecommendedInstanceType string `json:",omitempty"`
	UsageInstructions       string `json:",omitempty"`
}

// Change details of the product change types.
type (
	createProductDetails struct {
		ProductTitle *string
	}
	additionalResourceIn struct {
		Text *string
		Url  *string
	}
	updateInformationDetails struct {
		ProductTitle        *string
		ShortDescription    *string
		LongDescription     *string
		Sku                 *string
		LogoUrl             *string
		VideoUrls           []string
		Highlights          []string
		AdditionalResources []additionalResourceIn
		SupportDescription  *string
		Categories          []string
		SearchKeywords      []string
	}
	versionIn struct {
		VersionTitle *string
		ReleaseNotes *string
	}
	saasDeliveryIn struct {
		FulfillmentUrl *string
	}
	amiSourceIn struct {
		AmiId                  *string
		AccessRoleArn          *string
		UserName               *string
		OperatingSystemName    *string
		OperatingSystemVersion *string
	}
	securityGroupIn struct {
		IpProtocol *string
		FromPort   *int
		ToPort     *int
		IpRanges   []string
	}
	amiDeliveryIn struct {
		AmiSource               *amiSourceIn
		UsageInstructions       *string
		RecommendedInstanceType *string
		SecurityGroups          []securityGroupIn
	}
	deploymentResourceIn struct {
		Name *string
		Url  *string
	}
	ecrDeliveryIn struct {
		ContainerImages     []string
		DeploymentResources []deploymentResourceIn
		CompatibleServices  []string
		Description         *string
		UsageInstructions   *string
	}
	deliveryDetailsIn struct {
		SaaSUrlDeliveryOptionDetails *saasDeliveryIn
		AmiDeliveryOptionDetails     *amiDeliveryIn
		EcrDeliveryOptionDetails     *ecrDeliveryIn
	}
	deliveryOptionIn struct {
		DeliveryOptionTitle *string
		Details             *deliveryDetailsIn
	}
	addDeliveryOptionsDetails struct {
		Version         *versionIn
		DeliveryOptions []deliveryOptionIn
	}
	updateVisibilityDetails struct {
		TargetVisibility *string
	}
)

var (
	reAmiID = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)
	// reImageURI is a container image reference with a registry host and a
	// tag or digest. AWS requires images in the seller's ECR repositories;
	// a self-hosted marketplace takes any registry.
	reImageURI   = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?/[a-z0-9]+([._/-][a-z0-9]+)*(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$`)
	reRoleARN    = regexp.MustCompile(`^arn:aws:iam::\d{12}:role/[\w+=,.@/-]{1,64}$`)
	reInstanceTy = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
	reProductURL = regexp.MustCompile(`^(https://|s3://)[^\s]+$`)
)

// productHandlers are the change types of one product type.
func productHandlers(kind string) map[string]handler {
	return map[string]handler{
		"CreateProduct":      {creates: true, apply: createProduct},
		"UpdateInformation":  {apply: updateProductInformation},
		"AddDeliveryOptions": {apply: addDeliveryOptions(kind)},
		"ReleaseProduct":     {apply: releaseProduct},
		"UpdateVisibility":   {apply: updateVisibility},
	}
}

func createProduct(a *applier, c *change) error {
	var in createProductDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.text("ProductTitle", in.ProductTitle, 1, 72)
	if err := p.err(); err != nil {
		return err
	}
	e, err := a.create(c.typ)
	if err != nil {
		return err
	}
	c.entity = e
	e.Visibility, e.Title = VisibilityDraft, deref(in.ProductTitle)
	code, err := newID(a.s.rand(), "", 25)
	if err != nil {
		return err
	}
	d := ProductDetails{
		Description: ProductDescription{ProductTitle: e.Title, ProductCode: code, Visibility: VisibilityDraft,
			Highlights: []string{}, SearchKeywords: []string{}, Categories: []string{}},
		PromotionalResources: PromotionalResources{Videos: []Video{}, AdditionalResources: []AdditionalResource{}},
		Versions:             []ProductVersion{},
	}
	return storeProduct(e, &d)
}

// storeProduct stores a product's details and the fields kept for search.
func storeProduct(e *entityRec, d *ProductDetails) error {
	d.Description.Visibility = e.Visibility
	e.Title = d.Description.ProductTitle
	e.ShortDescription = d.Description.ShortDescription
	e.LongDescription = d.Description.LongDescription
	e.Categories = slices.Clone(d.Description.Categories)
	e.Keywords = slices.Clone(d.Description.SearchKeywords)
	return storeDetails(e, d)
}

func updateProductInformation(a *applier, c *change) error {
	var in updateInformationDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.text("ProductTitle", in.ProductTitle, 1, 72)
	p.text("ShortDescription", in.ShortDescription, 1, 1000)
	p.text("LongDescription", in.LongDescription, 1, 5000)
	p.text("Sku", in.Sku, 1, 100)
	p.text("LogoUrl", in.LogoUrl, 1, 2048, reProductURL)
	p.text("SupportDescription", in.SupportDescription, 1, 2000)
	p.count("VideoUrls", len(in.VideoUrls), in.VideoUrls != nil, false, 0, 1)
	for _, u := range in.VideoUrls {
		p.text("VideoUrls", &u, 1, 2048, reHTTPSURL)
	}
	checkItems(&p, "Highlights", in.Highlights, 1, 3, 250)
	checkItems(&p, "Categories", in.Categories, 1, 3, 80)
	checkItems(&p, "SearchKeywords", in.SearchKeywords, 1, 15, 250)
	if total := totalLength(in.SearchKeywords); total > 250 {
		p.addf("SearchKeywords must have at most 250 characters in all; these have %d.", total)
	}
	p.count("AdditionalResources", len(in.AdditionalResources), in.AdditionalResources != nil, false, 0, 3)
	for i, r := range in.AdditionalResources {
		at := fmt.Sprintf("AdditionalResources[%d]", i)
		p.requiredText(at+".Text", r.Text, 1, 100)
		p.requiredText(at+".Url", r.Url, 1, 2048, reHTTPSURL)
	}
	if err := p.err(); err != nil {
		return err
	}
	var d ProductDetails
	if err := decodeStored(c.entity, &d); err != nil {
		return err
	}
	desc := &d.Description
	setString(&desc.ProductTitle, in.ProductTitle)
	setString(&desc.ShortDescription, in.ShortDescription)
	setString(&desc.LongDescription, in.LongDescription)
	setString(&desc.Sku, in.Sku)
	setString(&d.PromotionalResources.LogoUrl, in.LogoUrl)
	setString(&d.SupportInformation.Description, in.SupportDescription)
	setList(&desc.Highlights, in.Highlights)
	setList(&desc.Categories, in.Categories)
	setList(&desc.SearchKeywords, in.SearchKeywords)
	if in.VideoUrls != nil {
		d.PromotionalResources.Videos = []Video{}
		for _, u := range in.VideoUrls {
			d.PromotionalResources.Videos = append(d.PromotionalResources.Videos, Video{Type: "Link", Url: u})
		}
	}
	if in.AdditionalResources != nil {
		d.PromotionalResources.AdditionalResources = []AdditionalResource{}
		for _, r := range in.AdditionalResources {
			d.PromotionalResources.AdditionalResources = append(d.PromotionalResources.AdditionalResources, AdditionalResource{Type: "Link", Text: *r.Text, Url: *r.Url})
		}
	}
	return storeProduct(c.entity, &d)
}

// checkItems checks an optional list of strings: min to max items (when
// given) of 1 to maxLen characters each.
func checkItems(p *problems, field string, items []string, min, max, maxLen int) {
	p.count(field, len(items), items != nil, false, min, max)
	for i, s := range items {
		p.length(fmt.Sprintf("%s[%d]", field, i), s, 1, maxLen)
	}
}

func totalLength(items []string) int {
	n := 0
	for _, s := range items {
		n += utf8.RuneCountInString(s)
	}
	return n
}

func setList(dst *[]string, v []string) {
	if v != nil {
		*dst = slices.Clone(v)
	}
}

// addDeliveryOptions adds a version with its delivery options. SaaS
// products take one SaaSUrlDeliveryOptionDetails and no Version (AWS keeps
// a single fulfillment URL, which a new one replaces); container and AMI
// products take a Version with a title unique to the product and
// EcrDeliveryOptionDetails or AmiDeliveryOptionDetails.
func addDeliveryOptions(kind string) func(a *applier, c *change) error {
	return func(a *applier, c *change) error {
		var in addDeliveryOptionsDetails
		if err := decodeDetails(c.details, &in); err != nil {
			return err
		}
		var p problems
		p.count("DeliveryOptions", len(in.DeliveryOptions), in.DeliveryOptions != nil, true, 1, 5)
		if kind == TypeSaaSProduct {
			if in.Version != nil {
				p.addf("Version is not used by SaaS products.")
			}
		} else if in.Version == nil {
			p.addf("Version is required.")
		} else {
			p.requiredText("Version.VersionTitle", in.Version.VersionTitle, 1, 50)
			p.text("Version.ReleaseNotes", in.Version.ReleaseNotes, 1, 30000)
		}
		options := make([]DeliveryOption, 0, len(in.DeliveryOptions))
		for i, o := range in.DeliveryOptions {
			options = append(options, checkDeliveryOption(&p, kind, fmt.Sprintf("DeliveryOptions[%d]", i), o))
		}
		if err := p.err(); err != nil {
			return err
		}
		var d ProductDetails
		if err := decodeStored(c.entity, &d); err != nil {
			return err
		}
		return a.addVersion(c.entity, &d, in.Version, options)
	}
}

// addVersion adds a version (or, for SaaS, replaces the fulfillment
// options) and gives the new options their ids.
func (a *applier) addVersion(e *entityRec, d *ProductDetails, v *versionIn, options []DeliveryOption) error {
	for i := range options {
		id, err := newID(a.s.rand(), "do-", 13)
		if err != nil {
			return err
		}
		options[i].Id, options[i].Visibility = id, VisibilityLimited
	}
	if v == nil {
		d.Versions = []ProductVersion{{Id: "version-saas", CreationDate: isoTime(a.now), DeliveryOptions: options}}
		return storeProduct(e, d)
	}
	for _, old := range d.Versions {
		if old.VersionTitle == *v.VersionTitle {
			return changeError(CodeDuplicateValue, "The product already has a version titled %q.", old.VersionTitle)
		}
	}
	id, err := newID(a.s.rand(), "version-", 13)
	if err != nil {
		return err
	}
	d.Versions = append(d.Versions, ProductVersion{Id: id, VersionTitle: *v.VersionTitle, ReleaseNotes: deref(v.ReleaseNotes),
		CreationDate: isoTime(a.now), DeliveryOptions: options})
	return storeProduct(e, d)
}

// checkDeliveryOption checks one delivery option of a product type.
func checkDeliveryOption(p *problems, kind, at string, o deliveryOptionIn) DeliveryOption {
	out := DeliveryOption{Title: deref(o.DeliveryOptionTitle)}
	p.text(at+".DeliveryOptionTitle", o.DeliveryOptionTitle, 1, 50)
	if o.Details == nil {
		p.addf("%s.Details is required.", at)
		return out
	}
	det := o.Details
	given := 0
	for _, set := range []bool{det.SaaSUrlDeliveryOptionDetails != nil, det.AmiDeliveryOptionDetails != nil, det.EcrDeliveryOptionDetails != nil} {
		if set {
			given++
		}
	}
	if given != 1 {
		p.addf("%s.Details must hold exactly one delivery option's details.", at)
		return out
	}
	switch {
	case kind == TypeSaaSProduct && det.SaaSUrlDeliveryOptionDetails != nil:
		s := det.SaaSUrlDeliveryOptionDetails
		p.requiredText(at+".Details.SaaSUrlDeliveryOptionDetails.FulfillmentUrl", s.FulfillmentUrl, 1, 2048, reHTTPSURL)
		out.Type, out.FulfillmentUrl = "SaaSUrl", deref(s.FulfillmentUrl)
	case kind == TypeContainerProduct && det.EcrDeliveryOptionDetails != nil:
		out = checkEcrOption(p, at+".Details.EcrDeliveryOptionDetails", det.EcrDeliveryOptionDetails, out)
	case kind == TypeAmiProduct && det.AmiDeliveryOptionDetails != nil:
		out = checkAmiOption(p, at+".Details.AmiDeliveryOptionDetails", det.AmiDeliveryOptionDetails, out)
	default:
		p.addf("%s.Details holds a delivery option that %s products do not support.", at, kind)
	}
	return out
}

func checkEcrOption(p *problems, at string, e *ecrDeliveryIn, out DeliveryOption) DeliveryOption {
	p.count(at+".ContainerImages", len(e.ContainerImages), e.ContainerImages != nil, true, 1, 10)
	for _, img := range e.ContainerImages {
		if len(img) > 1024 || !reImageURI.MatchString(img) {
			p.addf("%s.ContainerImages: %q is not an image URI with a registry and a tag or digest.", at, img)
		}
	}
	p.count(at+".CompatibleServices", len(e.CompatibleServices), e.CompatibleServices != nil, true, 1, 3)
	for _, svc := range e.CompatibleServices {
		if svc != "ECS" && svc != "EKS" && svc != "EKSAnywhere" && svc != "ECSAnywhere" {
			p.addf("%s.CompatibleServices: %q is not ECS, EKS, ECSAnywhere or EKSAnywhere.", at, svc)
		}
	}
	p.text(at+".Description", e.Description, 1, 1000)
	p.text(at+".UsageInstructions", e.UsageInstructions, 1, 4000)
	for i, r := range e.DeploymentResources {
		p.requiredText(fmt.Sprintf("%s.DeploymentResources[%d].Name", at, i), r.Name, 1, 1000)
		p.requiredText(fmt.Sprintf("%s.DeploymentResources[%d].Url", at, i), r.Url, 1, 2048, reHTTPSURL)
	}
	out.Type, out.ContainerImages = "ElasticContainerRegistry", slices.Clone(e.ContainerImages)
	out.CompatibleServices, out.ShortDescription, out.UsageInstructions = slices.Clone(e.CompatibleServices), deref(e.Description), deref(e.UsageInstructions)
	return out
}

func checkAmiOption(p *problems, at string, m *amiDeliveryIn, out DeliveryOption) DeliveryOption {
	if m.AmiSource == nil {
		p.addf("%s.AmiSource is required.", at)
		return out
	}
	src := m.AmiSource
	p.requiredText(at+".AmiSource.AmiId", src.AmiId, 12, 21, reAmiID)
	p.requiredText(at+".AmiSource.AccessRoleArn", src.AccessRoleArn, 1, 2048, reRoleARN)
	p.requiredText(at+".AmiSource.UserName", src.UserName, 1, 100)
	p.requiredText(at+".AmiSource.OperatingSystemName", src.OperatingSystemName, 1, 100)
	p.requiredText(at+".AmiSource.OperatingSystemVersion", src.OperatingSystemVersion, 1, 100)
	p.requiredText(at+".UsageInstructions", m.UsageInstructions, 1, 2000)
	p.requiredText(at+".RecommendedInstanceType", m.RecommendedInstanceType, 1, 50, reInstanceTy)
	for i, g := range m.SecurityGroups {
		sg := fmt.Sprintf("%s.SecurityGroups[%d]", at, i)
		p.oneOf(sg+".IpProtocol", g.IpProtocol, "tcp", "udp")
		if g.IpProtocol == nil {
			p.addf("%s.IpProtocol is required.", sg)
		}
		checkPort(p, sg+".FromPort", g.FromPort)
		checkPort(p, sg+".ToPort", g.ToPort)
		p.count(sg+".IpRanges", len(g.IpRanges), g.IpRanges != nil, true, 1, 10)
	}
	out.Type, out.AmiId, out.UserName = "AmazonMachineImage", deref(src.AmiId), deref(src.UserName)
	out.OperatingSystemName, out.OperatingSystemVersion = deref(src.OperatingSystemName), deref(src.OperatingSystemVersion)
	out.RecommendedInstanceType, out.UsageInstructions = deref(m.RecommendedInstanceType), deref(m.UsageInstructions)
	return out
}

func checkPort(p *problems, field string, port *int) {
	if port == nil || *port < 0 || *port > 65535 {
		p.addf("%s must be a port from 0 to 65535.", field)
	}
}

// releaseProduct moves a Draft product to Limited once it is complete: a
// title, both descriptions, a logo, at least one category and one
// delivery option.
func releaseProduct(a *applier, c *change) error {
	var in emptyDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	e := c.entity
	if e.Visibility != VisibilityDraft {
		return changeError(CodeInvalidState, "The product %s is %s; only Draft products are released.", e.Id, e.Visibility)
	}
	var d ProductDetails
	if err := decodeStored(e, &d); err != nil {
		return err
	}
	var missing changeErrors
	need := func(ok bool, what string) {
		if !ok {
			missing = append(missing, ErrorDetail{ErrorCode: CodeInvalidState, ErrorMessage: "The product has no " + what + "; add it with UpdateInformation or AddDeliveryOptions before releasing it."})
		}
	}
	need(d.Description.ProductTitle != "", "ProductTitle")
	need(d.Description.ShortDescription != "", "ShortDescription")
	need(d.Description.LongDescription != "", "LongDescription")
	need(d.PromotionalResources.LogoUrl != "", "LogoUrl")
	need(len(d.Description.Categories) > 0, "Categories")
	need(len(d.Versions) > 0, "delivery option")
	if len(missing) > 0 {
		return missing
	}
	e.Visibility = VisibilityLimited
	return storeProduct(e, &d)
}

func updateVisibility(a *applier, c *change) error {
	var in updateVisibilityDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	if in.TargetVisibility == nil {
		p.addf("TargetVisibility is required.")
	}
	p.oneOf("TargetVisibility", in.TargetVisibility, VisibilityLimited, VisibilityPublic, VisibilityRestricted)
	if err := p.err(); err != nil {
		return err
	}
	e := c.entity
	if e.Visibility == VisibilityDraft {
		return changeError(CodeInvalidState, "The product %s is a Draft; release it with ReleaseProduct first.", e.Id)
	}
	var d ProductDetails
	if err := decodeStored(e, &d); err != nil {
		return err
	}
	e.Visibility = *in.TargetVisibility
	return storeProduct(e, &d)
}
