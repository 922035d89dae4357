// Package e2e tests Gatehouse end to end: the real binary, started on a
// free loopback port, driven by the clients people use — aws-sdk-go-v2,
// raw SigV4-signed HTTP and the AWS CLI v2 — on SQLite and on PostgreSQL.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/jackc/pgx/v5"
)

// gatehouseBin is the binary TestMain builds once for every test.
var gatehouseBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gatehouse-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	gatehouseBin = filepath.Join(dir, "gatehouse")
	build := exec.Command(goTool(), "build", "-o", gatehouseBin, "gatehouse/cmd/gatehouse")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building gatehouse:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// goTool returns $GOROOT/bin/go when GOROOT is set, else the go on PATH.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// inCI reports whether the tests run under CI, where every prerequisite
// (PostgreSQL, the AWS CLI) must be present: missing ones fail the tests
// instead of skipping them.
func inCI() bool { return os.Getenv("CI") == "true" }

// requirePrerequisite fails the test under CI and skips it elsewhere.
func requirePrerequisite(t *testing.T, msg string) {
	t.Helper()
	if inCI() {
		t.Fatal(msg + " (CI=true: this prerequisite is required)")
	}
	t.Skip(msg + " (set CI=true to make this a failure)")
}

// Region is the region every client signs for.
const Region = "us-east-1"

// ManagementAccount is the management account id the servers are started
// with, unless a test asks otherwise.
const ManagementAccount = "111111111111"

// opts configures a server started by start.
type opts struct {
	// Dev starts the server with --dev.
	Dev bool
	// DataDir is the data directory; empty means a fresh temporary one.
	// Restart tests pass the directory of the previous server.
	DataDir string
	// Database is the --database value; empty means SQLite in DataDir.
	// See postgresDatabase.
	Database string
	// AccountID is --account-id; empty means ManagementAccount, "default"
	// leaves the flag out.
	AccountID string
	// Key is the root access key given in the environment; zero means a
	// new random one, unless NoRootKey is set.
	Key aws.Credentials
	// NoRootKey starts the server without a root key in the environment,
	// so that it generates one into DATA/root-credentials.
	NoRootKey bool
	// MasterKey, when set, is GATEHOUSE_MASTER_KEY (base64 of 32 bytes).
	MasterKey string
}

// server is a running gatehouse serve process.
type server struct {
	URL      string // http://127.0.0.1:PORT
	Addr     string
	DataDir  string
	Database string
	// Key is the root key of the management account (the environment's,
	// or empty when the server generated it).
	Key aws.Credentials

	cmd    *exec.Cmd
	log    *syncBuffer
	exited chan struct{}
	mu     sync.Mutex
	done   bool
}

// syncBuffer is a bytes.Buffer safe for a writer and readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var servingRE = regexp.MustCompile(`msg="gatehouse is serving" addr=(\S+)`)

// start runs gatehouse serve on a free loopback port (--addr
// 127.0.0.1:0; the port is read from the log), waits until /healthz
// answers 200, and stops the server when the test ends, failing the test
// if it does not exit cleanly within 10 seconds of SIGTERM.
func start(t *testing.T, o opts) *server {
	t.Helper()
	if o.DataDir == "" {
		o.DataDir = t.TempDir()
	}
	if o.AccountID == "" {
		o.AccountID = ManagementAccount
	}
	if !o.NoRootKey && o.Key.AccessKeyID == "" {
		o.Key = newRootKey()
	}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data", o.DataDir}
	if o.AccountID != "default" {
		args = append(args, "--account-id", o.AccountID)
	}
	if o.Database != "" {
		args = append(args, "--database", o.Database)
	}
	if o.Dev {
		args = append(args, "--dev")
	}
	cmd := exec.Command(gatehouseBin, args...)
	cmd.Env = serverEnv(o)
	s := &server{DataDir: o.DataDir, Database: o.Database, Key: o.Key, cmd: cmd, log: &syncBuffer{}, exited: make(chan struct{})}
	if o.NoRootKey {
		s.Key = aws.Credentials{}
	}
	pr, pw := io.Pipe()
	cmd.Stdout = s.log
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatalf("start gatehouse: %v", err)
	}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			s.log.Write([]byte(line + "\n"))
			if m := servingRE.FindStringSubmatch(line); m != nil {
				select {
				case addrc <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()
	go func() {
		cmd.Wait()
		pw.Close()
		close(s.exited)
	}()
	t.Cleanup(func() {
		s.stop(t)
		if t.Failed() {
			t.Logf("gatehouse log (%s):\n%s", s.Addr, s.log.String())
		}
	})
	select {
	case s.Addr = <-addrc:
	case <-s.exited:
		t.Fatalf("gatehouse exited before serving (%v); log:\n%s", cmd.ProcessState, s.log.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("gatehouse did not report serving within 30s; log:\n%s", s.log.String())
	}
	s.URL = "http://" + s.Addr
	s.waitHealthy(t)
	return s
}

// serverEnv is the process environment of a server: the test's, without
// any GATEHOUSE_* setting, plus the root key.
func serverEnv(o opts) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GATEHOUSE_") {
			env = append(env, kv)
		}
	}
	if !o.NoRootKey {
		env = append(env, "GATEHOUSE_ROOT_ACCESS_KEY_ID="+o.Key.AccessKeyID, "GATEHOUSE_ROOT_SECRET_ACCESS_KEY="+o.Key.SecretAccessKey)
	}
	if o.MasterKey != "" {
		env = append(env, "GATEHOUSE_MASTER_KEY="+o.MasterKey)
	}
	return env
}

