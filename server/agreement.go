package server

import (
	"context"
	"net/http"

	"gatehouse/agreement"
	"gatehouse/awsapi"
	"gatehouse/awserr"
	"gatehouse/principal"
)

// agreementTargetPrefix is the Marketplace Agreement API's X-Amz-Target
// prefix, which is also its service shape's name.
const agreementTargetPrefix = "AWSMPCommerceService_v20200301"

// agreementProtocol is the Marketplace Agreement API (marketplace-agreement
// 2020-03-01): JSON 1.0 with X-Amz-Target, members in lower camel case.
var agreementProtocol = agreementJSON{jsonProtocol{wire: awsapi.JSON10, prefix: agreementTargetPrefix}}

// agreementCBOR is the Marketplace Agreement API in Smithy RPC v2 CBOR,
// the protocol aws-sdk-go-v2's client speaks by default, with the model's
// error statuses (the httpError traits of its error shapes).
var agreementCBOR = cborProtocol{
	wire: awsapi.CBORProtocol{Namespace: "com.amazonaws.marketplaceagreement", Errors: map[string]int{
		"AccessDeniedException":         403,
		"ConflictException":             409,
		"InternalServerException":       500,
		"ResourceNotFoundException":     404,
		"ServiceQuotaExceededException": 402,
		"ThrottlingException":           429,
		"ValidationException":           400,
	}},
	service: agreementTargetPrefix,
	camel:   true,
}

// agreementJSON is jsonProtocol with the model's lower camel case member
// names in responses.
type agreementJSON struct{ jsonProtocol }

func (p agreementJSON) writeResult(w http.ResponseWriter, _, requestID string, out any) {
	body, err := wireCamelJSON(out)
	if err != nil {
		p.wire.WriteError(w, requestID, awserr.Internal(err))
		return
	}
	p.wire.Write(w, requestID, body)
}

// agreementOp declares an Agreement operation served by an
// agreement.Service method; its IAM action is aws-marketplace:NAME, with
// the dependent actions given.
func agreementOp[In, Out any](name string, f func(context.Context, *principal.Caller, In) (Out, error), dependent ...string) *Operation {
	o := op("aws-marketplace", name, "aws-marketplace:"+name, func(ctx context.Context, c *Call, in *In) (*Out, error) {
		out, err := f(ctx, c.Caller, *in)
		if err != nil {
			return nil, err
		}
		return &out, nil
	})
	return withDependent(o, dependent...)
}

// Dependent actions of buying, after the Service Authorization Reference
// ("Actions, resources, and condition keys for AWS Marketplace"), which
// lists aws-marketplace:Subscribe beside AcceptAgreementRequest (and
// UpdatePurchaseOrders when purchase orders are given). Gatehouse asks for
// Subscribe when the request is created too, and for Unsubscribe to
// cancel and ViewSubscriptions to read agreements, so that the
// subscription actions AWS's buyer policies and the seed's SCPs name
// govern every path to a purchase. The actions name no resource type:
// they are authorized on "*".
const (
	actionSubscribe            = "aws-marketplace:Subscribe"
	actionUnsubscribe          = "aws-marketplace:Unsubscribe"
	actionViewSubscriptions    = "aws-marketplace:ViewSubscriptions"
	actionUpdatePurchaseOrders = "aws-marketplace:UpdatePurchaseOrders"
)

// agreementOperations declares the Marketplace Agreement API's buying
// operations.
func (s *Server) agreementOperations() []*Operation {
	a := s.deps.Agreements
	if a == nil {
		return nil
	}
	return []*Operation{
		agreementOp("CreateAgreementRequest", a.CreateAgreementRequest, actionSubscribe),
		on(agreementOp("AcceptAgreementRequest", a.AcceptAgreementRequest, actionSubscribe), func(_ context.Context, _ *Call, in *agreement.AcceptAgreementRequestInput) (target, error) {
			if len(in.PurchaseOrders) > 0 {
				return target{Also: []string{actionUpdatePurchaseOrders}}, nil
			}
			return target{}, nil
		}),
		agreementOp("CancelAgreement", a.CancelAgreement, actionUnsubscribe),
		agreementOp("SearchAgreements", a.SearchAgreements, actionViewSubscriptions).readOnly(),
		agreementOp("DescribeAgreement", a.DescribeAgreement, actionViewSubscriptions).readOnly(),
		agreementOp("GetAgreementTerms", a.GetAgreementTerms, actionViewSubscriptions).readOnly(),
		agreementOp("GetAgreementEntitlements", a.GetAgreementEntitlements, actionViewSubscriptions).readOnly(),
	}
}
