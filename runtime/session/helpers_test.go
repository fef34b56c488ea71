package session_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// do serves one request to h, carrying cookie (the session ID; "" for none).
func do(h http.Handler, cookie, path string) *httptest.ResponseRecorder {
	return doCtx(context.Background(), h, cookie, path)
}

func doCtx(ctx context.Context, h http.Handler, cookie, path string) *httptest.ResponseRecorder {
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, "http://example.test"+path, nil)
	if cookie != "" {
		r.Header.Set("Cookie", session.DefaultCookieName+"="+cookie)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// sessionCookie returns the session ID a response set, "" when none, and
// "-" when it expired the cookie.
func sessionCookie(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == session.DefaultCookieName {
			if c.MaxAge < 0 {
				return "-"
			}
			return c.Value
		}
	}
	return ""
}

// mustPanic runs f and returns the panic message, failing the test when f
// does not panic.
func mustPanic(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("expected a panic, got none")
		}
		msg, _ = r.(string)
	}()
	f()
	return ""
}

// sessionGoroutines returns the stacks of the goroutines running code of
// package session (a handler's middleware, a lock wait, a background
// refresh), the test's own excepted: its frames are package session_test's.
func sessionGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var found []string
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if strings.Contains(g, "sessionlock/runtime/session.") {
			found = append(found, g)
		}
	}
	return found
}

// noSessionGoroutines waits until no goroutine runs package session's code,
// failing the test with their stacks if some still do after a generous
// bound. Goroutines take a moment to exit after the events that end them;
// the wait ends as soon as the last one has.
func noSessionGoroutines(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := sessionGoroutines()
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines still run package session's code, e.g.\n%s", len(left), left[0])
		}
		time.Sleep(time.Millisecond)
	}
}

// counterApp serves counterHandler at /inc (Middleware) and readHandler
// at /explicit (Explicit) and /read (ReadOnly).
func counterApp(m *session.Manager) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/inc", m.Middleware(counterHandler))
	mux.Handle("/explicit", m.Explicit(readHandler))
	mux.Handle("/read", m.ReadOnly(readHandler))
	return mux
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

var discard = slog.New(slog.DiscardHandler)
