package benchkit

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

	"github.com/sessionlock/sessionlock/runtime/session"
)

// Handoff measures hand-offs between two app servers. Two Managers, each
// over its own store from newStore (its own client or pool), share one
// session: a request on A holds its lock, a request on B waits for it. One
// op is one hand-off, from the moment A's handler starts releasing
// (ReleaseLock: save, unlock) to the moment B's handler starts running (B
// woke, locked, loaded). B has been waiting for a random 1 to 11 ms
// (Idle) before the release, so a polling waiter is caught at every phase
// of its sleep.
func Handoff(b *testing.B, newStore func() session.Store, meter StartMeter) {
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
	init := NewSession(b, hA, "/init", session.DefaultCookieName)
	MeasureHandoffs(b, meter, func() time.Duration {
		var wg sync.WaitGroup
		wg.Go(func() { Serve(b, hA, NewWriter(), init.Clone(context.Background())) })
		<-entered
		wg.Go(func() { Serve(b, hB, NewWriter(), init.Clone(context.Background())) })
		Idle()
		release <- struct{}{}
		d := <-started
		wg.Wait()
		return d
	})
}

// Idle is the holder's work before it releases: 1 to 11 ms, random.
func Idle() { time.Sleep(time.Millisecond + rand.N(10*time.Millisecond)) }

// MeasureHandoffs runs once (one hand-off, returning its latency) b.N
// times after a warm-up, and reports p50-us and p99-us and the meter's
// figures. With HANDOFF_OUT set to a directory, every latency (µs) is also
// appended to a file per benchmark there, so that a script can take
// percentiles over several rounds' hand-offs together.
func MeasureHandoffs(b *testing.B, meter StartMeter, once func() time.Duration) {
	once() // warm: connections dialled, statements or scripts loaded
	lat := make([]time.Duration, 0, b.N)
	stop := meter(b)
	b.ResetTimer()
	for range b.N {
		lat = append(lat, once())
	}
	b.StopTimer()
	stop(b.N)
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

// PollLock is the wait of a polling lock, the hand-off benchmarks'
// baseline: it calls try until it reports the lock taken, sleeping every
// between attempts, or returns ctx's error.
func PollLock(ctx context.Context, every time.Duration, try func() (bool, error)) error {
	for {
		ok, err := try()
		if ok || err != nil {
			return err
		}
		t := time.NewTimer(every)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}
