package session_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// A cookie of the same name listed before the real one (a parent domain's,
// or one a tossing attacker set) must not shadow the user's session: the
// first cookie that names a live session wins.
func TestShadowingCookieDoesNotHideSession(t *testing.T) {
	m := session.NewManager(nil)
	mux := counterApp(m)
	for _, proto := range protocols {
		b := serve(t, proto, mux)
		b.get("/inc")
		b.get("/inc")
		id := b.cookie(session.DefaultCookieName)
		b.c.Jar = nil // from here on the test writes the Cookie header itself
		n := 2
		for _, shadow := range []string{"junk", `"quoted junk"`, session.NewID(), ""} {
			header := "session=" + shadow + "; other=1; session=" + id
			for _, path := range []string{"/read", "/explicit", "/inc"} {
				if path == "/inc" {
					n++
				}
				resp, got := b.get(path, "Cookie", header)
				if want := strconv.Itoa(n); got != want {
					t.Fatalf("%s %s with Cookie %q answered %q, want %q: the first cookie shadowed the live session", proto, path, header, got, want)
				}
				for _, c := range resp.Cookies() {
					if c.Name == session.DefaultCookieName {
						t.Fatalf("%s %s with Cookie %q set cookie %q: the session was replaced", proto, path, header, c)
					}
				}
			}
		}
	}
}

// When two cookies of the name both carry live sessions (one set for the
// app's path, one for a parent path or domain), the first listed wins: the
// browser lists the most specific cookie first (RFC 6265, 5.4). The other
// session is neither used nor changed.
func TestFirstOfTwoLiveSessionsWins(t *testing.T) {
	m := session.NewManager(nil)
	mux := counterApp(m)
	first := sessionCookie(t, do(mux, "", "/inc"))
	second := sessionCookie(t, do(mux, "", "/inc"))
	for range 4 {
		do(mux, second, "/inc")
	}
	header := "session=" + first + "; other=1; session=" + second
	n := 1
	for _, path := range []string{"/read", "/explicit", "/inc"} {
		if path == "/inc" {
			n++
		}
		r := httptest.NewRequest(http.MethodGet, "http://example.test"+path, nil)
		r.Header.Set("Cookie", header)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if got, want := w.Body.String(), strconv.Itoa(n); got != want {
			t.Fatalf("%s with Cookie %q answered %q, want %q (the first session's counter)", path, header, got, want)
		}
		if c := sessionCookie(t, w); c != "" {
			t.Fatalf("%s with Cookie %q set the session cookie to %q", path, header, c)
		}
	}
	if got := do(mux, second, "/read").Body.String(); got != "5" {
		t.Fatalf("the second session's counter is %s, want 5: a request of the first changed it", got)
	}
}
