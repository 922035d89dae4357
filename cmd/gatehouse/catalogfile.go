package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"gatehouse/catalog"
)

// catalogFile is the file 'gatehouse catalog import' reads: products, each
// with its delivery option and public offers. Field names are those of the
// Catalog API's change details (ProductTitle, FulfillmentUrl, PricingModel
// ...), so a listing reads the same here as in a change set.
type catalogFile struct {
	Products []productSpec
}

// productSpec is one product of a catalog file. A product is known by its
// type and title among the seller's products: importing a file again
// updates what changed and leaves the rest alone.
type productSpec struct {
	// Type is SaaSProduct, ContainerProduct or AmiProduct.
	Type               string
	ProductTitle       string
	ShortDescription   string
	LongDescription    string
	Sku                string
	LogoUrl            string
	SupportDescription string
	Highlights         []string
	Categories         []string
	SearchKeywords     []string
	// Visibility is the product's visibility once released: Limited or
	// Public (the default).
	Visibility string
	Delivery   deliverySpec
	Offers     []offerSpec
}

// deliverySpec is a product's delivery option: a SaaS fulfillment URL, a
// version of container images, or a version of an AMI.
type deliverySpec struct {
	DeliveryOptionTitle string
	// VersionTitle and ReleaseNotes describe the version of a container or
	// AMI product.
	VersionTitle string
	ReleaseNotes string
	// FulfillmentUrl is a SaaS product's registration page.
	FulfillmentUrl string
	// ContainerImages, CompatibleServices and Description describe a
	// container product's images.
	ContainerImages    []string
	CompatibleServices []string
	Description        string
	UsageInstructions  string
	// Ami describes an AMI product's image.
	Ami *amiSpec
}

// amiSpec is an AMI delivery option.
type amiSpec struct {
	AmiId string
	// AccessRoleArn is the role AWS Marketplace would use to copy the AMI;
	// empty means arn:aws:iam::SELLER:role/AwsMarketplaceAmiIngestion.
	AccessRoleArn           string
	UserName                string
	OperatingSystemName     string
	OperatingSystemVersion  string
	RecommendedInstanceType string
	SecurityGroups          []securityGroupSpec
}

// securityGroupSpec is an ingress rule an AMI product recommends.
type securityGroupSpec struct {
	IpProtocol string
	FromPort   int
	ToPort     int
	IpRanges   []string
}

// offerSpec is a public offer of a product, known by its name among the
// product's offers.
type offerSpec struct {
	Name         string
	Description  string
	PricingModel string
	Terms        []catalog.Term
	// Eula is the offer's license; empty means AWS's Standard Contract
	// (StandardEula, version 2022-07-14).
	Eula *catalog.Document
}

// standardEula is the default legal document of an offer.
var standardEula = catalog.Document{Type: "StandardEula", Version: "2022-07-14"}

// parseCatalogFile reads a catalog file: YAML when its name ends in .yaml
// or .yml or is - (standard input, where YAML's superset of JSON takes
// both), JSON otherwise. Unknown fields are errors, so that a misspelt
// field is not silently ignored.
func parseCatalogFile(name string, data []byte) (*catalogFile, error) {
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".yaml" || ext == ".yml" || name == "-" {
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		data = b
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f catalogFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &f, nil
}

// check rejects what the catalog cannot tell apart: two products of a
// type with one title, two offers of a product with one name. Everything
// else is the catalog's to check, with its own error texts.
func (f *catalogFile) check() error {
	seen := map[string]bool{}
	for i, p := range f.Products {
		switch p.Type {
		case "SaaSProduct", "ContainerProduct", "AmiProduct":
		default:
			return fmt.Errorf("product %d (%q): Type must be SaaSProduct, ContainerProduct or AmiProduct", i+1, p.ProductTitle)
		}
		if p.ProductTitle == "" {
			return fmt.Errorf("product %d: ProductTitle is required", i+1)
		}
		key := p.Type + "/" + p.ProductTitle
		if seen[key] {
			return fmt.Errorf("product %d: a %s titled %q is listed twice", i+1, p.Type, p.ProductTitle)
		}
		seen[key] = true
		names := map[string]bool{}
		for _, o := range p.Offers {
			if o.Name == "" {
				return fmt.Errorf("product %q: every offer needs a Name", p.ProductTitle)
			}
			if names[o.Name] {
				return fmt.Errorf("product %q: offer %q is listed twice", p.ProductTitle, o.Name)
			}
			names[o.Name] = true
		}
	}
	return nil
}

// visibility is the product's target visibility.
func (p *productSpec) visibility() string {
	if p.Visibility == "" {
		return catalog.VisibilityPublic
	}
	return p.Visibility
}
