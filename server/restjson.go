package server

import (
	"encoding/json"
	"net/http"
	"unicode"
	"unicode/utf8"

	"gatehouse/awsapi"
	"gatehouse/awserr"
)

// restJSONProtocol is restJson1: the operation is named by method and
// path, input members come from the JSON body and the query string, and
// errors carry x-amzn-ErrorType with the status the service's model gives
// each error.
type restJSONProtocol struct {
	// routes maps "METHOD /path" to the operation.
	routes map[string]string
	// statuses are the HTTP statuses of the model's errors, which differ
	// from other services' for shared codes (a Catalog
	// ValidationException is 422).
	statuses map[string]int
}

func (p restJSONProtocol) operation(r *http.Request, _ []byte) (string, error) {
	if op, ok := p.routes[r.Method+" "+r.URL.Path]; ok {
		return op, nil
	}
	return "", awserr.ErrUnknownOperationException.Newf("No operation answers %s %s.", r.Method, r.URL.Path)
}

// decode reads the body's members, then the query string's: every query
// member of the APIs served is a string named as its member in lower
// camel case (catalog=AWSMarketplace&changeSetId=...).
func (p restJSONProtocol) decode(r *http.Request, body []byte, in any) error {
	if err := awsapi.DecodeJSON(body, in); err != nil {
		return err
	}
	q := r.URL.Query()
	if len(q) == 0 {
		return nil
	}
	members := make(map[string]string, len(q))
	for k, v := range q {
		members[upperFirst(k)] = v[0]
	}
	b, err := json.Marshal(members)
	if err != nil {
		return awserr.Internal(err)
	}
	return awsapi.DecodeJSON(b, in)
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func (p restJSONProtocol) writeResult(w http.ResponseWriter, _, requestID string, out any) {
	body, err := wireJSON(out)
	if err != nil {
		p.writeError(w, requestID, awserr.Internal(err))
		return
	}
	if body == nil {
		body = json.RawMessage("{}")
	}
	awsapi.RESTJSON.Write(w, requestID, body)
}

func (p restJSONProtocol) writeError(w http.ResponseWriter, requestID string, err *awserr.Error) {
	e := err.JSONSpelling()
	if status, ok := p.statuses[e.Code]; ok {
		c := *e
		c.Status = status
		e = &c
	}
	awsapi.RESTJSON.WriteError(w, requestID, e)
}

func (p restJSONProtocol) unknownOperation(op string) error {
	return awserr.ErrUnknownOperationException.Newf("The operation %s is not supported.", op)
}

func (p restJSONProtocol) accessDenied(message string) error {
	return awserr.ErrAccessDeniedException.New(message)
}

// multiplexer is a service whose signing name covers several APIs; pick
// returns the protocol of the API a request is for.
type multiplexer interface {
	pick(r *http.Request) protocol
}

// marketplaceProtocol is the aws-marketplace signing name's APIs: the
// Catalog API (REST-JSON at /StartChangeSet ...), the Agreement API (JSON
// 1.0 with X-Amz-Target AWSMPCommerceService_v20200301.*, or Smithy RPC v2
// CBOR at /service/AWSMPCommerceService_v20200301/operation/*) and Gatehouse's
// Deployment API (REST-JSON under /deployments) and the Discovery API
// (REST-JSON under /2026-02-05/), told apart by path or header in pick.
type marketplaceProtocol struct {
	catalog       protocol
	agreement     protocol
	agreementCBOR protocol
	deployment    protocol
	discovery     protocol
	approvals     protocol
}

func (m marketplaceProtocol) pick(r *http.Request) protocol {
	switch {
	case m.agreementCBOR != nil && isRPCv2(r):
		return m.agreementCBOR
	case m.agreement != nil && r.Header.Get("X-Amz-Target") != "":
		return m.agreement
	case m.deployment != nil && isDeploymentPath(r.URL.Path):
		return m.deployment
	case m.approvals != nil && isApprovalPath(r.URL.Path):
		return m.approvals
	case m.discovery != nil && isDiscovery(r):
		return m.discovery
	}
	return m.catalog
}

func (m marketplaceProtocol) operation(r *http.Request, body []byte) (string, error) {
	return m.pick(r).operation(r, body)
}

func (m marketplaceProtocol) decode(r *http.Request, body []byte, in any) error {
	return m.pick(r).decode(r, body, in)
}

func (m marketplaceProtocol) writeResult(w http.ResponseWriter, op, requestID string, out any) {
	m.catalog.writeResult(w, op, requestID, out)
}

func (m marketplaceProtocol) writeError(w http.ResponseWriter, requestID string, err *awserr.Error) {
	m.catalog.writeError(w, requestID, err)
}

func (m marketplaceProtocol) unknownOperation(op string) error { return m.catalog.unknownOperation(op) }

func (m marketplaceProtocol) accessDenied(message string) error {
	return m.catalog.accessDenied(message)
}

// routeOf returns the route of an operation.
func (p restJSONProtocol) routeOf(op string) (string, bool) {
	for route, name := range p.routes {
		if name == op {
			return route, true
		}
	}
	return "", false
}
