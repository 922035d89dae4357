// Package approval is Gatehouse's built-in purchase approval workflow.
//
// An organization's management account configures it with
// PutApprovalSettings: RequireApproval makes every purchase in the
// organization wait for approval, Experiences does so only for accounts
// governed by the Private Marketplace experiences named; SkipFree and
// SkipByol let purchases that cost nothing, or that bring the buyer's own
// license, go ahead without approval (as AWS's Private Marketplace lets
// free and BYOL products through).
//
// When approval is required, AcceptAgreementRequest makes no agreement:
// the agreement service calls Hold, which stores a PENDING purchase
// request (requester, account, product, offer, terms, estimated cost),
// and the buyer is answered ConflictException with resourceType
// PurchaseRequest and resourceId the purchase request's id ("The purchase
// awaits approval ..."); the purchase request stays stored although the
// answer is an error (see store.Keep). The requester then gives the
// request its justification with UpdatePurchaseRequestJustification
// while it is pending, for the approvers to read.
//
// An approver (IAM permission gatehouse:ApprovePurchaseRequest) in the
// requesting account or in its organization's management account
// approves, which makes the agreement in the requesting account with the
// purchase-order number given, or declines with a reason. Nobody approves
// their own request. The requester cancels a pending request. Requests are
// listed by status and account. Every transition is stored in the same
// transaction as an outbox entry that a Notifier delivers to the
// configured webhook, signed with HMAC-SHA256, retrying with back-off.
//
// The package knows nothing of HTTP and checks no IAM permission: the
// server authorizes each operation before it calls the service.
package approval
