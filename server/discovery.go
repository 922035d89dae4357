package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"gatehouse/awsapi"
	"gatehouse/awserr"
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

// discoveryOperations declares the Marketplace Discovery API. Operations
// on one product or offer are authorized on its catalog entity ARN (in
// the seller's account), the searches and lists on "*". What a caller
// may see beyond that — Public products, and only the approved ones
// under a Private Marketplace experience — is the discovery service's
// decision. ListPurchaseOptions also needs
// aws-marketplace:ListPrivateListings, as AWS documents.
func (s *Server) discoveryOperations() []*Operation {
	d := s.deps.Discovery
	if d == nil {
		return nil
	}
	return []*Operation{
		discoveryOp("SearchListings", d.SearchListings),
		discoveryOp("SearchFacets", d.SearchFacets),
		withDependent(discoveryOp("ListPurchaseOptions", d.ListPurchaseOptions), "aws-marketplace:ListPrivateListings"),
		on(discoveryOp("GetListing", d.GetListing), func(ctx context.Context, call *Call, in *discovery.GetListingInput) (target, error) {
			return s.entityTarget(ctx, discovery.ProductID(in.ListingId))
		}),
		on(discoveryOp("GetProduct", d.GetProduct), func(ctx context.Context, call *Call, in *discovery.GetProductInput) (target, error) {
			return s.entityTarget(ctx, in.ProductId)
		}),
		on(discoveryOp("ListFulfillmentOptions", d.ListFulfillmentOptions), func(ctx context.Context, call *Call, in *discovery.ListFulfillmentOptionsInput) (target, error) {
			return s.entityTarget(ctx, in.ProductId)
		}),
		on(discoveryOp("GetOffer", d.GetOffer), func(ctx context.Context, call *Call, in *discovery.GetOfferInput) (target, error) {
			return s.entityTarget(ctx, in.OfferId)
		}),
		on(discoveryOp("GetOfferTerms", d.GetOfferTerms), func(ctx context.Context, call *Call, in *discovery.GetOfferTermsInput) (target, error) {
			return s.entityTarget(ctx, in.OfferId)
		}),
		discoveryOp("GetOfferSet", d.GetOfferSet),
	}
}
