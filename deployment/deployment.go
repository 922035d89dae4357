// Package deployment is Gatehouse's deployment service: a principal of an
// account that holds an active agreement for a product deploys it. A
// deployment records the product, version, delivery option, account and
// principal, and returns the delivery details (container image URIs, an
// AMI id or a SaaS fulfillment URL) from the product's delivery options.
// Without an active agreement for the product in the caller's account,
// CreateDeployment fails: developers deploy software only once someone
// bought it in their account.
//
// AWS has no API for this; its actions use Gatehouse's own prefix
// (gatehouse:CreateDeployment, gatehouse:ListDeployments,
// gatehouse:DeleteDeployment). The package knows nothing of HTTP and
// checks no IAM permission.
package deployment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"gatehouse/agreement"
	"gatehouse/awserr"
	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/randid"
	"gatehouse/store"
)

// Agreements finds the agreement a deployment rests on; the
// agreement.Service implements it.
type Agreements interface {
	ActiveAgreement(ctx context.Context, tx store.Tx, account, productID string) (agreement.Agreement, bool, error)
}

// Products reads a product's versions and delivery options; the
// catalog.Service implements it.
type Products interface {
	ProductForDeployment(ctx context.Context, tx store.Tx, productID string) (catalog.DeployableProduct, bool, error)
}

// Service is the deployment service. Set its fields before first use; it
// is then safe for concurrent use.
type Service struct {
	Store      store.Store
	Agreements Agreements
	Products   Products
	// Region is the region in deployment ARNs.
	Region string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Rand is the source of random ids; nil means crypto/rand.
	Rand io.Reader
}

// New returns a Service with the system clock.
func New(st store.Store, agreements Agreements, products Products, region string) *Service {
	return &Service{Store: st, Agreements: agreements, Products: products, Region: region, Now: time.Now}
}

// kindDeployment holds deployments; Parent is the account, Name the
// product.
const kindDeployment = "deployment"

// Deployment is one deployment of a product.
type Deployment struct {
	DeploymentId  string
	DeploymentArn string
	AccountId     string
	// CreatedBy is the principal that deployed.
	CreatedBy          string
	CreatedAt          time.Time
	ProductId          string
	ProductType        string
	ProductTitle       string
	VersionId          string
	VersionTitle       string
	DeliveryOptionId   string
	DeliveryOptionType string
	// AgreementId is the active agreement the deployment rests on.
	AgreementId string
	Delivery    Delivery
}

// Delivery is how to run what was deployed: the fields of its delivery
// option's type are set.
type Delivery struct {
	// FulfillmentUrl is a SaaS product's registration page.
	FulfillmentUrl string
	// ContainerImages are a container product's image URIs.
	ContainerImages []string
	// AmiId and the rest describe an AMI product's image.
	AmiId                   string
	OperatingSystemName     string
	UserName                string
	RecommendedInstanceType string
	UsageInstructions       string
}

// CreateDeploymentInput is CreateDeployment's input. VersionId defaults
// to the product's latest version and DeliveryOptionId to that version's
// first delivery option.
type CreateDeploymentInput struct {
	ProductId        string
	VersionId        string
	DeliveryOptionId string
}

// CreateDeploymentOutput is CreateDeployment's output.
type CreateDeploymentOutput struct {
	Deployment Deployment
}

// ListDeploymentsInput is ListDeployments' input: the caller's account's
// deployments, of one product when ProductId is set.
type ListDeploymentsInput struct {
	ProductId  string
	MaxResults *int32
	NextToken  string
}

// ListDeploymentsOutput is ListDeployments' output.
type ListDeploymentsOutput struct {
	Deployments []Deployment
	NextToken   string
}

// DeleteDeploymentInput is DeleteDeployment's input.
type DeleteDeploymentInput struct {
	DeploymentId string
}

// DeleteDeploymentOutput is DeleteDeployment's (empty) output.
type DeleteDeploymentOutput struct{}

var (
	reProductID    = regexp.MustCompile(`^prod-[a-z0-9]{1,64}$`)
	reDeploymentID = regexp.MustCompile(`^dep-[a-z0-9]{1,64}$`)
	reOptionalID   = regexp.MustCompile(`^[A-Za-z0-9_-]{0,128}$`)
)

// ARN returns the ARN of a deployment:
// arn:aws:gatehouse:REGION:ACCOUNT:deployment/ID.
func (s *Service) ARN(account, id string) string {
	return "arn:aws:gatehouse:" + s.Region + ":" + account + ":deployment/" + id
}

// CreateDeployment deploys a product in the caller's account, which must
// hold an active agreement for it.
func (s *Service) CreateDeployment(ctx context.Context, caller *principal.Caller, in CreateDeploymentInput) (CreateDeploymentOutput, error) {
	if !reProductID.MatchString(in.ProductId) {
		return CreateDeploymentOutput{}, awserr.ErrValidationException.New("ProductId must be a product id such as prod-abcdefghijklm.")
	}
	if !reOptionalID.MatchString(in.VersionId) || !reOptionalID.MatchString(in.DeliveryOptionId) {
		return CreateDeploymentOutput{}, awserr.ErrValidationException.New("VersionId and DeliveryOptionId must be ids of the product's versions and delivery options.")
	}
	var out CreateDeploymentOutput
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		d, err := s.create(ctx, tx, caller, in)
		out.Deployment = d
		return err
	})
	return out, err
}

