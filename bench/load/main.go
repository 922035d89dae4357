// Command load is the load benchmark of issue 3's "Speed" goal:
// authenticated, authorized, audited Organizations DescribeOrganization
// calls over loopback with 50 concurrent connections, against the
// Gatehouse binary and against moto_server, measured in the same run;
// and of issue 4's: STS GetCallerIdentity and AssumeRole signed with
// temporary credentials (-op).
//
// It builds gatehouse from the parent module, starts it on a free
// loopback port with a fresh data directory and a root access key,
// readies it for the operation (creates the organization; or an IAM
// user, a role it may assume and temporary credentials), does the same
// with moto_server when it is on PATH, then for each round and each
// target runs a warm-up and a fixed number of requests, each one
// SigV4-signed as it is sent. It reports requests per second, latency
// percentiles and errors per target, the Gatehouse/moto ratio, and
// finally checks with CloudTrail LookupEvents that Gatehouse audited
// every call it answered.
//
// Run it from the bench module:
//
//	cd bench && go run ./load
//
// Every request loop is bounded in count and in time, and only loopback
// addresses are used.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

type config struct {
	conc          int
	requests      int
	warmup        int
	motoRequests  int
	motoWarmup    int
	maxDuration   time.Duration
	rounds        int
	motoBin       string
	bin           string
	root          string
	auditCheck    bool
	auditTimeout  time.Duration
	perfOut       string
	keepServerLog bool
	baseline      bool
	cpuProfile    string
	op            *operation
}

