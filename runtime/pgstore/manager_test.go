package pgstore_test

import (
	"bytes"
	"context"
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

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// app is one application server: a Manager over its own pool and Store,
// serving on loopback, as one of several machines behind a load balancer.
type app struct {
	url  string
	errs chan error // errors the Manager logged
	// before runs at the start of /inc, e.g. to hold a request there.
	before func()
}

// startApp serves the test routes over store: /init sets n=0, /inc adds
// one to n, /set?v= sets n (all three under Middleware's lock), /explicit
// adds one under an explicitly taken lock, /early adds one and releases
// the lock before it returns, and /get prints n (read-only).
func startApp(t testing.TB, store *pgstore.Store, mopts ...session.Option) *app {
	a := &app{errs: make(chan error, 1000)}
	m := session.NewManager(store, append([]session.Option{
		session.WithLogger(slog.New(errorRecorder(a.errs))), session.WithLockWait(time.Minute)}, mopts...)...)
	inc := func(s *session.Session) {
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
	}
	mux := http.NewServeMux()
	mux.Handle("/init", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 0)
	})))
	mux.Handle("/inc", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.before != nil {
			a.before()
		}
		inc(session.FromContext(r.Context()))
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
		inc(s)
		if err := s.ReleaseLock(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})))
	mux.Handle("/get", m.ReadOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, session.FromContext(r.Context()).Get("n"))
	})))
	a.url = serve(t, mux)
	return a
}

// serve serves h on loopback until the end of t and returns its URL.
func serve(t testing.TB, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// errorRecorder is a slog.Handler that passes on the "err" attribute of
// each error-level record.
type errorRecorder chan error

func (errorRecorder) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (e errorRecorder) Handle(_ context.Context, r slog.Record) error {
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
func (e errorRecorder) WithAttrs([]slog.Attr) slog.Handler { return e }
func (e errorRecorder) WithGroup(string) slog.Handler      { return e }

// syncBuffer is a log destination safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var httpClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: patience}

// do sends a request with the session cookie and returns status and body.
func do(t testing.TB, url, cookie string) (int, string) {
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
func newSession(t testing.TB, a *app) string {
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

func get(t testing.TB, a *app, cookie string) string {
	t.Helper()
	code, body := do(t, a.url+"/get", cookie)
	if code != 200 {
		t.Fatalf("/get = %d %s", code, body)
	}
	return body
}

// Two app servers, each with its own pool and Store, share one database:
// 200 concurrent increments of one session, spread over both servers and
// over Middleware, Explicit and early-release routes, all count.
func TestTwoServersConcurrentIncrements(t *testing.T) {
	dsn := sharedDSN(t)
	poolA, poolB := newPool(t, dsn, 10), newPool(t, dsn, 10)
	table := freshTable(t, poolA)
	a := startApp(t, newStore(t, poolA, pgstore.Table(table)))
	b := startApp(t, newStore(t, poolB, pgstore.Table(table)))
	cookie := newSession(t, a)
	routes := []string{"/inc", "/explicit", "/early"}
	var wg sync.WaitGroup
	for i := range 200 {
		srv := a
		if i%2 == 1 {
			srv = b
		}
		wg.Go(func() {
			if code, body := do(t, srv.url+routes[i%3], cookie); code != 200 {
				t.Errorf("%s = %d %s", routes[i%3], code, body)
			}
		})
	}
	wg.Wait()
	if got := get(t, b, cookie); got != "200" {
		t.Fatalf("n = %s after 200 concurrent increments on two servers, want 200", got)
	}
}

// A request that waits on one server for a lock another server holds
// longer than WithLockWait gets 503 with Retry-After, changes nothing, and
// its log names the holder's route, which only the database could tell.
func TestLockWaitTimeoutAcrossServers(t *testing.T) {
	dsn := sharedDSN(t)
	poolA, poolB := newPool(t, dsn, 4), newPool(t, dsn, 4)
	table := freshTable(t, poolA)
	a := startApp(t, newStore(t, poolA, pgstore.Table(table)))
	var log syncBuffer
	b := startApp(t, newStore(t, poolB, pgstore.Table(table)), session.WithLockWait(200*time.Millisecond),
		session.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	cookie := newSession(t, a)
	entered, proceed := make(chan struct{}), make(chan struct{})
	a.before = func() { close(entered); <-proceed }
	held := make(chan int, 1)
	go func() { code, _ := do(t, a.url+"/inc", cookie); held <- code }()
	<-entered
	req, _ := http.NewRequest("GET", b.url+"/set?v=100", nil)
	req.Header.Set("Cookie", cookie)
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("request waiting past WithLockWait = %d (Retry-After %q), want 503 with Retry-After",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// B asks the database for the holder after its 503, while A holds on.
	for expired := outOfPatience(); !strings.Contains(log.String(), "held by /inc for "); {
		if expired() {
			t.Fatalf("B's log does not name A's route:\n%s", log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(proceed)
	if code := <-held; code != 200 {
		t.Fatalf("holder = %d, want 200", code)
	}
	if got := get(t, b, cookie); got != "1" {
		t.Fatalf("n = %s, want 1: the timed-out request must not write", got)
	}
}

// 500 requests of different sessions wait at once for locks held by
// another app server, through a pool of 10 connections: waiting holds no
// connection (the pool is idle while they wait), and the holders'
// releases wake every one of them by NOTIFY (RetryInterval is an hour, so
// nothing else could).
func TestSmallPoolServesManyWaiters(t *testing.T) {
	const n = 500
	dsn := sharedDSN(t)
	poolA, poolB := newPool(t, dsn, 10), newPool(t, dsn, 10)
	table := freshTable(t, poolA)
	a := newStore(t, poolA, pgstore.Table(table))
	b := newStore(t, poolB, pgstore.Table(table), pgstore.RetryInterval(time.Hour))
	ids := make([]string, n)
	held := make([]session.Lock, n)
	for i := range ids {
		ids[i] = session.NewID()
		held[i], _ = mustLock(t, a, ids[i])
	}
	// Each waiter's first attempt finds the lock busy; then it waits.
	got := make(chan error, n)
	for _, id := range ids {
		go func() {
			l, data, err := b.Lock(ctxT(t), id)
			if err == nil && string(data) != "v-"+id {
				err = fmt.Errorf("waiter read %q, want the holder's save", data)
			}
			if err == nil {
				err = l.Unlock(ctxT(t), nil, time.Time{})
			}
			got <- err
		}()
	}
	expired := outOfPatience()
	for !allWaiting(t, poolA, table, n) {
		if expired() {
			t.Fatal("the waiters never all asked for a NOTIFY")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Attempts already sent finish; then no waiter holds a connection.
	for busy := poolB.Stat().AcquiredConns(); busy != 0; busy = poolB.Stat().AcquiredConns() {
		if expired() {
			t.Fatalf("%d of the waiting store's pool connections stay in use while its requests wait, want 0", busy)
		}
		time.Sleep(10 * time.Millisecond)
	}
	var wg sync.WaitGroup
	for i, l := range held {
		wg.Go(func() {
			if err := l.Unlock(ctxT(t), []byte("v-"+ids[i]), future()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for range n {
		if err := <-got; err != nil {
			t.Fatal(err)
		}
	}
}

// allWaiting reports whether n rows of table have a waiter's request for
// a NOTIFY.
func allWaiting(t *testing.T, pool *pgxpool.Pool, table string, n int) bool {
	var got int
	err := pool.QueryRow(ctxT(t), "SELECT count(*) FROM "+table+" WHERE wait_until > now()").Scan(&got)
	if err != nil {
		t.Fatal(err)
	}
	return got == n
}
