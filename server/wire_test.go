package server

import (
	"encoding/json"
	"testing"
	"time"
)

func TestWireJSON(t *testing.T) {
	type inner struct {
		Id   string
		When time.Time
	}
	type value struct {
		Name     string
		Empty    string
		Count    int32
		Optional *string
		Joined   time.Time
		Zero     time.Time
		Items    []inner
		NoItems  []inner
		Tags     map[string]string
	}
	v := value{
		Name:   "seed",
		Count:  3,
		Joined: time.Date(2026, 11, 25, 12, 0, 0, 500_000_000, time.UTC),
		Items:  []inner{{Id: "ou-ab12-cdefghij", When: time.Unix(1, 0)}},
	}
	tests := []struct {
		name string
		conv func(any) any
		want string
	}{
		{"wire", wireJSON, `{"Count":3,"Items":[{"Id":"ou-ab12-cdefghij","When":1.0}],"Joined":1795608000.5,"Name":"seed","NoItems":[]}`},
		{"audit", auditJSON, `{"count":3,"items":[{"id":"ou-ab12-cdefghij","when":"1970-01-01T00:00:01Z"}],"joined":"2026-11-25T12:00:00.5Z","name":"seed","noItems":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.conv(v))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
