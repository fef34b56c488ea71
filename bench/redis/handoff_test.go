package redisbench

// Hand-off latency. Two Managers, each with its own client and store (two
// app servers), share one session: a request on A holds its lock, a
// request on B waits for it. One op is one hand-off, from the moment A's
// handler starts releasing (ReleaseLock: save, unlock) to the moment B's
// handler starts running (B woke, locked, loaded). B has been waiting for
// a random 1 to 11 ms before the release, so a polling waiter is caught at
// every phase of its sleep. p50-us and p99-us are over the op's hand-offs;
// redis-cpu-ns/op is Redis's main-thread CPU per hand-off, waiting
// included (a polling waiter costs Redis while it waits).
//
//   - sessionlock: runtime/redisstore, woken by the release.
//   - polling: pollingStore, a phpredis-style retry loop every 2 ms.

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sessionlockredis "github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

func BenchmarkHandoff(b *testing.B) {
	for _, name := range order() {
		switch name {
		case "sessionlock":
			b.Run(name, func(b *testing.B) {
				benchHandoff(b, func() session.Store {
					return sessionlockredis.New(newClient(b), sessionlockredis.Prefix("handoff:"))
				})
			})
		case "scs": // scs has no lock; the polling lock stands in its slot
			b.Run("polling", func(b *testing.B) {
				benchHandoff(b, func() session.Store {
					return &pollingStore{c: newClient(b), prefix: "poll:", every: 2 * time.Millisecond, ttl: 10 * time.Second}
				})
			})
		}
	}
}

func benchHandoff(b *testing.B, newStore func() session.Store) {
	var (
		released atomic.Int64 // when A's handler started releasing, UnixNano
		entered  = make(chan struct{})
		release  = make(chan struct{})
		started  = make(chan time.Duration, 1)
	)
	a := session.NewManager(newStore(), session.WithLockWait(time.Minute))
	hA := a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		if r.URL.Path == "/init" {
			s.Set("n", 0)
			return
		}
		entered <- struct{}{}
		<-release
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
		released.Store(time.Now().UnixNano())
		if err := s.ReleaseLock(); err != nil {
			b.Error(err)
		}
	}))
	bm := session.NewManager(newStore(), session.WithLockWait(time.Minute))
	hB := bm.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- time.Duration(time.Now().UnixNano() - released.Load())
	}))
	init := newSessionAt(b, hA, "/init", session.DefaultCookieName)
	rA, _ := http.NewRequest("GET", "/hold", nil)
	rA.Header = init.Header
	rB, _ := http.NewRequest("GET", "/wait", nil)
	rB.Header = init.Header

	once := func() time.Duration {
		var wg sync.WaitGroup
		wg.Go(func() { serve(b, hA, &writer{h: http.Header{}}, rA) })
		<-entered
		wg.Go(func() { serve(b, hB, &writer{h: http.Header{}}, rB) })
		time.Sleep(time.Millisecond + rand.N(10*time.Millisecond))
		release <- struct{}{}
		d := <-started
		wg.Wait()
		return d
	}
	once() // warm: scripts loaded, connections dialled

	lat := make([]time.Duration, 0, b.N)
	m := startMeter(b)
	b.ResetTimer()
	for range b.N {
		lat = append(lat, once())
	}
	b.StopTimer()
	m.stop(b, b.N)
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(q(0.50), "p50-us")
	b.ReportMetric(q(0.99), "p99-us")
}
