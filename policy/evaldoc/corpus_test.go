package evaldoc

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpusCase is one case of policy/testdata/eval: a request document with
// its expected result and the AWS documentation rule it checks.
type corpusCase struct {
	Name string `json:"name"`
	Rule string `json:"rule"`
	Want struct {
		Decision                     string   `json:"decision"`
		AllowedByOrganizations       *bool    `json:"allowedByOrganizations"`
		AllowedByPermissionsBoundary *bool    `json:"allowedByPermissionsBoundary"`
		Matched                      []string `json:"matched"`
		ReasonContains               string   `json:"reasonContains"`
		Missing                      []string `json:"missing"`
	} `json:"want"`
}

func loadCorpus(t testing.TB) map[string][]json.RawMessage {
	t.Helper()
	files, err := filepath.Glob("../testdata/eval/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	corpus := map[string][]json.RawMessage{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []json.RawMessage
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		corpus[filepath.Base(f)] = cases
	}
	return corpus
}

// TestCorpus evaluates every case of policy/testdata/eval and compares
// the result with the decision the cited AWS documentation requires.
func TestCorpus(t *testing.T) {
	total := 0
	for file, cases := range loadCorpus(t) {
		for i, raw := range cases {
			var c corpusCase
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatalf("%s[%d]: %v", file, i, err)
			}
			total++
			t.Run(file+"/"+c.Name, func(t *testing.T) {
				checkCase(t, c, raw)
			})
		}
	}
	if total < 250 {
		t.Errorf("corpus has %d cases, want at least 250", total)
	}
}

func checkCase(t *testing.T, c corpusCase, raw json.RawMessage) {
	if c.Name == "" || c.Rule == "" || c.Want.Decision == "" {
		t.Fatalf("case lacks name, rule or want.decision")
	}
	got := Evaluate(raw)
	if got.Error != "" {
		t.Fatalf("evaluate: %s", got.Error)
	}
	if got.Decision != c.Want.Decision {
		t.Errorf("decision = %s, want %s (reason: %s)\nrule: %s", got.Decision, c.Want.Decision, got.Reason, c.Rule)
	}
	if w := c.Want.AllowedByOrganizations; w != nil && got.AllowedByOrganizations != *w {
		t.Errorf("allowedByOrganizations = %v, want %v", got.AllowedByOrganizations, *w)
	}
	if w := c.Want.AllowedByPermissionsBoundary; w != nil && got.AllowedByPermissionsBoundary != *w {
		t.Errorf("allowedByPermissionsBoundary = %v, want %v", got.AllowedByPermissionsBoundary, *w)
	}
	if c.Want.ReasonContains != "" && !strings.Contains(got.Reason, c.Want.ReasonContains) {
		t.Errorf("reason = %q, want it to contain %q", got.Reason, c.Want.ReasonContains)
	}
	if c.Want.Missing != nil && !slices.Equal(got.MissingContextValues, slices.Sorted(slices.Values(c.Want.Missing))) {
		t.Errorf("missing context values = %v, want %v", got.MissingContextValues, c.Want.Missing)
	}
	if c.Want.Matched != nil {
		var keys []string
		for _, s := range got.MatchedStatements {
			keys = append(keys, s.Key())
		}
		slices.Sort(keys)
		want := slices.Sorted(slices.Values(c.Want.Matched))
		if !slices.Equal(keys, want) {
			t.Errorf("matched = %v, want %v", keys, want)
		}
	}
}
