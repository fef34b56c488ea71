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

// When a refresh finds the lock taken by another holder (its lease ran
// out during a pause or partition), the handler's request context is
// cancelled at once with ErrLockLost, the route is logged, nothing is
// saved, and the refresh leaves the other holder's lease alone.
//
// Time is the test's: the other holder's token is put on the lock by the
// test while the handler runs, so the first refresh, whenever it comes,
// must find it.
func TestLeaseLostCancelsHandler(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	c := newClient(t, addr)
	store := redisstore.New(c, redisstore.Prefix(prefix), redisstore.LockTTL(300*time.Millisecond))
	logs := &logRecorder{}
	m := session.NewManager(store, session.WithLogger(slog.New(logs)), session.WithLockWait(time.Minute))
	entered := make(chan string, 1)
	cause := make(chan error, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /init", func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 1)
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		entered <- s.ID()
		select {
		case <-r.Context().Done():
			cause <- context.Cause(r.Context())
		case <-time.After(patience):
			cause <- errors.New("the request's context was not cancelled")
		}
		s.Set("n", 2)
	})
	srv := httptest.NewServer(m.Middleware(mux))
	t.Cleanup(srv.Close)

	resp, err := httpClient.Get(srv.URL + "/init")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookie := resp.Cookies()[0]

	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("GET", srv.URL+"/slow", nil)
		req.AddCookie(cookie)
		resp, err := httpClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	id := <-entered
	lockKey := prefix + "{" + id + "}:lock"
	// Another holder has the lock now, with a lease of its own.
	if err := c.Set(ctxT(t), lockKey, "another-holder", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if err := <-cause; !errors.Is(err, session.ErrLockLost) {
		t.Fatalf("handler's context ended with %v, want cancellation caused by ErrLockLost", err)
	}
	if code := <-done; code != http.StatusInternalServerError {
		t.Fatalf("request that lost its lock = %d, want 500 (its change was refused)", code)
	}
	if line := logs.find("lost the session's lock"); !strings.Contains(line, "route=GET /slow") {
		t.Fatalf("no log line naming the route of the lost lock; got %q", logs.lines)
	}
	if v := c.Get(ctxT(t), lockKey).Val(); v != "another-holder" {
		t.Fatalf("lock = %q, want the other holder's token", v)
	}
	if pttl := c.PTTL(ctxT(t), lockKey).Val(); pttl < time.Minute {
		t.Fatalf("the other holder's lease is %v now, want about 1h: a refresh without a token check changed it", pttl)
	}
}
