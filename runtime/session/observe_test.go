package session_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// seed is the scenario of examples/seed in-process: page1 holds the
// session's lock (parked until release), page2 of the same session waits.
type seed struct {
	t       *testing.T
	m       *session.Manager
	h       http.Handler
	id      string
	entered chan struct{}
	unblock chan struct{}
	page1   chan *httptest.ResponseRecorder
	page2   chan *httptest.ResponseRecorder
}

func newSeed(t *testing.T, m *session.Manager) *seed {
	sc := &seed{t: t, m: m, entered: make(chan struct{}), unblock: make(chan struct{}),
		page1: make(chan *httptest.ResponseRecorder, 1), page2: make(chan *httptest.ResponseRecorder, 1)}
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", counterHandler)
	mux.HandleFunc("GET /page1", func(w http.ResponseWriter, r *http.Request) {
		close(sc.entered)
		<-sc.unblock
		fmt.Fprint(w, "*Yawn*")
	})
	mux.HandleFunc("GET /page2", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "Hello World!") })
	sc.h = m.Middleware(mux)
	sc.id = sessionCookie(t, do(sc.h, "", "/"))
	if sc.id == "" {
		t.Fatal("GET / set no session cookie")
	}
	return sc
}

// holdAndWait starts page1, waits until it holds the lock, then starts
// page2 and waits until it waits.
func (sc *seed) holdAndWait() {
	go func() { sc.page1 <- do(sc.h, sc.id, "/page1") }()
	<-sc.entered
	go func() { sc.page2 <- do(sc.h, sc.id, "/page2?user=1") }()
	waitFor(sc.t, "page2 to wait for the lock", func() bool { return sc.m.Stats().Waiting == 1 })
}

// release lets page1 finish and returns both responses.
func (sc *seed) release() (page1, page2 *httptest.ResponseRecorder) {
	close(sc.unblock)
	return <-sc.page1, <-sc.page2
}

// waitFor polls cond until it holds: it waits for an event, not a time.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// logLines collects a JSON slog output, safe for concurrent writes.
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logLines) logger() *slog.Logger { return slog.New(slog.NewJSONHandler(l, nil)) }

func (l *logLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// find returns the first record whose message contains sub.
func (l *logLines) find(t *testing.T, sub string) map[string]any {
	t.Helper()
	for line := range strings.Lines(l.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if msg, _ := rec["msg"].(string); strings.Contains(msg, sub) {
			return rec
		}
	}
	t.Fatalf("no log line contains %q; log:\n%s", sub, l.String())
	return nil
}

func stores(t *testing.T) map[string]func() session.Store {
	return map[string]func() session.Store{
		"memory": func() session.Store { return session.NewMemoryStore() },
		"file": func() session.Store {
			fs, err := session.NewFileStore(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { fs.Close() })
			return fs
		},
	}
}

func TestSlowWaitNamesTheHolder(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			var log logLines
			m := session.NewManager(store(), session.WithSlowWait(time.Nanosecond), session.WithLogger(log.logger()))
			sc := newSeed(t, m)
			sc.holdAndWait()
			if _, p2 := sc.release(); p2.Code != http.StatusOK {
				t.Fatalf("page2: %d %s", p2.Code, p2.Body)
			}
			rec := log.find(t, "GET /page2 waited")
			msg := rec["msg"].(string)
			if !strings.Contains(msg, "for the session lock held by GET /page1 for ") {
				t.Errorf("message %q does not name the holder and its hold time", msg)
			}
			if rec["route"] != "GET /page2" || rec["holder_route"] != "GET /page1" || rec["level"] != "WARN" {
				t.Errorf("record %v: want route GET /page2, holder_route GET /page1, level WARN", rec)
			}
			if held, _ := rec["held"].(float64); held <= 0 {
				t.Errorf("held = %v, want the holder's hold time", rec["held"])
			}
			if h, _ := rec["session"].(string); len(h) != 10 || strings.Contains(sc.id, h) {
				t.Errorf("session = %q, want a 10-digit hash that is no part of the ID", h)
			}
			assertNoID(t, log.String(), sc.id)
		})
	}
}

