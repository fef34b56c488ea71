// Package apptest runs application servers over a session.Store for the
// tests of stores whose lock spans machines (runtime/redisstore,
// runtime/pgstore): a Manager with a few routes on a loopback HTTP server,
// as one of several machines behind a load balancer, and the scenarios
// across two such servers that every such store must pass.
package apptest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// Patience bounds the tests' HTTP requests; it fails a hung test, it is not
// a speed requirement.
const Patience = 20 * time.Second

// Client is the tests' HTTP client.
var Client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: Patience}

// An App is one application server.
type App struct {
	URL  string
	Errs chan error // the errors the Manager logged
	// Before, if set, runs at the start of /inc, e.g. to hold a request
	// there while it holds the session's lock.
	Before func()
}

// Start serves, over store, until the end of t: /init sets n=0; /inc adds
// one to n, /set?v= sets n (both under Middleware's lock, writing no body,
// so that a failed save becomes the error handler's answer); /explicit
// adds one under a lock taken with AcquireLock; /early adds one and
// releases the lock before it returns; /get prints n (ReadOnly). The
// Manager waits a minute for a lock and logs its errors to Errs; opts
// come after, so they may change both.
func Start(t testing.TB, store session.Store, opts ...session.Option) *App {
	a := &App{Errs: make(chan error, 1000)}
	m := session.NewManager(store, append([]session.Option{
		session.WithLogger(slog.New(ErrorRecorder(a.Errs))), session.WithLockWait(time.Minute)}, opts...)...)
	mux := http.NewServeMux()
	mux.Handle("/init", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 0)
	})))
	mux.Handle("/inc", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.Before != nil {
			a.Before()
		}
		s := session.FromContext(r.Context())
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
	})))
	mux.Handle("/set", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := strconv.Atoi(r.URL.Query().Get("v"))
		session.FromContext(r.Context()).Set("n", v)
	})))
	mux.Handle("/explicit", m.Explicit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		if err := s.AcquireLock(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
	})))
	mux.Handle("/early", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
		if err := s.ReleaseLock(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})))
	mux.Handle("/get", m.ReadOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, session.FromContext(r.Context()).Get("n"))
	})))
	a.URL = Serve(t, mux)
	return a
}

// Serve serves h on loopback until the end of t and returns its URL.
func Serve(t testing.TB, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// ErrorRecorder is a slog.Handler that passes on the "err" attribute of
// each error-level record, dropping it when the channel is full.
type ErrorRecorder chan error

func (ErrorRecorder) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (e ErrorRecorder) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if err, ok := a.Value.Any().(error); ok && a.Key == "err" {
			select {
			case e <- err:
			default:
			}
		}
		return true
	})
	return nil
}
func (e ErrorRecorder) WithAttrs([]slog.Attr) slog.Handler { return e }
func (e ErrorRecorder) WithGroup(string) slog.Handler      { return e }

