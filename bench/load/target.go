package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gatehouse/sigv4"
)

// Signing and protocol constants of the Organizations JSON 1.1 API.
const (
	region      = "us-east-1"
	orgTarget   = "AWSOrganizationsV20161128."
	contentType = "application/x-amz-json-1.1"
)

// target is one server under load: its endpoint, the key requests are
// signed with, the organization it holds and the process running it.
type target struct {
	name    string
	url     string
	creds   sigv4.Credentials
	orgID   string
	version string

	// op is the benchmarked operation; opCreds sign its measured
	// requests (the target's key for DescribeOrganization, temporary
	// credentials for the STS operations); want is what op checks
	// answers for besides their status (the caller's ARN for
	// GetCallerIdentity, the assumed-role ARN for AssumeRole).
	op      *operation
	opCreds sigv4.Credentials
	opBody  []byte
	want    string
	client  *http.Client
	dials   *atomic.Int64 // connections the client opened

	cmd     *exec.Cmd
	exited  chan struct{}
	tmp     string
	log     *lockedBuffer
	verbose bool
	once    sync.Once
}

// pid is the server's process id, 0 when this program did not start it.
func (t *target) pid() int {
	if t.cmd == nil || t.cmd.Process == nil {
		return 0
	}
	return t.cmd.Process.Pid
}

// stop ends the server process (SIGTERM, then SIGKILL after 30s) and
// removes its temporary directory.
func (t *target) stop() {
	t.once.Do(func() {
		if t.cmd != nil && t.cmd.Process != nil {
			// The process group, so that a wrapper's child goes too.
			_ = syscall.Kill(-t.cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-t.exited:
			case <-time.After(30 * time.Second):
				_ = syscall.Kill(-t.cmd.Process.Pid, syscall.SIGKILL)
				<-t.exited
			}
		}
		if t.client != nil {
			t.client.CloseIdleConnections()
		}
		if t.tmp != "" {
			os.RemoveAll(t.tmp)
		}
	})
}

// newClient is an HTTP client that keeps one idle connection per worker
// and counts the connections it opens.
func newClient(conc int, dials *atomic.Int64) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				dials.Add(1)
				return d.DialContext(ctx, network, addr)
			},
			MaxIdleConns:        conc * 2,
			MaxIdleConnsPerHost: conc * 2,
			MaxConnsPerHost:     conc,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

// call sends one Organizations operation, signed now with the target's
// key, and returns the status and body.
func (t *target) call(ctx context.Context, op string, body []byte) (int, []byte, error) {
	return t.send(ctx, "organizations", orgTarget+op, body)
}

// send signs and sends one JSON 1.1 request to the service with the
// target's key.
func (t *target) send(ctx context.Context, service, amzTarget string, body []byte) (int, []byte, error) {
	return t.post(ctx, t.creds, service, contentType, amzTarget, body)
}

// post builds one POST / request, signs it now with creds for service
// (and the session token, when creds have one), sends it and returns the
// status and the whole body. amzTarget may be empty.
func (t *target) post(ctx context.Context, creds sigv4.Credentials, service, ctype, amzTarget string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url+"/", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", ctype)
	if amzTarget != "" {
		req.Header.Set("X-Amz-Target", amzTarget)
	}
	if err := sigv4.Sign(req, body, creds, region, service, time.Now()); err != nil {
		return 0, nil, err
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// createOrganization creates the target's organization and remembers its id.
func (t *target) createOrganization(ctx context.Context) error {
	code, body, err := t.call(ctx, "CreateOrganization", []byte(`{"FeatureSet":"ALL"}`))
	if err != nil {
		return fmt.Errorf("%s CreateOrganization: %w", t.name, err)
	}
	if code != http.StatusOK {
		return fmt.Errorf("%s CreateOrganization: HTTP %d: %s", t.name, code, body)
	}
	var out struct{ Organization struct{ Id string } }
	if err := json.Unmarshal(body, &out); err != nil || out.Organization.Id == "" {
		return fmt.Errorf("%s CreateOrganization: no organization id in %s", t.name, body)
	}
	t.orgID = out.Organization.Id
	// The first DescribeOrganization checks the body check.
	code, body, err = t.call(ctx, "DescribeOrganization", []byte("{}"))
	if err != nil {
		return fmt.Errorf("%s DescribeOrganization: %w", t.name, err)
	}
	if err := t.checkDescribe(code, body); err != nil {
		return err
	}
	return nil
}

// checkDescribe checks a DescribeOrganization response: HTTP 200 and an
// Organization object with the target's organization id. It looks for
// the two strings rather than decoding the JSON, to spend little of the
// machine's CPU on the client side.
func (t *target) checkDescribe(code int, body []byte) error {
	if code != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.200s", code, body)
	}
	if !bytes.Contains(body, []byte(`"Organization"`)) || !bytes.Contains(body, []byte(`"`+t.orgID+`"`)) {
		return fmt.Errorf("HTTP 200 without organization %s: %.200s", t.orgID, body)
	}
	return nil
}

// findModuleRoot returns the directory of the gatehouse module, looking
// upwards from the working directory for a go.mod declaring it.
func findModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && moduleLine.Match(b) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod of module gatehouse above the working directory; pass -root")
		}
		dir = parent
	}
}

var moduleLine = regexp.MustCompile(`(?m)^module gatehouse\s*$`)

var servingRE = servingLine(`msg="gatehouse is serving"`)

