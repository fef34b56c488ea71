package servetest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/internal/testserver"
)

// patience bounds every wait the suite expects to end, so a broken adapter
// fails the test instead of hanging it. It is not a speed requirement.
const patience = 10 * time.Second

// Mode is the Manager wrapper a route runs in.
type Mode int

const (
	Held     Mode = iota // Manager.Middleware: the lock is held for the whole handler
	ReadOnly             // Manager.ReadOnly: never locked, never saved
	Explicit             // Manager.Explicit: locked on AcquireLock only
)

func (md Mode) String() string {
	switch md {
	case Held:
		return "held"
	case ReadOnly:
		return "readonly"
	case Explicit:
		return "explicit"
	}
	return "Mode(?)"
}

// Wrapper returns m's wrapper for md (m.Middleware, m.ReadOnly or
// m.Explicit), for routers that take net/http middleware as it is.
func Wrapper(m *session.Manager, md Mode) func(http.Handler) http.Handler {
	switch md {
	case ReadOnly:
		return m.ReadOnly
	case Explicit:
		return m.Explicit
	}
	return m.Middleware
}

// A Route is one route of the router under test: GET requests for Path
// (a static path such as "/inc") are served by Handler inside m's wrapper
// for Mode. Handler is plain net/http: a framework passes it the writer and
// request its own handlers would use (for gin, gin.WrapH).
type Route struct {
	Mode    Mode
	Path    string
	Handler http.Handler
}

// A RouterFunc builds the router under test with the framework under test:
// one GET route per element of routes, wrapped by m as its Mode says. Any
// other path may answer 404.
type RouterFunc func(m *session.Manager, routes []Route) http.Handler

// Run runs the conformance suite as subtests of t. newRouter is called
// once per subtest, with a new Manager over a new MemoryStore.
func Run(t *testing.T, newRouter RouterFunc) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, newRouter RouterFunc)
	}{
		{"ConcurrentIncrements", testConcurrentIncrements},
		{"EarlyRelease", testEarlyRelease},
		{"WriteAfterReleasePanics", testWriteAfterRelease},
		{"ReadOnlyNeverLocks", testReadOnlyNeverLocks},
		{"ExplicitLocksOnAcquire", testExplicitLocksOnAcquire},
		{"CookieAndCacheHeaders", testCookieAndCacheHeaders},
		{"SavedBeforeFirstByte", testSavedBeforeFirstByte},
		{"HijackReleases", testHijackReleases},
		{"LockTimeout", testLockTimeout},
		{"HandlerPanics", testHandlerPanics},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newRouter) })
	}
}

// app is the router under test served on loopback, with a client that
// keeps cookies as one browser does.
type app struct {
	t   *testing.T
	m   *session.Manager
	srv *httptest.Server
	c   *http.Client
}

func serve(t *testing.T, newRouter RouterFunc, routes []Route, opts ...session.Option) *app {
	t.Helper()
	m := session.NewManager(nil, opts...)
	h := newRouter(m, routes)
	if h == nil {
		t.Fatal("the RouterFunc returned a nil handler")
	}
	srv, c := testserver.Start(t, "HTTP/1.1", h)
	return &app{t: t, m: m, srv: srv, c: c}
}

// get sends a GET for path with the client's cookies and returns the
// response (its body read and closed) and the body. A transport error fails
// the test.
func (a *app) get(path string) (*http.Response, string) {
	a.t.Helper()
	resp, err := a.c.Get(a.srv.URL + path)
	if err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		a.t.Fatalf("GET %s: reading the body: %v", path, err)
	}
	return resp, string(b)
}

// getOK is get that wants 200 and returns the body.
func (a *app) getOK(path string) string {
	a.t.Helper()
	resp, body := a.get(path)
	if resp.StatusCode != http.StatusOK {
		a.t.Fatalf("GET %s: %s %q; want 200", path, resp.Status, body)
	}
	return body
}

// async runs getOK's request in the background; the returned channel gets
// the body (or "" after reporting an error with t.Error).
func (a *app) async(path string) <-chan string {
	done := make(chan string, 1)
	go func() {
		resp, err := a.c.Get(a.srv.URL + path)
		if err != nil {
			a.t.Errorf("GET %s: %v", path, err)
			done <- ""
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			a.t.Errorf("GET %s: %s %q; want 200", path, resp.Status, b)
		}
		done <- string(b)
	}()
	return done
}

// waitFor fails the test unless cond holds within patience.
func (a *app) waitFor(what string, cond func() bool) {
	a.t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			a.t.Fatalf("%s did not happen within %v", what, patience)
		}
		time.Sleep(time.Millisecond)
	}
}

// waiting reports whether a request waits for a session lock now.
func (a *app) waiting() bool { return a.m.Stats().Waiting > 0 }

// gate parks the handlers that pass it until the test opens it.
type gate struct {
	entered chan struct{} // closed when the first handler has arrived
	open    chan struct{}
	arrive  sync.Once
	once    sync.Once
}

func newGate(t *testing.T) *gate {
	g := &gate{entered: make(chan struct{}), open: make(chan struct{})}
	t.Cleanup(g.release)
	return g
}

// pass notes the arrival and blocks until release, or for patience at most:
// a test that fails while a handler is parked closes its server (which
// waits for the handler) before the gate's cleanup runs.
func (g *gate) pass() {
	g.arrive.Do(func() { close(g.entered) })
	select {
	case <-g.open:
	case <-time.After(patience):
	}
}

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

// arrived fails the test unless a handler reached the gate within patience.
func (g *gate) arrived(t *testing.T) {
	t.Helper()
	select {
	case <-g.entered:
	case <-time.After(patience):
		t.Fatalf("no handler reached the gate within %v", patience)
	}
}

// The handlers the subtests mount.

// inc adds one to the session's "n" and answers the new value.
var inc = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	s := session.FromContext(r.Context())
	n, _ := s.Get("n").(int)
	s.Set("n", n+1)
	io.WriteString(w, strconv.Itoa(n+1))
})

// show answers the session's "n" (0 when unset) without writing.
var show = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	n, _ := session.FromContext(r.Context()).Get("n").(int)
	io.WriteString(w, strconv.Itoa(n))
})

// trySet sets key in s and answers whether that panicked.
func trySet(w http.ResponseWriter, s *session.Session, key string, v any) {
	panicked := true
	func() {
		defer func() { panicked = recover() != nil }()
		s.Set(key, v)
	}()
	if panicked {
		w.Write([]byte("panicked"))
	} else {
		w.Write([]byte("no panic"))
	}
}
