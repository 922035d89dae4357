package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"gatehouse/awsapi"
	"gatehouse/awserr"
	"gatehouse/catalog"
	"gatehouse/discovery"
	"gatehouse/principal"
)

// discoveryPrefix starts the paths of the Marketplace Discovery API.
const discoveryPrefix = "/2026-02-05/"

// discoveryProtocol is the Marketplace Discovery API (marketplace-discovery
// 2026-02-05): REST-JSON with every operation a POST under /2026-02-05/,
// members in lower camel case both ways and the model's error statuses.
type discoveryProtocol struct{ restJSONProtocol }

var discoveryAPI = discoveryProtocol{restJSONProtocol{
	routes: map[string]string{
		"POST /2026-02-05/getListing":             "GetListing",
		"POST /2026-02-05/getOffer":               "GetOffer",
		"POST /2026-02-05/getOfferSet":            "GetOfferSet",
		"POST /2026-02-05/getOfferTerms":          "GetOfferTerms",
		"POST /2026-02-05/getProduct":             "GetProduct",
		"POST /2026-02-05/listFulfillmentOptions": "ListFulfillmentOptions",
		"POST /2026-02-05/listPurchaseOptions":    "ListPurchaseOptions",
		"POST /2026-02-05/searchFacets":           "SearchFacets",
		"POST /2026-02-05/searchListings":         "SearchListings",
	},
	statuses: map[string]int{
		"AccessDeniedException":     403,
		"InternalServerException":   500,
		"ResourceNotFoundException": 404,
		"ThrottlingException":       429,
		"ValidationException":       400,
	},
}}

// isDiscovery reports whether a request is for the Discovery API.
func isDiscovery(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, discoveryPrefix) }

// writeResult sends the output with lower camel case member names, as
// the model names them.
func (p discoveryProtocol) writeResult(w http.ResponseWriter, _, requestID string, out any) {
	body, err := wireCamelJSON(out)
	if err != nil {
		p.writeError(w, requestID, awserr.Internal(err))
		return
	}
	if body == nil {
		body = json.RawMessage("{}")
	}
	awsapi.RESTJSON.Write(w, requestID, body)
}

// discoveryOp declares a Discovery operation served by a
// discovery.Service method; its IAM action is aws-marketplace:NAME (the
// Service Authorization Reference, AWS Marketplace Discovery). Every
// operation only reads.
func discoveryOp[In, Out any](name string, f func(context.Context, *principal.Caller, In) (Out, error)) *Operation {
	return catalogOp(name, f).readOnly()
}

// discoveryOperations declares the Marketplace Discovery API. Its
// operations are authorized on Discovery's own resource types,
// arn:aws:aws-marketplace:::catalog/CATALOG/TYPE/ID with TYPE one of
// product, listing, offer, offerSet and purchaseOption: the ARNs that
// AWS's buyer policy (AWSMarketplaceManageSubscriptions) and the
// Discovery API's access control guide scope these actions to. The
// searches and lists are authorized on every resource of the type they
// return (…/listing/*, …/purchaseOption/*). What a caller may see beyond
// that — Public products, and only the approved ones under a Private
// Marketplace experience — is the discovery service's decision.
// ListPurchaseOptions also needs aws-marketplace:ListPrivateListings, as
// AWS documents.
func (s *Server) discoveryOperations() []*Operation {
	d := s.deps.Discovery
	if d == nil {
		return nil
	}
	return []*Operation{
		onDiscovery(discoveryOp("SearchListings", d.SearchListings), func(*discovery.SearchListingsInput) (string, string) { return "listing", "*" }),
		onDiscovery(discoveryOp("SearchFacets", d.SearchFacets), func(*discovery.SearchFacetsInput) (string, string) { return "listing", "*" }),
		onDiscovery(withDependent(discoveryOp("ListPurchaseOptions", d.ListPurchaseOptions), "aws-marketplace:ListPrivateListings"),
			func(*discovery.ListPurchaseOptionsInput) (string, string) { return "purchaseOption", "*" }),
		onDiscovery(discoveryOp("GetListing", d.GetListing), func(in *discovery.GetListingInput) (string, string) { return "listing", in.ListingId }),
		onDiscovery(discoveryOp("GetProduct", d.GetProduct), func(in *discovery.GetProductInput) (string, string) { return "product", in.ProductId }),
		onDiscovery(discoveryOp("ListFulfillmentOptions", d.ListFulfillmentOptions),
			func(in *discovery.ListFulfillmentOptionsInput) (string, string) { return "product", in.ProductId }),
		onDiscovery(discoveryOp("GetOffer", d.GetOffer), func(in *discovery.GetOfferInput) (string, string) { return "offer", in.OfferId }),
		onDiscovery(discoveryOp("GetOfferTerms", d.GetOfferTerms), func(in *discovery.GetOfferTermsInput) (string, string) { return "offer", in.OfferId }),
		onDiscovery(discoveryOp("GetOfferSet", d.GetOfferSet), func(in *discovery.GetOfferSetInput) (string, string) { return "offerSet", in.OfferSetId }),
	}
}

// onDiscovery authorizes a Discovery operation on the resource that
// resource names: a type and an id ("*" for every resource of the type).
func onDiscovery[In any](o *Operation, resource func(*In) (typ, id string)) *Operation {
	return on(o, func(_ context.Context, _ *Call, in *In) (target, error) {
		typ, id := resource(in)
		return target{ARNs: []string{discoveryARN(typ, id)}}, nil
	})
}

// discoveryARN returns the ARN of a Discovery resource, which names
// neither region nor account: the catalog is public.
func discoveryARN(typ, id string) string {
	return "arn:aws:aws-marketplace:::catalog/" + catalog.Catalog + "/" + typ + "/" + id
}
