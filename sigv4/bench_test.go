package sigv4_test

import (
	"testing"
	"time"

	"gatehouse/sigv4"
)

// BenchmarkVerify measures Parse + Verify of an SDK-signed Organizations
// request, with the signing key cache warm (the steady state of a server).
func BenchmarkVerify(b *testing.B) {
	sr, body := overTheWire(b, orgCase().sdkSign(b, t0))
	now := t0.Add(time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		sig, err := sigv4.Parse(sr)
		if err != nil {
			b.Fatal(err)
		}
		if err := sig.Verify(sr, body, testSecret, now); err != nil {
			b.Fatal(err)
		}
	}
}
