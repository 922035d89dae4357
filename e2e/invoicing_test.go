package e2e

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/invoicing"
	invtypes "github.com/aws/aws-sdk-go-v2/service/invoicing/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// invoicingAs is an Invoicing API client (awsJson1_0) as aws-sdk-go-v2
// makes it.
func (s *server) invoicingAs(creds aws.Credentials) *invoicing.Client {
	return invoicing.New(invoicing.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   sdkHTTPClient{},
	})
}

func coupaPreference(buyer string) *invoicing.CreateProcurementPortalPreferenceInput {
	return &invoicing.CreateProcurementPortalPreferenceInput{
		ProcurementPortalName: invtypes.ProcurementPortalNameCoupa,
		BuyerDomain:           invtypes.BuyerDomainNetworkID, BuyerIdentifier: aws.String(buyer),
		SupplierDomain: invtypes.SupplierDomainNetworkID, SupplierIdentifier: aws.String("gatehouse"),
		ProcurementPortalSharedSecret: aws.String("Coupa_Secret"),
		TestEnvPreference: &invtypes.TestEnvPreferenceInput{BuyerDomain: invtypes.BuyerDomainNetworkID, BuyerIdentifier: aws.String(buyer + "_Test"),
			SupplierDomain: invtypes.SupplierDomainNetworkID, SupplierIdentifier: aws.String("gatehouse_test"), ProcurementPortalSharedSecret: aws.String("Coupa_Test_Secret")},
		Selector:                &invtypes.ProcurementPortalPreferenceSelector{SellerOfRecords: []string{"AWS_INC"}},
		EinvoiceDeliveryEnabled: aws.Bool(true),
		EinvoiceDeliveryPreference: &invtypes.EinvoiceDeliveryPreference{
			EinvoiceDeliveryDocumentTypes:  []invtypes.EinvoiceDeliveryDocumentType{invtypes.EinvoiceDeliveryDocumentTypeAwsMarketplaceInvoice},
			Protocol:                       invtypes.ProtocolCxml,
			PurchaseOrderDataSources:       []invtypes.PurchaseOrderDataSource{{EinvoiceDeliveryDocumentType: invtypes.EinvoiceDeliveryDocumentTypeAwsMarketplaceInvoice, PurchaseOrderDataSourceType: invtypes.PurchaseOrderDataSourceTypeAssociatedPurchaseOrderRequired}},
			ConnectionTestingMethod:        invtypes.ConnectionTestingMethodTestEnvReplayTest,
			EinvoiceDeliveryActivationDate: aws.Time(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)),
		},
		PurchaseOrderRetrievalEnabled: aws.Bool(true),
		Contacts:                      []invtypes.Contact{{Name: aws.String("Procurement"), Email: aws.String("procurement@example.com")}},
	}
}

