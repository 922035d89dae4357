package catalog

import (
	"context"
	"errors"
	"slices"
	"time"

	"gatehouse/awserr"
	"gatehouse/store"
)

// Private Marketplace procurement requests: a user of an account that an
// enabled experience governs asks for a product to be allowed.
//
// AWS documents the entity type ProductProcurementRequest and the change
// types CreateProductProcurementRequest and CancelProductProcurementRequest
// (the AWSPrivateMarketplaceRequests managed policy allows exactly these,
// on arn:aws:aws-marketplace:*:*:AWSMarketplace/ProductProcurementRequest/*),
// and the life of a request in its EventBridge events: created, approved,
// declined by an administrator, or declined by the system after 30 days
// (AWS Marketplace Buyer Guide, Private Marketplace EventBridge events).
// It documents neither the details of these change types nor how an
// administrator answers a request through the Catalog API. Gatehouse's
// design, in the same style:
//
//   - CreateProductProcurementRequest (creates the entity):
//     {"ProductId": "prod-…", "Justification": "…"}. The experience that
//     governs the caller's account must be enabled and accept requests
//     (its procurement policy's PolicyResourceRequests is Allow); the
//     product must be neither allowed nor denied there already, and the
//     account may have one pending request per product.
//   - CancelProductProcurementRequest: {}; the requester's account
//     withdraws a pending request.
//   - ApproveProductProcurementRequest: {"Notes": "…"} (optional, as
//     AllowProductProcurement's): the product becomes allowed in the
//     experience that governs the requester's account.
//   - DeclineProductProcurementRequest: {"Reason": "…", "Block": true}:
//     with Block, the product is also denied in that experience, which
//     refuses further requests for it.
//
// AllowProductProcurement and DenyProductProcurement answer the pending
// requests for their products made under the experience too: approved,
// or declined and blocked.
//
// Approving and declining are for the organization's Private Marketplace
// administrators. The legacy permission names are their dependent
// actions: creating and cancelling need
// aws-marketplace:CreatePrivateMarketplaceRequests, approving
// AssociateProductsWithPrivateMarketplace, declining (which keeps the
// product out) DisassociateProductsFromPrivateMarketplace; listing
// requests needs ListPrivateMarketplaceRequests and describing them
// DescribePrivateMarketplaceRequests (see ListActions, DescribeActions).
//
// A request is owned by the requester's account: its users list their
// account's requests with ListEntities (OwnershipType SELF), the
// organization's administrators every account's (SHARED). The entity
// summary's Name is the product's title and its Visibility the request's
// status, which the Status filter matches. A request still pending 30
// days after it was made is declined when it is next read.

// Statuses of a procurement request.
const (
	RequestPending   = "Pending"
	RequestApproved  = "Approved"
	RequestDeclined  = "Declined"
	RequestCancelled = "Cancelled"
)

// RequestLifetime is how long a request waits for an answer before it is
// declined: "the system auto-declines after 30 days".
const RequestLifetime = 30 * 24 * time.Hour

// ExpiredReason is the DeclineReason of a request nobody answered.
const ExpiredReason = "The request was not answered within 30 days."

// ProductProcurementRequestDetails is a ProductProcurementRequest@1.0
// entity's DetailsDocument.
type ProductProcurementRequestDetails struct {
	ProductId    string
	ProductTitle string `json:",omitempty"`
	// ExperienceId is the experience that governed the requester's account
	// when the request was made, or that answered it.
	ExperienceId string
	// RequesterAccountId and RequesterArn are who asked: the account and
	// the ARN of the user or role session.
	RequesterAccountId string
	RequesterArn       string
	Justification      string
	Status             string
	CreatedDate        string
	ExpirationDate     string
	// ResolvedBy is the ARN of the principal that approved, declined or
	// cancelled the request; empty when it expired.
	ResolvedBy     string `json:",omitempty"`
	ResolutionDate string `json:",omitempty"`
	DeclineReason  string `json:",omitempty"`
	// Blocked reports a decline that denied the product in the experience.
	Blocked bool   `json:",omitempty"`
	Notes   string `json:",omitempty"`
}

