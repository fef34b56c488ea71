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

// settleGoroutines waits until the goroutine count drops to at most want,
// returning the last count seen. Goroutines take a moment to exit after the
// events that end them, so the test polls instead of sampling once.
func settleGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 200 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

var discard = slog.New(slog.DiscardHandler)
