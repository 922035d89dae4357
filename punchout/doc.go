// Package punchout is the supplier side of the cXML PunchOut bridge:
// Gatehouse is the PunchOut site a procurement system (Coupa, SAP Business
// Network) sends its users to.
//
// A PunchOutSetupRequest is authenticated against the organization's
// procurement-portal preferences (procurement.Service.PortalByCredential):
// one of the From credentials must name the preference's buyer, one of the
// To credentials its supplier, and one of the Sender credentials must carry
// the preference's shared secret (compared in constant time; an empty
// secret never matches). The request's BrowserFormPost URL must point at a
// host of the buyer: a preference has no field listing allowed hosts, so
// they are derived from the endpoints configured for the environment that
// matched (ProcurementPortalInstanceEndpoint and
// PurchaseOrderRetrievalEndpoint, production or test): same scheme, same
// host name (in any letter case) and same port.
//
// A successful setup answers with a StartPage URL that carries a one-time
// token of 256 random bits. Only the token's SHA-256 is stored; it expires
// after [DefaultStartPageTTL] and is consumed by its first use, which opens
// a shopping session identified by another random token (the browser's
// session cookie), also stored hashed. No shared secret ever reaches the
// browser.
//
// The session shops for the preference's account, the organization's
// management account, unless the setup request names another account of
// the same organization in an Extrinsic named "AwsAccountId".
//
// Failures are *Error values carrying the cXML status to answer with. The
// package knows nothing of HTTP.
package punchout
