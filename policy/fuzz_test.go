package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedPolicies returns the policy texts of the evaluation corpus, for
// seeding fuzz targets.
func seedPolicies(f *testing.F) []string {
	files, _ := filepath.Glob("testdata/eval/*.json")
	var out []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var cases []struct {
			Policies map[string]json.RawMessage `json:"policies"`
		}
		if err := json.Unmarshal(data, &cases); err != nil {
			f.Fatalf("%s: %v", file, err)
		}
		for _, c := range cases {
			for _, raw := range c.Policies {
				collectObjects(raw, &out)
			}
		}
	}
	return out
}

// collectObjects appends every JSON object found in raw, which is an
// object or nested arrays of objects.
func collectObjects(raw json.RawMessage, out *[]string) {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for _, e := range list {
			collectObjects(e, out)
		}
		return
	}
	*out = append(*out, string(raw))
}

// FuzzParse checks that no input makes Parse or Compile panic, that
// parse failures are *SyntaxError with a position inside the text, and
// that a parsed document either compiles or fails with *CompileError.
func FuzzParse(f *testing.F) {
	for _, s := range seedPolicies(f) {
		f.Add(s)
	}
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)
	f.Add(`{"Statement":[{"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::${aws:username}","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*"]}}}]}`)
	f.Add(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::1"]}}}]}`)
	f.Fuzz(func(t *testing.T, text string) {
		doc, err := Parse([]byte(text))
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse error %T is not *SyntaxError: %v", err, err)
			}
			if se.Pos.Line < 1 || se.Pos.Column < 1 {
				t.Fatalf("bad error position %+v", se.Pos)
			}
			return
		}
		for _, typ := range []Type{Identity, Resource, SCP} {
			p, err := Compile("fuzz", typ, doc)
			var ce *CompileError
			if err != nil && !errors.As(err, &ce) {
				t.Fatalf("Compile error %T is not *CompileError: %v", err, err)
			}
			if p != nil {
				Explain(&Set{Identity: []*Policy{p}, Resource: []*Policy{p}}, &Request{
					Principal: "arn:aws:iam::111122223333:user/u", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k",
					Context: NewContext(map[string][]string{"aws:username": {"u"}, "aws:SourceIp": {"10.1.2.3"}}),
				})
			}
		}
	})
}

// The generator below builds policy sets from fuzz input out of a small
// vocabulary of actions, resources and conditions, so that statements
// often match the request.
var (
	fuzzActions   = []string{"*", "s3:*", "s3:GetObject", "s3:Get*", "S3:getobject", "s3:Put*", "iam:*", "s3:?etObject"}
	fuzzResources = []string{"*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/k", "arn:aws:s3:::c/*", "arn:aws:s3:::b/${aws:username}"}
	fuzzConds     = []string{
		``,
		`"Condition":{"StringEquals":{"aws:username":"u"}}`,
		`"Condition":{"StringNotEquals":{"aws:username":"u"}}`,
		`"Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/procurement-manager"}}`,
		`"Condition":{"StringNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/procurement-manager"}}`,
		`"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`,
		`"Condition":{"Null":{"aws:MissingKey":"true"}}`,
		`"Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`,
		`"Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["c"]}}`,
		`"Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}`,
	}
)

type fuzzReader struct{ data []byte }

func (r *fuzzReader) next(n int) int {
	if len(r.data) == 0 {
		return 0
	}
	b := r.data[0]
	r.data = r.data[1:]
	return int(b) % n
}

// statement returns a statement text and whether it is a Deny.
func (r *fuzzReader) statement() (string, bool) {
	effect := []string{"Allow", "Deny"}[r.next(2)]
	actionKey := []string{"Action", "Action", "Action", "NotAction"}[r.next(4)]
	resourceKey := []string{"Resource", "Resource", "Resource", "NotResource"}[r.next(4)]
	cond := fuzzConds[r.next(len(fuzzConds))]
	if cond != "" {
		cond = "," + cond
	}
	return fmt.Sprintf(`{"Effect":%q,%q:%q,%q:%q%s}`, effect,
		actionKey, fuzzActions[r.next(len(fuzzActions))],
		resourceKey, fuzzResources[r.next(len(fuzzResources))], cond), effect == "Deny"
}

// fuzzSet is a generated policy set kept as statement texts, so that it
// can be changed and compiled again.
type fuzzSet struct {
	identity [][]string   // policies, each a list of statements
	scp      [][][]string // levels of policies
}

