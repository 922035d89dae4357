package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// demoRun is a demo server started by a test.
type demoRun struct {
	url    string
	state  *demoState
	stdout *syncBuffer
	logs   *syncBuffer
	stop   func()
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startDemo runs the demo on a free port of the loopback interface with
// its data in dir, until the test ends or stop is called.
func startDemo(t *testing.T, dir string) *demoRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d := &demoRun{stdout: &syncBuffer{}, logs: &syncBuffer{}}
	ready := make(chan struct{})
	done := make(chan error, 1)
	cfg := serveConfig{addr: "127.0.0.1:0", data: dir, region: "us-east-1"}
	go func() {
		done <- demo(ctx, cfg, slog.New(slog.NewTextHandler(d.logs, nil)), d.stdout, func(url string, s *demoState) {
			d.url, d.state = url, s
			close(ready)
		})
	}()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("demo ended before it was ready: %v\n%s", err, d.logs)
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("demo not ready after 60 s\n%s", d.logs)
	}
	var once sync.Once
	d.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("demo: %v", err)
			}
		})
	}
	t.Cleanup(d.stop)
	return d
}

// TestDemo starts the demo, drives its profiles with the AWS CLI v1 (the
// one CLI here that assumes a profile's role_arn at Gatehouse), and starts
// it again on the same data directory, which reuses the setup.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	d := startDemo(t, dir)
	s := d.state
	if len(s.Accounts) != 3 || s.ExperienceId == "" || s.Products < 30 || s.Approved != len(demoApproved) {
		t.Fatalf("setup = %+v", s)
	}
	cli := newDemoCLI(dir)
	for _, want := range []string{
		"AWS_CONFIG_FILE=" + cli.Config + " AWS_SHARED_CREDENTIALS_FILE=" + cli.Credentials,
		"aws --profile procurement-manager marketplace-catalog list-entities",
		"Debian's AWS CLI v2.9 needs --endpoint-url",
		"procurement-manager   arn:aws:iam::" + s.Accounts["shared-services"] + ":role/procurement-manager",
	} {
		if !strings.Contains(d.stdout.String(), want) {
			t.Errorf("instructions lack %q:\n%s", want, d.stdout)
		}
	}
	for _, f := range []string{cli.Config, cli.Credentials} {
		if info, err := os.Stat(f); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, %v; want mode 0600", f, info, err)
		}
	}

	aws := demoCLIv1(t)
	if aws != "" {
		checkDemoProfiles(t, aws, d, cli)
	}

	d.stop()
	again := startDemo(t, dir)
	if !strings.Contains(again.logs.String(), "reusing the demo setup") || !reflect.DeepEqual(again.state, s) {
		t.Errorf("second start: %+v\nwant %+v\n%s", again.state, s, again.logs)
	}
	if aws != "" {
		// The credentials written by the first start still work.
		out := runAWS(t, aws, again, cli, "developer-retail", "sts", "get-caller-identity", "--query", "Account", "--output", "text")
		if strings.TrimSpace(out) != s.Accounts["retail"] {
			t.Errorf("developer-retail account = %q, want %s", out, s.Accounts["retail"])
		}
	}

	// Lost credentials are replaced by a new key, and the old one is gone.
	again.stop()
	old, oldFile := credentialsKeyID(cli.Credentials), mustRead(t, cli.Credentials)
	if err := os.Remove(cli.Credentials); err != nil {
		t.Fatal(err)
	}
	third := startDemo(t, dir)
	if id := credentialsKeyID(cli.Credentials); id == "" || id == old {
		t.Errorf("credentials after a loss: key %q, was %q", id, old)
	}
	if aws != "" {
		runAWS(t, aws, third, cli, "procurement-manager", "sts", "get-caller-identity")
		// The CLI caches role sessions under HOME; without the cache it
		// must sign with the old key, which no longer exists.
		if err := os.RemoveAll(filepath.Join(dir, ".aws")); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cli.Credentials, []byte(oldFile), 0o600); err != nil {
			t.Fatal(err)
		}
		if msg, err := awsCommand(aws, third, cli, "procurement-manager", "sts", "get-caller-identity").CombinedOutput(); err == nil || !strings.Contains(string(msg), "InvalidClientTokenId") {
			t.Errorf("the replaced key: %v, want InvalidClientTokenId\n%s", err, msg)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkDemoProfiles: each profile's role is assumed by the CLI; the
// procurement manager sees the enabled experience; the admin, though it
// has AdministratorAccess, is denied Private Marketplace changes by the
// seed's SCP ("This prevents other IAM roles, users, or groups from
// accessing the Private Marketplace administration page, even
// administrators in any of these organizational units' accounts").
func checkDemoProfiles(t *testing.T, aws string, d *demoRun, cli demoCLI) {
	s := d.state
	for _, r := range s.Roles {
		out := runAWS(t, aws, d, cli, r.Profile, "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
		want := "arn:aws:sts::" + r.Account + ":assumed-role/" + r.Name + "/" + r.Profile
		if strings.TrimSpace(out) != want {
			t.Errorf("profile %s is %q, want %s", r.Profile, out, want)
		}
	}
	out := runAWS(t, aws, d, cli, "procurement-manager", "marketplace-catalog", "list-entities", "--catalog", "AWSMarketplace", "--entity-type", "Experience")
	var list struct {
		EntitySummaryList []struct{ Name, EntityId string }
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("list-entities: %v\n%s", err, out)
	}
	if len(list.EntitySummaryList) != 1 || list.EntitySummaryList[0].EntityId != s.ExperienceId || list.EntitySummaryList[0].Name != demoExperienceName {
		t.Errorf("procurement-manager sees %+v", list.EntitySummaryList)
	}
	out = runAWS(t, aws, d, cli, "procurement-manager", "marketplace-catalog", "describe-entity", "--catalog", "AWSMarketplace", "--entity-id", s.ExperienceId,
		"--query", "DetailsDocument.Status", "--output", "text")
	if strings.TrimSpace(out) != "Enabled" {
		t.Errorf("experience status %q, want Enabled", out)
	}

	change := `[{"ChangeType":"UpdateExperience","Entity":{"Type":"Experience@1.0","Identifier":"` + s.ExperienceId + `"},"DetailsDocument":{"Status":"Disabled"}}]`
	cmd := awsCommand(aws, d, cli, "admin", "marketplace-catalog", "start-change-set", "--catalog", "AWSMarketplace", "--change-set", change)
	msg, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(msg), "AccessDeniedException") || !strings.Contains(string(msg), "with an explicit deny in a service control policy") {
		t.Errorf("admin's change: %v\n%s", err, msg)
	}
}

// demoCLIv1 returns the AWS CLI v1 first on PATH. Without one the CLI
// checks are skipped, except in CI, where they are required.
func demoCLIv1(t *testing.T) string {
	path, err := exec.LookPath("aws")
	if err == nil {
		out, verr := exec.Command(path, "--version").CombinedOutput()
		if verr == nil && strings.HasPrefix(string(out), "aws-cli/1.") {
			return path
		}
	}
	const msg = "no AWS CLI v1 first on PATH: the demo's role_arn profiles need one (botocore 1.31 or later)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: this prerequisite is required)")
	}
	t.Log(msg + "; skipping the CLI checks")
	return ""
}

// awsCommand is the CLI run with one of the demo's profiles in a clean
// environment: no configuration or credentials of the machine's user can
// leak in.
func awsCommand(aws string, d *demoRun, cli demoCLI, profile string, args ...string) *exec.Cmd {
	cmd := exec.Command(aws, append([]string{"--profile", profile}, args...)...)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + filepath.Dir(cli.Dir),
		"LANG=C.UTF-8",
		"AWS_CONFIG_FILE=" + cli.Config,
		"AWS_SHARED_CREDENTIALS_FILE=" + cli.Credentials,
		"AWS_ENDPOINT_URL=" + d.url,
		"AWS_PAGER=",
		"AWS_EC2_METADATA_DISABLED=true",
	}
	return cmd
}

func runAWS(t *testing.T, aws string, d *demoRun, cli demoCLI, profile string, args ...string) string {
	t.Helper()
	out, err := awsCommand(aws, d, cli, profile, args...).Output()
	if err != nil {
		var stderr []byte
		if e, ok := err.(*exec.ExitError); ok {
			stderr = e.Stderr
		}
		t.Fatalf("aws --profile %s %s: %v\n%s", profile, strings.Join(args, " "), err, stderr)
	}
	return string(out)
}
