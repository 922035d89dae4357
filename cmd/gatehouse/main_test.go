package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"top", []string{"--help"}, "Usage: gatehouse COMMAND"},
		{"policy", []string{"policy", "--help"}, "Usage: gatehouse policy SUBCOMMAND"},
		{"policy eval", []string{"policy", "eval", "--help"}, "Usage: gatehouse policy eval [FILE]"},
		{"policy validate", []string{"policy", "validate", "--help"}, "Usage: gatehouse policy validate --type TYPE [FILE]"},
		{"catalog", []string{"catalog", "--help"}, "Usage: gatehouse catalog SUBCOMMAND"},
		{"catalog import", []string{"catalog", "import", "--help"}, "Usage: gatehouse catalog import [FLAGS] FILE"},
		{"demo", []string{"demo", "--help"}, "Usage: gatehouse demo [FLAGS]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, "", tt.args...)
			if code != 0 {
				t.Errorf("exit status %d, want 0", code)
			}
			if !strings.Contains(out+errOut, tt.want) {
				t.Errorf("help output lacks %q:\n%s%s", tt.want, out, errOut)
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	_, errOut, code := runCLI(t, "", "frobnicate")
	if code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("code=%d stderr=%q", code, errOut)
	}
}

// TestPolicyEvalGolden pins the wire shape of `policy eval` results,
// including error lines for malformed documents. Run with -update to
// rewrite testdata/seed-results.golden.
func TestPolicyEvalGolden(t *testing.T) {
	out, errOut, code := runCLI(t, "", "policy", "eval", "testdata/seed-requests.jsonl")
	if code != 1 {
		t.Errorf("exit status %d, want 1 (two documents are malformed); stderr: %s", code, errOut)
	}
	golden := filepath.Join("testdata", "seed-results.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("policy eval output differs from %s:\n got: %s\nwant: %s", golden, out, want)
	}
}

// TestPolicyEvalCorpus feeds every corpus file to `policy eval`, which
// must answer one line per case with the expected decision.
func TestPolicyEvalCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../policy/testdata/eval/*.json")
	if len(files) == 0 {
		t.Fatal("no corpus files")
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var cases []struct {
			Name string `json:"name"`
			Want struct {
				Decision string `json:"decision"`
			} `json:"want"`
		}
		if err := json.Unmarshal(data, &cases); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := runCLI(t, string(data), "policy", "eval")
		if code != 0 {
			t.Fatalf("%s: exit status %d: %s", file, code, errOut)
		}
		sc := bufio.NewScanner(strings.NewReader(out))
		sc.Buffer(nil, 1<<20)
		i := 0
		for ; sc.Scan(); i++ {
			var res struct {
				Decision string `json:"decision"`
			}
			if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
				t.Fatalf("%s line %d: %v", file, i+1, err)
			}
			if i < len(cases) && res.Decision != cases[i].Want.Decision {
				t.Errorf("%s: %s: decision %s, want %s", file, cases[i].Name, res.Decision, cases[i].Want.Decision)
			}
		}
		if i != len(cases) {
			t.Errorf("%s: %d result lines for %d cases", file, i, len(cases))
		}
	}
}