func (r *fuzzReader) policies(max int) [][]string {
	n := r.next(max) + 1
	out := make([][]string, n)
	for i := range out {
		for range r.next(3) + 1 {
			st, _ := r.statement()
			out[i] = append(out[i], st)
		}
	}
	return out
}

func (fs *fuzzSet) compile(t *testing.T) *Set {
	set := &Set{}
	for i, stmts := range fs.identity {
		set.Identity = append(set.Identity, compileStatements(t, fmt.Sprint("identity", i), Identity, stmts))
	}
	if fs.scp != nil {
		set.SCP = [][]*Policy{}
	}
	for i, level := range fs.scp {
		var ps []*Policy
		for j, stmts := range level {
			ps = append(ps, compileStatements(t, fmt.Sprintf("scp%d-%d", i, j), SCP, stmts))
		}
		set.SCP = append(set.SCP, ps)
	}
	return set
}

func compileStatements(t *testing.T, id string, typ Type, stmts []string) *Policy {
	text := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
	p, err := CompileText(id, typ, []byte(text))
	if err != nil {
		t.Fatalf("compile %s: %v", text, err)
	}
	return p
}

var fuzzContext = NewContext(map[string][]string{
	"aws:username":     {"u"},
	"aws:PrincipalArn": {"arn:aws:iam::111122223333:role/procurement-manager"},
	"aws:SourceIp":     {"10.9.8.7"},
	"aws:TagKeys":      {"a"},
})

var fuzzRequest = &Request{
	Principal: "arn:aws:sts::111122223333:assumed-role/procurement-manager/s",
	Action:    "s3:GetObject", Resource: "arn:aws:s3:::b/u", Context: fuzzContext,
}

// FuzzDecisionProperties checks properties every correct evaluator has:
// adding a Deny statement never turns a denial into an allow, removing an
// Allow statement never turns a denial into an allow, a deny-all SCP at
// any level never allows, and Decide agrees with Explain.
func FuzzDecisionProperties(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 2, 1, 0, 0, 3, 3})
	f.Add([]byte("gatehouse policy engine"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzReader{data: data}
		fs := &fuzzSet{identity: r.policies(3)}
		if r.next(2) == 1 {
			for range r.next(3) + 1 {
				fs.scp = append(fs.scp, r.policies(2))
			}
		}
		base := Decide(fs.compile(t), fuzzRequest)
		if ex := Explain(fs.compile(t), fuzzRequest); ex.Decision != base {
			t.Fatalf("Decide = %v but Explain = %v", base, ex.Decision)
		}
		if base == Allowed {
			checkDenyAllSCP(t, fs, r.next(len(fs.scp)+1))
			return
		}
		// Add a Deny statement somewhere.
		st, isDeny := r.statement()
		if isDeny {
			added := cloneSet(fs)
			added.identity[0] = append(added.identity[0], st)
			if d := Decide(added.compile(t), fuzzRequest); d == Allowed {
				t.Fatalf("adding Deny statement %s turned %v into allowed", st, base)
			}
		}
		// Remove an Allow statement.
		pi := r.next(len(fs.identity))
		if si := r.next(len(fs.identity[pi])); !strings.Contains(fs.identity[pi][si], `"Deny"`) {
			removed := cloneSet(fs)
			removed.identity[pi] = append(removed.identity[pi][:si:si], removed.identity[pi][si+1:]...)
			if len(removed.identity[pi]) > 0 {
				if d := Decide(removed.compile(t), fuzzRequest); d == Allowed {
					t.Fatalf("removing an Allow statement turned %v into allowed", base)
				}
			}
		}
	})
}

func checkDenyAllSCP(t *testing.T, fs *fuzzSet, level int) {
	denyAll := []string{`{"Effect":"Deny","Action":"*","Resource":"*"}`}
	with := cloneSet(fs)
	if level >= len(with.scp) {
		with.scp = append(with.scp, [][]string{denyAll})
	} else {
		with.scp[level] = append(with.scp[level], denyAll)
	}
	if d := Decide(with.compile(t), fuzzRequest); d != ExplicitDeny {
		t.Fatalf("a deny-all SCP at level %d gave %v", level, d)
	}
}

func cloneSet(fs *fuzzSet) *fuzzSet {
	out := &fuzzSet{}
	for _, p := range fs.identity {
		out.identity = append(out.identity, append([]string(nil), p...))
	}
	if fs.scp != nil {
		out.scp = [][][]string{}
	}
	for _, level := range fs.scp {
		var l [][]string
		for _, p := range level {
			l = append(l, append([]string(nil), p...))
		}
		out.scp = append(out.scp, l)
	}
	return out
}
