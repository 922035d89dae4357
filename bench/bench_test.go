package bench

import (
	"fmt"
	"maps"
	"strconv"
	"testing"

	"gatehouse/policy"

	"github.com/cedar-policy/cedar-go"
)

// sizes are the numbers of rules in the compared policy sets.
var sizes = []int{2, 100, 1000}

// engines holds one policy set rendered for both engines.
type engines struct {
	gatehouse *policy.Set
	cedar     *cedar.PolicySet
}

// build renders the n-rule set for both engines.
func build(tb testing.TB, n int) engines {
	tb.Helper()
	rules := Rules(n)
	gs, err := GatehouseSet(rules)
	if err != nil {
		tb.Fatalf("gatehouse set of %d: %v", n, err)
	}
	cs, err := CedarSet(rules)
	if err != nil {
		tb.Fatalf("cedar set of %d: %v", n, err)
	}
	if got := len(maps.Collect(cs.All())); got != n {
		tb.Fatalf("cedar set of %d holds %d policies", n, got)
	}
	return engines{gs, cs}
}

// probe is a request with the decision it ought to get.
type probe struct {
	name string
	Access
	want policy.Decision
}

// probes returns requests aimed at every rule of the n-rule set: ones the
// rule allows or denies, and near misses that nothing allows.
func probes(n int) []probe {
	ps := []probe{
		{"unknown action", Access{Action: "svc0:Nothing", Resource: ThingARN(0), Secure: "true"}, policy.ImplicitDeny},
		{"bench request", BenchAccess(n), policy.Allowed},
	}
	for _, r := range Rules(n) {
		add := func(what string, a Access, want policy.Decision) {
			ps = append(ps, probe{fmt.Sprintf("rule %d %s", r.Index, what), a, want})
		}
		switch r.Kind {
		case ThingAllow:
			add("thing", Access{Action: r.Action, Resource: r.Thing}, policy.Allowed)
			add("other thing", Access{Action: r.Action, Resource: ThingARN(r.Index + 1)}, policy.ImplicitDeny)
			add("object", Access{Action: r.Action, Resource: "arn:aws:s3:::b/" + r.Thing, Bucket: "b"}, policy.ImplicitDeny)
		case BucketAllow:
			obj := "arn:aws:s3:::" + r.Bucket + "/data/x.json"
			inside := r.Network[:len(r.Network)-len("0/24")] + "77"
			add("object inside", Access{Action: r.Action, Resource: obj, Bucket: r.Bucket, SourceIP: inside}, policy.Allowed)
			add("object outside", Access{Action: r.Action, Resource: obj, Bucket: r.Bucket, SourceIP: "192.0.2.1"}, policy.ImplicitDeny)
			add("object no ip", Access{Action: r.Action, Resource: obj, Bucket: r.Bucket}, policy.ImplicitDeny)
			add("other bucket", Access{Action: r.Action, Resource: "arn:aws:s3:::other/x", Bucket: "other", SourceIP: inside}, policy.ImplicitDeny)
			add("thing", Access{Action: r.Action, Resource: ThingARN(r.Index), SourceIP: inside}, policy.ImplicitDeny)
		case TeamAllow:
			denied := r.Index+1 < n // an InsecureDeny follows every TeamAllow it can
			// Without TLS, the deny decides; without it, the allow or nothing.
			teamInsecure, insecure := policy.Allowed, policy.ImplicitDeny
			if denied {
				teamInsecure, insecure = policy.ExplicitDeny, policy.ExplicitDeny
			}
			other := "team-" + strconv.Itoa((r.Index+1)%7)
			add("team secure", Access{Action: r.Action, Resource: ThingARN(3), Team: r.Team, Secure: "true"}, policy.Allowed)
			add("team unsaid", Access{Action: r.Action, Resource: ThingARN(3), Team: r.Team}, policy.Allowed)
			add("team insecure", Access{Action: r.Action, Resource: ThingARN(3), Team: r.Team, Secure: "false"}, teamInsecure)
			add("other team", Access{Action: r.Action, Resource: ThingARN(3), Team: other, Secure: "true"}, policy.ImplicitDeny)
			add("other team insecure", Access{Action: r.Action, Resource: ThingARN(3), Team: other, Secure: "false"}, insecure)
			add("no team insecure", Access{Action: r.Action, Resource: "arn:aws:s3:::b/k", Bucket: "b", Secure: "false"}, insecure)
		}
	}
	return ps
}

// TestEquivalence checks that both engines decide every probe the same
// way, and the way the probe expects, at every benchmarked size.
func TestEquivalence(t *testing.T) {
	for _, n := range sizes {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			e := build(t, n)
			count := map[policy.Decision]int{}
			for _, p := range probes(n) {
				g := policy.Decide(e.gatehouse, p.GatehouseRequest())
				req, ents, err := p.CedarRequest()
				if err != nil {
					t.Fatalf("%s: %v", p.name, err)
				}
				d, diag := cedar.Authorize(e.cedar, ents, req)
				if len(diag.Errors) > 0 {
					t.Errorf("%s: cedar evaluation errors: %v", p.name, diag.Errors)
				}
				c := CedarDecision(d, diag)
				if g != c || g != p.want {
					t.Errorf("%s: gatehouse %v, cedar %v, want %v", p.name, g, c, p.want)
				}
				count[g]++
			}
			for _, d := range []policy.Decision{policy.Allowed, policy.ImplicitDeny, policy.ExplicitDeny} {
				if count[d] == 0 {
					t.Errorf("no probe decided %v", d)
				}
			}
			t.Logf("%d rules: %d allowed, %d implicit deny, %d explicit deny",
				n, count[policy.Allowed], count[policy.ImplicitDeny], count[policy.ExplicitDeny])
		})
	}
}

// Sinks keep the benchmarked decisions observable.
var (
	gatehouseSink policy.Decision
	cedarSink     cedar.Decision
)

// BenchmarkDecision times one decision of BenchAccess against the set of
// each size, in each engine. Sets, requests and entities are built before
// the timed loop.
func BenchmarkDecision(b *testing.B) {
	b.Run("gatehouse", func(b *testing.B) {
		for _, n := range sizes {
			b.Run(strconv.Itoa(n), func(b *testing.B) {
				set := build(b, n).gatehouse
				req := BenchAccess(n).GatehouseRequest()
				b.ReportAllocs()
				for b.Loop() {
					gatehouseSink = policy.Decide(set, req)
				}
				if gatehouseSink != policy.Allowed {
					b.Fatalf("decision %v, want allowed", gatehouseSink)
				}
			})
		}
	})
	b.Run("cedar", func(b *testing.B) {
		for _, n := range sizes {
			b.Run(strconv.Itoa(n), func(b *testing.B) {
				set := build(b, n).cedar
				req, ents, err := BenchAccess(n).CedarRequest()
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					cedarSink, _ = cedar.Authorize(set, ents, req)
				}
				if cedarSink != cedar.Allow {
					b.Fatalf("decision %v, want allow", cedarSink)
				}
			})
		}
	})
}
