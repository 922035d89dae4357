// Command gatehouse is a self-hosted private software marketplace with
// AWS-grade governance. Its subcommands run the server and work with IAM
// policies from the command line.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// command is one subcommand: its name, a one-line summary and its run
// function, which gets the arguments after the name.
type command struct {
	name    string
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

// errUsage reports bad arguments; the usage text has been printed.
var errUsage = errors.New("usage")

// exitError carries an exit status without printing anything more.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func commands() []command {
	return []command{
		{"serve", "run the Gatehouse server", runServe},
		{"policy", "evaluate and validate IAM policies", runPolicy},
		{"catalog", "import products and offers into the Marketplace Catalog", runCatalog},
		{"demo", "run Gatehouse with the seed's Private Marketplace set up", runDemo},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range cmds {
		if c.name == args[0] {
			return status(c.run(args[1:], stdin, stdout, stderr), stderr)
		}
	}
	fmt.Fprintf(stderr, "gatehouse: unknown command %q\n\n", args[0])
	usage(stderr, cmds)
	return 2
}

func status(err error, stderr io.Writer) int {
	var exit exitError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.As(err, &exit):
		return int(exit)
	}
	fmt.Fprintf(stderr, "gatehouse: %v\n", err)
	return 1
}

func usage(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "Usage: gatehouse COMMAND [ARGS]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'gatehouse COMMAND --help' for a command's usage.")
}

// newFlagSet returns a flag set that prints its usage to stderr with the
// given synopsis and description.
func newFlagSet(name, synopsis, description string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: gatehouse %s\n\n%s\n", synopsis, description)
		if hasFlags(fs) {
			fmt.Fprintln(stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parseFlags parses args, mapping flag errors to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
