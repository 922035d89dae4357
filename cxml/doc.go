// Package cxml reads and writes the Commerce XML (cXML) 1.2 documents of the
// PunchOut bridge: the envelope with its credentials, PunchOutSetupRequest and
// its Response, PunchOutOrderMessage, OrderRequest, ProfileRequest and
// ProfileResponse, and the InvoiceDetailRequest Gatehouse sends as supplier.
//
// Reading is lenient where real procurement systems are: any 1.2.x version, no
// DOCTYPE, timestamps in several formats, elements in any order and element,
// attribute and credential-domain names in any letter case. It is strict where
// safety needs it: the input size is capped, a DOCTYPE with an internal subset
// or entity declarations is refused, no DTD or entity is ever fetched or
// expanded, and nothing may follow the root element.
//
// Writing is strict: every emitted document is cXML [Version] with its DOCTYPE
// line (InvoiceDetail.dtd for invoices, cXML.dtd otherwise), a payloadID of the form <time>.<random>@<host> and ISO 8601 timestamps.
package cxml
