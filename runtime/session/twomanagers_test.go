package session_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// An admin area with its own Manager (own cookie, own store) inside the
// site's: each Manager's handlers reach their own session, and both are
// saved.
func TestNestedManagersKeepTheirOwnSessions(t *testing.T) {
	site := session.NewManager(nil)
	admin := session.NewManager(nil, session.WithCookieName("admin"))
	h := site.Middleware(admin.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, a := site.FromContext(r.Context()), admin.FromContext(r.Context())
		if s == a {
			t.Error("both Managers returned the same session")
		}
		if session.FromContext(r.Context()) != a {
			t.Error("session.FromContext did not return the innermost Manager's session")
		}
		visits, _ := s.Get("visits").(int)
		s.Set("visits", visits+1)
		actions, _ := a.Get("actions").(int)
		a.Set("actions", actions+10)
		fmt.Fprintf(w, "%d %d", visits+1, actions+10)
	})))
	for _, proto := range protocols {
		b := serve(t, proto, h)
		b.get("/")
		if _, got := b.get("/"); got != "2 20" {
			t.Fatalf("%s: second request answered %q, want \"2 20\": a Manager lost its session", proto, got)
		}
		if b.cookie(session.DefaultCookieName) == "" || b.cookie("admin") == "" {
			t.Fatalf("%s: cookies site %q, admin %q: want both", proto, b.cookie(session.DefaultCookieName), b.cookie("admin"))
		}
	}
}

func TestManagerFromContextWithoutItsMiddlewarePanicsWithHowTo(t *testing.T) {
	site, other := session.NewManager(nil), session.NewManager(nil)
	var msg string
	h := other.ReadOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg = mustPanic(t, func() { site.FromContext(r.Context()) })
	}))
	do(h, "", "/")
	if !contains(msg, "m.Middleware(mux)") || !contains(msg, "NewManager") {
		t.Fatalf("panic %q does not say how to install the middleware", msg)
	}
}
