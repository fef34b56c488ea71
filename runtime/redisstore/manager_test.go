package redisstore_test

import (
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

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/redisstore/redistest"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// app is one application server: a Manager over its own Redis client,
// serving on loopback, as one of several machines behind a load balancer.
type app struct {
	url  string
	m    *session.Manager
	errs chan error // errors the Manager's error handler saw
	// before runs at the start of /inc, e.g. to freeze a request.
	before func()
}

// startApp serves the test routes: /init sets n=0, /inc adds one to n,
// /set?v= sets n, /get prints n (read-only). /inc and /set write no body, so
// a failed save still becomes the error handler's answer.
func startApp(t *testing.T, client redis.UniversalClient, prefix string, opts ...redisstore.Option) *app {
	return startAppWith(t, client, prefix, []session.Option{session.WithLockWait(time.Minute)}, opts...)
}

// startAppWith is startApp with Manager options.
func startAppWith(t *testing.T, client redis.UniversalClient, prefix string, mopts []session.Option, opts ...redisstore.Option) *app {
	a := &app{errs: make(chan error, 1000)}
	store := redisstore.New(client, append([]redisstore.Option{redisstore.Prefix(prefix)}, opts...)...)
	// The Manager's own error answers are under test; its log tells the
	// test which error each failed request met.
	a.m = session.NewManager(store, append([]session.Option{
		session.WithLogger(slog.New(errorRecorder(a.errs)))}, mopts...)...)
	mux := http.NewServeMux()
	mux.HandleFunc("/init", func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 0)
	})
	mux.HandleFunc("/inc", func(w http.ResponseWriter, r *http.Request) {
		if a.before != nil {
			a.before()
		}
		s := session.FromContext(r.Context())
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
	})
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		v, _ := strconv.Atoi(r.URL.Query().Get("v"))
		session.FromContext(r.Context()).Set("n", v)
	})
	h := http.NewServeMux()
	h.Handle("/", a.m.Middleware(mux))
	h.Handle("/get", a.m.ReadOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, session.FromContext(r.Context()).Get("n"))
	})))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { _ = srv.Close() })
	a.url = "http://" + ln.Addr().String()
	return a
}

// errorRecorder is a slog.Handler that passes on the "err" attribute of
// each error-level record.
type errorRecorder chan error

func (errorRecorder) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (e errorRecorder) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if err, ok := a.Value.Any().(error); ok && a.Key == "err" {
			e <- err
		}
		return true
	})
	return nil
}
func (e errorRecorder) WithAttrs([]slog.Attr) slog.Handler { return e }
func (e errorRecorder) WithGroup(string) slog.Handler      { return e }

var httpClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: patience}

