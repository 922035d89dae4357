package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"gatehouse/agreement"
	"gatehouse/approval"
	"gatehouse/audit"
	"gatehouse/authz"
	"gatehouse/catalog"
	"gatehouse/credentials"
	"gatehouse/deployment"
	"gatehouse/discovery"
	"gatehouse/iam"
	"gatehouse/invoice"
	"gatehouse/org"
	"gatehouse/procurement"
	"gatehouse/punchout"
	"gatehouse/server"
	"gatehouse/setup"
	"gatehouse/simulator"
	"gatehouse/store"
	"gatehouse/store/postgres"
	"gatehouse/store/sqlite"
	"gatehouse/sts"
	"gatehouse/webhook"
)

// serveConfig holds the flags of 'gatehouse serve'.
type serveConfig struct {
	addr, data, database, region string
	tlsCert, tlsKey, accountID   string
	publicURL                    string
	dev                          bool
	// prepare, when set, runs after wiring and before listening (the demo
	// builds its setup there).
	prepare func(ctx context.Context, a *app) error
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func (c *serveConfig) flags(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&c.addr, "addr", envOr("GATEHOUSE_ADDR", "127.0.0.1:4590"), "listen address (GATEHOUSE_ADDR)")
	fs.StringVar(&c.data, "data", envOr("GATEHOUSE_DATA", "./gatehouse-data"), "data directory (GATEHOUSE_DATA)")
	fs.StringVar(&c.database, "database", envOr("GATEHOUSE_DATABASE", ""), "empty for SQLite in the data directory, or a postgres:// URL (GATEHOUSE_DATABASE)")
	fs.StringVar(&c.region, "region", envOr("GATEHOUSE_REGION", "us-east-1"), "region served (GATEHOUSE_REGION)")
	fs.StringVar(&c.tlsCert, "tls-cert", envOr("GATEHOUSE_TLS_CERT", ""), "TLS certificate file; serve HTTPS when set with --tls-key (GATEHOUSE_TLS_CERT)")
	fs.StringVar(&c.tlsKey, "tls-key", envOr("GATEHOUSE_TLS_KEY", ""), "TLS key file (GATEHOUSE_TLS_KEY)")
	fs.StringVar(&c.accountID, "account-id", envOr("GATEHOUSE_ACCOUNT_ID", ""), "management account id on first start; random unless set (123456789012 with --dev) (GATEHOUSE_ACCOUNT_ID)")
	fs.StringVar(&c.publicURL, "public-url", envOr("GATEHOUSE_PUBLIC_URL", ""), "the http(s) URL buyers' browsers and procurement systems reach Gatehouse at, for the PunchOut StartPage and profile URLs; empty to use the request's Host (GATEHOUSE_PUBLIC_URL)")
	fs.BoolVar(&c.dev, "dev", envOr("GATEHOUSE_DEV", "") == "true", "emulator mode: signatures are not checked and any access key is the management account's root (a 12-digit key: that account's root); POST /_gatehouse/reset wipes all state; loopback only (GATEHOUSE_DEV=true)")
}

func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [FLAGS]",
		`Runs the Gatehouse server: the AWS-compatible APIs on one endpoint, authenticated with
SigV4 and authorized by the policy engine. On first start it creates the management
account and its root user; unless GATEHOUSE_ROOT_ACCESS_KEY_ID and
GATEHOUSE_ROOT_SECRET_ACCESS_KEY are set, the root access key is generated and written
to DATA/root-credentials (mode 0600, AWS credentials file format). Secrets at rest are
encrypted under the master key from GATEHOUSE_MASTER_KEY or DATA/master.key.`, stderr)
	var cfg serveConfig
	cfg.flags(fs)
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
	return serve(ctx, cfg, log, nil)
}

// serve runs the server until ctx ends. When ready is not nil it
// receives the listening address once the server is ready.
func serve(ctx context.Context, cfg serveConfig, log *slog.Logger, ready func(addr string)) error {
	if err := checkServeConfig(&cfg); err != nil {
		return err
	}
	if cfg.dev {
		log.Warn("DEV MODE: any access key is accepted as the management account's root user without a signature check, and POST /_gatehouse/reset wipes all state. Never expose this server.")
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	app, err := wire(ctx, cfg, st, log)
	if err != nil {
		return err
	}
	defer app.close()
	if cfg.prepare != nil {
		if err := cfg.prepare(ctx, app); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{Handler: app.server, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() {
		if cfg.tlsCert != "" {
			errc <- hs.ServeTLS(ln, cfg.tlsCert, cfg.tlsKey)
			return
		}
		errc <- hs.Serve(ln)
	}()
	app.server.SetReady(true)
	log.Info("gatehouse is serving", "addr", ln.Addr().String(), "tls", cfg.tlsCert != "", "region", cfg.region, "management_account", app.management)
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	app.server.SetReady(false)
	log.Info("shutting down: draining in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func checkServeConfig(cfg *serveConfig) error {
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		return errors.New("serve: --tls-cert and --tls-key go together")
	}
	if cfg.publicURL != "" {
		u, err := url.Parse(cfg.publicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("serve: --public-url %q must be an http or https URL with a host and no path", cfg.publicURL)
		}
		cfg.publicURL = u.Scheme + "://" + u.Host
	}
	if cfg.dev {
		if err := requireLoopback(cfg.addr); err != nil {
			return err
		}
		if cfg.accountID == "" {
			cfg.accountID = "123456789012"
		}
	}
	return nil
}

// requireLoopback refuses a listen address that is not on a loopback
// interface: --dev turns off authentication.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("serve: bad --addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("serve: --dev refuses to listen on %q: only a loopback address (127.0.0.1, ::1, localhost) is allowed", addr)
	}
	return nil
}

func openStore(ctx context.Context, cfg serveConfig) (store.Store, error) {
	if strings.HasPrefix(cfg.database, "postgres://") || strings.HasPrefix(cfg.database, "postgresql://") {
		return postgres.Open(ctx, cfg.database)
	}
	if cfg.database != "" {
		return nil, fmt.Errorf("serve: --database must be empty (SQLite) or a postgres:// URL")
	}
	if err := os.MkdirAll(cfg.data, 0o700); err != nil {
		return nil, fmt.Errorf("serve: data directory: %w", err)
	}
	return sqlite.Open(filepath.Join(cfg.data, "gatehouse.db"))
}

// serverGCPercent is the server's GOGC unless the environment sets one.
// A request allocates about 15 KB that die young while the live heap stays
// small, so Go's default of 100 collects many times a second under load;
// 400 trades some megabytes of heap for about a tenth less CPU per request
// in the load benchmark (bench/load).
const serverGCPercent = 400

// tuneGC sets the server's GC target unless GOGC is set.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serverGCPercent)
	}
}