// TestProcurementPortalPreferences drives every procurement-portal
// operation of the Invoicing API with aws-sdk-go-v2 on both stores: the
// management account configures Coupa, the shared secret comes back
// masked, errors come back as the model's exceptions; member accounts
// are refused, the dependent Marketplace actions are required, and SCPs
// that deny them bind member accounts.
func TestProcurementPortalPreferences(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		ctx := ctxFor(t)
		root := srv.as(srv.Key)
		o := buildRealOrg(ctx, t, srv)
		inv := srv.invoicingAs(srv.Key)

		created, err := inv.CreateProcurementPortalPreference(ctx, coupaPreference("Acme"))
		must(t, err, "CreateProcurementPortalPreference")
		arn := created.ProcurementPortalPreferenceArn
		got, err := inv.GetProcurementPortalPreference(ctx, &invoicing.GetProcurementPortalPreferenceInput{ProcurementPortalPreferenceArn: arn})
		must(t, err, "GetProcurementPortalPreference")
		p := got.ProcurementPortalPreference
		if aws.ToString(p.ProcurementPortalSharedSecret) == "Coupa_Secret" || aws.ToString(p.TestEnvPreference.ProcurementPortalSharedSecret) == "Coupa_Test_Secret" {
			t.Error("GetProcurementPortalPreference returned a shared secret")
		}
		if p.ProcurementPortalName != invtypes.ProcurementPortalNameCoupa || aws.ToString(p.AwsAccountId) != ManagementAccount || aws.ToInt64(p.Version) != 1 ||
			p.EinvoiceDeliveryPreferenceStatus != invtypes.ProcurementPortalPreferenceStatusPendingVerification ||
			!aws.ToTime(p.EinvoiceDeliveryPreference.EinvoiceDeliveryActivationDate).Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("GetProcurementPortalPreference = %+v", p)
		}

		_, err = inv.PutProcurementPortalPreference(ctx, &invoicing.PutProcurementPortalPreferenceInput{ProcurementPortalPreferenceArn: arn,
			EinvoiceDeliveryEnabled: aws.Bool(false), PurchaseOrderRetrievalEnabled: aws.Bool(true),
			Contacts: []invtypes.Contact{{Email: aws.String("ap@example.com")}}})
		must(t, err, "PutProcurementPortalPreference")
		_, err = inv.UpdateProcurementPortalPreferenceStatus(ctx, &invoicing.UpdateProcurementPortalPreferenceStatusInput{ProcurementPortalPreferenceArn: arn,
			PurchaseOrderRetrievalPreferenceStatus: invtypes.ProcurementPortalPreferenceStatusActive, PurchaseOrderRetrievalPreferenceStatusReason: aws.String("verified")})
		must(t, err, "UpdateProcurementPortalPreferenceStatus")

		_, err = inv.CreateProcurementPortalPreference(ctx, coupaPreference("Beta"))
		must(t, err, "CreateProcurementPortalPreference Beta")
		pages := invoicing.NewListProcurementPortalPreferencesPaginator(inv, &invoicing.ListProcurementPortalPreferencesInput{MaxResults: aws.Int32(1)})
		var listed []invtypes.ProcurementPortalPreferenceSummary
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			must(t, err, "ListProcurementPortalPreferences")
			listed = append(listed, page.ProcurementPortalPreferences...)
		}
		if len(listed) != 2 {
			t.Fatalf("listed %d preferences, want 2", len(listed))
		}
		for _, s := range listed {
			if aws.ToString(s.ProcurementPortalPreferenceArn) == aws.ToString(arn) &&
				(aws.ToInt64(s.Version) != 3 || s.PurchaseOrderRetrievalPreferenceStatus != invtypes.ProcurementPortalPreferenceStatusActive || aws.ToBool(s.EinvoiceDeliveryEnabled)) {
				t.Errorf("after Put and UpdateStatus: %+v", s)
			}
		}

		t.Run("errors", func(t *testing.T) {
			var conflict *invtypes.ConflictException
			if _, err := inv.CreateProcurementPortalPreference(ctx, coupaPreference("Acme")); !errors.As(err, &conflict) {
				t.Errorf("a second preference for the same buyer credential: %v, want ConflictException", err)
			}
			bad := coupaPreference("Gamma")
			bad.Contacts = append(bad.Contacts, bad.Contacts[0])
			var invalid *invtypes.ValidationException
			if _, err := inv.CreateProcurementPortalPreference(ctx, bad); !errors.As(err, &invalid) || invalid.Reason != invtypes.ValidationExceptionReasonFieldValidationFailed {
				t.Errorf("two contacts: %v, want ValidationException", err)
			}
			_, err = inv.DeleteProcurementPortalPreference(ctx, &invoicing.DeleteProcurementPortalPreferenceInput{ProcurementPortalPreferenceArn: arn})
			must(t, err, "DeleteProcurementPortalPreference")
			var notFound *invtypes.ResourceNotFoundException
			if _, err := inv.GetProcurementPortalPreference(ctx, &invoicing.GetProcurementPortalPreferenceInput{ProcurementPortalPreferenceArn: arn}); !errors.As(err, &notFound) {
				t.Errorf("Get after Delete: %v, want ResourceNotFoundException", err)
			}
			if _, err := inv.DeleteProcurementPortalPreference(ctx, &invoicing.DeleteProcurementPortalPreferenceInput{ProcurementPortalPreferenceArn: arn}); !errors.As(err, &notFound) {
				t.Errorf("Delete after Delete: %v, want ResourceNotFoundException", err)
			}
		})

		t.Run("dependent actions", func(t *testing.T) {
			onlyInvoicing := srv.invoicingAs(newUser(ctx, t, root.iam, "billing", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["invoicing:*","aws-marketplace:DescribeProcurementSystemConfiguration"],"Resource":"*"}]}`))
			_, err := onlyInvoicing.ListProcurementPortalPreferences(ctx, &invoicing.ListProcurementPortalPreferencesInput{})
			must(t, err, "ListProcurementPortalPreferences with the read dependency")
			_, err = onlyInvoicing.CreateProcurementPortalPreference(ctx, coupaPreference("Delta"))
			wantCodeMessage(t, err, "AccessDeniedException", "aws-marketplace:PutProcurementSystemConfiguration")
		})

		t.Run("member accounts", func(t *testing.T) {
			ops := srv.as(newUser(ctx, t, root.iam, "ops", e2eAssumeAny))
			memberCreds := assume(ctx, t, ops.sts, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + o.member + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("ops")})
			member := srv.invoicingAs(memberCreds)
			_, err := member.ListProcurementPortalPreferences(ctx, &invoicing.ListProcurementPortalPreferencesInput{})
			wantCodeMessage(t, err, "AccessDeniedException", "management account")
			deny := o.createPolicy(t, "deny-procurement-system", denySCP("aws-marketplace:DescribeProcurementSystemConfiguration"))
			o.attach(t, deny, o.retail)
			_, err = member.ListProcurementPortalPreferences(ctx, &invoicing.ListProcurementPortalPreferencesInput{})
			wantCodeMessage(t, err, "AccessDeniedException", "aws-marketplace:DescribeProcurementSystemConfiguration")
			wantCodeMessage(t, err, "AccessDeniedException", explicitSCPDeny)
		})
	})
}
