package approval

import (
	"context"
	"errors"

	"gatehouse/agreement"
	"gatehouse/principal"
	"gatehouse/store"
)

// Hold stores a PENDING purchase request for a purchase that needs
// approval under its organization's settings, and returns its id; held is
// false when the purchase may go ahead. It implements
// agreement.Approvals and runs in the caller's transaction.
func (s *Service) Hold(ctx context.Context, tx store.Tx, caller *principal.Caller, p agreement.Purchase) (string, bool, error) {
	m, err := s.management(ctx, tx, p.Account)
	if err != nil {
		return "", false, err
	}
	st, err := s.settings(ctx, tx, m)
	if err != nil {
		return "", false, err
	}
	need, err := s.required(ctx, tx, st.Settings, p)
	if err != nil || !need {
		return "", false, err
	}
	id, err := s.newID()
	if err != nil {
		return "", false, err
	}
	now := s.now()
	r := &record{Principal: caller.PrincipalARN, PurchaseOrders: p.PurchaseOrders, Request: PurchaseRequest{
		PurchaseRequestId: id, Status: StatusPending, AccountId: p.Account, AgreementRequestId: p.AgreementRequestId,
		RequestedBy: p.RequestedBy, ProductId: p.ProductId, ProductType: p.ProductType, OfferId: p.OfferId, Seller: p.Seller,
		TermTypes: p.TermTypes, EstimatedCost: p.EstimatedCost, CurrencyCode: p.CurrencyCode, CreatedAt: now, UpdatedAt: now}}
	if r.Principal == "" {
		r.Principal = caller.ARN
	}
	if err := s.save(ctx, tx, m, st, r, "PurchaseRequestCreated"); err != nil {
		return "", false, err
	}
	return id, true, nil
}

// save stores a purchase request and, when the organization has a
// webhook, the notification of its transition.
func (s *Service) save(ctx context.Context, tx store.Tx, management string, st settingsRecord, r *record, event string) error {
	if err := store.Put(ctx, tx, store.Record{Kind: kindRequest, ID: r.Request.PurchaseRequestId, Parent: r.Request.AccountId, Name: r.Request.Status}, r); err != nil {
		return err
	}
	return s.enqueue(ctx, tx, management, st, event, r.Request)
}

// ApprovePurchaseRequest approves a pending request: the agreement is
// made in the requesting account with the purchase-order number, in the
// same transaction.
func (s *Service) ApprovePurchaseRequest(ctx context.Context, caller *principal.Caller, in ApprovePurchaseRequestInput) (PurchaseRequestOutput, error) {
	if len(in.PurchaseOrderNumber) > 200 || len(in.Reason) > 1000 {
		return PurchaseRequestOutput{}, errValidation("PurchaseOrderNumber may be at most 200 characters and Reason at most 1000.")
	}
	return s.decide(ctx, caller, in.PurchaseRequestId, "PurchaseRequestApproved", func(ctx context.Context, tx store.Tx, r *record) error {
		agmt, err := s.Agreements.ConcludeApproved(ctx, tx, r.Request.AgreementRequestId, caller.ARN, in.PurchaseOrderNumber, r.PurchaseOrders)
		if err != nil {
			return err
		}
		r.Request.Status, r.Request.AgreementId = StatusApproved, agmt
		r.Request.Reason, r.Request.PurchaseOrderNumber = in.Reason, in.PurchaseOrderNumber
		return nil
	})
}

// DeclinePurchaseRequest declines a pending request with a reason.
func (s *Service) DeclinePurchaseRequest(ctx context.Context, caller *principal.Caller, in DeclinePurchaseRequestInput) (PurchaseRequestOutput, error) {
	if in.Reason == "" || len(in.Reason) > 1000 {
		return PurchaseRequestOutput{}, errValidation("Reason is required, at most 1000 characters, to decline a purchase request.")
	}
	return s.decide(ctx, caller, in.PurchaseRequestId, "PurchaseRequestDeclined", func(_ context.Context, _ store.Tx, r *record) error {
		r.Request.Status, r.Request.Reason = StatusDeclined, in.Reason
		return nil
	})
}

// decide runs an approver's transition of a pending request: the caller
// must be in the requesting account or its organization's management
// account, and not be the requester.
func (s *Service) decide(ctx context.Context, caller *principal.Caller, id, event string, apply func(context.Context, store.Tx, *record) error) (PurchaseRequestOutput, error) {
	return s.transition(ctx, caller, id, event, func(ctx context.Context, tx store.Tx, m string, r *record) error {
		if caller.Account != r.Request.AccountId && caller.Account != m {
			return errNotFound(id)
		}
		if r.Principal == caller.PrincipalARN || r.Request.RequestedBy == caller.ARN {
			return errDenied("The requester of purchase request %s cannot approve or decline it.", id)
		}
		r.Request.DecidedBy = caller.ARN
		return apply(ctx, tx, r)
	})
}

// CancelPurchaseRequest cancels a pending request; only its requester
// (the same principal, in any session) may.
func (s *Service) CancelPurchaseRequest(ctx context.Context, caller *principal.Caller, in CancelPurchaseRequestInput) (PurchaseRequestOutput, error) {
	if len(in.Reason) > 1000 {
		return PurchaseRequestOutput{}, errValidation("Reason may be at most 1000 characters.")
	}
	return s.transition(ctx, caller, in.PurchaseRequestId, "PurchaseRequestCancelled", func(_ context.Context, _ store.Tx, _ string, r *record) error {
		if err := requesterOnly(caller, r, "cancel"); err != nil {
			return err
		}
		r.Request.Status, r.Request.DecidedBy, r.Request.Reason = StatusCancelled, caller.ARN, in.Reason
		return nil
	})
}