// Do sends a GET with the session cookie and returns status and body; it
// reports a failed request with t.Errorf and returns status 0.
func Do(t testing.TB, url, cookie string) (int, string) {
	req, _ := http.NewRequest("GET", url, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := Client.Do(req)
	if err != nil {
		t.Errorf("GET %s: %v", url, err)
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// NewSession creates a session with n=0 on a and returns its cookie.
func NewSession(t testing.TB, a *App) string {
	t.Helper()
	resp, err := Client.Get(a.URL + "/init")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		return c.Name + "=" + c.Value
	}
	t.Fatal("/init set no session cookie")
	return ""
}

// Get returns n of the session, read-only.
func Get(t testing.TB, a *App, cookie string) string {
	t.Helper()
	code, body := Do(t, a.URL+"/get", cookie)
	if code != 200 {
		t.Fatalf("/get = %d %s", code, body)
	}
	return body
}

// HoldOn starts a's /inc with cookie and returns once it holds the
// session's lock; release lets it finish and returns its status.
func HoldOn(t testing.TB, a *App, cookie string) (release func() int) {
	entered, proceed := make(chan struct{}), make(chan struct{})
	var once sync.Once
	a.Before = func() { once.Do(func() { close(entered); <-proceed }) }
	held := make(chan int, 1)
	go func() { code, _ := Do(t, a.URL+"/inc", cookie); held <- code }()
	<-entered
	return func() int {
		close(proceed)
		return <-held
	}
}

// ConcurrentIncrements sends n concurrent increments of one new session,
// alternating between a and b and over /inc, /explicit and /early, and
// checks that the count is exact.
func ConcurrentIncrements(t *testing.T, a, b *App, n int) {
	t.Helper()
	cookie := NewSession(t, a)
	routes := []string{"/inc", "/explicit", "/early"}
	var wg sync.WaitGroup
	for i := range n {
		srv := a
		if i%2 == 1 {
			srv = b
		}
		wg.Go(func() {
			if code, body := Do(t, srv.URL+routes[i%3], cookie); code != 200 {
				t.Errorf("%s = %d %s", routes[i%3], code, body)
			}
		})
	}
	wg.Wait()
	if got := Get(t, b, cookie); got != strconv.Itoa(n) {
		t.Fatalf("after %d increments through two servers n = %s, want %d", n, got, n)
	}
}

// LockWaitTimeout checks that a request on b, whose WithLockWait is
// shorter than a's request holds the session, gets 503 with Retry-After
// and writes nothing. whileHeld, if not nil, runs after the 503 while a
// still holds the lock.
func LockWaitTimeout(t *testing.T, a, b *App, whileHeld func()) {
	t.Helper()
	cookie := NewSession(t, a)
	release := HoldOn(t, a, cookie)
	req, _ := http.NewRequest("GET", b.URL+"/set?v=9", nil)
	req.Header.Set("Cookie", cookie)
	resp, err := Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("B while A holds = %d (Retry-After %q), want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if whileHeld != nil {
		whileHeld()
	}
	if code := release(); code != 200 {
		t.Fatalf("A's request = %d", code)
	}
	if got := Get(t, b, cookie); got != "1" {
		t.Fatalf("n = %s, want 1: the timed-out request must not have written", got)
	}
}

// LogBuffer is a log destination safe for concurrent use.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// OutageMidRun checks a store whose server stops while a request of a's
// holds its session and others arrive: they get 503 naming the cause, with
// errors that wrap unavailable, and nothing is half-written; once restart
// has brought the server back (same address, same data), a serves the
// session again with every increment that succeeded and no other. a's
// store must be on the server stop stops; its lease should be short, as
// the held request's lock may survive in the server's data until the
// lease ends.
func OutageMidRun(t *testing.T, a *App, stop, restart func() error, unavailable error) {
	t.Helper()
	cookie := NewSession(t, a)
	for range 5 {
		if code, body := Do(t, a.URL+"/inc", cookie); code != 200 {
			t.Fatalf("/inc = %d %s", code, body)
		}
	}
	entered, proceed := make(chan struct{}), make(chan struct{})
	var once sync.Once
	a.Before = func() { once.Do(func() { close(entered); <-proceed }) }
	inflight := make(chan int, 1)
	go func() { code, _ := Do(t, a.URL+"/inc", cookie); inflight <- code }()
	<-entered
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	close(proceed) // the held request now saves into a stopped server
	if code := <-inflight; code != http.StatusServiceUnavailable {
		t.Fatalf("request whose save met the outage = %d, want 503", code)
	}
	for range 3 {
		code, body := Do(t, a.URL+"/inc", cookie)
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "session store cannot be reached") {
			t.Fatalf("/inc during the outage = %d %q, want 503 naming the cause", code, body)
		}
	}
	for len(a.Errs) > 0 {
		if err := <-a.Errs; !errors.Is(err, unavailable) || !errors.Is(err, session.ErrStoreUnavailable) {
			t.Fatalf("error during the outage = %v, want %v", err, unavailable)
		}
	}
	if err := restart(); err != nil {
		t.Fatal(err)
	}
	// The client reconnects by itself; the first requests may still meet
	// a connection the outage broke, and the held request's lock may have
	// survived until its lease ends.
	for _, path := range []string{"/get", "/inc"} {
		for end := time.Now().Add(Patience); ; time.Sleep(20 * time.Millisecond) {
			code, body := Do(t, a.URL+path, cookie)
			if code == 200 {
				if path == "/get" && body != "5" {
					t.Fatalf("n after the outage = %s, want 5: a failed request wrote", body)
				}
				break
			}
			if code != http.StatusServiceUnavailable || time.Now().After(end) {
				t.Fatalf("%s after restart = %d %s", path, code, body)
			}
		}
	}
	if got := Get(t, a, cookie); got != "6" {
		t.Fatalf("n = %s, want 6", got)
	}
}
