package main

import (
	"fmt"
	"io"
	"os"

	"gatehouse/policy"
	"gatehouse/policy/evaldoc"
)

func runPolicy(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub := map[string]func([]string, io.Reader, io.Writer, io.Writer) error{
		"eval":     runPolicyEval,
		"validate": runPolicyValidate,
	}
	if len(args) > 0 {
		if f, ok := sub[args[0]]; ok {
			return f(args[1:], stdin, stdout, stderr)
		}
	}
	w := stderr
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		w = stdout
	}
	fmt.Fprint(w, `Usage: gatehouse policy SUBCOMMAND [ARGS]

Subcommands:
  eval       evaluate request documents against their policies
  validate   check a policy against IAM's grammar for its type
`)
	if w == stdout {
		return nil
	}
	return errUsage
}

func runPolicyEval(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("policy eval", "policy eval [FILE]",
		`Reads request documents from FILE, or standard input when FILE is absent or "-":
one document, a JSON array of them, or JSON Lines. Prints one JSON result per
line, in order:
  {"decision": "allowed|explicitDeny|implicitDeny", "matchedStatements": [...],
   "allowedByOrganizations": true, "allowedByPermissionsBoundary": true, "reason": "..."}
A document that cannot be evaluated gets {"error": "..."} and the exit status is 1.

A request document is
  {"request": {"principalArn": "...", "principalAccount": "...", "action": "...",
               "resource": "...", "resourceAccount": "...", "context": {"KEY": "V" or ["V", ...]}},
   "policies": {"identity": [P], "permissionsBoundary": P, "session": [P], "resource": [P],
                "trust": P, "scp": [[P], ...], "rcp": [[P], ...]}}
where P is a policy JSON object and scp/rcp list levels from the root to the account.`, stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return errUsage
	}
	in, closeIn, err := openInput(fs.Arg(0), stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	failed, err := evaldoc.Run(in, stdout)
	if err != nil {
		return err
	}
	if failed > 0 {
		return exitError(1)
	}
	return nil
}

func openInput(name string, stdin io.Reader) (io.Reader, func(), error) {
	if name == "" || name == "-" {
		return stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

func runPolicyValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("policy validate", "policy validate --type TYPE [FILE]",
		`Checks the policy in FILE (standard input when absent or "-") against IAM's
grammar and limits for its type, and prints one finding per line with IAM's
error text. Exits 1 when there are errors.`, stderr)
	typeName := fs.String("type", "identity", "policy type: identity, resource, trust, scp, rcp, boundary or session")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	t, err := policy.ParseType(*typeName)
	if err != nil || fs.NArg() > 1 {
		fs.Usage()
		return errUsage
	}
	in, closeIn, err := openInput(fs.Arg(0), stdin)
	if err != nil {
		return err
	}
	defer closeIn()
	text, err := io.ReadAll(io.LimitReader(in, policy.MaxDocumentSize+1))
	if err != nil {
		return err
	}
	errs := 0
	for _, f := range policy.ValidateText(text, t) {
		fmt.Fprintln(stdout, f)
		if f.Severity == policy.Error {
			errs++
		}
	}
	if errs > 0 {
		return exitError(1)
	}
	fmt.Fprintf(stdout, "valid %s policy\n", t)
	return nil
}
