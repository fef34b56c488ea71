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
//   - floor: no session and no lock, only the signal any Redis hand-off
//     needs: A pushes to a list that B is blocked on (RPUSH, BLPOP), timed
//     from before the push to B's goroutine running. It is what this
//     machine charges for waking a process after the idle wait: a
//     lock cannot hand over faster.
//
// With HANDOFF_OUT set to a directory, every hand-off's latency (µs) is
// also appended to a file per row there, so that run.sh can take
// percentiles over all rounds' hand-offs together.

import (
	"context"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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
		case "floor":
			b.Run(name, benchHandoffFloor)
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

	measureHandoffs(b, func() time.Duration {
		var wg sync.WaitGroup
		wg.Go(func() { serve(b, hA, &writer{h: http.Header{}}, rA) })
		<-entered
		wg.Go(func() { serve(b, hB, &writer{h: http.Header{}}, rB) })
		idle()
		release <- struct{}{}
		d := <-started
		wg.Wait()
		return d
	})
}

// benchHandoffFloor times the bare signal: a push waking a blocked pop.
func benchHandoffFloor(b *testing.B) {
	a, w := newClient(b), newClient(b)
	ctx := context.Background()
	key := "handoff-floor:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	var pushed atomic.Int64
	measureHandoffs(b, func() time.Duration {
		popped := make(chan time.Duration, 1)
		go func() {
			if err := w.BLPop(ctx, 0, key).Err(); err != nil {
				b.Error(err)
			}
			popped <- time.Duration(time.Now().UnixNano() - pushed.Load())
		}()
		idle()
		pushed.Store(time.Now().UnixNano())
		if err := a.RPush(ctx, key, "1").Err(); err != nil {
			b.Fatal(err)
		}
		return <-popped
	})
}

// idle is the holder's work before it releases: 1 to 11 ms, random, so a
// polling waiter is caught at every phase of its sleep.
func idle() { time.Sleep(time.Millisecond + rand.N(10*time.Millisecond)) }

// measureHandoffs runs once (one hand-off, returning its latency) b.N
// times after a warm-up, and reports the percentiles and the meter's
// figures.
func measureHandoffs(b *testing.B, once func() time.Duration) {
	once() // warm: scripts loaded, connections dialled

	lat := make([]time.Duration, 0, b.N)
	m := startMeter(b)
	b.ResetTimer()
	for range b.N {
		lat = append(lat, once())
	}
	b.StopTimer()
	m.stop(b, b.N)
	// A one-op run is the testing package's probe before the run with the
	// -benchtime count; it is not one of the measured hand-offs.
	if dir := os.Getenv("HANDOFF_OUT"); dir != "" && b.N > 1 {
		saveLatencies(b, filepath.Join(dir, strings.ReplaceAll(b.Name(), "/", "_")+".txt"), lat)
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(q(0.50), "p50-us")
	b.ReportMetric(q(0.99), "p99-us")
}

// saveLatencies appends lat, in µs, one per line, to the file at path.
func saveLatencies(b *testing.B, path string, lat []time.Duration) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		b.Fatal(err)
	}
	var buf []byte
	for _, d := range lat {
		buf = strconv.AppendFloat(buf, float64(d.Nanoseconds())/1e3, 'f', 1, 64)
		buf = append(buf, '\n')
	}
	if _, err := f.Write(buf); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
