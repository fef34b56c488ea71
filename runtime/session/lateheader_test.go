package session_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// TestHeaderWrittenAfterHandlerReturns: a framework may answer through the
// handler's writer after the Manager's wrapper returned (echo's error
// handler does); the session's headers, added when the handler returned,
// must not be added a second time.
func TestHeaderWrittenAfterHandlerReturns(t *testing.T) {
	m := session.NewManager(nil)
	var inner http.ResponseWriter
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("k", 1)
		inner = w // answered later, as echo answers a returned error
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	http.Error(inner, "forbidden", http.StatusForbidden)
	if got := w.Header().Values("Set-Cookie"); w.Code != http.StatusForbidden || len(got) != 1 {
		t.Fatalf("late answer = %d with Set-Cookie %q; want 403 with one cookie", w.Code, got)
	}
	if got := w.Header().Values("Vary"); len(got) != 1 {
		t.Fatalf("Vary %q; want Cookie once", got)
	}
}
