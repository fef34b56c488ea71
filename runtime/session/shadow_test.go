package session_test

import (
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