func (s *server) waitHealthy(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET /healthz: not 200 within 10s (last: %v %v)", resp, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop sends SIGTERM and requires the server to drain and exit with
// status 0 within 10 seconds. It is idempotent; start registers it as a
// cleanup, restart tests also call it directly.
func (s *server) stop(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return
	}
	s.done = true
	select {
	case <-s.exited:
		t.Errorf("gatehouse (%s) exited before it was stopped: %v", s.Addr, s.cmd.ProcessState)
		return
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("SIGTERM gatehouse: %v", err)
	}
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		t.Errorf("gatehouse (%s) did not exit within 10s of SIGTERM", s.Addr)
		return
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("gatehouse (%s) exited with status %d after SIGTERM, want 0", s.Addr, code)
	}
	if s.Key.SecretAccessKey != "" && strings.Contains(s.log.String(), s.Key.SecretAccessKey) {
		t.Errorf("gatehouse (%s) logged the root secret access key", s.Addr)
	}
}

// newRootKey returns a random root access key: AKIA and 16 characters of
// [A-Z2-7], and a 40-character secret.
func newRootKey() aws.Credentials {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, 16)
	rand.Read(b)
	id := []byte("AKIA")
	for _, c := range b {
		id = append(id, alphabet[int(c)%len(alphabet)])
	}
	s := make([]byte, 20)
	rand.Read(s)
	return aws.Credentials{AccessKeyID: string(id), SecretAccessKey: hex.EncodeToString(s)}
}

// org returns an Organizations client signing as the management root.
func (s *server) org() *organizations.Client { return s.orgAs(s.Key) }

// orgAs returns an Organizations client signing with creds. Retries are
// off, so that every error the server sends reaches the test.
func (s *server) orgAs(creds aws.Credentials) *organizations.Client {
	return organizations.New(organizations.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   sdkHTTPClient{},
	})
}

// trail returns a CloudTrail client signing as the management root.
func (s *server) trail() *cloudtrail.Client { return s.trailAs(s.Key) }

func (s *server) trailAs(creds aws.Credentials) *cloudtrail.Client {
	return cloudtrail.New(cloudtrail.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   sdkHTTPClient{},
	})
}

// sdkTransport carries the SDK clients' requests.
var sdkTransport = http.DefaultTransport.(*http.Transport).Clone()

// sdkHTTPClient sends each request with a body of its own. smithy-go
// closes the request body as soon as Do returns, and net/http's write
// loop may then close the connection while the SDK is still reading the
// response: "deserialization failed ... use of closed network connection"
// (aws/aws-sdk-go-v2#2737, #1825). The SDK's remedy is to retry such
// errors, but these clients retry nothing, so that every server error
// reaches the tests; over loopback the race hit about one request in 50.
type sdkHTTPClient struct{}

func (sdkHTTPClient) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	return (&http.Client{Transport: sdkTransport}).Do(r)
}

// devKey returns the credentials a --dev server treats as the root user
// of account: a 12-digit access key id that is the account id.
func devKey(account string) aws.Credentials {
	return aws.Credentials{AccessKeyID: account, SecretAccessKey: "ignored-in-dev-mode"}
}

// backend is a storage backend the suites run on.
type backend struct {
	name string
	// database returns the --database value for a new, empty store; ""
	// is SQLite in the data directory.
	database func(t *testing.T) string
}

var backends = []backend{
	{name: "sqlite", database: func(*testing.T) string { return "" }},
	{name: "postgres", database: postgresDatabase},
}

// forEachBackend runs f on every backend, in parallel subtests.
func forEachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f(t, b)
		})
	}
}

// startOn starts a server on a fresh store of the backend.
func startOn(t *testing.T, b backend, o opts) *server {
	t.Helper()
	o.Database = b.database(t)
	return start(t, o)
}

// postgresURLs are tried in order when GATEHOUSE_TEST_POSTGRES_URL is not
// set.
var postgresURLs = []string{
	"postgres://root@127.0.0.1:5432/test?sslmode=disable",
	"postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
}

var postgres struct {
	once sync.Once
	url  string
	err  error
}

// postgresURL returns the URL of the test PostgreSQL server; without one
// the test fails under CI and is skipped elsewhere.
func postgresURL(t *testing.T) string {
	t.Helper()
	postgres.once.Do(func() {
		urls := postgresURLs
		if u := os.Getenv("GATEHOUSE_TEST_POSTGRES_URL"); u != "" {
			urls = []string{u}
		}
		var errs []error
		for _, u := range urls {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			conn, err := pgx.Connect(ctx, u)
			cancel()
			if err == nil {
				conn.Close(context.Background())
				postgres.url = u
				return
			}
			errs = append(errs, err)
		}
		postgres.err = errors.Join(errs...)
	})
	if postgres.err != nil {
		requirePrerequisite(t, "PostgreSQL is unreachable (set GATEHOUSE_TEST_POSTGRES_URL): "+postgres.err.Error())
	}
	return postgres.url
}

// postgresDatabase creates a schema of the test's own, dropped when the
// test ends (after its servers have stopped), and returns the --database
// URL whose search_path is that schema.
func postgresDatabase(t *testing.T) string {
	t.Helper()
	base := postgresURL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "gh_e2e_" + hex.EncodeToString(b)
	pgExec(t, base, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { pgExec(t, base, "DROP SCHEMA "+schema+" CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("application_name", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func pgExec(t *testing.T, dsn, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Errorf("connect to PostgreSQL: %v", err)
		return
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Errorf("%s: %v", sql, err)
	}
}

// eventually polls cond every 25ms until it holds or 10s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true within 10s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// ctxFor returns a context that ends with the test, bounded to a minute.
func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}