// servingLine matches a log line that starts with prefix and names the
// listening address.
func servingLine(prefix string) *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(prefix) + ` addr=(\S+)`)
}

// startGatehouse builds (unless -bin) and starts gatehouse serve on a free
// loopback port with a new data directory and root key.
func startGatehouse(ctx context.Context, cfg config) (*target, error) {
	tmp, err := os.MkdirTemp("", "gatehouse-load-")
	if err != nil {
		return nil, err
	}
	t := &target{name: "gatehouse", tmp: tmp, log: &lockedBuffer{}, verbose: cfg.keepServerLog, exited: make(chan struct{}), dials: new(atomic.Int64)}
	ok := false
	defer func() {
		if !ok {
			t.stop()
		}
	}()
	bin := cfg.bin
	if bin == "" {
		root := cfg.root
		if root == "" {
			if root, err = findModuleRoot(); err != nil {
				return nil, err
			}
		}
		bin = filepath.Join(tmp, "gatehouse")
		build := exec.CommandContext(ctx, goTool(), "build", "-o", bin, "./cmd/gatehouse")
		build.Dir = root
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		start := time.Now()
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("building gatehouse in %s: %w", root, err)
		}
		fmt.Printf("gatehouse: built from %s in %s\n", root, time.Since(start).Round(100*time.Millisecond))
	}
	t.creds = sigv4.Credentials{AccessKeyID: "AKIA" + randomString(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), SecretAccessKey: randomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(tmp, "data"), "--account-id", "111111111111")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GATEHOUSE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "GATEHOUSE_ROOT_ACCESS_KEY_ID="+t.creds.AccessKeyID, "GATEHOUSE_ROOT_SECRET_ACCESS_KEY="+t.creds.SecretAccessKey)
	addr, err := t.startProcess(cmd, func(line string) string {
		if m := servingRE.FindStringSubmatch(line); m != nil {
			return m[1]
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	t.url = "http://" + addr
	t.client = newClient(cfg.conc, t.dials)
	if err := t.waitHealthy(ctx, "/healthz"); err != nil {
		return nil, err
	}
	ok = true
	return t, nil
}

// startMoto starts moto_server on a free loopback port. moto takes any
// credentials.
func startMoto(ctx context.Context, cfg config, path string) (*target, error) {
	t := &target{name: "moto", log: &lockedBuffer{}, verbose: cfg.keepServerLog, exited: make(chan struct{}), dials: new(atomic.Int64)}
	ok := false
	defer func() {
		if !ok {
			t.stop()
		}
	}()
	t.version = motoVersion()
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	t.creds = sigv4.Credentials{AccessKeyID: "AKIAMOTOLOADTEST0000", SecretAccessKey: "moto-load-test-secret"}
	cmd := exec.Command(path, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	if _, err := t.startProcess(cmd, nil); err != nil {
		return nil, err
	}
	t.url = "http://127.0.0.1:" + strconv.Itoa(port)
	t.client = newClient(cfg.conc, t.dials)
	if err := t.waitHealthy(ctx, "/moto-api/"); err != nil {
		return nil, err
	}
	ok = true
	return t, nil
}

// motoVersion asks Python for moto's version, best effort.
func motoVersion() string {
	out, err := exec.Command("python3", "-c", "import moto; print(moto.__version__)").Output()
	if err != nil {
		return "moto (version unknown)"
	}
	return "moto " + strings.TrimSpace(string(out))
}

// startProcess starts cmd in its own process group, keeping its output;
// when ready is not nil it waits for the first output line for which
// ready returns a non-empty string and returns that string.
func (t *target) startProcess(cmd *exec.Cmd, ready func(line string) string) (string, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start %s: %w", t.name, err)
	}
	t.cmd = cmd
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			t.log.add(line)
			if t.verbose {
				fmt.Fprintf(os.Stderr, "[%s] %s\n", t.name, line)
			}
			if ready != nil {
				if s := ready(line); s != "" {
					select {
					case found <- s:
					default:
					}
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()
	go func() {
		cmd.Wait()
		pw.Close()
		close(t.exited)
	}()
	if ready == nil {
		return "", nil
	}
	select {
	case s := <-found:
		return s, nil
	case <-t.exited:
		return "", fmt.Errorf("%s exited before serving (%v); log:\n%s", t.name, cmd.ProcessState, t.log)
	case <-time.After(60 * time.Second):
		return "", fmt.Errorf("%s did not report serving within 60s; log:\n%s", t.name, t.log)
	}
}

// waitHealthy polls path until it answers 200, for at most 60s.
func (t *target) waitHealthy(ctx context.Context, path string) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, t.url+path, nil)
		resp, err := t.client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-t.exited:
			return fmt.Errorf("%s exited (%v); log:\n%s", t.name, t.cmd.ProcessState, t.log)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: GET %s not 200 within 60s (last error %v); log:\n%s", t.name, path, err, t.log)
		}
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// goTool returns $GOROOT/bin/go when GOROOT is set, else the go on PATH.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		p := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

// lockedBuffer keeps the last lines a server wrote.
type lockedBuffer struct {
	mu    sync.Mutex
	lines []string
}

const keepLines = 200

func (b *lockedBuffer) add(line string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.lines) == keepLines {
		copy(b.lines, b.lines[1:])
		b.lines = b.lines[:keepLines-1]
	}
	b.lines = append(b.lines, line)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}