// app is the wired set of services behind the HTTP server.
type app struct {
	server     *server.Server
	management string
	close      func()
	// The services, for commands that work on the store in-process
	// (catalog import, demo).
	store   store.Store
	orgs    *org.Service
	iam     *iam.Service
	catalog *catalog.Service
}

func wire(ctx context.Context, cfg serveConfig, st store.Store, log *slog.Logger) (*app, error) {
	key, err := credentials.LoadMasterKey(os.Getenv("GATEHOUSE_MASTER_KEY"), filepath.Join(cfg.data, "master.key"))
	if err != nil {
		return nil, err
	}
	cipher, err := credentials.NewCipher(key)
	if err != nil {
		return nil, err
	}
	keys := &credentials.Keys{Store: st, Cipher: cipher}
	orgs := org.New(st)
	identities := iam.New(st, keys)
	orgs.Provisioner = identities
	setupCfg := setup.Config{
		AccountID:           cfg.accountID,
		RootAccessKeyID:     os.Getenv("GATEHOUSE_ROOT_ACCESS_KEY_ID"),
		RootSecretAccessKey: os.Getenv("GATEHOUSE_ROOT_SECRET_ACCESS_KEY"),
		CredentialsFile:     filepath.Join(cfg.data, "root-credentials"),
	}
	res, err := setup.Run(ctx, st, keys, orgs, setupCfg)
	if err != nil {
		return nil, err
	}
	if res.CredentialsWritten != "" {
		log.Info("generated the root user's access key; it is shown nowhere else", "file", res.CredentialsWritten)
	}
	az := authz.New(st, identities, orgs)
	rec := audit.NewRecorder(st, log, audit.RecorderConfig{})
	stsService := sts.New(st, sts.NewTokens(cipher), stsRoles{identities}, stsPolicies{identities})
	management := res.ManagementAccount
	catalogService := catalog.New(st, orgs, cfg.region)
	agreements := agreement.New(st, catalogService)
	portals := procurement.New(st, cipher, orgs)
	notifier := approval.NewNotifier(st, cipher, &webhook.Client{}, log)
	approvals := &approval.Service{Store: st, Orgs: orgs, Agreements: agreements, Governance: catalogService, Cipher: cipher, Notifier: notifier}
	agreements.Approvals = approvals
	deliverer := invoice.NewDeliverer(st, portals, log)
	notifyCtx, stopNotifier := context.WithCancel(context.Background())
	go notifier.Run(notifyCtx)
	go deliverer.Run(notifyCtx)
	bridge := &punchout.Service{Store: st, Portals: portals, Orgs: orgs, Agreements: agreements, Catalog: catalogService,
		Invoices: punchOutInvoices{invoices: invoice.New(portals), deliverer: deliverer}}
	go bridge.RunSweeper(notifyCtx, 0, log)
	srv := server.New(server.Config{Region: cfg.region, Dev: cfg.dev, Log: log, PublicURL: cfg.publicURL}, server.Deps{
		Store: st, Keys: keys, Authz: az, Org: orgs, Audit: rec, STS: stsService, IAM: identities,
		Simulator:         simulator.New(st, identities, orgs),
		Catalog:           catalogService,
		Agreements:        agreements,
		Deployments:       deployment.New(st, agreements, catalogService, cfg.region),
		Discovery:         discovery.New(st, catalogService),
		Procurement:       portals,
		PunchOut:          bridge,
		Approvals:         approvals,
		ManagementAccount: func() string { return management },
		Reset: func(ctx context.Context) error {
			if err := st.Reset(ctx); err != nil {
				return err
			}
			// The old root key is gone with the state; a new one is
			// generated into a fresh credentials file.
			if err := os.Remove(setupCfg.CredentialsFile); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			_, err := setup.Run(ctx, st, keys, orgs, setupCfg)
			return err
		},
	})
	return &app{server: srv, management: management, close: func() { stopNotifier(); rec.Close(); az.Close() },
		store: st, orgs: orgs, iam: identities, catalog: catalogService}, nil
}
