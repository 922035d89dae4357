package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"

	"gatehouse/iam"
)

func runDemo(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", "demo [FLAGS]",
		`Runs Gatehouse on the embedded store with the seed's well-architected Private
Marketplace ready: an organization with OUs shared-services, retail and technology and
an account in each; the roles procurement-manager and admin in the shared services
account and developer in the retail and technology accounts; the seed's SCP on every
OU; and an enabled Private Marketplace experience that approves part of the sample
catalog. It writes an AWS CLI configuration with one profile per role to DATA/aws and
prints how to use it. A second start on the same data directory reuses the setup.`, stderr)
	var cfg serveConfig
	fs.StringVar(&cfg.addr, "addr", envOr("GATEHOUSE_ADDR", "127.0.0.1:4590"), "listen address (GATEHOUSE_ADDR)")
	fs.StringVar(&cfg.data, "data", envOr("GATEHOUSE_DEMO_DATA", "./gatehouse-demo"), "data directory (GATEHOUSE_DEMO_DATA)")
	fs.StringVar(&cfg.region, "region", envOr("GATEHOUSE_REGION", "us-east-1"), "region served (GATEHOUSE_REGION)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return demo(ctx, cfg, log, stdout, nil)
}

// demoCLI is where the demo's AWS CLI files are.
type demoCLI struct {
	Dir, Config, Credentials string
}

