package catalog

import (
	"fmt"
	"testing"
)

// FuzzDetails decodes arbitrary details as every change type's details
// and runs the checks that need no store: nothing may panic, and whatever
// is refused is refused as INVALID_INPUT.
func FuzzDetails(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"Name":"Retail"}`, `{"Name":"x","Catalog":"AWSMarketplace"}`,
		`{"Products":[{"Ids":["prod-abc"],"Notes":"ok"}]}`, `{"Principals":["123456789012","ou-ab12-cdefghij"]}`,
		`{"Configuration":{"PolicyResourceRequests":"Allow"}}`, `{"Configuration":{"ThemeColor":"#FF9900","LogoUrl":"https://x"}}`,
		`{"PricingModel":"Usage","Terms":[{"Type":"UsageBasedPricingTerm","CurrencyCode":"USD","RateCards":[{"RateCard":[{"DimensionKey":"a","Price":"0.1"}]}]}]}`,
		`{"Terms":[{"Type":"LegalTerm","Documents":[{"Type":"StandardEula","Version":"2022-07-14"}]}]}`,
		`{"DeliveryOptions":[{"Details":{"EcrDeliveryOptionDetails":{"ContainerImages":["ghcr.io/a/b:1"],"CompatibleServices":["EKS"]}}}],"Version":{"VersionTitle":"1"}}`,
		`{"Name":null}`, `[]`, `"x"`, `{"Products":[{"Ids":null}]}`, `{"Terms":[{"Type":"FixedUpfrontPricingTerm","Grants":[{"MaxQuantity":-1}]}]}`,
		`{"ProductId":"prod-abc","Justification":"needed"}`, `{"Reason":"no","Block":true}`, `{"Block":"yes"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		check := func(err error) {
			if err == nil {
				return
			}
			ce, ok := err.(changeErrors)
			if !ok || len(ce) == 0 {
				t.Fatalf("error %v is not a change error", err)
			}
			for _, d := range ce {
				if d.ErrorCode != CodeInvalidInput {
					t.Fatalf("error code %s", d.ErrorCode)
				}
			}
		}
		var p problems
		var ce createExperienceDetails
		if err := decodeDetails(raw, &ce); err == nil {
			p.requiredText("Name", ce.Name, 1, 50, reName)
			if ce.Catalog != nil {
				validCatalogName(*ce.Catalog)
			}
		} else {
			check(err)
		}
		var pd productsDetails
		check(decodeDetails(raw, &pd))
		var bd brandingDetails
		if decodeDetails(raw, &bd) == nil {
			checkBranding(&p, bd.Configuration)
		}
		var ad associateAudienceDetails
		if decodeDetails(raw, &ad) == nil {
			checkPrincipals(&p, ad.Principals)
		}
		var pt pricingTermsDetails
		if decodeDetails(raw, &pt) == nil {
			for i, term := range pt.Terms {
				checkPricingTerm(&p, fmt.Sprintf("Terms[%d]", i), term)
			}
			if pt.PricingModel != nil {
				checkPricingModel(&p, *pt.PricingModel, pt.Terms)
			}
		}
		var dd addDeliveryOptionsDetails
		if decodeDetails(raw, &dd) == nil {
			for _, kind := range []string{TypeSaaSProduct, TypeContainerProduct, TypeAmiProduct} {
				for _, o := range dd.DeliveryOptions {
					checkDeliveryOption(&p, kind, "o", o)
				}
			}
		}
		var ui updateInformationDetails
		check(decodeDetails(raw, &ui))
		var cr createRequestDetails
		if decodeDetails(raw, &cr) == nil {
			cr.check(&p)
		}
		var dr declineRequestDetails
		if decodeDetails(raw, &dr) == nil {
			dr.check(&p)
		}
		var ar approveRequestDetails
		check(decodeDetails(raw, &ar))
		check(p.err())
	})
}
