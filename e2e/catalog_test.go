package e2e

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/marketplacecatalog"
	mctypes "github.com/aws/aws-sdk-go-v2/service/marketplacecatalog/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// catalogAs returns a Marketplace Catalog client signing with creds.
func (s *server) catalogAs(creds aws.Credentials) *marketplacecatalog.Client {
	return marketplacecatalog.New(marketplacecatalog.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   sdkHTTPClient{},
	})
}

// TestCatalog drives the Catalog API with aws-sdk-go-v2: a seller's SaaS
// product created and released in one change set with references, read
// back, tagged and listed; a Private Marketplace experience with a
// procurement policy that allows the product; and the errors with the
// statuses of the Catalog model (ValidationException 422,
// ResourceNotFoundException 404).
func TestCatalog(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		ctx := ctxFor(t)
		mc := srv.catalogAs(srv.Key)
		ref := "$Create.Entity.Identifier"
		start := need(mc.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{
			Catalog: aws.String("AWSMarketplace"), ChangeSetName: aws.String("launch"),
			ChangeSetTags: []mctypes.Tag{{Key: aws.String("team"), Value: aws.String("sales")}},
			ChangeSet: []mctypes.Change{
				{ChangeType: aws.String("CreateProduct"), ChangeName: aws.String("Create"), Entity: &mctypes.Entity{Type: aws.String("SaaSProduct@1.0")},
					Details: aws.String(`{"ProductTitle":"Gatehouse Scanner"}`)},
				{ChangeType: aws.String("UpdateInformation"), Entity: &mctypes.Entity{Type: aws.String("SaaSProduct@1.0"), Identifier: &ref},
					Details: aws.String(`{"ShortDescription":"Scans","LongDescription":"Scans everything","LogoUrl":"https://example.com/l.png","Categories":["Security"]}`)},
				{ChangeType: aws.String("AddDeliveryOptions"), Entity: &mctypes.Entity{Type: aws.String("SaaSProduct@1.0"), Identifier: &ref},
					Details: aws.String(`{"DeliveryOptions":[{"Details":{"SaaSUrlDeliveryOptionDetails":{"FulfillmentUrl":"https://example.com/signup"}}}]}`)},
				{ChangeType: aws.String("ReleaseProduct"), Entity: &mctypes.Entity{Type: aws.String("SaaSProduct@1.0"), Identifier: &ref}, Details: aws.String("{}")},
			},
		}))(t)
		desc := need(mc.DescribeChangeSet(ctx, &marketplacecatalog.DescribeChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSetId: start.ChangeSetId}))(t)
		if desc.Status != mctypes.ChangeStatusSucceeded || len(desc.ChangeSet) != 4 {
			t.Fatalf("DescribeChangeSet: %s %+v", desc.Status, desc.ChangeSet)
		}
		product := aws.ToString(desc.ChangeSet[0].Entity.Identifier)
		ent := need(mc.DescribeEntity(ctx, &marketplacecatalog.DescribeEntityInput{Catalog: aws.String("AWSMarketplace"), EntityId: &product}))(t)
		if aws.ToString(ent.EntityType) != "SaaSProduct@1.0" || !strings.Contains(aws.ToString(ent.Details), `"Visibility":"Limited"`) {
			t.Errorf("DescribeEntity: %s %s", aws.ToString(ent.EntityType), aws.ToString(ent.Details))
		}
		list := need(mc.ListEntities(ctx, &marketplacecatalog.ListEntitiesInput{Catalog: aws.String("AWSMarketplace"), EntityType: aws.String("SaaSProduct")}))(t)
		if len(list.EntitySummaryList) != 1 || list.EntitySummaryList[0].SaaSProductSummary == nil || aws.ToString(list.EntitySummaryList[0].SaaSProductSummary.ProductTitle) != "Gatehouse Scanner" {
			t.Errorf("ListEntities: %+v", list.EntitySummaryList)
		}
		need(mc.TagResource(ctx, &marketplacecatalog.TagResourceInput{ResourceArn: ent.EntityArn, Tags: []mctypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))(t)
		tags := need(mc.ListTagsForResource(ctx, &marketplacecatalog.ListTagsForResourceInput{ResourceArn: ent.EntityArn}))(t)
		if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "env" {
			t.Errorf("tags: %+v", tags.Tags)
		}
		sets := need(mc.ListChangeSets(ctx, &marketplacecatalog.ListChangeSetsInput{Catalog: aws.String("AWSMarketplace"),
			FilterList: []mctypes.Filter{{Name: aws.String("EntityId"), ValueList: []string{product}}}}))(t)
		if len(sets.ChangeSetSummaryList) != 1 {
			t.Errorf("ListChangeSets: %+v", sets.ChangeSetSummaryList)
		}

		exp := "$Exp.Entity.Identifier"
		pmp := need(mc.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{
			Catalog: aws.String("AWSMarketplace"),
			ChangeSet: []mctypes.Change{
				{ChangeType: aws.String("CreateExperience"), ChangeName: aws.String("Exp"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0")}, Details: aws.String(`{"Name":"Company marketplace"}`)},
				{ChangeType: aws.String("CreateProcurementPolicy"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0"), Identifier: &exp}, Details: aws.String(`{"Configuration":{"PolicyResourceRequests":"Allow"}}`)},
				{ChangeType: aws.String("AllowProductProcurement"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0"), Identifier: &exp}, Details: aws.String(`{"Products":[{"Ids":["` + product + `"]}]}`)},
			},
		}))(t)
		pd := need(mc.DescribeChangeSet(ctx, &marketplacecatalog.DescribeChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSetId: pmp.ChangeSetId}))(t)
		if pd.Status != mctypes.ChangeStatusSucceeded {
			t.Fatalf("PMP change set: %s %+v", pd.Status, pd.ChangeSet)
		}

		_, err := mc.DescribeEntity(ctx, &marketplacecatalog.DescribeEntityInput{Catalog: aws.String("AWSMarketplace"), EntityId: aws.String("prod-unknown0000001")})
		wantStatus[*mctypes.ResourceNotFoundException](t, err, 404)
		_, err = mc.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSet: []mctypes.Change{
			{ChangeType: aws.String("CreateProduct"), Entity: &mctypes.Entity{Type: aws.String("Spaceship@1.0")}, Details: aws.String("{}")}}})
		wantStatus[*mctypes.ValidationException](t, err, 422)
		bad := need(mc.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSet: []mctypes.Change{
			{ChangeType: aws.String("CreateProduct"), Entity: &mctypes.Entity{Type: aws.String("SaaSProduct@1.0")}, Details: aws.String(`{"Title":"x"}`)}}}))(t)
		bd := need(mc.DescribeChangeSet(ctx, &marketplacecatalog.DescribeChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSetId: bad.ChangeSetId}))(t)
		if bd.Status != mctypes.ChangeStatusFailed || bd.FailureCode != mctypes.FailureCodeClientError || len(bd.ChangeSet[0].ErrorDetailList) == 0 {
			t.Errorf("failed change set: %s %s %+v", bd.Status, bd.FailureCode, bd.ChangeSet)
		}
	})
}

// wantStatus checks that err is the SDK's typed error T sent with an
// HTTP status.
func wantStatus[T error](t *testing.T, err error, status int) {
	t.Helper()
	var e T
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want %T", err, e)
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Errorf("got status %v, want %d", err, status)
	}
}

// need returns v, failing the test given to the returned function when
// err is not nil: need(client.Op(ctx, in))(t).
func need[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}