func main() {
	var cfg config
	flag.IntVar(&cfg.conc, "c", 50, "concurrent connections (and client workers)")
	flag.IntVar(&cfg.requests, "requests", 50000, "measured requests to Gatehouse per round")
	flag.IntVar(&cfg.warmup, "warmup", 5000, "warm-up requests to Gatehouse before the first round (not measured)")
	flag.IntVar(&cfg.motoRequests, "moto-requests", 2000, "measured requests to moto_server per round")
	flag.IntVar(&cfg.motoWarmup, "moto-warmup", 200, "warm-up requests to moto_server before the first round (not measured)")
	flag.DurationVar(&cfg.maxDuration, "duration", 60*time.Second, "time limit of one measured or warm-up phase: it stops early, and says so, when the limit comes first")
	flag.IntVar(&cfg.rounds, "rounds", 1, "measured rounds; the targets take turns in each round")
	flag.StringVar(&cfg.motoBin, "moto", "moto_server", "moto_server command; empty to measure Gatehouse alone")
	flag.StringVar(&cfg.bin, "bin", "", "a gatehouse binary to run instead of building one")
	flag.StringVar(&cfg.root, "root", "", "the gatehouse module's directory (default: found upwards from the working directory)")
	flag.BoolVar(&cfg.auditCheck, "audit", true, "after the rounds, count Gatehouse's events of the operation with CloudTrail LookupEvents")
	flag.DurationVar(&cfg.auditTimeout, "audit-timeout", 90*time.Second, "time limit of the audit check")
	flag.StringVar(&cfg.perfOut, "perf", "", "record a CPU profile of the gatehouse process during the measured rounds with 'perf record -g' into this file (needs perf)")
	flag.BoolVar(&cfg.keepServerLog, "v", false, "copy the servers' logs to stderr")
	flag.BoolVar(&cfg.baseline, "baseline", false, "also measure a minimal Go server (net/http and SigV4 verification only) with -requests requests per round: the ceiling this machine and this load generator allow")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write the load generator's own CPU profile (the client side) to this file")
	opName := flag.String("op", operations[0].name, "the operation to measure: describe-organization (Organizations, signed with the root key), get-caller-identity (STS, signed with an assumed role's temporary credentials) or assume-role (STS, signed with an IAM user's GetSessionToken credentials)")
	procs := flag.Int("procs", 1, "GOMAXPROCS of the load generator itself, 0 for the Go default (all CPUs); the servers keep theirs. One leaves the most CPU to the server under test")
	baselineServe := flag.Bool("baseline-serve", false, "run as the baseline server (used by -baseline)")
	flag.Parse()
	if *baselineServe {
		if err := serveBaseline(); err != nil {
			fmt.Fprintln(os.Stderr, "load: baseline server:", err)
			os.Exit(1)
		}
		return
	}
	if cfg.conc < 1 || cfg.requests < 1 || cfg.rounds < 1 || cfg.warmup < 0 || cfg.motoRequests < 1 || cfg.motoWarmup < 0 {
		fmt.Fprintln(os.Stderr, "load: -c, -requests, -moto-requests and -rounds must be positive, warm-ups not negative")
		os.Exit(2)
	}
	op, err := lookupOperation(*opName)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load: -op:", err)
		os.Exit(2)
	}
	cfg.op = op
	if *procs > 0 {
		runtime.GOMAXPROCS(*procs)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "load: -cpuprofile:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	if err := run(ctx, cfg); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config) error {
	fmt.Printf("load: %s, %d connections, GOMAXPROCS %d, %d CPUs, %s\n", cfg.op.event, cfg.conc, runtime.GOMAXPROCS(0), runtime.NumCPU(), time.Now().UTC().Format(time.RFC3339))

	gh, err := startGatehouse(ctx, cfg)
	if err != nil {
		return err
	}
	defer gh.stop()
	ghSent, err := gh.prepare(ctx, cfg.op)
	if err != nil {
		return err
	}
	fmt.Printf("gatehouse: pid %d on %s, %s\n", gh.pid(), gh.url, gh.readied())

	var moto *target
	if cfg.motoBin != "" {
		if path, lerr := exec.LookPath(cfg.motoBin); lerr != nil {
			fmt.Printf("moto: %s not found (%v); measuring Gatehouse alone\n", cfg.motoBin, lerr)
		} else {
			moto, err = startMoto(ctx, cfg, path)
			if err != nil {
				return err
			}
			defer moto.stop()
			if _, err := moto.prepare(ctx, cfg.op); err != nil {
				if cfg.op == operations[0] {
					return err
				}
				// moto is the comparison, not the subject: say what it
				// cannot do and go on without it.
				fmt.Printf("moto: %s; measuring Gatehouse alone\n", err)
				moto.stop()
				moto = nil
			} else {
				fmt.Printf("moto: %s, pid %d on %s, %s\n", moto.version, moto.pid(), moto.url, moto.readied())
			}
		}
	}

	var base *target
	if cfg.baseline {
		if base, err = startBaseline(ctx, cfg); err != nil {
			return err
		}
		defer base.stop()
		if _, err := base.prepare(ctx, cfg.op); err != nil {
			return err
		}
		fmt.Printf("baseline: pid %d on %s\n", base.pid(), base.url)
	}

	// Warm-ups: connections, caches, the server's and the client's heaps.
	ghFailed := 0
	if cfg.warmup > 0 {
		r := runLoad(ctx, gh, cfg.conc, cfg.warmup, cfg.maxDuration)
		ghSent, ghFailed = ghSent+r.ok, ghFailed+r.errors
		fmt.Printf("gatehouse warm-up: %s\n", r.brief())
	}
	if moto != nil && cfg.motoWarmup > 0 {
		r := runLoad(ctx, moto, cfg.conc, cfg.motoWarmup, cfg.maxDuration)
		fmt.Printf("moto warm-up: %s\n", r.brief())
	}

	if base != nil && cfg.warmup > 0 {
		r := runLoad(ctx, base, cfg.conc, cfg.warmup, cfg.maxDuration)
		fmt.Printf("baseline warm-up: %s\n", r.brief())
	}

	var perf *exec.Cmd
	if cfg.perfOut != "" {
		perf, err = startPerf(cfg.perfOut, gh.pid())
		if err != nil {
			return err
		}
	}

	var ghRes, motoRes, baseRes []result
	for round := 1; round <= cfg.rounds && ctx.Err() == nil; round++ {
		r := runLoad(ctx, gh, cfg.conc, cfg.requests, cfg.maxDuration)
		ghSent, ghFailed = ghSent+r.ok, ghFailed+r.errors
		ghRes = append(ghRes, r)
		fmt.Printf("round %d gatehouse: %s\n", round, r)
		if perf != nil && round == cfg.rounds {
			stopPerf(perf, cfg.perfOut)
			perf = nil
		}
		if moto != nil && ctx.Err() == nil {
			m := runLoad(ctx, moto, cfg.conc, cfg.motoRequests, cfg.maxDuration)
			motoRes = append(motoRes, m)
			fmt.Printf("round %d moto:      %s\n", round, m)
			if m.rps > 0 {
				fmt.Printf("round %d ratio gatehouse/moto: %.1fx\n", round, r.rps/m.rps)
			}
		}
		if base != nil && ctx.Err() == nil {
			b := runLoad(ctx, base, cfg.conc, cfg.requests, cfg.maxDuration)
			baseRes = append(baseRes, b)
			fmt.Printf("round %d baseline:  %s\n", round, b)
		}
	}
	if perf != nil {
		stopPerf(perf, cfg.perfOut)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}

	fmt.Println()
	fmt.Println("summary")
	printSummary("gatehouse", ghRes)
	if moto != nil {
		printSummary("moto", motoRes)
		bg, bm := best(ghRes), best(motoRes)
		if bm.rps > 0 {
			fmt.Printf("  ratio gatehouse/moto (best rounds): %.1fx\n", bg.rps/bm.rps)
		}
	}
	printSummary("baseline", baseRes)
	failed := 0
	for _, r := range ghRes {
		failed += r.errors
	}
	if cfg.op == operations[0] {
		bg := best(ghRes)
		fmt.Printf("  issue 3 goal on the best Gatehouse round: >= 10000 req/s %s (%.0f), p99 < 10ms %s (%s)",
			verdict(bg.rps >= 10000), bg.rps, verdict(bg.p(99) < 10*time.Millisecond), ms(bg.p(99)))
		if moto != nil {
			if bm := best(motoRes); bm.rps > 0 {
				fmt.Printf(", >= 20x moto %s (%.1fx)", verdict(bg.rps/bm.rps >= 20), bg.rps/bm.rps)
			}
		}
		fmt.Printf(", failed requests in all rounds: %d\n", failed)
	} else {
		fmt.Printf("  failed requests in all rounds: %d\n", failed)
	}

	if cfg.auditCheck {
		fmt.Println()
		if err := checkAudit(ctx, gh, ghSent, ghFailed, cfg.auditTimeout); err != nil {
			return fmt.Errorf("audit check: %w", err)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d Gatehouse requests failed", failed)
	}
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func printSummary(name string, rs []result) {
	if len(rs) == 0 {
		return
	}
	var rps []string
	for _, r := range rs {
		rps = append(rps, fmt.Sprintf("%.0f", r.rps))
	}
	lo, hi := rs[0].rps, rs[0].rps
	for _, r := range rs {
		lo, hi = min(lo, r.rps), max(hi, r.rps)
	}
	b := best(rs)
	fmt.Printf("  %-9s rounds rps [%s] (spread %.0f-%.0f); best: %s\n", name, strings.Join(rps, " "), lo, hi, b)
}

// best is the round with the most requests per second.
func best(rs []result) result {
	var b result
	for _, r := range rs {
		if r.rps > b.rps {
			b = r
		}
	}
	return b
}
