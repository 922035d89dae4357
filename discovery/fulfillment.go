package discovery

import (
	"context"

	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/store"
)

// ListFulfillmentOptions lists how a product the caller may see is
// delivered: one option per delivery option of each version, newest
// version last. maxResults is 1 to 50, 50 when absent.
func (s *Service) ListFulfillmentOptions(ctx context.Context, caller *principal.Caller, in ListFulfillmentOptionsInput) (ListFulfillmentOptionsOutput, error) {
	out := ListFulfillmentOptionsOutput{FulfillmentOptions: []FulfillmentOption{}}
	if err := checkID("productId", in.ProductId); err != nil {
		return out, err
	}
	size, err := pageSize(in.MaxResults, 50, 50)
	if err != nil {
		return out, err
	}
	fp := fingerprint(in.ProductId)
	offset, err := decodeToken(in.NextToken, fp)
	if err != nil {
		return out, err
	}
	err = s.view(ctx, func(tx store.Tx) error {
		v, err := s.viewerOf(ctx, tx, caller)
		if err != nil {
			return err
		}
		p, err := s.product(ctx, tx, v, in.ProductId)
		if err != nil {
			return err
		}
		all := fulfillmentOptions(p)
		out.FulfillmentOptions = pageOf(all, offset, size)
		out.NextToken = nextToken(offset, len(out.FulfillmentOptions), len(all), fp)
		return nil
	})
	return out, err
}

func fulfillmentOptions(p catalog.ProductView) []FulfillmentOption {
	out := []FulfillmentOption{}
	for _, ver := range p.Details.Versions {
		for _, d := range ver.DeliveryOptions {
			if o, ok := fulfillmentOption(ver, d); ok {
				out = append(out, o)
			}
		}
	}
	return out
}

func fulfillmentOption(ver catalog.ProductVersion, d catalog.DeliveryOption) (FulfillmentOption, bool) {
	name := d.Title
	switch d.Type {
	case "SaaSUrl":
		if name == "" {
			name = fulfillmentNames["SAAS"]
		}
		return FulfillmentOption{SaasFulfillmentOption: &SaasFulfillmentOption{FulfillmentOptionId: d.Id, FulfillmentOptionType: "SAAS",
			FulfillmentOptionDisplayName: name, FulfillmentUrl: d.FulfillmentUrl, UsageInstructions: d.UsageInstructions}}, true
	case "ElasticContainerRegistry":
		if name == "" {
			name = fulfillmentNames["CONTAINER"]
		}
		services := []AwsSupportedService{}
		for _, svc := range d.CompatibleServices {
			services = append(services, AwsSupportedService{SupportedServiceType: svc, DisplayName: "Amazon " + svc, Description: d.ShortDescription})
		}
		return FulfillmentOption{ContainerFulfillmentOption: &ContainerFulfillmentOption{FulfillmentOptionId: d.Id, FulfillmentOptionName: name,
			FulfillmentOptionType: "CONTAINER", FulfillmentOptionDisplayName: name, FulfillmentOptionVersion: ver.VersionTitle,
			OperatingSystems: []OperatingSystem{}, AwsSupportedServices: services, ReleaseNotes: ver.ReleaseNotes, UsageInstructions: d.UsageInstructions}}, true
	case "AmazonMachineImage":
		if name == "" {
			name = fulfillmentNames["AMAZON_MACHINE_IMAGE"]
		}
		o := &AmazonMachineImageFulfillmentOption{FulfillmentOptionId: d.Id, FulfillmentOptionName: name, FulfillmentOptionVersion: ver.VersionTitle,
			FulfillmentOptionType: "AMAZON_MACHINE_IMAGE", FulfillmentOptionDisplayName: name,
			OperatingSystems: []OperatingSystem{{OperatingSystemFamilyName: d.OperatingSystemName, OperatingSystemName: d.OperatingSystemName, OperatingSystemVersion: d.OperatingSystemVersion}},
			ReleaseNotes:     ver.ReleaseNotes, UsageInstructions: d.UsageInstructions}
		if d.RecommendedInstanceType != "" {
			o.Recommendation = &AmazonMachineImageRecommendation{InstanceType: d.RecommendedInstanceType}
		}
		return FulfillmentOption{AmazonMachineImageFulfillmentOption: o}, true
	}
	return FulfillmentOption{}, false
}
