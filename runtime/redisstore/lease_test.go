package redisstore_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// logRecorder keeps each record's message and route attribute.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	line := r.Message
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "route" {
			line += " route=" + a.Value.String()
		}
		return true
	})
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.mu.Unlock()
	return nil
}
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler      { return l }

func (l *logRecorder) find(sub string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.lines {
		if strings.Contains(s, sub) {
			return s
		}
	}
	return ""
}

// leaseRig is an app whose /slow handler holds its session's lock until
// the request's context ends, and reports the context's cause. The lock is
// the one Middleware takes (mode "Middleware"), the one AcquireLock takes
// in an Explicit handler ("Explicit"), or the one AcquireLock takes again
// after ReleaseLock in a Middleware handler ("Middleware/relock").
type leaseRig struct {
	url     string
	logs    *logRecorder
	entered chan string // the session ID, once /slow holds the lock
	cause   chan error  // why /slow's context ended
}

func newLeaseRig(t *testing.T, c redis.UniversalClient, prefix, mode string) *leaseRig {
	store := redisstore.New(c, redisstore.Prefix(prefix), redisstore.LockTTL(300*time.Millisecond))
	rig := &leaseRig{logs: &logRecorder{}, entered: make(chan string, 1), cause: make(chan error, 1)}
	m := session.NewManager(store, session.WithLogger(slog.New(rig.logs)), session.WithLockWait(time.Minute))
	mux := http.NewServeMux()
	mux.Handle("GET /init", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 1)
	})))
	wrap := m.Middleware
	if mode == "Explicit" {
		wrap = m.Explicit
	}
	mux.Handle("GET /slow", wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		if mode == "Middleware/relock" {
			if err := s.ReleaseLock(); err != nil {
				t.Error(err)
			}
		}
		// Takes the lock under Explicit and after ReleaseLock; under
		// Middleware, which holds it already, does nothing.
		if err := s.AcquireLock(r.Context()); err != nil {
			rig.entered <- ""
			rig.cause <- err
			return
		}
		rig.entered <- s.ID()
		select {
		case <-r.Context().Done():
			rig.cause <- context.Cause(r.Context())
		case <-time.After(patience): //sessionlock:ignore holding the lock is the point: it is the lock that gets lost
			rig.cause <- errors.New("the request's context was not cancelled")
		}
		s.Set("n", 2)
	})))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	rig.url = srv.URL
	return rig
}

// hold starts a session and a /slow request of it, and returns the
// session's ID once the handler holds the lock, and a channel that gets
// the request's status.
func (rig *leaseRig) hold(t *testing.T) (string, chan int) {
	resp, err := httpClient.Get(rig.url + "/init")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookie := resp.Cookies()[0]
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("GET", rig.url+"/slow", nil)
		req.AddCookie(cookie)
		resp, err := httpClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	return <-rig.entered, done
}

// lost checks that the handler's context was cancelled because the lock
// was lost, that the request's change was refused, and that the route was
// logged.
func (rig *leaseRig) lost(t *testing.T, done chan int) {
	t.Helper()
	if err := <-rig.cause; !errors.Is(err, session.ErrLockLost) {
		t.Fatalf("handler's context ended with %v, want cancellation caused by ErrLockLost", err)
	}
	if code := <-done; code != http.StatusInternalServerError {
		t.Fatalf("request that lost its lock = %d, want 500 (its change was refused)", code)
	}
	if line := rig.logs.find("lost the session's lock"); !strings.Contains(line, "route=GET /slow") {
		t.Fatalf("no log line naming the route of the lost lock; got %q", rig.logs.lines)
	}
}

// When a refresh finds the lock taken by another holder (its lease ran
// out during a pause or partition), the handler's request context is
// cancelled at once with ErrLockLost, the route is logged, nothing is
// saved, and the refresh leaves the other holder's lease alone.
//
// Time is the test's: the other holder's token is put on the lock by the
// test while the handler runs, so the first refresh, whenever it comes,
// must find it.
func TestLeaseLostCancelsHandler(t *testing.T) {
	for _, mode := range []string{"Middleware", "Explicit", "Middleware/relock"} {
		t.Run(mode, func(t *testing.T) { testLeaseLostCancelsHandler(t, mode) })
	}
}

func testLeaseLostCancelsHandler(t *testing.T, mode string) {
	c := newClient(t, sharedRedis(t))
	prefix := freshPrefix()
	rig := newLeaseRig(t, c, prefix, mode)
	id, done := rig.hold(t)
	lockKey := prefix + "{" + id + "}:lock"
	// Another holder has the lock now, with a lease of its own.
	if err := c.Set(ctxT(t), lockKey, "another-holder", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	rig.lost(t, done)
	if v := c.Get(ctxT(t), lockKey).Val(); v != "another-holder" {
		t.Fatalf("lock = %q, want the other holder's token", v)
	}
	if pttl := c.PTTL(ctxT(t), lockKey).Val(); pttl < time.Minute {
		t.Fatalf("the other holder's lease is %v now, want about 1h: a refresh without a token check changed it", pttl)
	}
}

// A holder cut off from Redis (a partition: the proxy holds all its
// traffic) cannot refresh; once a whole lease has passed without a
// refresh, its lock is lost and its handler's context cancelled, without
// waiting for Redis to answer.
func TestLeaseLostWhenRedisUnreachable(t *testing.T) {
	addr := sharedRedis(t)
	px := startProxy(t, addr)
	prefix := freshPrefix()
	rig := newLeaseRig(t, newClient(t, px.Addr), prefix, "Middleware")
	id, done := rig.hold(t)
	px.pause()
	if err := <-rig.cause; !errors.Is(err, session.ErrLockLost) {
		t.Fatalf("handler's context ended with %v, want cancellation caused by ErrLockLost", err)
	}
	rig.cause <- session.ErrLockLost // for rig.lost
	// The app gave up at the earliest moment the lease could have ended;
	// let it end in Redis too before the save gets through.
	direct := newClient(t, addr)
	expired := outOfPatience()
	for direct.Exists(ctxT(t), prefix+"{"+id+"}:lock").Val() == 1 {
		time.Sleep(time.Millisecond)
		if expired() {
			t.Fatal("the lost lock never expired in Redis")
		}
	}
	px.resume()
	rig.lost(t, done)
}
