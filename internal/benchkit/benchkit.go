// Package benchkit holds what the store benchmarks under bench/ share: the
// request benchmarks (a counter handler served in-process, serial and
// parallel), the hand-off between two app servers, and the order of the
// rows. Each benchmark module brings its stores and its meter (what the
// server behind the store spends).
package benchkit

import (
	"net/http"
	"os"
	"runtime"
	"strings"
	"testing"
)

// Parallelism is the goroutines per CPU of the parallel benchmarks.
const Parallelism = 4

// StartMeter starts measuring a benchmark's timed section (what the store's
// server spends, this process's CPU time) and returns the function that
// reports the figures for ops operations.
type StartMeter func(b *testing.B) (stop func(ops int))

// Order is the order of the sub-benchmarks: run.sh rotates it between
// rounds (BENCH_ORDER=scs,floor,sessionlock) so that drifting load on a
// shared machine does not always fall on the same row.
func Order() []string {
	if o := os.Getenv("BENCH_ORDER"); o != "" {
		return strings.Split(o, ",")
	}
	return []string{"sessionlock", "scs", "floor"}
}

// Writer is a minimal ResponseWriter, reset between requests.
type Writer struct {
	H    http.Header
	Code int
}

// NewWriter returns an empty Writer.
func NewWriter() *Writer { return &Writer{H: http.Header{}} }

func (w *Writer) Header() http.Header         { return w.H }
func (w *Writer) Write(p []byte) (int, error) { return len(p), nil }
func (w *Writer) WriteHeader(code int)        { w.Code = code }

// Reset clears the headers and status.
func (w *Writer) Reset() { clear(w.H); w.Code = 0 }

// NewSession sends a first request to path on h and returns a request to
// "/" that carries the session cookie name it set.
func NewSession(b *testing.B, h http.Handler, path, name string) *http.Request {
	w := NewWriter()
	r, _ := http.NewRequest("GET", path, nil)
	h.ServeHTTP(w, r)
	for _, c := range (&http.Response{Header: w.H}).Cookies() {
		if c.Name == name {
			r, _ = http.NewRequest("GET", "/", nil)
			r.Header.Set("Cookie", c.Name+"="+c.Value)
			return r
		}
	}
	b.Fatalf("no %q cookie set: %v", name, w.H)
	return nil
}

// Serve serves r on h and fails b on a status other than 200.
func Serve(b *testing.B, h http.Handler, w *Writer, r *http.Request) {
	w.Reset()
	h.ServeHTTP(w, r)
	if w.Code != 0 && w.Code != http.StatusOK {
		b.Fatalf("status %d", w.Code)
	}
}

// Serial serves one session's requests one at a time: newSess returns a
// request carrying a new session's cookie.
func Serial(b *testing.B, h http.Handler, newSess func(*testing.B) *http.Request, meter StartMeter) {
	r := newSess(b)
	w := NewWriter()
	Serve(b, h, w, r) // warm: connections dialled, statements or scripts loaded
	b.ReportAllocs()
	stop := meter(b)
	b.ResetTimer()
	for b.Loop() {
		Serve(b, h, w, r)
	}
	b.StopTimer()
	stop(b.N)
}

// Parallel serves requests with Parallelism goroutines per CPU, each with
// its own session (no lock contention, as for different users).
func Parallel(b *testing.B, h http.Handler, newSess func(*testing.B) *http.Request, meter StartMeter) {
	b.ReportAllocs()
	b.SetParallelism(Parallelism)
	sessions := make(chan *http.Request, Parallelism*runtime.GOMAXPROCS(0))
	for range cap(sessions) {
		r := newSess(b)
		Serve(b, h, NewWriter(), r) // warm
		sessions <- r
	}
	stop := meter(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := <-sessions
		w := NewWriter()
		for pb.Next() {
			Serve(b, h, w, r)
		}
	})
	b.StopTimer()
	stop(b.N)
}