type (
	createRequestDetails struct {
		ProductId     *string
		Justification *string
	}
	approveRequestDetails struct {
		Notes *string
	}
	declineRequestDetails struct {
		Reason *string
		Block  *bool
	}
)

func (in *createRequestDetails) check(p *problems) {
	p.requiredText("ProductId", in.ProductId, 1, 50, reResourceID)
	p.requiredText("Justification", in.Justification, 1, 1000)
}

func (in *declineRequestDetails) check(p *problems) {
	p.requiredText("Reason", in.Reason, 1, 1000)
}

// Dependent actions of the request change types and reads.
const (
	actionCreateRequests   = "aws-marketplace:CreatePrivateMarketplaceRequests"
	actionListRequests     = "aws-marketplace:ListPrivateMarketplaceRequests"
	actionDescribeRequests = "aws-marketplace:DescribePrivateMarketplaceRequests"
	actionAssociate        = "aws-marketplace:AssociateProductsWithPrivateMarketplace"
	actionDisassociate     = "aws-marketplace:DisassociateProductsFromPrivateMarketplace"
)

func requestHandlers() map[string]handler {
	return map[string]handler{
		"CreateProductProcurementRequest":  {creates: true, apply: createRequest, actions: []string{actionCreateRequests}},
		"CancelProductProcurementRequest":  {apply: cancelRequest, actions: []string{actionCreateRequests}},
		"ApproveProductProcurementRequest": {apply: approveRequest, actions: []string{actionAssociate}},
		"DeclineProductProcurementRequest": {apply: declineRequest, actions: []string{actionDisassociate}},
	}
}

// ListActions returns the further IAM actions ListEntities of an entity
// type (with or without version) needs besides aws-marketplace:ListEntities.
func ListActions(entityType string) []string {
	if t, err := parseEntityType(entityType, false); err == nil && t.request {
		return []string{actionListRequests}
	}
	return nil
}

// DescribeActions returns the further IAM actions reading the entity of
// an ARN needs besides aws-marketplace:DescribeEntity.
func DescribeActions(arn string) []string {
	if ref, ok := parseARN(arn); ok && ref.typ == TypeProductProcurementRequest {
		return []string{actionDescribeRequests}
	}
	return nil
}

// adminOrNil returns the account's administrator information, or nil
// when it administers no Private Marketplace.
func (s *Service) adminOrNil(ctx context.Context, tx store.Tx, account string) (*adminInfo, error) {
	admin, err := s.pmpAdmin(ctx, tx, account)
	if errors.Is(err, awserr.ErrAccessDeniedException) {
		return nil, nil
	}
	return admin, err
}

// expireRequest declines a request entity that has been pending for
// RequestLifetime, in memory: readers see it declined, and the next change
// set that touches it stores it so.
func expireRequest(e *entityRec, now time.Time) error {
	if e.Type != TypeProductProcurementRequest || e.Visibility != RequestPending {
		return nil
	}
	due := e.Created.Add(RequestLifetime)
	if now.Before(due) {
		return nil
	}
	var d ProductProcurementRequestDetails
	if err := decodeStored(e, &d); err != nil {
		return err
	}
	d.Status, d.DeclineReason, d.ResolutionDate = RequestDeclined, ExpiredReason, isoTime(due)
	e.Visibility, e.Modified = RequestDeclined, due
	return storeDetails(e, &d)
}

