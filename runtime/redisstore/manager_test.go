package redisstore_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/internal/apptest"
	"github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/redisstore/redistest"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// startApp is an app server (apptest.Start) over a store of its own on
// client, with prefix.
func startApp(t *testing.T, client redis.UniversalClient, prefix string, opts ...redisstore.Option) *apptest.App {
	return startAppWith(t, client, prefix, nil, opts...)
}

// startAppWith is startApp with Manager options.
func startAppWith(t *testing.T, client redis.UniversalClient, prefix string, mopts []session.Option, opts ...redisstore.Option) *apptest.App {
	return apptest.Start(t, redisstore.New(client, append([]redisstore.Option{redisstore.Prefix(prefix)}, opts...)...), mopts...)
}

var httpClient = apptest.Client

// Two app servers share one Redis: 200 concurrent increments of one
// session, spread over both, end at exactly 200.
func TestTwoServersConcurrentIncrements(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	a := startApp(t, newClient(t, addr), prefix)
	b := startApp(t, newClient(t, addr), prefix)
	apptest.ConcurrentIncrements(t, a, b, 200)
}

// At most two round trips per request of an existing session: lock+load
// and save+unlock.
func TestManagerRoundTripsPerRequest(t *testing.T) {
	c := newClient(t, sharedRedis(t))
	var rt counter
	c.AddHook(&rt)
	a := startApp(t, c, freshPrefix())
	cookie := apptest.NewSession(t, a)
	apptest.Do(t, a.URL+"/inc", cookie) // loads the scripts into the server
	const n = 20
	before := rt.n.Load()
	for range n {
		if code, body := apptest.Do(t, a.URL+"/inc", cookie); code != 200 {
			t.Fatalf("/inc = %d %s", code, body)
		}
	}
	if got := rt.n.Load() - before; got > 2*n {
		t.Fatalf("%d requests took %d round trips, want at most %d", n, got, 2*n)
	}
	if got := apptest.Get(t, a, cookie); got != strconv.Itoa(n+1) {
		t.Fatalf("n = %s, want %d", got, n+1)
	}
}

// Redis dies while a request holds its session and others arrive: they get
// 503 with a clear error and nothing is half-written; once Redis is back
// (same port, data from its append-only file) the same app serves again.
func TestRedisOutageMidRun(t *testing.T) {
	srv := redistest.Start(t, "--appendonly", "yes", "--appendfsync", "always")
	a := startApp(t, newClient(t, srv.Addr), "app:", redisstore.LockTTL(500*time.Millisecond))
	apptest.OutageMidRun(t, a, srv.Stop, srv.Restart, redisstore.ErrUnavailable)
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
	cookie := apptest.NewSession(t, b)

	entered, proceed := make(chan struct{}), make(chan struct{})
	a.Before = func() { close(entered); <-proceed }
	frozen := make(chan int, 1)
	go func() { code, _ := apptest.Do(t, a.URL+"/inc", cookie); frozen <- code }()
	<-entered
	px.pause()
	if code, body := apptest.Do(t, b.URL+"/set?v=100", cookie); code != 200 {
		t.Fatalf("/set on B while A is frozen = %d %s", code, body)
	}
	px.resume()
	close(proceed)
	if code := <-frozen; code != http.StatusInternalServerError {
		t.Fatalf("frozen request = %d, want 500 from its refused save", code)
	}
	if err := <-a.Errs; !errors.Is(err, session.ErrLockLost) {
		t.Fatalf("frozen request's error = %v, want ErrLockLost", err)
	}
	if got := apptest.Get(t, b, cookie); got != "100" {
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
	cookie := apptest.NewSession(t, b)

	entered, proceed := make(chan struct{}), make(chan struct{})
	a.Before = func() { close(entered); <-proceed }
	dead := make(chan int, 1)
	go func() { code, _ := apptest.Do(t, a.URL+"/inc", cookie); dead <- code }()
	<-entered
	_ = ac.Close() // A's process is gone: no refresh, no release

	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", b.URL+"/set?v=7", nil)
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
	if got := apptest.Get(t, b, cookie); got != "7" {
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
	apptest.LockWaitTimeout(t, a, b, nil)
}
