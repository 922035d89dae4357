// Package awsapi holds Gatehouse's AWS protocol codecs and AWS error
// encoding; domain services never see wire shapes.
//
// It speaks the protocols Gatehouse serves:
//
//   - JSON 1.1 and 1.0 (Organizations, CloudTrail, Invoicing) and the error
//     half of REST-JSON: [DecodeJSON], [ParseTarget], [Time] and the
//     [JSONProtocol] writers [JSON11], [JSON10] and [RESTJSON].
//   - The AWS query protocol (IAM, STS): [ParseQuery] into [Params], and the
//     [QueryProtocol] writers [IAM] and [STS], with [Members] and [Entries]
//     for XML lists and maps.
//   - Smithy RPC v2 CBOR (the Marketplace Agreement API as aws-sdk-go-v2
//     speaks it): [DecodeCBOR], [MarshalCBOR] and the [CBORProtocol]
//     writer; [Time] is a tag 1 timestamp there.
//
// Errors are [*Error] values: an AWS error code, message, HTTP status, fault
// and extra members such as Organizations' Reason. Every code Gatehouse
// sends is declared once, as a [*Kind], in codes.go; [Kinds] enumerates
// them. Writers render a code in its protocol family's spelling, so the
// authentication layer can say [ErrInvalidClientTokenId] everywhere and a
// JSON client still sees UnrecognizedClientException.
//
// A server reads a request body once with [ReadBody] (which enforces the
// size limit), hands the bytes to SigV4 verification and to the codec, and
// answers with the protocol's Write or WriteError using an ID from
// [NewRequestID]:
//
//	body, err := awsapi.ReadBody(r, awsapi.DefaultMaxBodyBytes)
//	if err != nil {
//		awsapi.JSON11.WriteError(w, id, err)
//		return
//	}
//	var in describeAccountInput
//	if err := awsapi.DecodeJSON(body, &in); err != nil { ... }
//	out, err := svc.DescribeAccount(ctx, in.AccountID)
//	if err != nil {
//		awsapi.JSON11.WriteError(w, id, err)
//		return
//	}
//	awsapi.JSON11.Write(w, id, out)
//
// The package depends on the standard library, and on
// github.com/fxamacker/cbor/v2 for CBOR.
package awsapi
