package awsapi

import (
	"encoding/json"
	"errors"
	"gatehouse/awserr"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		name       string
		target     string
		wantPrefix string
		wantOp     string
		wantErr    bool
	}{
		{name: "organizations", target: "AWSOrganizationsV20161128.CreateOrganization", wantPrefix: "AWSOrganizationsV20161128", wantOp: "CreateOrganization"},
		{name: "cloudtrail prefix with dots", target: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", wantPrefix: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", wantOp: "LookupEvents"},
		{name: "agreement", target: "AWSMPCommerceService_v20200301.DescribeAgreement", wantPrefix: "AWSMPCommerceService_v20200301", wantOp: "DescribeAgreement"},
		{name: "empty", target: "", wantErr: true},
		{name: "no dot", target: "CreateOrganization", wantErr: true},
		{name: "no operation", target: "AWSOrganizationsV20161128.", wantErr: true},
		{name: "no prefix", target: ".CreateOrganization", wantErr: true},
		{name: "junk in operation", target: "AWSOrganizationsV20161128.Create Organization", wantErr: true},
		{name: "junk in prefix", target: "AWS/Orgs.CreateOrganization", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix, op, err := ParseTarget(tt.target)
			if tt.wantErr {
				if !errors.Is(err, awserr.ErrUnknownOperationException) {
					t.Errorf("err = %v, want UnknownOperationException", err)
				}
				return
			}
			if err != nil || prefix != tt.wantPrefix || op != tt.wantOp {
				t.Errorf("ParseTarget = %q, %q, %v", prefix, op, err)
			}
		})
	}
}

type decodeInput struct {
	Name       string
	MaxResults int
	Tags       map[string]string
	Ids        []string
	Start      Time
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		want     decodeInput
		wantCode string
	}{
		{name: "empty body is empty input", body: ""},
		{name: "whitespace body", body: " \n\t"},
		{name: "empty object", body: "{}"},
		{name: "null", body: "null"},
		{name: "members", body: `{"Name":"dev","MaxResults":5,"Tags":{"a":"b"},"Ids":["x","y"],"Start":1481830215.5}`,
			want: decodeInput{Name: "dev", MaxResults: 5, Tags: map[string]string{"a": "b"}, Ids: []string{"x", "y"},
				Start: Time{time.UnixMilli(1481830215500).UTC()}}},
		{name: "unknown members ignored", body: `{"Name":"dev","FutureMember":{"x":1}}`, want: decodeInput{Name: "dev"}},
		{name: "trailing whitespace", body: "{}\n", want: decodeInput{}},
		{name: "malformed", body: `{"Name":}`, wantCode: "SerializationException"},
		{name: "truncated", body: `{"Name":"dev"`, wantCode: "SerializationException"},
		{name: "wrong type", body: `{"MaxResults":"five"}`, wantCode: "SerializationException"},
		{name: "top-level array", body: `[1,2]`, wantCode: "SerializationException"},
		{name: "trailing data", body: `{} {}`, wantCode: "SerializationException"},
		{name: "timestamp as string", body: `{"Start":"2026-01-01T00:00:00Z"}`, wantCode: "SerializationException"},
		{name: "timestamp out of range", body: `{"Start":1e300}`, wantCode: "SerializationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got decodeInput
			err := DecodeJSON([]byte(tt.body), &got)
			if tt.wantCode != "" {
				if e := awserr.As(err); e == nil || e.Code != tt.wantCode || e.Status != 400 || e.Message == "" {
					t.Errorf("err = %#v, want %s", e, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeJSON: %v", err)
			}
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(tt.want)
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("decoded %s, want %s", gotJSON, wantJSON)
			}
		})
	}
}

func TestDecodeJSONNonPointerIsInternal(t *testing.T) {
	err := DecodeJSON([]byte(`{}`), decodeInput{})
	if e := awserr.As(err); e.Code != "InternalFailure" || e.Unwrap() == nil {
		t.Errorf("err = %#v, want InternalFailure with cause", e)
	}
}

func TestTimeMarshalJSON(t *testing.T) {
	base := time.Date(2016, 12, 15, 19, 30, 15, 0, time.UTC) // 1481830215
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{name: "whole seconds keep a fraction", in: base, want: "1481830215.0"},
		{name: "milliseconds", in: base.Add(123 * time.Millisecond), want: "1481830215.123"},
		{name: "trailing zeros trimmed", in: base.Add(500 * time.Millisecond), want: "1481830215.5"},
		{name: "sub-millisecond truncated", in: base.Add(7*time.Millisecond + 999*time.Microsecond), want: "1481830215.007"},
		{name: "zone irrelevant", in: base.In(time.FixedZone("X", 3600)), want: "1481830215.0"},
		{name: "before 1970", in: time.UnixMilli(-1500), want: "-1.5"},
		{name: "zero is null", in: time.Time{}, want: "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(Time{tt.in})
			if err != nil || string(got) != tt.want {
				t.Errorf("Marshal = %s, %v; want %s", got, err, tt.want)
			}
		})
	}
}

func TestTimeUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int64 // Unix milliseconds
		wantErr bool
	}{
		{name: "fraction", in: "1481830215.123", want: 1481830215123},
		{name: "integer", in: "1481830215", want: 1481830215000},
		{name: "exponent as Java prints it", in: "1.481830215123E9", want: 1481830215123},
		{name: "rounds to milliseconds", in: "1481830215.1236", want: 1481830215124},
		{name: "negative", in: "-1.5", want: -1500},
		{name: "string", in: `"1481830215"`, wantErr: true},
		{name: "bool", in: "true", wantErr: true},
		{name: "too large", in: "1e20", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Time
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr {
				if !errors.Is(err, awserr.ErrSerializationException) {
					t.Errorf("err = %v, want SerializationException", err)
				}
				return
			}
			if err != nil || got.UnixMilli() != tt.want || got.Location() != time.UTC {
				t.Errorf("Unmarshal = %v (%d), %v; want %d UTC", got, got.UnixMilli(), err, tt.want)
			}
		})
	}
}

func TestTimeNullKeepsValue(t *testing.T) {
	v := struct{ T Time }{Time{time.UnixMilli(5)}}
	if err := json.Unmarshal([]byte(`{"T":null}`), &v); err != nil || v.T.UnixMilli() != 5 {
		t.Errorf("null changed the value: %v, %v", v.T, err)
	}
}

func TestJSONWriteError(t *testing.T) {
	tests := []struct {
		name       string
		proto      JSONProtocol
		err        error
		wantStatus int
		wantType   string
		wantBody   string
		wantErr    bool
	}{
		{
			name: "with reason", proto: JSON11,
			err:        awserr.ErrInvalidInputException.New("bad id").With("Reason", "INVALID_ENUM"),
			wantStatus: 400, wantType: "InvalidInputException",
			wantBody: `{"__type":"InvalidInputException","Message":"bad id","Reason":"INVALID_ENUM"}`,
		},
		{
			name: "json 1.0 lower-case message, structured member", proto: JSON10,
			err:        awserr.ErrValidationException.New("bad").With("fieldList", []map[string]string{{"name": "x", "message": "y"}}),
			wantStatus: 400, wantType: "ValidationException",
			wantBody: `{"__type":"ValidationException","message":"bad","fieldList":[{"message":"y","name":"x"}]}`,
		},
		{
			name: "query-family code respelled", proto: JSON11,
			err:        awserr.ErrAccessDenied.New("no"),
			wantStatus: 400, wantType: "AccessDeniedException",
			wantBody: `{"__type":"AccessDeniedException","Message":"no"}`,
		},
		{
			name: "empty message left out", proto: JSON11,
			err:        awserr.ErrUnknownOperationException.New(""),
			wantStatus: 400, wantType: "UnknownOperationException",
			wantBody: `{"__type":"UnknownOperationException"}`,
		},
		{
			name: "no HTML escaping", proto: JSON11,
			err:        awserr.ErrMalformedPolicyDocumentException.New(`"Action" <must> & be valid`),
			wantStatus: 400, wantType: "MalformedPolicyDocumentException",
			wantBody: `{"__type":"MalformedPolicyDocumentException","Message":"\"Action\" <must> & be valid"}`,
		},
		{
			name: "plain error hidden", proto: JSON11,
			err:        errors.New("secret detail"),
			wantStatus: 500, wantType: "InternalFailure",
			wantBody: `{"__type":"InternalFailure","Message":"` + awserr.InternalMessage + `"}`,
		},
		{
			name: "empty code is internal", proto: JSON11,
			err:        &awserr.Error{Message: "x"},
			wantStatus: 500, wantType: "InternalFailure",
			wantBody: `{"__type":"InternalFailure","Message":"` + awserr.InternalMessage + `"}`,
		},
		{
			name: "shadowing and unmarshalable fields left out", proto: JSON11,
			err:        awserr.ErrServiceException.New("m").With("__type", "X").With("message", "Y").With("Bad", func() {}),
			wantStatus: 500, wantType: "ServiceException",
			wantBody: `{"__type":"ServiceException","Message":"m"}`, wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := tt.proto.WriteError(rec, "rid", tt.err)
			if (err != nil) != tt.wantErr {
				t.Errorf("WriteError error = %v, want error %v", err, tt.wantErr)
			}
			h := rec.Header()
			if rec.Code != tt.wantStatus || h.Get("X-Amzn-ErrorType") != tt.wantType ||
				h.Get("Content-Type") != tt.proto.ContentType || h.Get("X-Amzn-RequestId") != "rid" {
				t.Errorf("status %d headers %v", rec.Code, h)
			}
			if rec.Body.String() != tt.wantBody {
				t.Errorf("body\n got %s\nwant %s", rec.Body, tt.wantBody)
			}
		})
	}
}

func TestJSONWrite(t *testing.T) {
	tests := []struct {
		name       string
		v          any
		wantStatus int
		wantBody   string
		wantErr    bool
	}{
		{name: "nil is an empty body", v: nil, wantStatus: 200, wantBody: ""},
		{name: "empty struct", v: struct{}{}, wantStatus: 200, wantBody: "{}"},
		{name: "omitzero time", v: struct {
			T Time `json:",omitzero"`
		}{}, wantStatus: 200, wantBody: "{}"},
		{name: "unmarshalable is internal", v: map[string]any{"f": func() {}}, wantStatus: 500,
			wantBody: `{"__type":"InternalFailure","Message":"` + awserr.InternalMessage + `"}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			err := JSON11.Write(rec, "rid", tt.v)
			if (err != nil) != tt.wantErr {
				t.Errorf("Write error = %v", err)
			}
			if rec.Code != tt.wantStatus || rec.Body.String() != tt.wantBody ||
				rec.Header().Get("Content-Length") != strconv.Itoa(len(tt.wantBody)) {
				t.Errorf("got %d %q headers %v", rec.Code, rec.Body, rec.Header())
			}
		})
	}
}
