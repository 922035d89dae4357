package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"gatehouse/approval"
	"gatehouse/awsapi"
	"gatehouse/awserr"
	"gatehouse/principal"
)

// Gatehouse's purchase approval API has no AWS model. Like the Deployment
// API it is REST-JSON on the aws-marketplace signing name, with JSON
// members under their Go names and the Catalog's REST-JSON errors:
//
//	GET  /purchase-approvals/settings            → {"Settings":{...}}        gatehouse:GetApprovalSettings
//	PUT  /purchase-approvals/settings            {"Settings":{"RequireApproval":true,"Experiences":["exp-..."],
//	     "SkipFree":true,"SkipByol":true,"WebhookUrl":"https://..."},"WebhookSecret":"..."}
//	     → {"Settings":{...}}                                               gatehouse:PutApprovalSettings
//	GET  /purchase-requests?status=&accountId=&maxResults=&nextToken=
//	     → {"PurchaseRequests":[...],"NextToken":"..."}                     gatehouse:ListPurchaseRequests
//	POST /purchase-requests/{id}/approve         {"PurchaseOrderNumber":"PO-1","Reason":"..."}
//	     → {"PurchaseRequest":{...}}                                        gatehouse:ApprovePurchaseRequest
//	POST /purchase-requests/{id}/decline         {"Reason":"..."}           gatehouse:ApprovePurchaseRequest
//	POST /purchase-requests/{id}/cancel          {"Reason":"..."}           gatehouse:CancelPurchaseRequest
//	POST /purchase-requests/{id}/justify         {"Justification":"..."}
//	     → {"PurchaseRequest":{...}}                                        gatehouse:UpdatePurchaseRequest
//
// Declining is authorized as gatehouse:ApprovePurchaseRequest: whoever
// may approve may decline. Justifying is authorized as
// gatehouse:UpdatePurchaseRequest, the action of the requester's changes
// to a pending request. All are authorized on "*"; the service checks
// that the caller's account is the requesting account or its
// organization's management account.
var approvalProtocol = approvalREST{restJSONProtocol{
	statuses: map[string]int{
		"AccessDeniedException":     403,
		"ConflictException":         409,
		"ResourceNotFoundException": 404,
		"ThrottlingException":       429,
		"ValidationException":       400,
	},
}}

// The approval API's paths.
const (
	approvalSettingsPath = "/purchase-approvals/settings"
	purchaseRequestsPath = "/purchase-requests"
)

// isApprovalPath reports whether a path is the approval API's.
func isApprovalPath(p string) bool {
	return p == approvalSettingsPath || p == purchaseRequestsPath || strings.HasPrefix(p, purchaseRequestsPath+"/")
}

// approvalREST is restJSONProtocol with the approval API's routes.
type approvalREST struct{ restJSONProtocol }

// purchaseRequestAction splits /purchase-requests/{id}/{action}.
func purchaseRequestAction(p string) (id, action string, ok bool) {
	rest, ok := strings.CutPrefix(p, purchaseRequestsPath+"/")
	if !ok {
		return "", "", false
	}
	id, action, ok = strings.Cut(rest, "/")
	return id, action, ok && id != "" && !strings.Contains(action, "/")
}

func (p approvalREST) operation(r *http.Request, _ []byte) (string, error) {
	switch {
	case r.URL.Path == approvalSettingsPath && r.Method == http.MethodGet:
		return "GetApprovalSettings", nil
	case r.URL.Path == approvalSettingsPath && r.Method == http.MethodPut:
		return "PutApprovalSettings", nil
	case r.URL.Path == purchaseRequestsPath && r.Method == http.MethodGet:
		return "ListPurchaseRequests", nil
	}
	if _, action, ok := purchaseRequestAction(r.URL.Path); ok && r.Method == http.MethodPost {
		switch action {
		case "approve":
			return "ApprovePurchaseRequest", nil
		case "decline":
			return "DeclinePurchaseRequest", nil
		case "cancel":
			return "CancelPurchaseRequest", nil
		case "justify":
			return "UpdatePurchaseRequestJustification", nil
		}
	}
	return "", awserr.ErrUnknownOperationException.Newf("No operation answers %s %s.", r.Method, r.URL.Path)
}

func (p approvalREST) decode(r *http.Request, body []byte, in any) error {
	if err := awsapi.DecodeJSON(body, in); err != nil {
		return err
	}
	id, _, _ := purchaseRequestAction(r.URL.Path)
	q := r.URL.Query()
	switch in := in.(type) {
	case *approval.ListPurchaseRequestsInput:
		in.Status, in.AccountId, in.NextToken = q.Get("status"), q.Get("accountId"), q.Get("nextToken")
		if m := q.Get("maxResults"); m != "" {
			n, err := strconv.ParseInt(m, 10, 32)
			if err != nil {
				return awserr.ErrValidationException.New("maxResults must be a number.")
			}
			n32 := int32(n)
			in.MaxResults = &n32
		}
	case *approval.ApprovePurchaseRequestInput:
		in.PurchaseRequestId = id
	case *approval.DeclinePurchaseRequestInput:
		in.PurchaseRequestId = id
	case *approval.CancelPurchaseRequestInput:
		in.PurchaseRequestId = id
	case *approval.UpdatePurchaseRequestJustificationInput:
		in.PurchaseRequestId = id
	}
	return nil
}

// approvalOp declares an approval operation served by an
// approval.Service method and authorized as the IAM action given.
func approvalOp[In, Out any](name, action string, f func(context.Context, *principal.Caller, In) (Out, error)) *Operation {
	return op("aws-marketplace", name, action, func(ctx context.Context, c *Call, in *In) (*Out, error) {
		out, err := f(ctx, c.Caller, *in)
		if err != nil {
			return nil, err
		}
		return &out, nil
	})
}

// approvalOperations declares Gatehouse's purchase approval API.
func (s *Server) approvalOperations() []*Operation {
	a := s.deps.Approvals
	if a == nil {
		return nil
	}
	return []*Operation{
		approvalOp("GetApprovalSettings", "gatehouse:GetApprovalSettings", a.GetApprovalSettings).readOnly(),
		approvalOp("PutApprovalSettings", "gatehouse:PutApprovalSettings", a.PutApprovalSettings),
		approvalOp("ListPurchaseRequests", "gatehouse:ListPurchaseRequests", a.ListPurchaseRequests).readOnly(),
		approvalOp("ApprovePurchaseRequest", "gatehouse:ApprovePurchaseRequest", a.ApprovePurchaseRequest),
		approvalOp("DeclinePurchaseRequest", "gatehouse:ApprovePurchaseRequest", a.DeclinePurchaseRequest),
		approvalOp("CancelPurchaseRequest", "gatehouse:CancelPurchaseRequest", a.CancelPurchaseRequest),
		approvalOp("UpdatePurchaseRequestJustification", "gatehouse:UpdatePurchaseRequest", a.UpdatePurchaseRequestJustification),
	}
}
