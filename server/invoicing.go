package server

import (
	"context"
	"time"

	"gatehouse/awsapi"
	"gatehouse/principal"
	"gatehouse/procurement"
)

// invoicingTargetPrefix is the AWS Invoicing API's X-Amz-Target prefix
// (invoicing 2024-12-01, awsJson1_0).
const invoicingTargetPrefix = "Invoicing"

// The Marketplace actions the procurement-portal operations depend on:
// the Invoicing API configures the procurement system AWS Marketplace
// buys through, so changing it needs
// aws-marketplace:PutProcurementSystemConfiguration and reading it
// aws-marketplace:DescribeProcurementSystemConfiguration, and SCPs that
// guard the Marketplace's procurement setup guard this API too.
const (
	actionPutProcurementSystem      = "aws-marketplace:PutProcurementSystemConfiguration"
	actionDescribeProcurementSystem = "aws-marketplace:DescribeProcurementSystemConfiguration"
)

// invoicingOp declares an Invoicing operation served by a
// procurement.Service method: its IAM action is invoicing:NAME, with the
// dependent action given.
func invoicingOp[In, Out any](name string, f func(context.Context, *principal.Caller, In) (Out, error), dependent string) *Operation {
	o := op("invoicing", name, "invoicing:"+name, func(ctx context.Context, c *Call, in *In) (*Out, error) {
		out, err := f(ctx, c.Caller, *in)
		if err != nil {
			return nil, err
		}
		return &out, nil
	})
	return withDependent(o, dependent)
}

// preferenceTarget authorizes a request on the preference its ARN names.
func preferenceTarget[In any](arn func(*In) string) func(context.Context, *Call, *In) (target, error) {
	return func(_ context.Context, _ *Call, in *In) (target, error) {
		if a := arn(in); a != "" {
			return target{ARNs: []string{a}}, nil
		}
		return target{}, nil
	}
}

// invoicingOperations declares the Invoicing API's procurement-portal
// operations.
func (s *Server) invoicingOperations() []*Operation {
	p := s.deps.Procurement
	if p == nil {
		return nil
	}
	return []*Operation{
		invoicingOp("CreateProcurementPortalPreference", func(ctx context.Context, c *principal.Caller, in createPortalInput) (procurement.CreateProcurementPortalPreferenceOutput, error) {
			in.CreateProcurementPortalPreferenceInput.EinvoiceDeliveryPreference = in.EinvoiceDeliveryPreference.domain()
			return p.CreateProcurementPortalPreference(ctx, c, in.CreateProcurementPortalPreferenceInput)
		}, actionPutProcurementSystem),
		on(invoicingOp("GetProcurementPortalPreference", p.GetProcurementPortalPreference, actionDescribeProcurementSystem).readOnly(),
			preferenceTarget(func(in *procurement.GetProcurementPortalPreferenceInput) string {
				return in.ProcurementPortalPreferenceArn
			})),
		invoicingOp("ListProcurementPortalPreferences", p.ListProcurementPortalPreferences, actionDescribeProcurementSystem).readOnly(),
		on(invoicingOp("PutProcurementPortalPreference", func(ctx context.Context, c *principal.Caller, in putPortalInput) (procurement.PutProcurementPortalPreferenceOutput, error) {
			in.PutProcurementPortalPreferenceInput.EinvoiceDeliveryPreference = in.EinvoiceDeliveryPreference.domain()
			return p.PutProcurementPortalPreference(ctx, c, in.PutProcurementPortalPreferenceInput)
		}, actionPutProcurementSystem), preferenceTarget(func(in *putPortalInput) string { return in.ProcurementPortalPreferenceArn })),
		on(invoicingOp("UpdateProcurementPortalPreferenceStatus", p.UpdateProcurementPortalPreferenceStatus, actionPutProcurementSystem),
			preferenceTarget(func(in *procurement.UpdateProcurementPortalPreferenceStatusInput) string {
				return in.ProcurementPortalPreferenceArn
			})),
		on(invoicingOp("DeleteProcurementPortalPreference", p.DeleteProcurementPortalPreference, actionPutProcurementSystem),
			preferenceTarget(func(in *procurement.DeleteProcurementPortalPreferenceInput) string {
				return in.ProcurementPortalPreferenceArn
			})),
	}
}

// createPortalInput is CreateProcurementPortalPreference's input with the
// activation date in the wire's timestamp form.
type createPortalInput struct {
	procurement.CreateProcurementPortalPreferenceInput
	EinvoiceDeliveryPreference *wireDeliveryPreference
}

// putPortalInput is PutProcurementPortalPreference's input with the
// activation date in the wire's timestamp form.
type putPortalInput struct {
	procurement.PutProcurementPortalPreferenceInput
	EinvoiceDeliveryPreference *wireDeliveryPreference
}

// wireDeliveryPreference is an EinvoiceDeliveryPreference as the JSON
// protocol sends it (the activation date in epoch seconds).
type wireDeliveryPreference struct {
	EinvoiceDeliveryDocumentTypes   []string
	EinvoiceDeliveryAttachmentTypes []string
	Protocol                        string
	PurchaseOrderDataSources        []procurement.PurchaseOrderDataSource
	ConnectionTestingMethod         string
	EinvoiceDeliveryActivationDate  *awsapi.Time
}

func (w *wireDeliveryPreference) domain() *procurement.EinvoiceDeliveryPreference {
	if w == nil {
		return nil
	}
	var date *time.Time
	if w.EinvoiceDeliveryActivationDate != nil {
		date = &w.EinvoiceDeliveryActivationDate.Time
	}
	return &procurement.EinvoiceDeliveryPreference{EinvoiceDeliveryDocumentTypes: w.EinvoiceDeliveryDocumentTypes,
		EinvoiceDeliveryAttachmentTypes: w.EinvoiceDeliveryAttachmentTypes, Protocol: w.Protocol,
		PurchaseOrderDataSources: w.PurchaseOrderDataSources, ConnectionTestingMethod: w.ConnectionTestingMethod,
		EinvoiceDeliveryActivationDate: date}
}
