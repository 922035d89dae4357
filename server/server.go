// Package server is Gatehouse's HTTP front: it routes every request to
// its AWS operation, authenticates it with SigV4, authorizes it with the
// policy engine, runs it in a store transaction together with its audit
// event, and encodes the result or the AWS error in the operation's
// protocol. It also answers health checks and, in --dev mode, resets.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
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
	"gatehouse/org"
	"gatehouse/procurement"
	"gatehouse/punchout"
	"gatehouse/simulator"
	"gatehouse/store"
	"gatehouse/sts"
)

// DefaultMaxBody is the largest request body accepted, in bytes.
const DefaultMaxBody = 4 << 20

// Config is the server's behaviour.
type Config struct {
	// Region is the region Gatehouse serves; requests for regional
	// services must be signed for it.
	Region string
	// Dev accepts any access key as the management account's root user
	// without checking signatures, and enables reset. Never on a
	// non-loopback address (the serve command refuses it).
	Dev bool
	// MaxBody bounds request bodies; 0 means DefaultMaxBody.
	MaxBody int64
	// Log receives structured logs; secrets are never logged.
	Log *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// PublicURL is the scheme and host buyers reach Gatehouse at, such
	// as "https://gatehouse.example.com": the PunchOut bridge builds the
	// URLs it hands out (StartPage, profile) on it. Empty means the
	// request's own scheme and Host header.
	PublicURL string
}

// Deps are the services the server fronts.
type Deps struct {
	Store store.Store
	Keys  *credentials.Keys
	Authz *authz.Authorizer
	Org   *org.Service
	Audit *audit.Recorder
	// IAM serves the IAM API; nil leaves it out.
	IAM *iam.Service
	// STS is the Security Token Service; nil means no STS operations and
	// no temporary credentials.
	STS *sts.Service
	// Simulator answers the IAM policy simulator's operations; nil leaves
	// them undeclared.
	Simulator *simulator.Simulator
	// Catalog is the Marketplace Catalog service.
	Catalog *catalog.Service
	// Agreements is the Marketplace Agreement service; nil leaves it out.
	Agreements *agreement.Service
	// Deployments is Gatehouse's deployment service; nil leaves it out.
	Deployments *deployment.Service
	// Discovery is the Marketplace Discovery service; nil leaves it out.
	Discovery *discovery.Service
	// Procurement serves the Invoicing API's procurement-portal
	// preferences; nil leaves it out.
	Procurement *procurement.Service
	// PunchOut is the cXML PunchOut bridge; nil leaves its routes out.
	PunchOut *punchout.Service
	// Approvals is the built-in purchase approval workflow; nil leaves
	// its API out.
	Approvals *approval.Service
	// ManagementAccount returns the management account id, for --dev
	// callers.
	ManagementAccount func() string
	// Reset wipes all state and sets up the first-start state again
	// (--dev only).
	Reset func(ctx context.Context) error
}

// Server is the HTTP handler of Gatehouse.
type Server struct {
	cfg   Config
	deps  Deps
	ops   map[opKey]*Operation
	ready atomic.Bool
	mux   *http.ServeMux
	// clock caches the time condition keys of the current second.
	clock atomic.Pointer[timeKeys]
}

// New returns a Server. It is not ready (health checks fail) until
// SetReady is called.
func New(cfg Config, deps Deps) *Server {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, deps: deps}
	s.ops = s.operations()
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /healthz", s.health)
	if cfg.Dev {
		s.mux.HandleFunc("POST /_gatehouse/reset", s.reset)
		s.mux.HandleFunc("POST /moto-api/reset", s.reset)
	}
	s.routePunchOut()
	s.mux.HandleFunc("/", s.api)
	return s
}

// SetReady marks the server ready to serve; health checks then answer 200.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if !s.ready.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("starting\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	if err := s.deps.Reset(r.Context()); err != nil {
		s.cfg.Log.Error("reset failed", "err", err)
		http.Error(w, "reset failed", http.StatusInternalServerError)
		return
	}
	s.cfg.Log.Warn("dev mode: all state was reset", "remote", r.RemoteAddr)
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte("{\"status\":\"ok\"}\n"))
}