func (s *Service) create(ctx context.Context, tx store.Tx, caller *principal.Caller, in CreateDeploymentInput) (Deployment, error) {
	p, found, err := s.Products.ProductForDeployment(ctx, tx, in.ProductId)
	if err != nil {
		return Deployment{}, err
	}
	if !found {
		return Deployment{}, awserr.ErrResourceNotFoundException.Newf("Product %s was not found.", in.ProductId)
	}
	a, ok, err := s.Agreements.ActiveAgreement(ctx, tx, caller.Account, p.ProductId)
	if err != nil {
		return Deployment{}, err
	}
	if !ok {
		return Deployment{}, awserr.ErrAccessDeniedException.Newf("Account %s has no active agreement for product %s: it must be bought in this account (AcceptAgreementRequest) before it is deployed.", caller.Account, p.ProductId)
	}
	v, o, err := pick(p, in)
	if err != nil {
		return Deployment{}, err
	}
	id, err := s.newID()
	if err != nil {
		return Deployment{}, err
	}
	d := Deployment{DeploymentId: id, DeploymentArn: s.ARN(caller.Account, id), AccountId: caller.Account, CreatedBy: caller.ARN, CreatedAt: s.now(),
		ProductId: p.ProductId, ProductType: p.Type, ProductTitle: p.Title, VersionId: v.Id, VersionTitle: v.VersionTitle,
		DeliveryOptionId: o.Id, DeliveryOptionType: o.Type, AgreementId: a.AgreementId,
		Delivery: Delivery{FulfillmentUrl: o.FulfillmentUrl, ContainerImages: o.ContainerImages, AmiId: o.AmiId, OperatingSystemName: o.OperatingSystemName,
			UserName: o.UserName, RecommendedInstanceType: o.RecommendedInstanceType, UsageInstructions: o.UsageInstructions}}
	if d.Delivery.ContainerImages == nil {
		d.Delivery.ContainerImages = []string{}
	}
	return d, store.Put(ctx, tx, store.Record{Kind: kindDeployment, ID: id, Parent: caller.Account, Name: p.ProductId}, &d)
}

// pick returns the version and delivery option to deploy.
func pick(p catalog.DeployableProduct, in CreateDeploymentInput) (catalog.ProductVersion, catalog.DeliveryOption, error) {
	if len(p.Versions) == 0 {
		return catalog.ProductVersion{}, catalog.DeliveryOption{}, awserr.ErrConflictException.Newf("Product %s has no version to deploy.", p.ProductId)
	}
	v := p.Versions[len(p.Versions)-1]
	if in.VersionId != "" {
		found := false
		for _, pv := range p.Versions {
			if pv.Id == in.VersionId {
				v, found = pv, true
			}
		}
		if !found {
			return v, catalog.DeliveryOption{}, awserr.ErrResourceNotFoundException.Newf("Product %s has no version %s.", p.ProductId, in.VersionId)
		}
	}
	for _, o := range v.DeliveryOptions {
		if in.DeliveryOptionId == "" || o.Id == in.DeliveryOptionId {
			return v, o, nil
		}
	}
	return v, catalog.DeliveryOption{}, awserr.ErrResourceNotFoundException.Newf("Version %s of product %s has no delivery option %q.", v.Id, p.ProductId, in.DeliveryOptionId)
}

// ListDeployments lists the caller's account's deployments, newest first.
func (s *Service) ListDeployments(ctx context.Context, caller *principal.Caller, in ListDeploymentsInput) (ListDeploymentsOutput, error) {
	limit := 100
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 100 {
			return ListDeploymentsOutput{}, awserr.ErrValidationException.New("MaxResults must be between 1 and 100.")
		}
		limit = int(*in.MaxResults)
	}
	if in.ProductId != "" && !reProductID.MatchString(in.ProductId) {
		return ListDeploymentsOutput{}, awserr.ErrValidationException.New("ProductId must be a product id such as prod-abcdefghijklm.")
	}
	if in.NextToken != "" && !reDeploymentID.MatchString(in.NextToken) {
		return ListDeploymentsOutput{}, awserr.ErrValidationException.New("The NextToken is not valid.")
	}
	var out ListDeploymentsOutput
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		// Ids sort in creation order within a second at best; page by id,
		// which is stable, and let callers sort by CreatedAt.
		list, err := store.List[Deployment](ctx, tx, store.Query{Kind: kindDeployment, Parent: caller.Account, Name: in.ProductId, After: in.NextToken, Limit: limit + 1})
		if err != nil {
			return err
		}
		if len(list) > limit {
			list = list[:limit]
			out.NextToken = list[limit-1].DeploymentId
		}
		out.Deployments = list
		return nil
	})
	return out, err
}

// DeleteDeployment removes a deployment of the caller's account.
func (s *Service) DeleteDeployment(ctx context.Context, caller *principal.Caller, in DeleteDeploymentInput) (DeleteDeploymentOutput, error) {
	if !reDeploymentID.MatchString(in.DeploymentId) {
		return DeleteDeploymentOutput{}, awserr.ErrValidationException.New("DeploymentId must be a deployment id such as dep-abcdefghijklmnopq.")
	}
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		d, err := store.Get[Deployment](ctx, tx, kindDeployment, in.DeploymentId)
		if errors.Is(err, store.ErrNotFound) || (err == nil && d.AccountId != caller.Account) {
			return awserr.ErrResourceNotFoundException.Newf("Deployment %s was not found.", in.DeploymentId)
		}
		if err != nil {
			return err
		}
		return tx.Delete(ctx, kindDeployment, in.DeploymentId)
	})
	return DeleteDeploymentOutput{}, err
}

func (s *Service) now() time.Time {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return now().UTC().Truncate(time.Millisecond)
}

// newID returns a deployment id: dep- and 17 of [0-9a-z], drawn
// uniformly from s.Rand.
func (s *Service) newID() (string, error) {
	id, err := randid.String(s.Rand, randid.LowerAlnum, 17)
	if err != nil {
		return "", fmt.Errorf("deployment: random id: %w", err)
	}
	return "dep-" + id, nil
}
