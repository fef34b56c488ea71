package pgbench

// Hand-off latency. Two Managers, each with its own pool and store (two
// app servers), share one session: a request on A holds its lock, a
// request on B waits for it. One op is one hand-off, timed from the moment
// A's handler starts releasing (ReleaseLock: save, unlock) to the moment
// B's handler starts running (B woke, locked, loaded). B has been waiting
// for a random 1 to 11 ms before the release.
//
//   - sessionlock: pgstore, woken by the NOTIFY its release commits.
//   - polling: pollingStore, retrying every 500 ms as ASP.NET's SQL
//     Server session state does.
//   - floor: no session and no lock: a NOTIFY sent on one connection
//     waking a goroutine blocked in WaitForNotification on another, timed
//     from before the NOTIFY to that goroutine running. No hand-off
//     through PostgreSQL's notifications can be faster.
//
// With HANDOFF_OUT set to a directory, every hand-off's latency (µs) is
// appended to a file per row there, so that run.sh can take percentiles
// over all rounds' hand-offs together.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

func BenchmarkHandoff(b *testing.B) {
	for _, name := range order() {
		switch name {
		case "sessionlock":
			b.Run(name, func(b *testing.B) {
				handoffs(b, func() session.Store {
					s := pgstore.New(newPool(b), pgstore.SweepInterval(0))
					b.Cleanup(s.Close)
					return s
				})
			})
		case "scs": // scs has no lock: the polling lock takes its turn
			b.Run("polling", func(b *testing.B) {
				handoffs(b, func() session.Store { return &pollingStore{pool: newPool(b), every: 500 * time.Millisecond} })
			})
		case "floor":
			b.Run(name, notifyFloor)
		}
	}
}

func handoffs(b *testing.B, newStore func() session.Store) {
	var (
		releasing atomic.Int64 // when A's handler started releasing, UnixNano
		entered   = make(chan struct{})
		release   = make(chan struct{})
		started   = make(chan time.Duration, 1)
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
		releasing.Store(time.Now().UnixNano())
		if err := s.ReleaseLock(); err != nil {
			b.Error(err)
		}
	}))
	bm := session.NewManager(newStore(), session.WithLockWait(time.Minute))
	hB := bm.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- time.Duration(time.Now().UnixNano() - releasing.Load())
	}))
	init := sessionRequest(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = "/init"
		hA.ServeHTTP(w, r)
	}))
	measure(b, func() time.Duration {
		var wg sync.WaitGroup
		wg.Go(func() { hA.ServeHTTP(&writer{h: http.Header{}}, init.Clone(context.Background())) })
		<-entered
		wg.Go(func() { hB.ServeHTTP(&writer{h: http.Header{}}, init.Clone(context.Background())) })
		idle()
		release <- struct{}{}
		d := <-started
		wg.Wait()
		return d
	})
}

// notifyFloor times the bare signal: a NOTIFY waking a LISTEN.
func notifyFloor(b *testing.B) {
	ctx := context.Background()
	listen, err := pgx.Connect(ctx, server.DSN)
	if err != nil {
		b.Fatal(err)
	}
	defer listen.Close(ctx)
	if _, err := listen.Exec(ctx, "LISTEN handoff_floor"); err != nil {
		b.Fatal(err)
	}
	pool := newPool(b)
	var sent atomic.Int64
	measure(b, func() time.Duration {
		woke := make(chan time.Duration, 1)
		go func() {
			if _, err := listen.WaitForNotification(ctx); err != nil {
				b.Error(err)
			}
			woke <- time.Duration(time.Now().UnixNano() - sent.Load())
		}()
		idle()
		sent.Store(time.Now().UnixNano())
		if _, err := pool.Exec(ctx, "NOTIFY handoff_floor"); err != nil {
			b.Fatal(err)
		}
		return <-woke
	})
}

// idle is the holder's work before it releases: 1 to 11 ms, random.
func idle() { time.Sleep(time.Millisecond + rand.N(10*time.Millisecond)) }

// measure runs once (one hand-off, returning its latency) b.N times after
// a warm-up, and reports percentiles and the meter's figures.
func measure(b *testing.B, once func() time.Duration) {
	once() // warm: statements prepared, listener connected
	lat := make([]time.Duration, 0, b.N)
	m := startMeter(b)
	b.ResetTimer()
	for range b.N {
		lat = append(lat, once())
	}
	b.StopTimer()
	m.stop(b, b.N)
	// A one-op run is the testing package's probe, not a measured run.
	if dir := os.Getenv("HANDOFF_OUT"); dir != "" && b.N > 1 {
		f, err := os.OpenFile(filepath.Join(dir, strings.ReplaceAll(b.Name(), "/", "_")+".txt"),
			os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range lat {
			fmt.Fprintf(f, "%.1f\n", float64(d.Nanoseconds())/1e3)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(q(0.50), "p50-us")
	b.ReportMetric(q(0.99), "p99-us")
}
