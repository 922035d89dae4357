package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// result is one measured phase against one target.
type result struct {
	target    string
	requests  int // planned
	ok        int
	errors    int
	firstErrs []string
	elapsed   time.Duration
	rps       float64         // successful requests per second
	latencies []time.Duration // sorted, of the successful requests
	timedOut  bool            // the phase hit -duration before its count
	// serverCPU and clientCPU are the CPU time the server process and
	// this process used during the phase; serverCPU is -1 when unknown.
	serverCPU, clientCPU time.Duration
	dials                int64 // connections opened during the phase
}

// p returns the q-th percentile latency (nearest rank).
func (r result) p(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(q/100*float64(len(r.latencies))+0.5) - 1
	i = min(max(i, 0), len(r.latencies)-1)
	return r.latencies[i]
}

func (r result) String() string {
	if r.target == "" {
		return "no result"
	}
	s := fmt.Sprintf("%d ok in %s = %.0f req/s; latency p50 %s p90 %s p99 %s max %s; errors %d",
		r.ok, r.elapsed.Round(time.Millisecond), r.rps, ms(r.p(50)), ms(r.p(90)), ms(r.p(99)), ms(r.p(100)), r.errors)
	s += fmt.Sprintf("; connections opened %d", r.dials)
	if r.ok > 0 {
		s += fmt.Sprintf("; CPU per request: client %s", us(r.clientCPU/time.Duration(r.ok)))
		if r.serverCPU >= 0 {
			s += fmt.Sprintf(", server %s (server busy %.2f cores)", us(r.serverCPU/time.Duration(r.ok)), r.serverCPU.Seconds()/r.elapsed.Seconds())
		}
	}
	if r.timedOut {
		s += fmt.Sprintf(" (stopped by -duration after %d of %d)", r.ok+r.errors, r.requests)
	}
	if len(r.firstErrs) > 0 {
		s += "; first errors: " + strings.Join(r.firstErrs, " | ")
	}
	return s
}

func (r result) brief() string {
	return fmt.Sprintf("%d ok, %d errors, %.0f req/s", r.ok, r.errors, r.rps)
}

func us(d time.Duration) string {
	return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond))
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}

// runLoad sends n requests of t's operation to t from conc workers,
// each request signed when it is sent, and stops after limit at the
// latest. Every response is checked.
func runLoad(ctx context.Context, t *target, conc, n int, limit time.Duration) result {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var (
		next     atomic.Int64
		errCount atomic.Int64
		mu       sync.Mutex
		first    []string
		wg       sync.WaitGroup
	)
	per := make([][]time.Duration, conc)
	dials0 := t.dials.Load()
	srv0, srvOK := processCPU(t.pid())
	self0 := selfCPU()
	start := time.Now()
	for w := 0; w < conc; w++ {
		lat := make([]time.Duration, 0, n/conc+1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { per[w] = lat }()
			for ctx.Err() == nil && next.Add(1) <= int64(n) {
				t0 := time.Now()
				err := t.op.send(ctx, t)
				d := time.Since(t0)
				if err != nil {
					if ctx.Err() != nil {
						// Cut off by the time limit: not the server's error.
						return
					}
					errCount.Add(1)
					mu.Lock()
					if len(first) < 3 {
						first = append(first, err.Error())
					}
					mu.Unlock()
					continue
				}
				lat = append(lat, d)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := result{target: t.name, requests: n, errors: int(errCount.Load()), firstErrs: first, elapsed: elapsed, serverCPU: -1, clientCPU: selfCPU() - self0, dials: t.dials.Load() - dials0}
	if srv1, ok := processCPU(t.pid()); ok && srvOK {
		r.serverCPU = srv1 - srv0
	}
	for _, l := range per {
		r.latencies = append(r.latencies, l...)
	}
	slices.Sort(r.latencies)
	r.ok = len(r.latencies)
	r.rps = float64(r.ok) / elapsed.Seconds()
	r.timedOut = r.ok+r.errors < n
	return r
}