func TestLockTimeoutNamesTheHolder(t *testing.T) {
	for name, store := range stores(t) {
		t.Run(name, func(t *testing.T) {
			var log logLines
			m := session.NewManager(store(), session.WithLockWait(20*time.Millisecond), session.WithLogger(log.logger()))
			sc := newSeed(t, m)
			go func() { sc.page1 <- do(sc.h, sc.id, "/page1") }()
			<-sc.entered
			// page1 holds until page2 has given up: the timeout is certain.
			p2 := do(sc.h, sc.id, "/page2")
			close(sc.unblock)
			<-sc.page1
			if p2.Code != http.StatusServiceUnavailable {
				t.Fatalf("page2: %d, want 503", p2.Code)
			}
			rec := log.find(t, "GET /page2 waited")
			msg := rec["msg"].(string)
			for _, want := range []string{"held by GET /page1 for ", "gave up", "WithLockWait"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			if rec["holder_route"] != "GET /page1" {
				t.Errorf("holder_route = %v, want GET /page1", rec["holder_route"])
			}
			if strings.Count(log.String(), "\n") != 1 {
				t.Errorf("want one log line for the timeout, got:\n%s", log.String())
			}
			assertNoID(t, log.String(), sc.id)
		})
	}
}

func TestFastWaitIsNotLogged(t *testing.T) {
	var log logLines
	m := session.NewManager(nil, session.WithSlowWait(time.Hour), session.WithLogger(log.logger()))
	sc := newSeed(t, m)
	sc.holdAndWait()
	sc.release()
	if s := log.String(); s != "" {
		t.Fatalf("a wait below the threshold was logged:\n%s", s)
	}
}

// assertNoID fails if text holds the session ID or any 8 characters of it.
func assertNoID(t *testing.T, text, id string) {
	t.Helper()
	for i := 0; i+8 <= len(id); i++ {
		if strings.Contains(text, id[i:i+8]) {
			t.Fatalf("output contains %q, part of the session ID %q:\n%s", id[i:i+8], id, text)
		}
	}
}

// recorder is an Observer that keeps what it is told.
type recorder struct {
	mu     sync.Mutex
	waits  []string // "route waited>0 timedOut"
	holds  []string // route
	events []string // "route event"
}

func (r *recorder) LockWait(route string, d time.Duration, timedOut bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits = append(r.waits, fmt.Sprintf("%q %v %v", route, d > 0, timedOut))
}

func (r *recorder) LockHold(route string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.holds = append(r.holds, fmt.Sprintf("%q %v", route, d > 0))
}

func (r *recorder) Event(route string, e session.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, fmt.Sprintf("%q %v", route, e))
}

func (r *recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("waits %q\nholds %q\nevents %q", r.waits, r.holds, r.events)
}

func TestObserverSeesRoutesNotPaths(t *testing.T) {
	var rec recorder
	m := session.NewManager(nil, session.WithObserver(&rec), session.WithLogger(discard))
	sc := newSeed(t, m)
	sc.holdAndWait()
	sc.release()
	do(sc.h, sc.id, "/no/such/page") // matches no pattern: route ""
	want := `waits ["\"GET /{$}\" false false" "\"GET /page1\" false false" "\"GET /page2\" true false" "\"\" false false"]
holds ["\"GET /{$}\" true" "\"GET /page1\" true" "\"GET /page2\" true" "\"\" true"]
events ["\"GET /{$}\" session_created"]`
	if got := rec.String(); got != want {
		t.Fatalf("observer saw\n%s\nwant\n%s", got, want)
	}
	st := m.Stats()
	if st.Created != 1 || st.Acquisitions != 4 {
		t.Fatalf("Stats = %+v, want 1 session created, 4 locks", st)
	}
	routes := m.RouteStats()
	var names []string
	for _, rs := range routes {
		names = append(names, rs.Route)
		if rs.Hold.Count != 1 || rs.Wait.Count != 1 {
			t.Errorf("route %q: %d holds, %d waits; want 1 each", rs.Route, rs.Hold.Count, rs.Wait.Count)
		}
	}
	if got := strings.Join(names, ","); got != ",GET /page1,GET /page2,GET /{$}" {
		t.Errorf("RouteStats routes = %q", got)
	}
}

