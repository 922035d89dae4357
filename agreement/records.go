package agreement

import (
	"context"
	"errors"
	"time"

	"gatehouse/catalog"
	"gatehouse/store"
)

// Record kinds.
const (
	// kindRequest holds agreement requests; Parent is the buyer's account.
	kindRequest = "agreement.request"
	// kindAgreement holds agreements; Parent is the acceptor's account and
	// Name, while the agreement is ACTIVE, the product, so an account's
	// active agreement for a product is one indexed query however many
	// cancelled ones it has.
	kindAgreement = "agreement.agreement"
	// kindToken maps an account's ClientToken to its agreement request.
	kindToken = "agreement.token"
)

// termRec is an accepted term: the offer's term and the buyer's
// configuration of it.
type termRec struct {
	catalog.OfferTerm
	Configuration *RequestedTermConfiguration `json:",omitempty"`
}

// chargeRec is one charge of an agreement.
type chargeRec struct {
	Id     string
	Amount string `json:",omitempty"`
	Timing string
	Time   time.Time
	// Items are the dimensions a configurable upfront charge is made of.
	Items []ItemizedCharge `json:",omitempty"`
}

// requestRec is a stored agreement request.
type requestRec struct {
	Id      string
	Account string
	// RequestedBy is the principal that created the request.
	RequestedBy string
	OfferId     string
	ProductId   string
	ProductType string
	Seller      string
	Terms       []termRec
	Charges     []chargeRec
	Currency    string
	Value       string
	Created     time.Time
	// End is when an agreement accepted now would end; zero for
	// pay-as-you-go.
	Duration    string `json:",omitempty"`
	ClientToken string `json:",omitempty"`
	// AgreementId is set once the request is accepted.
	AgreementId string `json:",omitempty"`
}

// agreementRec is a stored agreement.
type agreementRec struct {
	Id          string
	Acceptor    string // the buyer's account
	Seller      string // the proposer's account
	RequestedBy string // the principal that created the request
	AcceptedBy  string // the principal that accepted it
	RequestId   string
	OfferId     string
	ProductId   string
	ProductType string
	Terms       []termRec
	Charges     []chargeRec
	// PurchaseOrders are the purchase orders tied to charges.
	PurchaseOrders []PurchaseOrder
	Currency       string
	Value          string
	Status         string
	Accepted       time.Time
	Start          time.Time
	End            time.Time // zero for pay-as-you-go
	Cancelled      time.Time `json:",omitzero"`
}

// tokenRec is the body of a ClientToken record.
type tokenRec struct {
	RequestId string
	Hash      string
}

// get reads a record; ok is false when it does not exist.
func get[T any](ctx context.Context, tx store.Tx, kind, id string) (T, bool, error) {
	v, err := store.Get[T](ctx, tx, kind, id)
	if errors.Is(err, store.ErrNotFound) {
		return v, false, nil
	}
	return v, err == nil, err
}

func putAgreement(ctx context.Context, tx store.Tx, a *agreementRec) error {
	name := ""
	if a.Status == StatusActive {
		name = a.ProductId
	}
	return store.Put(ctx, tx, store.Record{Kind: kindAgreement, ID: a.Id, Parent: a.Acceptor, Name: name}, a)
}

func putRequest(ctx context.Context, tx store.Tx, r *requestRec) error {
	return store.Put(ctx, tx, store.Record{Kind: kindRequest, ID: r.Id, Parent: r.Account}, r)
}