// do sends a request with the session cookie and returns status and body.
func do(t *testing.T, url, cookie string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Errorf("GET %s: %v", url, err)
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// newSession creates a session with n=0 on a and returns its cookie.
func newSession(t *testing.T, a *app) string {
	t.Helper()
	resp, err := httpClient.Get(a.url + "/init")
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

func get(t *testing.T, a *app, cookie string) string {
	t.Helper()
	code, body := do(t, a.url+"/get", cookie)
	if code != 200 {
		t.Fatalf("/get = %d %s", code, body)
	}
	return body
}

// Two app servers share one Redis: 200 concurrent increments of one
// session, spread over both, end at exactly 200.
func TestTwoServersConcurrentIncrements(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	a := startApp(t, newClient(t, addr), prefix)
	b := startApp(t, newClient(t, addr), prefix)
	incrementConcurrently(t, a, b, 200)
}

// incrementConcurrently sends n concurrent increments of one new session,
// alternating between a and b, and checks that the count is exact.
func incrementConcurrently(t *testing.T, a, b *app, n int) {
	t.Helper()
	cookie := newSession(t, a)
	var wg sync.WaitGroup
	for i := range n {
		srv := a
		if i%2 == 1 {
			srv = b
		}
		wg.Go(func() {
			if code, body := do(t, srv.url+"/inc", cookie); code != 200 {
				t.Errorf("/inc = %d %s", code, body)
			}
		})
	}
	wg.Wait()
	if got := get(t, b, cookie); got != strconv.Itoa(n) {
		t.Fatalf("after %d increments through two servers n = %s, want %d", n, got, n)
	}
}

// At most two round trips per request of an existing session: lock+load
// and save+unlock.
func TestManagerRoundTripsPerRequest(t *testing.T) {
	c := newClient(t, sharedRedis(t))
	var rt counter
	c.AddHook(&rt)
	a := startApp(t, c, freshPrefix())
	cookie := newSession(t, a)
	do(t, a.url+"/inc", cookie) // loads the scripts into the server
	const n = 20
	before := rt.n.Load()
	for range n {
		if code, body := do(t, a.url+"/inc", cookie); code != 200 {
			t.Fatalf("/inc = %d %s", code, body)
		}
	}
	if got := rt.n.Load() - before; got > 2*n {
		t.Fatalf("%d requests took %d round trips, want at most %d", n, got, 2*n)
	}
	if got := get(t, a, cookie); got != strconv.Itoa(n+1) {
		t.Fatalf("n = %s, want %d", got, n+1)
	}
}

// Redis dies while a request holds its session and others arrive: they get
// 503 with a clear error and nothing is half-written; once Redis is back
// (same port, data from its append-only file) the same app serves again.
func TestRedisOutageMidRun(t *testing.T) {
	srv := redistest.Start(t, "--appendonly", "yes", "--appendfsync", "always")
	a := startApp(t, newClient(t, srv.Addr), "app:", redisstore.LockTTL(500*time.Millisecond))
	cookie := newSession(t, a)
	for range 5 {
		if code, body := do(t, a.url+"/inc", cookie); code != 200 {
			t.Fatalf("/inc = %d %s", code, body)
		}
	}

	entered, proceed := make(chan struct{}), make(chan struct{})
	var once sync.Once
	a.before = func() { once.Do(func() { close(entered); <-proceed }) }
	inflight := make(chan int, 1)
	go func() { code, _ := do(t, a.url+"/inc", cookie); inflight <- code }()
	<-entered
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	close(proceed) // the held request now tries to save into a dead Redis
	if code := <-inflight; code != http.StatusServiceUnavailable {
		t.Fatalf("request whose save met the outage = %d, want 503", code)
	}
	for range 3 {
		code, body := do(t, a.url+"/inc", cookie)
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "session store cannot be reached") {
			t.Fatalf("/inc during the outage = %d %q, want 503 naming the cause", code, body)
		}
	}
	for len(a.errs) > 0 {
		if err := <-a.errs; !errors.Is(err, redisstore.ErrUnavailable) {
			t.Fatalf("error during the outage = %v, want ErrUnavailable", err)
		}
	}

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	// The client reconnects by itself; the first requests may still see
	// the pool's remembered dial error.
	expired := outOfPatience()
	for {
		code, body := do(t, a.url+"/get", cookie)
		if code == 200 {
			if body != "5" {
				t.Fatalf("n after the outage = %s, want 5: a failed request wrote", body)
			}
			break
		}
		if code != http.StatusServiceUnavailable || expired() {
			t.Fatalf("/get after restart = %d %s", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The held request's lock survived in the append-only file; it ends
	// with its lease and the next request goes through.
	if code, body := do(t, a.url+"/inc", cookie); code != 200 {
		t.Fatalf("/inc after restart = %d %s", code, body)
	}
	if got := get(t, a, cookie); got != "6" {
		t.Fatalf("n = %s, want 6", got)
	}
}

// Lease loss across servers: server A's request freezes (its Redis traffic
// is held) past the lease, server B's request takes the lock and saves; A's
// save is refused with ErrLockLost and B's value survives.
func TestFrozenServerCannotOverwrite(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	px := startProxy(t, addr)
	ttl := redisstore.LockTTL(300 * time.Millisecond)
	a := startApp(t, newClient(t, px.Addr), prefix, ttl)
	b := startApp(t, newClient(t, addr), prefix, ttl)
	cookie := newSession(t, b)

	entered, proceed := make(chan struct{}), make(chan struct{})
	a.before = func() { close(entered); <-proceed }
	frozen := make(chan int, 1)
	go func() { code, _ := do(t, a.url+"/inc", cookie); frozen <- code }()
	<-entered
	px.pause()
	if code, body := do(t, b.url+"/set?v=100", cookie); code != 200 {
		t.Fatalf("/set on B while A is frozen = %d %s", code, body)
	}
	px.resume()
	close(proceed)
	if code := <-frozen; code != http.StatusInternalServerError {
		t.Fatalf("frozen request = %d, want 500 from its refused save", code)
	}
	if err := <-a.errs; !errors.Is(err, session.ErrLockLost) {
		t.Fatalf("frozen request's error = %v, want ErrLockLost", err)
	}
	if got := get(t, b, cookie); got != "100" {
		t.Fatalf("n = %s, want 100 from the newer request", got)
	}
}

// Server A dies holding a session's lock: server B's request gets it once
// the lease ends, without anyone releasing it.
func TestCrashedServerReleasesByLease(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	ttl := redisstore.LockTTL(300 * time.Millisecond)
	ac := redis.NewClient(&redis.Options{Addr: addr})
	a := startApp(t, ac, prefix, ttl)
	b := startApp(t, newClient(t, addr), prefix, ttl)
	cookie := newSession(t, b)

	entered, proceed := make(chan struct{}), make(chan struct{})
	a.before = func() { close(entered); <-proceed }
	dead := make(chan int, 1)
	go func() { code, _ := do(t, a.url+"/inc", cookie); dead <- code }()
	<-entered
	_ = ac.Close() // A's process is gone: no refresh, no release

	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", b.url+"/set?v=7", nil)
	req.Header.Set("Cookie", cookie)
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("B's request after A crashed = %d", resp.StatusCode)
	}
	close(proceed)
	<-dead
	if got := get(t, b, cookie); got != "7" {
		t.Fatalf("n = %s, want 7", got)
	}
}

// The Manager's lock-wait bound holds across servers: while A holds the
// session, B's request gives up with 503 and Retry-After, and B serves the
// session again once A is done.
func TestLockWaitTimeoutAcrossServers(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	a := startApp(t, newClient(t, addr), prefix)
	b := startAppWith(t, newClient(t, addr), prefix, []session.Option{session.WithLockWait(100 * time.Millisecond)})
	cookie := newSession(t, a)
	entered, proceed := make(chan struct{}), make(chan struct{})
	a.before = func() { close(entered); <-proceed }
	held := make(chan int, 1)
	go func() { code, _ := do(t, a.url+"/inc", cookie); held <- code }()
	<-entered
	req, _ := http.NewRequest("GET", b.url+"/set?v=9", nil)
	req.Header.Set("Cookie", cookie)
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("B while A holds = %d (Retry-After %q), want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	close(proceed)
	if code := <-held; code != 200 {
		t.Fatalf("A's request = %d", code)
	}
	if got := get(t, b, cookie); got != "1" {
		t.Fatalf("n = %s, want 1: the timed-out request must not have written", got)
	}
}