func TestObserverCountsEvents(t *testing.T) {
	var rec recorder
	store := &faultyStore{MemoryStore: session.NewMemoryStore()}
	m := session.NewManager(store, session.WithObserver(&rec), session.WithLogger(discard), session.WithLockWait(10*time.Millisecond))
	mux := http.NewServeMux()
	mux.Handle("GET /count", counterHandler)
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		if err := session.FromContext(r.Context()).Regenerate(); err != nil {
			t.Error(err)
		}
	})
	h := m.Middleware(mux)
	id := sessionCookie(t, do(h, "", "/count"))
	do(h, id, "/login")
	store.loseLock.Store(true)
	do(h, id, "/count")
	store.loseLock.Store(false)
	store.down.Store(true)
	do(h, id, "/count")
	store.down.Store(false)
	got := rec.String()
	for _, want := range []string{
		`"\"GET /count\" session_created"`, `"\"GET /login\" session_regenerated"`,
		`"\"GET /count\" lock_lost"`, `"\"GET /count\" store_error"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("observer lacks event %s:\n%s", want, got)
		}
	}
	if strings.Count(got, "session_created") != 1 {
		t.Errorf("a regenerated session counted as created:\n%s", got)
	}
	st := m.Stats()
	if st.Created != 1 || st.Regenerated != 1 || st.LockLost != 1 || st.StoreErrors != 1 {
		t.Fatalf("Stats = %+v, want 1 created, regenerated, lost, store error", st)
	}
}

func TestObserverSeesTimeouts(t *testing.T) {
	var rec recorder
	m := session.NewManager(nil, session.WithObserver(&rec), session.WithLogger(discard), session.WithLockWait(10*time.Millisecond))
	sc := newSeed(t, m)
	go func() { sc.page1 <- do(sc.h, sc.id, "/page1") }()
	<-sc.entered
	do(sc.h, sc.id, "/page2")
	close(sc.unblock)
	<-sc.page1
	got := rec.String()
	if !strings.Contains(got, `"\"GET /page2\" true true"`) || !strings.Contains(got, `"\"GET /page2\" lock_timeout"`) {
		t.Fatalf("observer did not see page2 time out:\n%s", got)
	}
}

func TestDistributionQuantile(t *testing.T) {
	var d session.Distribution
	// 90 in the 1ms bucket, 10 in the 5s bucket, the slowest 3.2s.
	d.Buckets[3], d.Buckets[14] = 90, 10
	d.Count, d.Max, d.Sum = 100, 3200*time.Millisecond, 90*time.Millisecond+10*3*time.Second
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, time.Millisecond}, {0.9, time.Millisecond}, {0.95, 3200 * time.Millisecond}, {1, 3200 * time.Millisecond}} {
		if got := d.Quantile(c.q); got != c.want {
			t.Errorf("Quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	if got := (session.Distribution{}).Quantile(0.5); got != 0 {
		t.Errorf("empty Quantile = %v", got)
	}
	if got, want := d.Mean(), (90*time.Millisecond+30*time.Second)/100; got != want {
		t.Errorf("Mean = %v, want %v", got, want)
	}
}

func TestRouteStatsStayBounded(t *testing.T) {
	m := session.NewManager(nil, session.WithLogger(discard))
	h := m.Middleware(counterHandler)
	for i := range 300 {
		// A handler in front may set any pattern; the table must not grow
		// with them.
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Pattern = fmt.Sprintf("GET /r%d", i)
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	routes := m.RouteStats()
	if len(routes) != 257 {
		t.Fatalf("%d routes, want 256 and one for the rest", len(routes))
	}
	var other *session.RouteStats
	for i := range routes {
		if routes[i].Route == "(other routes)" {
			other = &routes[i]
		}
	}
	if other == nil || other.Hold.Count != 44 {
		t.Fatalf("the routes past the bound are not counted together: %+v", other)
	}
}
