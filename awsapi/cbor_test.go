package awsapi

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"

	"gatehouse/awserr"
)

// testCBOR is a service model with two error shapes.
var testCBOR = CBORProtocol{Namespace: "com.example.test", Errors: map[string]int{
	"ValidationException":       400,
	"ResourceNotFoundException": 404,
}}

// cborInput is an operation input with every kind of member the codec
// reads, under Go names the wire spells in lower camel case.
type cborInput struct {
	AgreementId string
	MaxResults  *int32
	Tags        map[string]string
	Ids         []string
	Start       time.Time
	At          Time
	Data        []byte
	Nested      *struct{ Name string }
}

// enc encodes v for a test body.
func enc(t testing.TB, v any) []byte {
	t.Helper()
	b, err := cbor.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func unhex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// cborSeeds are request bodies that exercise the decoder: what clients
// send, what the protocol lets them send, and malformed items.
var cborSeeds = map[string][]byte{
	// {_ "agreementId": (_ "a", "b"), "ids": [_ "x"]}: indefinite lengths.
	"indefinite": unhex("bf 6b 61677265656d656e744964 7f 6161 6162 ff 63 696473 9f 6178 ff ff"),
	// {"agreementId": undefined, "maxResults": null}
	"undefined and null": unhex("a2 6b 61677265656d656e744964 f7 6a 6d6178526573756c7473 f6"),
	// {"start": 1(1.0 as a half-precision float)}
	"half-precision timestamp": unhex("a1 65 7374617274 c1 f9 3c00"),
	// {"start": 5}: a timestamp without tag 1.
	"untagged timestamp": unhex("a1 65 7374617274 05"),
	// {"ids": ["x"]} followed by another item.
	"trailing data": unhex("a1 63 696473 81 6178 00"),
	// A map that announces two pairs and ends after one.
	"truncated": unhex("a2 63 696473 80"),
	// {"agreementId": text with invalid UTF-8}
	"invalid UTF-8": unhex("a1 6b 61677265656d656e744964 62 c328"),
	// {"ids": [], "ids": []}
	"duplicate member": unhex("a2 63 696473 80 63 696473 80"),
	// {"maxResults": 1.5}
	"float for an integer": unhex("a1 6a 6d6178526573756c7473 fb 3ff8000000000000"),
	// [1]
	"not a map": unhex("81 01"),
	// A reserved additional-information value.
	"ill-formed": unhex("a1 1c"),
}

func TestDecodeCBOR(t *testing.T) {
	start := time.Unix(1481830215, 0)
	tests := []struct {
		name     string
		body     []byte
		want     cborInput
		wantCode string
	}{
		{name: "empty body is empty input"},
		{name: "empty map", body: []byte{0xa0}},
		{name: "members in lower camel case", body: enc(t, map[string]any{
			"agreementId": "agmt-1", "maxResults": 5, "tags": map[string]string{"k": "v"}, "ids": []string{"x", "y"},
			"start": cbor.Tag{Number: 1, Content: 1481830215}, "at": cbor.Tag{Number: 1, Content: 1481830215.5},
			"data": []byte{1, 2}, "nested": map[string]any{"name": "n"}}),
			want: cborInput{AgreementId: "agmt-1", MaxResults: ptr[int32](5), Tags: map[string]string{"k": "v"}, Ids: []string{"x", "y"},
				Start: start, At: Time{start.Add(500 * time.Millisecond).UTC()}, Data: []byte{1, 2}, Nested: &struct{ Name string }{"n"}}},
		{name: "unknown members are ignored", body: enc(t, map[string]any{"colour": "red", "ids": []string{}}), want: cborInput{Ids: []string{}}},
		{name: "indefinite lengths", body: cborSeeds["indefinite"], want: cborInput{AgreementId: "ab", Ids: []string{"x"}}},
		{name: "undefined and null leave members unset", body: cborSeeds["undefined and null"]},
		{name: "half-precision timestamp", body: cborSeeds["half-precision timestamp"], want: cborInput{Start: time.Unix(1, 0)}},
		{name: "wrong type", body: enc(t, map[string]any{"maxResults": "five"}), wantCode: "SerializationException"},
		{name: "integer out of range", body: enc(t, map[string]any{"maxResults": int64(1) << 40}), wantCode: "SerializationException"},
		{name: "float for an integer", body: cborSeeds["float for an integer"], wantCode: "SerializationException"},
		{name: "untagged timestamp", body: cborSeeds["untagged timestamp"], wantCode: "SerializationException"},
		{name: "trailing data", body: cborSeeds["trailing data"], wantCode: "SerializationException"},
		{name: "truncated", body: cborSeeds["truncated"], wantCode: "SerializationException"},
		{name: "invalid UTF-8", body: cborSeeds["invalid UTF-8"], wantCode: "SerializationException"},
		{name: "duplicate member", body: cborSeeds["duplicate member"], wantCode: "SerializationException"},
		{name: "not a map", body: cborSeeds["not a map"], wantCode: "SerializationException"},
		{name: "ill-formed", body: cborSeeds["ill-formed"], wantCode: "SerializationException"},
		{name: "timestamp out of range", body: enc(t, map[string]any{"at": cbor.Tag{Number: 1, Content: 1e15}}), wantCode: "SerializationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got cborInput
			err := DecodeCBOR(tt.body, &got)
			if tt.wantCode != "" {
				if e := awserr.As(err); err == nil || e.Code != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Start.Equal(tt.want.Start) {
				t.Errorf("Start = %v, want %v", got.Start, tt.want.Start)
			}
			got.Start, tt.want.Start = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeCBORNotAPointer(t *testing.T) {
	err := DecodeCBOR([]byte{0xa0}, cborInput{})
	if e := awserr.As(err); e.Code != awserr.ErrInternalFailure.Code {
		t.Fatalf("err = %v, want InternalFailure", err)
	}
}

func ptr[T any](v T) *T { return &v }

// TestCBORTime checks timestamps against the protocol ("epoch-seconds ...
// with millisecond resolution", tag 1, integer or float) and against both
// ways clients read a float back: aws-sdk-go-v2 multiplies by 1000 and
// truncates, others round.
func TestCBORTime(t *testing.T) {
	ms := []int64{0, 1, 999, 1000, 1481830215123, 1764115742206, -1, -1001, 253402300799999, -62135596799000}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		ms = append(ms, r.Int64N(4102444800000)) // before 2100
	}
	for _, m := range ms {
		tm := Time{time.UnixMilli(m)}
		b, err := tm.MarshalCBOR()
		if err != nil {
			t.Fatal(err)
		}
		var tag cbor.Tag
		if err := cbor.Unmarshal(b, &tag); err != nil || tag.Number != 1 {
			t.Fatalf("%d: %x is not tag 1: %v", m, b, err)
		}
		switch c := tag.Content.(type) {
		case uint64, int64:
			if m%1000 != 0 {
				t.Errorf("%d: sent as integer %v", m, c)
			}
		case float64:
			if m%1000 == 0 || int64(c*1000) != m || int64(math.Round(c*1000)) != m {
				t.Errorf("%d: sent as %v, read back as %d (truncated) and %v (rounded)", m, c, int64(c*1000), math.Round(c*1000))
			}
		default:
			t.Fatalf("%d: content %T", m, c)
		}
		var back Time
		if err := back.UnmarshalCBOR(b); err != nil || back.UnixMilli() != m {
			t.Errorf("%d: read back %v, %v", m, back.UnixMilli(), err)
		}
	}
	if b, _ := (Time{}).MarshalCBOR(); !slices.Equal(b, []byte{0xf6}) {
		t.Errorf("zero Time = %x, want null", b)
	}
}

func TestCBORWriteError(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		status     int
		want       map[string]any
		wantWarned bool
	}{
		{name: "modeled error: the model's namespace and status", status: 404,
			err:  awserr.ErrResourceNotFoundException.New("Agreement a was not found.").With("resourceId", "a"),
			want: map[string]any{"__type": "com.example.test#ResourceNotFoundException", "message": "Agreement a was not found.", "resourceId": "a"}},
		{name: "common error: AWS's namespace, the kind's status", status: 403,
			err:  awserr.ErrSignatureDoesNotMatch.New("The request signature we calculated does not match."),
			want: map[string]any{"__type": "com.amazon.coral.service#InvalidSignatureException", "message": "The request signature we calculated does not match."}},
		{name: "plain error is InternalFailure", status: 500, err: fmt.Errorf("disk on fire"),
			want: map[string]any{"__type": "com.amazon.coral.service#InternalFailure", "message": "We encountered an internal error. Please try again."}},
		{name: "a field shadowing the message is left out", status: 400, wantWarned: true,
			err:  awserr.ErrValidationException.New("bad").With("Message", "other").With("reason", "R"),
			want: map[string]any{"__type": "com.example.test#ValidationException", "message": "bad", "reason": "R"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			werr := testCBOR.WriteError(rec, "rid", tt.err)
			if (werr != nil) != tt.wantWarned {
				t.Errorf("WriteError returned %v", werr)
			}
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			h := rec.Header()
			if h.Get("Smithy-Protocol") != "rpc-v2-cbor" || h.Get("Content-Type") != "application/cbor" || h.Get("X-Amzn-ErrorType") != "" || h.Get("X-Amzn-RequestId") != "rid" {
				t.Errorf("headers %v", h)
			}
			var got map[string]any
			if err := cbor.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if tt.name == "plain error is InternalFailure" {
				got["message"] = tt.want["message"] // the text is awserr's
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("body %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCBORWriteNoOutput: "Responses for operations with no defined output
// type ... MUST NOT contain bodies ... The Content-Type for the
// serialization format MUST NOT be set."
func TestCBORWriteNoOutput(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := testCBOR.Write(rec, "rid", nil); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "" || rec.Header().Get("Smithy-Protocol") != "rpc-v2-cbor" {
		t.Errorf("%d %v %x", rec.Code, rec.Header(), rec.Body.Bytes())
	}
}

func TestCBORWriteUnencodable(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := testCBOR.Write(rec, "rid", map[string]any{"f": func() {}}); err == nil || rec.Code != 500 {
		t.Fatalf("err %v, status %d", err, rec.Code)
	}
}

func TestCBORGolden(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name  string
		write func(rec *httptest.ResponseRecorder) error
	}{
		{
			name: "cbor_error.golden",
			write: func(rec *httptest.ResponseRecorder) error {
				err := awserr.ErrValidationException.New("Intent AMEND is not supported.").With("reason", "UNSUPPORTED_ACTION")
				return testCBOR.WriteError(rec, goldenRequestID, err)
			},
		},
		{
			name: "cbor_response.golden",
			write: func(rec *httptest.ResponseRecorder) error {
				return testCBOR.Write(rec, goldenRequestID, map[string]any{
					"agreementId": "agmt-1", "startTime": Time{created}, "endTime": Time{created.Add(890 * time.Millisecond)},
					"count": 3, "ratio": 0.5, "active": true, "blob": []byte("hi"), "terms": []any{map[string]any{"id": "t"}}})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := tt.write(rec); err != nil {
				t.Fatal(err)
			}
			checkWellFormed(t, rec)
			checkGolden(t, tt.name, dumpCBOR(t, rec))
		})
	}
}

// dumpCBOR renders a recorded CBOR response like dump, with the body in
// hex and in CBOR's diagnostic notation.
func dumpCBOR(t *testing.T, rec *httptest.ResponseRecorder) string {
	body := rec.Body.Bytes()
	diag, err := cbor.Diagnose(body)
	if err != nil {
		t.Fatal(err)
	}
	rec.Body.Reset()
	rec.Body.WriteString(hex.EncodeToString(body) + "\n" + diag)
	return dump(rec)
}

// FuzzDecodeCBOR checks that no request body panics DecodeCBOR, that
// every failure is SerializationException written well-formed by every
// protocol, and that what decodes encodes again.
func FuzzDecodeCBOR(f *testing.F) {
	for _, b := range cborSeeds {
		f.Add(b)
	}
	f.Add(enc(f, map[string]any{"agreementId": "agmt-1", "maxResults": 5, "tags": map[string]string{"k": "v"}, "ids": []string{"x"},
		"start": cbor.Tag{Number: 1, Content: 1481830215}, "at": cbor.Tag{Number: 1, Content: 1481830215.5}, "data": []byte{1}, "nested": map[string]any{"name": "n"}}))
	f.Add(enc(f, map[string]any{"at": cbor.Tag{Number: 1, Content: math.Inf(1)}, "start": cbor.Tag{Number: 0, Content: "2026-01-01T00:00:00Z"}}))
	f.Add(enc(f, map[string]any{"nested": cbor.Tag{Number: 55799, Content: map[string]any{"name": "self-described"}}}))
	f.Add([]byte(strings.Repeat("\x81", 40) + "\x00"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in cborInput
		err := DecodeCBOR(body, &in)
		if err != nil {
			if e := awserr.As(err); e.Code != awserr.ErrSerializationException.Code {
				t.Fatalf("DecodeCBOR error %v is not SerializationException", err)
			}
			checkFuzzError(t, err)
			return
		}
		if _, err := MarshalCBOR(in); err != nil {
			t.Fatalf("decoded input does not encode again: %v", err)
		}
	})
}