// requestPolicy is the procurement policy of the experience that governs
// an account, with the experience, which must not be restricted; for a
// new request (enabled set) it must be enabled too.
func (a *applier) requestPolicy(account string, enabled bool) (exp *entityRec, pol *entityRec, pd *ProcurementPolicyDetails, err error) {
	g, ok, err := a.s.GoverningExperience(a.ctx, a.tx, account)
	if err != nil {
		return nil, nil, nil, err
	}
	if !ok {
		return nil, nil, nil, changeError(CodeInvalidState, "No Private Marketplace experience governs account %s.", account)
	}
	if enabled && !g.Enabled {
		return nil, nil, nil, changeError(CodeInvalidState, "No enabled Private Marketplace experience governs account %s; its users may procure any product without a request.", account)
	}
	exp, found, err := a.entity(g.ExperienceId)
	if err != nil || !found {
		return nil, nil, nil, notFoundOr(err, "The experience %s was not found.", g.ExperienceId)
	}
	d, err := experience(&change{entity: exp}, false)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(d.ProcurementPolicies) == 0 {
		return nil, nil, nil, changeError(CodeInvalidState, "The experience %s has no procurement policy.", exp.Id)
	}
	pol, found, err = a.entity(d.ProcurementPolicies[0])
	if err != nil || !found {
		return nil, nil, nil, notFoundOr(err, "The procurement policy %s was not found.", d.ProcurementPolicies[0])
	}
	pd = &ProcurementPolicyDetails{}
	if err := decodeStored(pol, pd); err != nil {
		return nil, nil, nil, err
	}
	return exp, pol, pd, nil
}

// notFoundOr returns err, or an ENTITY_NOT_FOUND change error when it is
// nil.
func notFoundOr(err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	return changeError(CodeEntityNotFound, format, args...)
}

func createRequest(a *applier, c *change) error {
	var in createRequestDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	in.check(&p)
	if err := p.err(); err != nil {
		return err
	}
	pid := *in.ProductId
	product, ok, err := a.entity(pid)
	if err != nil {
		return err
	}
	if !ok || !product.typ().product {
		return changeError(CodeEntityNotFound, "The product %s was not found.", pid)
	}
	exp, _, pd, err := a.requestPolicy(a.account, true)
	if err != nil {
		return err
	}
	if pd.Configuration.PolicyResourceRequests != EffectAllow {
		return changeError(CodeInvalidState, "The experience %s does not accept requests from its users.", exp.Id)
	}
	if slices.Contains(pd.products(EffectAllow), pid) {
		return changeError(CodeConflict, "The product %s is allowed in experience %s already.", pid, exp.Id)
	}
	if slices.Contains(pd.products(EffectDeny), pid) {
		return changeError(CodeInvalidState, "The product %s is blocked in experience %s; it cannot be requested.", pid, exp.Id)
	}
	if err := a.requirePendingFree(pid); err != nil {
		return err
	}
	orgID, _, _, err := a.s.Orgs.AccountContext(a.ctx, a.tx, a.account)
	if err != nil {
		return err
	}
	e, err := a.create(c.typ)
	if err != nil {
		return err
	}
	e.OrgId, e.Parent, e.Title, e.Visibility = orgID, pid, product.Title, RequestPending
	c.entity = e
	d := ProductProcurementRequestDetails{ProductId: pid, ProductTitle: product.Title, ExperienceId: exp.Id,
		RequesterAccountId: a.account, RequesterArn: a.caller, Justification: *in.Justification, Status: RequestPending,
		CreatedDate: isoTime(a.now), ExpirationDate: isoTime(a.now.Add(RequestLifetime))}
	return storeDetails(e, &d)
}

// requirePendingFree refuses a second pending request of the account for
// a product, stored or made earlier in the change set.
func (a *applier) requirePendingFree(pid string) error {
	recs, err := a.tx.List(a.ctx, store.Query{Kind: entityTypes[TypeProductProcurementRequest].kind(), Parent: a.account, Name: pid})
	if err != nil {
		return err
	}
	for _, r := range recs {
		if _, _, err := a.entity(r.ID); err != nil {
			return err
		}
	}
	for _, e := range a.entities {
		if e.Type == TypeProductProcurementRequest && e.Owner == a.account && e.Parent == pid && e.Visibility == RequestPending {
			return changeError(CodeDuplicateValue, "The request %s for product %s is pending already.", e.Id, pid)
		}
	}
	return nil
}

// pendingRequest reads the details of the pending request a change names.
func pendingRequest(c *change) (*ProductProcurementRequestDetails, error) {
	var d ProductProcurementRequestDetails
	if err := decodeStored(c.entity, &d); err != nil {
		return nil, err
	}
	if d.Status != RequestPending {
		return nil, changeError(CodeInvalidState, "The request %s is %s; only pending requests can be answered or cancelled.", c.entity.Id, d.Status)
	}
	return &d, nil
}

