// Package procurement keeps an organization's procurement-portal
// preferences: which procurement system (Coupa or SAP Business Network)
// the organization buys through, the buyer and supplier credentials
// (NetworkID domain and identifiers) the system presents, the shared
// secret it authenticates with, its production and test endpoints, and
// what the preference applies to. It serves the AWS Invoicing API's
// procurement-portal operations, lets the cXML bridge find a portal by
// the credential a request carries (PortalByCredential), and lets the
// invoice deliverer find one by ARN (PortalByARN).
//
// Only the organization's management account manages preferences. Shared
// secrets are sealed with a credentials.Cipher, bound to the preference's
// ARN, and the API only ever returns them masked. The package knows
// nothing of HTTP and checks no IAM permission.
package procurement
