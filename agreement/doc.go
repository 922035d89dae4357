// Package agreement is the AWS Marketplace Agreement service: buying.
// A buyer asks for an offer's terms with CreateAgreementRequest, which
// acts as a quote (the charges the terms would bring), and buys with
// AcceptAgreementRequest, optionally tying purchase orders to the
// charges; the accepted request becomes an ACTIVE agreement between the
// buyer's account (the acceptor) and the seller (the proposer). Agreements
// are searched, described, cancelled, and read for their accepted terms
// and entitlements.
//
// An agreement request is for an offer that exists and is released, of a
// product that is no longer a draft. Under an enabled Private Marketplace
// experience the product must be approved, both when the request is
// created and when it is accepted: otherwise the request is refused with
// AccessDeniedException (reason DENIED_BY_PRIVATE_MARKETPLACE_POLICY)
// naming the experience.
//
// An agreement proposal id is derived from the offer id (see
// catalog.AgreementProposalID); term ids from the offer's terms (see
// catalog.TermID). Only the NEW intent is served: amending or replacing an
// agreement is answered with ValidationException.
//
// The package knows nothing of HTTP or wire formats, and checks no IAM
// permission: the server authorizes each operation (and the dependent
// aws-marketplace:Subscribe, Unsubscribe and ViewSubscriptions actions)
// before it calls the service.
package agreement