// requesterOnly lets only the requester of r (the same principal, in any
// session) do what verb names; anyone else who can see the request (its
// account's other principals, the organization's management account) is
// denied.
func requesterOnly(caller *principal.Caller, r *record, verb string) error {
	id := r.Request.PurchaseRequestId
	if caller.Account != r.Request.AccountId || r.Principal != caller.PrincipalARN && r.Request.RequestedBy != caller.ARN {
		return errDenied("Only the requester may %s purchase request %s.", verb, id)
	}
	return nil
}

// transition loads a pending request, applies a change and saves it with
// its notification.
func (s *Service) transition(ctx context.Context, caller *principal.Caller, id, event string, apply func(context.Context, store.Tx, string, *record) error) (PurchaseRequestOutput, error) {
	if !rePurchaseRequestID.MatchString(id) {
		return PurchaseRequestOutput{}, errValidation("PurchaseRequestId %q is not valid.", id)
	}
	var out PurchaseRequestOutput
	err := store.Update(ctx, s.Store, func(tx store.Tx) error {
		r, err := store.Get[record](ctx, tx, kindRequest, id)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound(id)
		}
		if err != nil {
			return err
		}
		m, err := s.management(ctx, tx, r.Request.AccountId)
		if err != nil {
			return err
		}
		if caller.Account != r.Request.AccountId && caller.Account != m {
			return errNotFound(id)
		}
		if r.Request.Status != StatusPending {
			return errConflict(id, "Purchase request %s is %s, not PENDING.", id, r.Request.Status)
		}
		if err := apply(ctx, tx, m, &r); err != nil {
			return err
		}
		r.Request.UpdatedAt = s.now()
		st, err := s.settings(ctx, tx, m)
		if err != nil {
			return err
		}
		out.PurchaseRequest = r.Request
		return s.save(ctx, tx, m, st, &r, event)
	})
	if err == nil {
		s.Notifier.Wake()
	}
	return out, err
}

// ListPurchaseRequests lists purchase requests: those of the caller's
// account, or, for the organization's management account, of every
// account (or the one AccountId names). Status filters by status.
func (s *Service) ListPurchaseRequests(ctx context.Context, caller *principal.Caller, in ListPurchaseRequestsInput) (ListPurchaseRequestsOutput, error) {
	limit, err := checkList(in)
	if err != nil {
		return ListPurchaseRequestsOutput{}, err
	}
	out := ListPurchaseRequestsOutput{PurchaseRequests: []PurchaseRequest{}}
	err = store.View(ctx, s.Store, func(tx store.Tx) error {
		m, err := s.management(ctx, tx, caller.Account)
		if err != nil {
			return err
		}
		q := store.Query{Kind: kindRequest, Parent: in.AccountId, Name: in.Status, After: in.NextToken}
		if caller.Account != m {
			if in.AccountId != "" && in.AccountId != caller.Account {
				return errDenied("Account %s lists only its own purchase requests.", caller.Account)
			}
			q.Parent = caller.Account
		}
		return s.list(ctx, tx, m, q, limit, &out)
	})
	return out, err
}

// list pages through the requests of q that belong to the organization
// of the management account m.
func (s *Service) list(ctx context.Context, tx store.Tx, m string, q store.Query, limit int, out *ListPurchaseRequestsOutput) error {
	for {
		q.Limit = limit + 1
		page, err := store.List[record](ctx, tx, q)
		if err != nil {
			return err
		}
		for _, r := range page {
			if len(out.PurchaseRequests) == limit {
				out.NextToken = out.PurchaseRequests[limit-1].PurchaseRequestId
				return nil
			}
			if om, err := s.management(ctx, tx, r.Request.AccountId); err != nil {
				return err
			} else if om == m {
				out.PurchaseRequests = append(out.PurchaseRequests, r.Request)
			}
			q.After = r.Request.PurchaseRequestId
		}
		if len(page) <= limit {
			return nil
		}
	}
}

var validStatus = map[string]bool{"": true, StatusPending: true, StatusApproved: true, StatusDeclined: true, StatusCancelled: true}

// checkList validates ListPurchaseRequests' input and returns its page
// size.
func checkList(in ListPurchaseRequestsInput) (int, error) {
	if !validStatus[in.Status] {
		return 0, errValidation("Status must be one of PENDING, APPROVED, DECLINED and CANCELLED.")
	}
	if in.AccountId != "" && !reAccount.MatchString(in.AccountId) {
		return 0, errValidation("AccountId must be 12 digits.")
	}
	if in.NextToken != "" && !rePurchaseRequestID.MatchString(in.NextToken) {
		return 0, errValidation("The NextToken is not valid.")
	}
	if in.MaxResults == nil {
		return 100, nil
	}
	if *in.MaxResults < 1 || *in.MaxResults > 100 {
		return 0, errValidation("MaxResults must be between 1 and 100.")
	}
	return int(*in.MaxResults), nil
}
