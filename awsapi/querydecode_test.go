package awsapi

import (
	"reflect"
	"testing"

	"gatehouse/awserr"
)

type decodeTag struct {
	Key   string `query:",required"`
	Value string
}

type decodeStatus string

type decodePage struct {
	Marker string
}

type decodeQueryInput struct {
	decodePage
	UserName   string `query:",required"`
	Path       *string
	MaxItems   *int32
	Count      int
	Force      bool
	SetDefault *bool
	Status     decodeStatus
	Filter     []string
	Tags       []decodeTag
	TagPtrs    []*decodeTag
	Attrs      map[string]string
	Inner      struct{ Name string }
	Renamed    string `query:"Other"`
	Skipped    string `query:"-"`
	unexported string //lint:ignore U1000 checks that DecodeQuery skips unexported fields
}

func TestDecodeQuery(t *testing.T) {
	str := func(s string) *string { return &s }
	i32 := func(n int32) *int32 { return &n }
	yes := true
	tests := []struct {
		name     string
		body     string
		want     decodeQueryInput
		wantErr  string // the ValidationError message
		wantCode string
	}{
		{name: "scalars", body: "UserName=alice&Path=%2Fdev%2F&MaxItems=5&Count=-3&Force=TRUE&SetDefault=true&Status=Active&Other=x&Skipped=y&unexported=z",
			want: decodeQueryInput{UserName: "alice", Path: str("/dev/"), MaxItems: i32(5), Count: -3, Force: true, SetDefault: &yes, Status: "Active", Renamed: "x"}},
		{name: "absent optional members stay zero", body: "UserName=",
			want: decodeQueryInput{}},
		{name: "string list in index order", body: "UserName=a&Filter.member.2=Role&Filter.member.1=User",
			want: decodeQueryInput{UserName: "a", Filter: []string{"User", "Role"}}},
		{name: "structure lists", body: "UserName=a&Tags.member.1.Key=team&Tags.member.1.Value=x&Tags.member.2.Key=env&TagPtrs.member.1.Key=k",
			want: decodeQueryInput{UserName: "a", Tags: []decodeTag{{"team", "x"}, {"env", ""}}, TagPtrs: []*decodeTag{{Key: "k"}}}},
		{name: "map", body: "UserName=a&Attrs.entry.1.key=k&Attrs.entry.1.value=v",
			want: decodeQueryInput{UserName: "a", Attrs: map[string]string{"k": "v"}}},
		{name: "embedded structure", body: "UserName=a&Marker=m",
			want: decodeQueryInput{UserName: "a", decodePage: decodePage{Marker: "m"}}},
		{name: "nested structure", body: "UserName=a&Inner.Name=n",
			want: decodeQueryInput{UserName: "a", Inner: struct{ Name string }{"n"}}},
		// IAM: "1 validation error detected: Value null at 'userName' failed
		// to satisfy constraint: Member must not be null" (the common
		// ValidationError of the query protocol).
		{name: "required missing", body: "Path=/",
			wantErr: "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"},
		{name: "required member of a list element", body: "UserName=a&Tags.member.1.Value=v",
			wantErr: "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"},
		{name: "not an integer", body: "UserName=a&MaxItems=ten",
			wantErr: "1 validation error detected: Value 'ten' at 'maxItems' failed to satisfy constraint: Member must be a 32-bit integer"},
		{name: "integer overflow", body: "UserName=a&MaxItems=4294967296",
			wantErr: "1 validation error detected: Value '4294967296' at 'maxItems' failed to satisfy constraint: Member must be a 32-bit integer"},
		{name: "not a boolean", body: "UserName=a&Force=yes",
			wantErr: "1 validation error detected: Value 'yes' at 'force' failed to satisfy constraint: Member must be a boolean (true or false)"},
		{name: "bad list index", body: "UserName=a&Filter.member.0=x", wantCode: "ValidationError"},
		{name: "duplicate map key", body: "UserName=a&Attrs.entry.1.key=k&Attrs.entry.2.key=k", wantCode: "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got decodeQueryInput
			err := DecodeQuery(mustParse(t, tt.body), &got)
			if tt.wantErr != "" || tt.wantCode != "" {
				e := awserr.As(err)
				if e == nil || e.Code != "ValidationError" || e.Status != 400 {
					t.Fatalf("err = %v, want ValidationError", err)
				}
				if tt.wantErr != "" && e.Message != tt.wantErr {
					t.Errorf("message = %q\nwant      %q", e.Message, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.UserName == "" && tt.name != "absent optional members stay zero" {
				t.Fatal("bad test")
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeQueryRejectsNonStruct(t *testing.T) {
	var s string
	for _, v := range []any{nil, s, &s, (*decodeQueryInput)(nil)} {
		if err := DecodeQuery(Params{}, v); err == nil {
			t.Errorf("DecodeQuery(%T) = nil error", v)
		}
	}
	var bad struct{ F []int }
	if err := DecodeQuery(mustParse(t, "F.member.1=1"), &bad); err == nil {
		t.Error("a list of ints decoded")
	}
}

// FuzzDecodeQuery checks that no form body panics DecodeQuery and that
// every failure is a client ValidationError (or the parser's
// MalformedQueryString).
func FuzzDecodeQuery(f *testing.F) {
	f.Add([]byte("UserName=a&Tags.member.1.Key=k&Tags.member.1.Value=v&MaxItems=3"))
	f.Add([]byte("UserName=a&Filter.member.2=x&Filter.member.1=y&Attrs.entry.1.key=k"))
	f.Add([]byte("MaxItems=-99999999999&Force=maybe&TagPtrs.member.1.Value=x"))
	f.Add([]byte("UserName=a&Tags.member.1=scalar&Tags.member.1.Key.member.1=z"))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := ParseQuery("", body)
		if err != nil {
			return
		}
		var in decodeQueryInput
		if err := DecodeQuery(p, &in); err != nil {
			if e := awserr.As(err); e.Code != "ValidationError" {
				t.Fatalf("DecodeQuery error %v is not a ValidationError", err)
			}
			checkFuzzError(t, err)
		}
	})
}
