package punchout

import (
	"context"

	"gatehouse/cxml"
	"gatehouse/store"
)

// Transactions are the cXML requests the bridge answers, in the order a
// ProfileResponse lists them.
var Transactions = []string{"PunchOutSetupRequest", "OrderRequest", "ProfileRequest"}

// ProfileResult is the outcome of a ProfileRequest.
type ProfileResult struct {
	PreferenceARN string
	// Account is the preference's account.
	Account string
	Profile *cxml.ProfileResponse
}

// Profile authenticates a ProfileRequest document as Setup does and
// returns the ProfileResponse: effective now, every transaction in
// [Transactions] posted to url (the URL the request came in on), but
// OrderRequest only when the preference accepts orders (see
// [Service.Order]).
// PreferenceARN and Account are set once the request is authenticated,
// failures included. Failures are *Error with the cXML status to answer.
func (s *Service) Profile(ctx context.Context, doc *cxml.Document, url string) (ProfileResult, error) {
	if doc == nil || doc.Request == nil || doc.Request.ProfileRequest == nil {
		return ProfileResult{}, fail(cxml.StatusBadRequest, "The document is not a ProfileRequest.")
	}
	if doc.Header == nil {
		return ProfileResult{}, fail(cxml.StatusUnauthorized, "The request has no Header with credentials.")
	}
	var (
		res    ProfileResult
		orders bool
	)
	err := store.View(ctx, s.Store, func(tx store.Tx) error {
		portal, err := s.authenticate(ctx, tx, doc.Header)
		if err != nil {
			return err
		}
		res.PreferenceARN, res.Account = portal.Preference.ProcurementPortalPreferenceArn, portal.Preference.AwsAccountId
		orders = acceptsOrders(portal.Preference) == nil
		return nil
	})
	if err != nil {
		return res, err
	}
	res.Profile = &cxml.ProfileResponse{EffectiveDate: cxml.At(s.now())}
	for _, name := range Transactions {
		if name == "OrderRequest" && !orders {
			continue
		}
		res.Profile.Transactions = append(res.Profile.Transactions, cxml.Transaction{RequestName: name, URL: url})
	}
	return res, nil
}
