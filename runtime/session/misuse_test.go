package session_test

import (
	"net/http"
	"testing"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// Every write (Set, Delete, Clear, Regenerate) panics wherever the session
// is not locked, and changes nothing.
func TestEveryWritePanicsWithoutLock(t *testing.T) {
	writes := map[string]func(*session.Session){
		"Set":        func(s *session.Session) { s.Set("n", 999) },
		"Delete":     func(s *session.Session) { s.Delete("n") },
		"Clear":      func(s *session.Session) { s.Clear() },
		"Regenerate": func(s *session.Session) { _ = s.Regenerate() },
	}
	for name, write := range writes {
		m := session.NewManager(nil)
		id := sessionCookie(t, do(m.Middleware(counterHandler), "", "/"))
		var kept *session.Session
		situations := []struct {
			what string
			h    http.Handler
		}{
			{"after ReleaseLock", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := session.FromContext(r.Context())
				_ = s.ReleaseLock()
				mustPanicWith(t, name+" after ReleaseLock", "AcquireLock", func() { write(s) })
			}))},
			{"after AcquireLock and ReleaseLock", m.Explicit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := session.FromContext(r.Context())
				if err := s.AcquireLock(r.Context()); err != nil {
					t.Error(err)
				}
				_ = s.ReleaseLock()
				mustPanicWith(t, name+" after AcquireLock and ReleaseLock", "AcquireLock", func() { write(s) })
			}))},
			{"in Explicit before AcquireLock", m.Explicit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := session.FromContext(r.Context())
				mustPanicWith(t, name+" in Explicit", "AcquireLock", func() { write(s) })
			}))},
			{"in ReadOnly", m.ReadOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := session.FromContext(r.Context())
				mustPanicWith(t, name+" in ReadOnly", "ReadOnly", func() { write(s) })
			}))},
			{"kept past the handler", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				kept = session.FromContext(r.Context())
			}))},
		}
		for _, sit := range situations {
			w := do(sit.h, id, "/")
			if c := sessionCookie(t, w); c != "" {
				t.Errorf("%s %s: the response set cookie %q", name, sit.what, c)
			}
		}
		mustPanicWith(t, name+" kept past the handler", "after the request ended", func() { write(kept) })
		if got := do(m.ReadOnly(readHandler), id, "/").Body.String(); got != "1" {
			t.Fatalf("after %s was misused the counter is %s, want 1: a write that panicked changed the session", name, got)
		}
	}
}

// mustPanicWith runs f and checks that it panics with a message containing
// want; what names the call for the failure message.
func mustPanicWith(t *testing.T, what, want string, f func()) {
	t.Helper()
	msg, panicked := func() (msg any, panicked bool) {
		defer func() { msg = recover() }()
		panicked = true
		f()
		return nil, false
	}()
	switch s, _ := msg.(string); {
	case !panicked || msg == nil:
		t.Errorf("%s did not panic", what)
	case !contains(s, want):
		t.Errorf("%s panicked with %q; want it to mention %q", what, s, want)
	}
}
