package awsapi

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"gatehouse/awserr"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const goldenRequestID = "5f6c2a9e-3b1d-4c8e-9a7f-0123456789ab"

// dump renders a recorded response: status, the headers AWS clients read,
// a blank line and the body.
func dump(rec *httptest.ResponseRecorder) string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d\n", rec.Code)
	keys := make([]string, 0, len(rec.Header()))
	for k := range rec.Header() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(rec.Header()[k], ", "))
	}
	b.WriteString("\n")
	b.WriteString(rec.Body.String())
	b.WriteString("\n")
	return b.String()
}

// checkWellFormed parses the whole body as its Content-Type says.
func checkWellFormed(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Type") == CBORContentType {
		if err := cbor.Wellformed(body); err != nil {
			t.Errorf("body is not well-formed CBOR: %v %x", err, body)
		}
		return
	}
	if rec.Header().Get("Content-Type") != "text/xml" {
		if !json.Valid(body) {
			t.Errorf("body is not valid JSON: %s", body)
		}
		return
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("body is not well-formed XML: %v\n%s", err, body)
			return
		}
	}
	if dec.InputOffset() != int64(len(body)) {
		t.Errorf("XML body has trailing data")
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestGolden(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	type tag struct{ Key, Value string }
	type user struct {
		Path, UserName, UserId, Arn string
		CreateDate                  time.Time
		Tags                        Members[tag]
	}
	tests := []struct {
		name  string
		write func(rec *httptest.ResponseRecorder) error
	}{
		{
			name: "json_error.golden",
			write: func(rec *httptest.ResponseRecorder) error {
				err := awserr.ErrConstraintViolationException.New("You have exceeded the maximum depth of OUs.").
					With("Reason", "OU_DEPTH_LIMIT_EXCEEDED")
				return JSON11.WriteError(rec, goldenRequestID, err)
			},
		},
		{
			name: "json_response.golden",
			write: func(rec *httptest.ResponseRecorder) error {
				type account struct {
					Id, Name        string
					JoinedTimestamp Time `json:",omitzero"`
					Email           string
				}
				out := map[string]any{"Account": account{
					Id: "444455556666", Name: "dev <sandbox>", Email: "dev@example.com",
					JoinedTimestamp: Time{Time: created.Add(890 * time.Millisecond)},
				}}
				return JSON11.Write(rec, goldenRequestID, out)
			},
		},
		{
			name: "query_response.golden",
			write: func(rec *httptest.ResponseRecorder) error {
				out := struct{ User user }{user{
					Path: "/", UserName: "alice", UserId: "AIDAEXAMPLEALICE00001",
					Arn: "arn:aws:iam::111122223333:user/alice", CreateDate: created,
					Tags: Members[tag]{{"team", "platform"}, {"note", "a&b <c>"}},
				}}
				return IAM.Write(rec, goldenRequestID, "GetUser", out)
			},
		},
		{
			name: "query_error.golden",
			write: func(rec *httptest.ResponseRecorder) error {
				return IAM.WriteError(rec, goldenRequestID, awserr.ErrNoSuchEntity.New("The user with name bob cannot be found."))
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
			checkGolden(t, tt.name, dump(rec))
		})
	}
}