func newDemoCLI(data string) demoCLI {
	dir := filepath.Join(data, "aws")
	return demoCLI{Dir: dir, Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
}

// demo runs the demo server until ctx ends. When ready is not nil it is
// called with the server's URL and the setup once the server is ready.
func demo(ctx context.Context, cfg serveConfig, log *slog.Logger, stdout io.Writer, ready func(url string, s *demoState)) error {
	var state *demoState
	cli := newDemoCLI(cfg.data)
	cfg.prepare = func(ctx context.Context, a *app) error {
		s, found, err := loadDemo(ctx, a.store)
		if err != nil {
			return err
		}
		if found {
			log.Info("reusing the demo setup", "organization", s.OrganizationId, "experience", s.ExperienceId)
		} else if s, err = buildDemo(ctx, a.store, a); err != nil {
			return err
		} else {
			log.Info("built the demo setup", "organization", s.OrganizationId, "experience", s.ExperienceId, "products", s.Products)
		}
		state = s
		return ensureDemoKey(ctx, a, cli)
	}
	return serve(ctx, cfg, log, func(addr string) {
		url := "http://" + addr
		if err := writeDemoConfig(cli, url, cfg.region, state); err != nil {
			log.Error("cannot write the AWS CLI configuration", "err", err)
		}
		printDemo(stdout, url, cfg.data, cli, state)
		if ready != nil {
			ready(url, state)
		}
	})
}

// ensureDemoKey makes sure the credentials file holds a live access key of
// the demo user: the one written before when it still exists, else a new
// one, which replaces the user's old keys. The secret is written to the
// file (mode 0600) and nowhere else.
func ensureDemoKey(ctx context.Context, a *app, cli demoCLI) error {
	mgmt := rootCaller(a.management)
	listed, err := a.iam.ListAccessKeys(ctx, mgmt, iam.ListAccessKeysInput{UserName: demoUser})
	if err != nil {
		return fmt.Errorf("demo: access keys: %w", err)
	}
	written := credentialsKeyID(cli.Credentials)
	for _, k := range listed.AccessKeyMetadata {
		if k.AccessKeyId == written {
			return nil
		}
	}
	for _, k := range listed.AccessKeyMetadata {
		if _, err := a.iam.DeleteAccessKey(ctx, mgmt, iam.DeleteAccessKeyInput{UserName: demoUser, AccessKeyId: k.AccessKeyId}); err != nil {
			return fmt.Errorf("demo: access keys: %w", err)
		}
	}
	created, err := a.iam.CreateAccessKey(ctx, mgmt, iam.CreateAccessKeyInput{UserName: demoUser})
	if err != nil {
		return fmt.Errorf("demo: access keys: %w", err)
	}
	k := created.AccessKey
	body := fmt.Sprintf("# Written by 'gatehouse demo': the access key of the IAM user %s of the\n# management account, which may only assume the demo's roles.\n[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n",
		demoUser, demoUser, k.AccessKeyId, k.SecretAccessKey)
	return writePrivateFile(cli.Credentials, body)
}

// credentialsKeyID returns the access key id of a credentials file, ""
// when there is none.
func credentialsKeyID(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), "=")
		if ok && strings.TrimSpace(name) == "aws_access_key_id" {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// writePrivateFile replaces a file with body, readable by its owner only.
func writePrivateFile(path, body string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// writeDemoConfig writes the AWS CLI config: a profile for the demo user
// and one per role, which assumes the role from it. The endpoint is that
// of this start, so the file is rewritten each time.
func writeDemoConfig(cli demoCLI, url, region string, s *demoState) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Written by 'gatehouse demo' for the server at %s; rewritten on every start.\n", url)
	fmt.Fprintf(&b, "# endpoint_url needs AWS CLI v1 with botocore 1.31 or later, or AWS CLI 2.13 or later.\n")
	fmt.Fprintf(&b, "\n[profile %s]\nregion = %s\nendpoint_url = %s\n", demoUser, region, url)
	for _, r := range s.Roles {
		fmt.Fprintf(&b, "\n[profile %s]\nrole_arn = %s\nsource_profile = %s\nrole_session_name = %s\nregion = %s\nendpoint_url = %s\n",
			r.Profile, r.ARN(), demoUser, r.Profile, region, url)
	}
	return writePrivateFile(cli.Config, b.String())
}

// printDemo tells how to use the demo.
func printDemo(w io.Writer, url, data string, cli demoCLI, s *demoState) {
	fmt.Fprintf(w, "\nGatehouse demo: AnyCompany's well-architected Private Marketplace at %s (data in %s)\n\n", url, data)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  organization\t%s, management account %s\n", s.OrganizationId, s.ManagementAccount)
	for _, ou := range demoOUs {
		fmt.Fprintf(tw, "  OU %s\t%s, account %s, SCP %s attached\n", ou, s.OUs[ou], s.Accounts[ou], s.SCPId)
	}
	fmt.Fprintf(tw, "  Private Marketplace\t%q (%s), enabled for the whole organization; %d of the %d sample products approved\n",
		demoExperienceName, s.ExperienceId, s.Approved, s.Products)
	tw.Flush()
	fmt.Fprintf(w, "\nAWS CLI profiles (the IAM user %q of the management account assumes each role):\n", demoUser)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range s.Roles {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Profile, r.ARN(), policyNames(r.Policies))
	}
	tw.Flush()
	env := fmt.Sprintf("AWS_CONFIG_FILE=%s AWS_SHARED_CREDENTIALS_FILE=%s", cli.Config, cli.Credentials)
	fmt.Fprintf(w, `
With the AWS CLI v1 (botocore 1.31 or later), which assumes a profile's role at the
profile's endpoint_url (AWS_ENDPOINT_URL sets the same endpoint for every profile):

  export %s AWS_ENDPOINT_URL=%s
  aws --profile procurement-manager marketplace-catalog list-entities --catalog AWSMarketplace --entity-type Experience
  aws --profile admin marketplace-catalog start-change-set --catalog AWSMarketplace \
    --change-set '[{"ChangeType":"UpdateExperience","Entity":{"Type":"Experience@1.0","Identifier":"%s"},"DetailsDocument":{"Status":"Disabled"}}]'
      (denied: the admin is AdministratorAccess, but the SCP reserves this to procurement-manager)

Debian's AWS CLI v2.9 needs --endpoint-url on every command and cannot assume a profile's
role itself (it would ask AWS's STS); assume the role with the demo profile and use the
session's keys:

  %s aws --profile %s --endpoint-url %s \
    sts assume-role --role-arn %s --role-session-name me

`, env, url, s.ExperienceId, env, demoUser, url, s.Roles[0].ARN())
}

// policyNames returns the names of managed policy ARNs.
func policyNames(arns []string) string {
	names := make([]string, len(arns))
	for i, a := range arns {
		names[i] = a[strings.LastIndex(a, "/")+1:]
	}
	return strings.Join(names, ", ")
}
