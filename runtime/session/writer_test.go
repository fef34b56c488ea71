package session_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// interfaces names the optional interfaces w has.
func interfaces(w http.ResponseWriter) string {
	var has []string
	if _, ok := w.(http.Flusher); ok {
		has = append(has, "Flusher")
	}
	if _, ok := w.(http.Hijacker); ok {
		has = append(has, "Hijacker")
	}
	if _, ok := w.(io.ReaderFrom); ok {
		has = append(has, "ReaderFrom")
	}
	if _, ok := w.(http.Pusher); ok {
		has = append(has, "Pusher")
	}
	return strings.Join(has, ",")
}

// The handler's writer has exactly the optional interfaces of the server's.
func TestWriterKeepsInterfaces(t *testing.T) {
	for _, wrapName := range []string{"Middleware", "Explicit", "ReadOnly"} {
		m := session.NewManager(nil)
		wrap := map[string]func(http.Handler) http.Handler{"Middleware": m.Middleware, "Explicit": m.Explicit, "ReadOnly": m.ReadOnly}[wrapName]
		var outer, inner string
		h := wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inner = interfaces(w)
			session.FromContext(r.Context()).Get("n")
		}))
		probe := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			outer = interfaces(w)
			h.ServeHTTP(w, r)
		})
		for _, proto := range protocols {
			serve(t, proto, probe).get("/")
			if inner != outer {
				t.Errorf("%s over %s: the handler's writer has %q, the server's %q", wrapName, proto, inner, outer)
			}
		}
		// A writer without any of them (a minimal wrapper) must not seem
		// to have them either.
		probe.ServeHTTP(struct{ http.ResponseWriter }{httptest.NewRecorder()}, httptest.NewRequest("GET", "/", nil))
		if inner != "" {
			t.Errorf("%s over a plain ResponseWriter: the handler's writer has %q", wrapName, inner)
		}
	}
}

// A hijacked connection (a websocket) saves and releases the session at
// once: the user's other requests run meanwhile, and see what was set
// before the hijack; a later write panics saying to AcquireLock.
func TestHijackReleasesSession(t *testing.T) {
	m := session.NewManager(nil)
	release := make(chan struct{})
	panicked := make(chan any, 1)
	mux := http.NewServeMux()
	mux.Handle("/inc", m.Middleware(counterHandler))
	mux.Handle("/ws", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		s.Set("n", 100)
		conn := hijackAndAnswer(t, w)
		defer conn.Close()
		<-release // the connection lives on
		defer func() { panicked <- recover() }()
		s.Set("n", 0)
	})))
	b := serve(t, "HTTP/1.1", mux)
	b.get("/inc")
	b.get("/ws")
	done := make(chan string, 1)
	go func() { _, body := b.get("/inc"); done <- body }()
	deadline := time.Now().Add(time.Minute)
	for m.Stats().Waiting == 0 && len(done) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the request after the hijack neither ran nor waited")
		}
		time.Sleep(time.Millisecond)
	}
	if len(done) == 0 {
		close(release)
		t.Fatalf("a request of the session waited for the hijacked connection's handler (answered %s once it ended)", <-done)
	}
	close(release)
	if got := <-done; got != "101" {
		t.Fatalf("request after the hijack answered %s, want 101: the value set before the hijack was not saved", got)
	}
	msg, _ := (<-panicked).(string)
	if !strings.Contains(msg, "hijacked") || !strings.Contains(msg, "AcquireLock") {
		t.Fatalf("a write after the hijack panicked with %q; want it to name the hijack and AcquireLock", msg)
	}
}

// hijackAndAnswer hijacks w's connection, as a websocket upgrader does,
// and answers "ok" on it by hand. It runs on the server's goroutine.
func hijackAndAnswer(t *testing.T, w http.ResponseWriter) net.Conn {
	t.Helper()
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err == nil {
		fmt.Fprint(brw, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
		err = brw.Flush()
	}
	if err != nil {
		t.Error(err)
		panic(http.ErrAbortHandler) // t.Fatal may not run on the server's goroutine
	}
	return conn
}

// A new session's cookie cannot reach a hijacked connection's client, so
// its record must not be saved.
func TestHijackedNewSessionSavesNothing(t *testing.T) {
	store := session.NewMemoryStore()
	m := session.NewManager(store, session.WithLogger(discard))
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 1)
		conn := hijackAndAnswer(t, w)
		defer conn.Close()
	}))
	b := serve(t, "HTTP/1.1", h)
	resp, body := b.get("/")
	if body != "ok" || len(resp.Cookies()) != 0 {
		t.Fatalf("hijacked response %q with cookies %v", body, resp.Cookies())
	}
	if n := store.Len(); n != 0 {
		t.Fatalf("the hijacked new session left %d store entries; its cookie was never sent", n)
	}
}

// ReadFrom (io.Copy's fast path, sendfile) sends the header through the
// middleware, cookie included.
func TestReadFromSendsCookie(t *testing.T) {
	m := session.NewManager(nil)
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 1)
		if _, err := w.(io.ReaderFrom).ReadFrom(strings.NewReader("body")); err != nil {
			t.Error(err)
		}
	}))
	resp, body := serve(t, "HTTP/1.1", h).get("/")
	if body != "body" || len(resp.Cookies()) != 1 {
		t.Fatalf("ReadFrom answered %q with cookies %v; want the body and the session cookie", body, resp.Cookies())
	}
}
