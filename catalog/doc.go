// Package catalog is the AWS Marketplace Catalog service: entities
// (products, offers and the Private Marketplace's experiences, procurement
// policies, branding settings and audiences) that change only through
// change sets, and the questions the buying and discovery services ask of
// them — which Private Marketplace experience governs an account, and
// whether it allows a product.
//
// Change sets follow AWS: 1 to 20 changes, applied all or nothing, with
// references between changes ("$CreateProductChange.Entity.Identifier")
// resolved in order, states PREPARING → APPLYING → SUCCEEDED | FAILED |
// CANCELLED, and the errors of each change in its ErrorDetailList. By
// default (Service.ApplyDelay zero) a change set is validated and applied
// inside StartChangeSet's transaction, so DescribeChangeSet right after
// StartChangeSet already reports SUCCEEDED or FAILED: clients that poll
// until a terminal state, as AWS's samples do, work unchanged. With an
// ApplyDelay a change set stays PREPARING, locks its entities and can be
// cancelled until it is due; it is then applied by the next catalog
// request.
//
// Private Marketplace procurement requests are entities of type
// ProductProcurementRequest owned by the requester's account. AWS
// documents that type and its change types CreateProductProcurementRequest
// and CancelProductProcurementRequest, but not their details nor how an
// administrator answers a request; Gatehouse's own design fills the gap
// with the change types ApproveProductProcurementRequest and
// DeclineProductProcurementRequest, authorized with the legacy permission
// names as dependent actions (see the comment at the top of requests.go).
//
// The package knows nothing of HTTP or wire formats: the server decodes
// requests into the inputs declared here and authorizes them.
package catalog
