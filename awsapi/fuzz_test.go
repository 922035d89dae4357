package awsapi

import (
	"encoding/json"
	"errors"
	"gatehouse/awserr"
	"net/http/httptest"
	"testing"
)

// FuzzParseQuery checks that no query string or form body panics the
// parser or the Params helpers, that every failure is an *awserr.Error, and that
// the error writer produces a well-formed document for it.
func FuzzParseQuery(f *testing.F) {
	f.Add("", []byte("Action=GetUser&Version=2010-05-08&UserName=alice"))
	f.Add("Action=ListUsers", []byte("Tags.member.1.Key=a&Tags.member.1.Value=b&Tags.member.2.Key=a"))
	f.Add("X-Amz-Date=20260101T000000Z", []byte("Filter.member.2=Role&Filter.member.1=User&Filter.member.01=x"))
	f.Add("", []byte("Attrs.entry.1.key=k&Attrs.entry.1.value=v&Attrs.entry.999999999.key=z"))
	f.Add("%zz", []byte("MaxItems=99999999999&Flag=TRUE&a=%E2%82"))
	f.Fuzz(func(t *testing.T, rawQuery string, body []byte) {
		p, err := ParseQuery(rawQuery, body)
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		for _, name := range []string{"Tags", "Filter", "Attrs", "PolicyArns"} {
			_, err1 := p.List(name)
			_, err2 := p.Members(name)
			_, err3 := p.Map(name)
			_, err4 := p.MemberMap(name, "Key", "Value")
			checkFuzzError(t, errors.Join(err1, err2, err3, err4))
		}
		_, err1 := p.Int("MaxItems", 100)
		_, err2 := p.Bool("Flag", false)
		_, err3 := p.Required(p.Action())
		checkFuzzError(t, errors.Join(err1, err2, err3))
	})
}

// FuzzDecodeJSON checks that no request body panics DecodeJSON, that every
// failure is SerializationException, and that what decodes re-encodes.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"Name":"dev","MaxResults":5,"Tags":{"a":"b"},"Ids":["x"],"Start":1481830215.5}`))
	f.Add([]byte(`{"Start":1e308}`))
	f.Add([]byte(`{"Start":"2026-01-01"} trailing`))
	f.Add([]byte(`[{"Name":1}]`))
	f.Add([]byte("\xff{\"Name\":\"\\ud800\"}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in decodeInput
		err := DecodeJSON(body, &in)
		if err != nil {
			if e := awserr.As(err); e.Code != awserr.ErrSerializationException.Code {
				t.Fatalf("DecodeJSON error %v is not SerializationException", err)
			}
			checkFuzzError(t, err)
			return
		}
		if _, err := json.Marshal(in); err != nil {
			t.Fatalf("decoded input does not re-encode: %v", err)
		}
	})
}

// checkFuzzError asserts that err (if any) is an *awserr.Error and that both
// writers send it as a well-formed document.
func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *awserr.Error
	if !errors.As(err, &e) || e.Code == "" || e.Code == awserr.ErrInternalFailure.Code {
		t.Fatalf("error %v is not a client *awserr.Error", err)
	}
	for _, write := range []func(*httptest.ResponseRecorder) error{
		func(rec *httptest.ResponseRecorder) error { return IAM.WriteError(rec, "rid", err) },
		func(rec *httptest.ResponseRecorder) error { return JSON11.WriteError(rec, "rid", err) },
		func(rec *httptest.ResponseRecorder) error { return testCBOR.WriteError(rec, "rid", err) },
	} {
		rec := httptest.NewRecorder()
		if werr := write(rec); werr != nil {
			t.Fatalf("WriteError: %v", werr)
		}
		checkWellFormed(t, rec)
	}
}
