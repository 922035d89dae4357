package server

import (
	"net/http"
	"strings"

	"gatehouse/awsapi"
	"gatehouse/awserr"
)

// service is one AWS service the server answers: its signing name, its
// protocol and where its audit events come from.
type service struct {
	signingName  string
	eventSource  string
	targetPrefix string // JSON protocols: the X-Amz-Target prefix
	// global services are signed for us-east-1 whatever region is served.
	global bool
	proto  protocol
}

// services lists the services by SigV4 signing name.
var services = map[string]*service{
	"organizations": {
		signingName: "organizations", eventSource: "organizations.amazonaws.com", global: true,
		targetPrefix: "AWSOrganizationsV20161128",
		proto:        jsonProtocol{awsapi.JSON11, "AWSOrganizationsV20161128"},
	},
	"iam": {
		signingName: "iam", eventSource: "iam.amazonaws.com", global: true,
		proto: queryProtocol{wire: awsapi.IAM, version: "2010-05-08"},
	},
	"cloudtrail": {
		signingName: "cloudtrail", eventSource: "cloudtrail.amazonaws.com",
		targetPrefix: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101",
		proto:        jsonProtocol{awsapi.JSON11, "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"},
	},
	"sts": {
		signingName: "sts", eventSource: "sts.amazonaws.com", global: true,
		proto: queryProtocol{wire: awsapi.STS, version: "2011-06-15"},
	},
	"invoicing": {
		signingName: "invoicing", eventSource: "invoicing.amazonaws.com",
		targetPrefix: invoicingTargetPrefix,
		proto:        jsonProtocol{awsapi.JSON10, invoicingTargetPrefix},
	},
	// aws-marketplace signs several APIs; marketplaceProtocol picks one
	// per request.
	"aws-marketplace": {
		signingName: "aws-marketplace", eventSource: "catalog.marketplace.amazonaws.com", global: true,
		proto: marketplaceProtocol{catalog: catalogProtocol, agreement: agreementProtocol, agreementCBOR: agreementCBOR, deployment: deploymentProtocol, discovery: discoveryAPI, approvals: approvalProtocol},
	},
}

// protocol is the wire format of a service.
type protocol interface {
	// operation returns the API operation the request names.
	operation(r *http.Request, body []byte) (string, error)
	// decode reads the operation's input.
	decode(r *http.Request, body []byte, in any) error
	// writeResult sends the operation's output.
	writeResult(w http.ResponseWriter, op, requestID string, out any)
	// writeError sends an error.
	writeError(w http.ResponseWriter, requestID string, err *awserr.Error)
	// unknownOperation is the error for an operation the service lacks.
	unknownOperation(op string) error
	// accessDenied is the error for a denied request.
	accessDenied(message string) error
}

// jsonProtocol is awsJson1_1 (or 1_0) with a target prefix.
type jsonProtocol struct {
	wire   awsapi.JSONProtocol
	prefix string
}

func (p jsonProtocol) operation(r *http.Request, _ []byte) (string, error) {
	prefix, op, err := awsapi.ParseTarget(r.Header.Get("X-Amz-Target"))
	if err != nil {
		return "", err
	}
	if prefix != p.prefix && !strings.HasSuffix(p.prefix, "."+prefix) { // also the short form, as aws-sdk-go-v2 sends CloudTrail_20131101.X
		return "", awserr.ErrUnknownOperationException.Newf("Unknown X-Amz-Target prefix %q.", prefix)
	}
	return op, nil
}

func (p jsonProtocol) decode(_ *http.Request, body []byte, in any) error {
	return awsapi.DecodeJSON(body, in)
}

func (p jsonProtocol) writeResult(w http.ResponseWriter, _, requestID string, out any) {
	body, err := wireJSON(out)
	if err != nil {
		p.wire.WriteError(w, requestID, awserr.Internal(err))
		return
	}
	p.wire.Write(w, requestID, body)
}

func (p jsonProtocol) writeError(w http.ResponseWriter, requestID string, err *awserr.Error) {
	p.wire.WriteError(w, requestID, err)
}

func (p jsonProtocol) unknownOperation(op string) error {
	return awserr.ErrUnknownOperationException.Newf("The operation %s is not supported.", op)
}

func (p jsonProtocol) accessDenied(message string) error {
	return awserr.ErrAccessDeniedException.New(message)
}

// protocolFor returns the protocol to answer in: the service's, or for a
// request no service claims, a guess from the request's shape.
func protocolFor(svc *service, r *http.Request) protocol {
	if svc != nil {
		if m, ok := svc.proto.(multiplexer); ok {
			return m.pick(r)
		}
		return svc.proto
	}
	if r.Header.Get(awsapi.SmithyProtocolHeader) == awsapi.RPCv2CBOR {
		return cborProtocol{}
	}
	if r.Header.Get("X-Amz-Target") != "" || strings.Contains(r.Header.Get("Content-Type"), "json") {
		return jsonProtocol{wire: awsapi.JSON11}
	}
	return queryProtocol{wire: awsapi.IAM}
}

// queryProtocol is the AWS query protocol (IAM, STS).
type queryProtocol struct {
	wire    awsapi.QueryProtocol
	version string
}

func (p queryProtocol) operation(r *http.Request, body []byte) (string, error) {
	params, err := awsapi.ParseQuery(r.URL.RawQuery, body)
	if err != nil {
		return "", err
	}
	if params.Action() == "" {
		return "", awserr.ErrMissingAction.New("Missing Action")
	}
	return params.Action(), nil
}

func (p queryProtocol) decode(r *http.Request, body []byte, in any) error {
	params, err := awsapi.ParseQuery(r.URL.RawQuery, body)
	if err != nil {
		return err
	}
	if d, ok := in.(queryDecoder); ok {
		return d.decodeQuery(params)
	}
	return awsapi.DecodeQuery(params, in)
}

func (p queryProtocol) writeResult(w http.ResponseWriter, op, requestID string, out any) {
	result := wireXML(out)
	if result == nil && emptyResults[op] {
		result = struct{}{}
	}
	p.wire.Write(w, requestID, op, result)
}

// emptyResults are the query operations whose output is an empty
// structure with a result wrapper, which AWS sends as an empty
// <{Action}Result/> element and the SDKs expect.
var emptyResults = map[string]bool{"UpdateRole": true}

func (p queryProtocol) writeError(w http.ResponseWriter, requestID string, err *awserr.Error) {
	p.wire.WriteError(w, requestID, err)
}

func (p queryProtocol) unknownOperation(op string) error {
	return awserr.ErrInvalidAction.Newf("Could not find operation %s for version %s", op, p.version)
}

func (p queryProtocol) accessDenied(message string) error {
	return awserr.ErrAccessDenied.New(message)
}

// queryDecoder is implemented by query operation inputs that read their
// members from the form parameters themselves; the others are read by
// awsapi.DecodeQuery.
type queryDecoder interface {
	decodeQuery(p awsapi.Params) error
}
