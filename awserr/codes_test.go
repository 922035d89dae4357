package awserr

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestKindsInvariants(t *testing.T) {
	kinds := Kinds()
	if len(kinds) < 80 {
		t.Fatalf("only %d kinds registered", len(kinds))
	}
	seen := map[string]bool{}
	for _, k := range kinds {
		if seen[k.Code] {
			t.Errorf("%s declared twice", k.Code)
		}
		seen[k.Code] = true
		if !isCode(k.Code) {
			t.Errorf("%q is not a valid code", k.Code)
		}
		if k.Status < 400 || k.Status > 599 {
			t.Errorf("%s: status %d", k.Code, k.Status)
		}
		if (k.Status >= 500) != (k.Fault == Receiver) {
			t.Errorf("%s: status %d with fault %v", k.Code, k.Status, k.Fault)
		}
		if got, ok := Lookup(k.Code); !ok || got != k {
			t.Errorf("Lookup(%s) = %v, %v", k.Code, got, ok)
		}
	}
}

// TestKindNamesMatchCodes reads codes.go: every exported variable is
// Err + the code passed to def, and every def is registered.
func TestKindNamesMatchCodes(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		spec, ok := node.(*ast.ValueSpec)
		if !ok || len(spec.Values) != 1 {
			return true
		}
		call, ok := spec.Values[0].(*ast.CallExpr)
		if !ok || !isIdentNamed(call.Fun, "def") {
			return true
		}
		n++
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok {
			t.Errorf("%s: code is not a literal", spec.Names[0].Name)
			return true
		}
		code, _ := strconv.Unquote(lit.Value)
		if name := spec.Names[0].Name; name != "Err"+code {
			t.Errorf("variable %s declares code %s; name it Err%s", name, code, code)
		}
		if spec.Doc == nil || !strings.HasPrefix(spec.Doc.Text(), spec.Names[0].Name+" ") {
			t.Errorf("%s: doc comment must start with its name", spec.Names[0].Name)
		}
		return true
	})
	if n != len(Kinds()) {
		t.Errorf("codes.go has %d defs, registry %d", n, len(Kinds()))
	}
}

func isIdentNamed(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func TestRespellTables(t *testing.T) {
	for from, to := range toJSON {
		if back := toQuery[to.Code]; back == nil || back.Code != from {
			if to != ErrExpiredTokenException { // STS models ExpiredTokenException: it stays
				t.Errorf("toJSON %s → %s does not map back", from, to.Code)
			}
		}
	}
	for from, to := range toQuery {
		if back := toJSON[to.Code]; back == nil || back.Code != from {
			t.Errorf("toQuery %s → %s does not map back", from, to.Code)
		}
	}
	if _, ok := toQuery[ErrExpiredTokenException.Code]; ok {
		t.Error("ExpiredTokenException must stay as is in STS responses")
	}
}

// botocoreShape is an error shape as the botocore model describes it.
type botocoreShape struct {
	Status  int      `json:"status"` // 0 if the model names none
	Server  bool     `json:"server"`
	Members []string `json:"members"`
}

// botocoreErrors dumps the error shapes of services from the installed
// botocore, keyed by wire code (the awsQueryError code where present).
const botocoreErrors = `
import json, sys, botocore.session
s = botocore.session.get_session()
out = {}
for svc in sys.argv[1:]:
    m = s.get_service_model(svc)
    shapes = {}
    for e in m.error_shapes:
        err = e.metadata.get('error', {})
        code = err.get('code', e.name)
        raw = m._shape_resolver._shape_map.get(e.name, {})  # Shape.metadata drops "fault"
        server = bool(raw.get('fault')) or (err.get('httpStatusCode', 0) >= 500 and not err.get('senderFault'))
        shapes[code] = {'status': err.get('httpStatusCode', 0), 'server': server, 'members': list(e.members)}
    out[svc] = shapes
json.dump(out, sys.stdout)
`

// TestKindsMatchBotocore checks every modeled kind against botocore's
// models: the code exists in each model named, with the same status and
// fault, and with the extra members of the first model.
func TestKindsMatchBotocore(t *testing.T) {
	models := map[string]bool{}
	for _, k := range Kinds() {
		for _, m := range strings.Fields(k.Models) {
			models[m] = true
		}
	}
	args := append([]string{"-c", botocoreErrors}, sortedKeys(models)...)
	out, err := exec.Command("python3", args...).Output()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("botocore is not available (python3 -c 'import botocore'): %v", err)
		}
		t.Skipf("botocore not available (python3 -c 'import botocore'): %v", err)
	}
	var shapes map[string]map[string]botocoreShape
	if err := json.Unmarshal(out, &shapes); err != nil {
		t.Fatal(err)
	}
	for _, k := range Kinds() {
		for i, model := range strings.Fields(k.Models) {
			shape, ok := shapes[model][k.Code]
			if !ok {
				t.Errorf("%s: not an error of %s", k.Code, model)
				continue
			}
			checkShape(t, k, model, shape, i == 0)
		}
	}
}

func checkShape(t *testing.T, k *Kind, model string, shape botocoreShape, members bool) {
	t.Helper()
	want := shape.Status
	if want == 0 {
		want = 400
		if shape.Server {
			want = 500
		}
	}
	if k.Status != want {
		t.Errorf("%s in %s: status %d, model says %d", k.Code, model, k.Status, want)
	}
	if (k.Fault == Receiver) != shape.Server {
		t.Errorf("%s in %s: fault %v, model server fault %v", k.Code, model, k.Fault, shape.Server)
	}
	extra := slices.DeleteFunc(shape.Members, func(m string) bool { return strings.EqualFold(m, "message") })
	if members && !slices.Equal(k.Members, extra) {
		t.Errorf("%s in %s: members %q, model has %q", k.Code, model, k.Members, extra)
	}
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// isCode reports whether s is a valid error code: letters and digits,
// starting with a letter.
func isCode(s string) bool {
	if s == "" || !('A' <= s[0] && s[0] <= 'Z' || 'a' <= s[0] && s[0] <= 'z') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
