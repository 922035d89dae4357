package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"

	"gatehouse/catalog"
	"gatehouse/store"
)

// sampleCatalog is the sample catalog: real software products with
// descriptions written for Gatehouse, used by 'gatehouse demo'.
//
//go:embed sample-catalog.yaml
var sampleCatalog []byte

// sampleCatalogName is the sample catalog's file name, which says its
// format.
const sampleCatalogName = "sample-catalog.yaml"

func runCatalog(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	usage := func() {
		fmt.Fprint(stderr, `Usage: gatehouse catalog SUBCOMMAND [ARGS]

Works with the Marketplace Catalog from the command line.

Subcommands:
  import FILE   create or update products and offers from a JSON or YAML file
  sample        print the sample catalog (YAML), a model for import files
`)
	}
	if len(args) == 0 {
		usage()
		return errUsage
	}
	switch args[0] {
	case "import":
		return runCatalogImport(args[1:], stdin, stdout, stderr)
	case "sample":
		_, err := stdout.Write(sampleCatalog)
		return err
	case "-h", "--help", "help":
		usage()
		return nil
	}
	fmt.Fprintf(stderr, "gatehouse catalog: unknown subcommand %q\n\n", args[0])
	usage()
	return errUsage
}

var reAccountID = regexp.MustCompile(`^\d{12}$`)

func runCatalogImport(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("catalog import", "catalog import [FLAGS] FILE",
		`Creates products and public offers from FILE (YAML when its name ends in .yaml or .yml,
JSON otherwise; - reads YAML or JSON from standard input) in the store of a Gatehouse server,
in-process: use the --data and --database of 'gatehouse serve'. Every product is made
through the Catalog API's change sets as the seller account, so the API's rules apply;
a product is known by its type and title, and importing a file again changes only what
differs. Errors are reported per product with the catalog's error text. See
'gatehouse catalog sample' for the format.`, stderr)
	var cfg serveConfig
	cfg.flags(fs)
	seller := fs.String("seller", "", "seller account id (default: the management account)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	if *seller != "" && !reAccountID.MatchString(*seller) {
		return fmt.Errorf("catalog import: --seller %q is not a 12-digit account id", *seller)
	}
	name := fs.Arg(0)
	data, err := readInput(name, stdin)
	if err != nil {
		return fmt.Errorf("catalog import: %w", err)
	}
	file, err := parseCatalogFile(name, data)
	if err != nil {
		return fmt.Errorf("catalog import: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := wire(ctx, cfg, st, slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return err
	}
	defer a.close()
	account := *seller
	if account == "" {
		account = a.management
	}
	if err := requireAccount(ctx, st, a, account); err != nil {
		return err
	}
	sum, err := importCatalog(ctx, a.catalog, account, file, newProgress(stdout, stderr))
	if err != nil {
		return fmt.Errorf("catalog import: %w", err)
	}
	if sum.failed > 0 {
		return exitError(1)
	}
	return nil
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}

// requireAccount refuses a seller account Gatehouse does not know.
func requireAccount(ctx context.Context, st store.Store, a *app, account string) error {
	return st.View(ctx, func(tx store.Tx) error {
		_, ok, err := a.orgs.LookupAccount(ctx, tx, account)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("catalog import: account %s does not exist", account)
		}
		return nil
	})
}

// importSummary counts the outcomes of an import.
type importSummary struct {
	created, updated, unchanged, failed int
}

func (s importSummary) String() string {
	return fmt.Sprintf("%d created, %d updated, %d unchanged, %d failed", s.created, s.updated, s.unchanged, s.failed)
}

// importCatalog imports every product of a file as the seller, reporting
// each to p.
func importCatalog(ctx context.Context, cat *catalog.Service, seller string, file *catalogFile, p progress) (importSummary, error) {
	var sum importSummary
	im, err := newCatalogImporter(ctx, cat, seller)
	if err != nil {
		return sum, err
	}
	p.start(len(file.Products))
	for i := range file.Products {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		res := im.importProduct(ctx, &file.Products[i])
		switch res.Outcome {
		case importCreated:
			sum.created++
		case importUpdated:
			sum.updated++
		case importUnchanged:
			sum.unchanged++
		default:
			sum.failed++
		}
		p.step(res)
	}
	p.done(sum)
	return sum, nil
}

// progress reports an import as it goes.
type progress interface {
	start(total int)
	step(res importResult)
	done(sum importSummary)
}

// newProgress returns a progress bar when stdout is a terminal, plain
// lines otherwise. Failures go to stderr either way.
func newProgress(stdout, stderr io.Writer) progress {
	if isTerminal(stdout) {
		return &progressBar{out: stdout, errOut: stderr}
	}
	return &progressLines{out: stdout, errOut: stderr}
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// progressLines writes one line per product.
type progressLines struct {
	out, errOut io.Writer
}

func (p *progressLines) start(int) {}

func (p *progressLines) step(res importResult) {
	for _, w := range res.Warnings {
		fmt.Fprintf(p.errOut, "warning    %s: %s\n", res.Title, w)
	}
	if res.Err != nil {
		fmt.Fprintf(p.errOut, "failed     %s: %s\n", res.Title, errorText(res.Err))
		return
	}
	fmt.Fprintf(p.out, "%-10s %s (%s)\n", res.Outcome, res.Title, res.ProductId)
}

func (p *progressLines) done(sum importSummary) { fmt.Fprintln(p.out, sum) }

// progressBar redraws one line: a bar, the count and the product at hand.
type progressBar struct {
	out, errOut  io.Writer
	total, count int
}

const barWidth = 30

func (p *progressBar) start(total int) {
	p.total = total
	p.draw("")
}

func (p *progressBar) step(res importResult) {
	p.count++
	if res.Err != nil || len(res.Warnings) > 0 {
		fmt.Fprint(p.out, "\r\033[K")
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(p.errOut, "warning %s: %s\n", res.Title, w)
	}
	if res.Err != nil {
		fmt.Fprintf(p.errOut, "failed %s: %s\n", res.Title, errorText(res.Err))
	}
	p.draw(res.Title)
}

func (p *progressBar) draw(title string) {
	filled := barWidth
	if p.total > 0 {
		filled = p.count * barWidth / p.total
	}
	if r := []rune(title); len(r) > 40 {
		title = string(r[:39]) + "…"
	}
	fmt.Fprintf(p.out, "\r\033[K[%s%s] %d/%d %s", strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), p.count, p.total, title)
}

func (p *progressBar) done(sum importSummary) {
	fmt.Fprintf(p.out, "\r\033[K%s\n", sum)
}