// resolve records the answer to a request.
func (a *applier) resolveRequest(c *change, d *ProductProcurementRequestDetails, status string) error {
	d.Status, d.ResolvedBy, d.ResolutionDate = status, a.caller, isoTime(a.now)
	c.entity.Visibility = status
	return storeDetails(c.entity, d)
}

func cancelRequest(a *applier, c *change) error {
	var in emptyDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	if c.entity.Owner != a.account {
		return changeError("ACCESS_DENIED", "Only the requester's account can cancel the request %s.", c.entity.Id)
	}
	d, err := pendingRequest(c)
	if err != nil {
		return err
	}
	return a.resolveRequest(c, d, RequestCancelled)
}

// answerable requires the change set's account to administer the Private
// Marketplace of the request's organization, and the request to be
// pending.
func (a *applier) answerable(c *change) (*ProductProcurementRequestDetails, error) {
	admin, err := a.pmpAdmin()
	if err != nil {
		return nil, err
	}
	if admin.orgID != c.entity.OrgId || (admin.orgID == "" && c.entity.Owner != a.account) {
		return nil, changeError("ACCESS_DENIED", "Only the Private Marketplace administrators of the requester's organization can answer the request %s.", c.entity.Id)
	}
	return pendingRequest(c)
}

func approveRequest(a *applier, c *change) error {
	var in approveRequestDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.text("Notes", in.Notes, 1, 50)
	if err := p.err(); err != nil {
		return err
	}
	d, err := a.answerable(c)
	if err != nil {
		return err
	}
	return a.decide(c, d, EffectAllow, deref(in.Notes), func() error {
		d.Notes = deref(in.Notes)
		return a.resolveRequest(c, d, RequestApproved)
	})
}

func declineRequest(a *applier, c *change) error {
	var in declineRequestDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	in.check(&p)
	if err := p.err(); err != nil {
		return err
	}
	d, err := a.answerable(c)
	if err != nil {
		return err
	}
	resolve := func() error {
		d.DeclineReason, d.Blocked = *in.Reason, in.Block != nil && *in.Block
		return a.resolveRequest(c, d, RequestDeclined)
	}
	if in.Block == nil || !*in.Block {
		return resolve()
	}
	return a.decide(c, d, EffectDeny, "", resolve)
}

// decide allows or denies the requested product in the experience that
// governs the requester's account now, then resolves the request.
func (a *applier) decide(c *change, d *ProductProcurementRequestDetails, effect, notes string, resolve func() error) error {
	exp, pol, pd, err := a.requestPolicy(c.entity.Owner, false)
	if err != nil {
		return err
	}
	pd.set(d.ProductId, effect, notes)
	if err := storeDetails(pol, pd); err != nil {
		return err
	}
	if err := a.answerPending(exp.Id, d.ProductId, effect); err != nil {
		return err
	}
	a.touch(pol)
	d.ExperienceId = exp.Id
	return resolve()
}

// DeniedReason is the DeclineReason of a request whose product
// DenyProductProcurement denied.
const DeniedReason = "The product was denied in the experience."

// answerPending approves (effect Allow) or declines and blocks (Deny) the
// pending requests for a product made under an experience.
func (a *applier) answerPending(expID, productID, effect string) error {
	recs, err := a.tx.List(a.ctx, store.Query{Kind: entityTypes[TypeProductProcurementRequest].kind(), Name: productID})
	if err != nil {
		return err
	}
	for _, r := range recs {
		e, ok, err := a.entity(r.ID)
		if err != nil || !ok {
			return err
		}
		if e.Visibility != RequestPending {
			continue
		}
		var d ProductProcurementRequestDetails
		if err := decodeStored(e, &d); err != nil {
			return err
		}
		if d.ExperienceId != expID {
			continue
		}
		status := RequestApproved
		if effect == EffectDeny {
			status, d.DeclineReason, d.Blocked = RequestDeclined, DeniedReason, true
		}
		a.touch(e)
		if err := a.resolveRequest(&change{entity: e}, &d, status); err != nil {
			return err
		}
	}
	return nil
}
