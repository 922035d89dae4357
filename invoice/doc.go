// Package invoice bills upfront purchases made through a procurement
// portal (Coupa, SAP Business Network): it sends the buyer a cXML
// InvoiceDetailRequest for each order, to the procurement-portal
// preference's instance endpoint, retrying until the portal accepts it.
//
// The order flow calls Service.Enqueue in the transaction that records
// the order, so that an invoice is queued if and only if the order
// commits, and then Deliverer.Wake. Enqueue stores an outbox record only
// when the preference has EinvoiceDeliveryEnabled and the invoice's total
// is not zero: free and usage-only purchases get no upfront invoice.
// An order document (preference, environment, orderID and payloadID) is
// invoiced once: a new order, then each update that bought more lines; a
// repeated Enqueue is a no-op. No secret is stored in the outbox.
//
// A Deliverer, started with Run, sends what is due. Each attempt reads
// the preference as it is then and posts, as Content-Type text/xml, an
// InvoiceDetailRequest (cxml.Marshal, InvoiceDetail.dtd) with the
// credentials of the environment the order came through: production, or
// the test environment (deploymentMode "test") when the order carried the
// test credentials. From and Sender name the supplier, To the buyer, and
// the Sender carries the shared secret with UserAgent "Gatehouse". The
// invoiceID, payloadID and timestamp are fixed when the invoice is
// queued, so every attempt sends the same invoice and the buyer can
// recognise a repeat. The invoice has one InvoiceDetailOrder referring to
// the order's orderID and payloadID, an InvoiceDetailItem per line
// (amount = quantity × unit price, exact), and a summary with zero tax.
//
// An invoice is delivered on HTTP 2xx with a cXML Response of status 200,
// 201 or 202. A cXML 4xx status (but 408 and 429) is a final refusal;
// anything else (5xx, a redirect, which is never followed, an answer that
// is not cXML, a network error) is retried after Backoff, doubled after
// each failure up to MaxBackoff, at most MaxAttempts times. A preference
// that was deleted, lost its environment, its shared secret or its https
// endpoint, or had e-invoice delivery disabled, fails the invoice too.
// Failed invoices are kept with the reason (Service.Lookup) and logged;
// nothing retries them.
//
// Security: endpoints must be https (http only to a loopback host, or
// with Deliverer.AllowHTTP); attempts
// are bounded by a timeout and answers by cxml.MaxDocumentSize; answers
// are parsed only by package cxml; documents are never logged, and the
// portal's status messages are recorded cleaned and cut short.
//
// The package knows nothing of the server and checks no IAM permission.
package invoice
