package session_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// cachingApp serves routes that mark their answers cacheable, as a handler
// written without sessions in mind would.
func cachingApp(m *session.Manager) http.Handler {
	public := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "public, max-age=300")
			w.Header().Set("Expires", "Thu, 01 Jan 2099 00:00:00 GMT")
			h(w, r)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/login", m.Middleware(public(counterHandler)))
	mux.Handle("/logout", m.Middleware(public(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Clear()
	})))
	mux.Handle("/read", m.ReadOnly(public(readHandler)))
	mux.Handle("/static", m.Middleware(public(func(w http.ResponseWriter, r *http.Request) {})))
	return mux
}

// A response that sets the session cookie must not be stored by a cache,
// which could serve the cookie to other users; responses that depend on the
// session vary on the cookie.
func TestCookieResponsesAreNotCacheable(t *testing.T) {
	for _, proto := range protocols {
		b := serve(t, proto, cachingApp(session.NewManager(nil)))
		for _, path := range []string{"/login", "/logout"} {
			if path == "/logout" {
				b.get("/login")
			}
			resp, _ := b.get(path)
			if len(resp.Cookies()) == 0 {
				t.Fatalf("%s %s set no cookie", proto, path)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" || resp.Header.Get("Expires") != "" {
				t.Fatalf("%s %s sets the session cookie with Cache-Control %q, Expires %q; want no-store and no Expires", proto, path, cc, resp.Header.Get("Expires"))
			}
		}
		b.get("/login")
		for _, path := range []string{"/read", "/login"} {
			resp, _ := b.get(path)
			if !hasToken(resp.Header.Values("Vary"), "Cookie") {
				t.Fatalf("%s %s read the session but its Vary is %q; want Cookie", proto, path, resp.Header.Values("Vary"))
			}
		}
		resp, _ := b.get("/read")
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=300" {
			t.Fatalf("%s /read set no cookie, yet its Cache-Control became %q", proto, cc)
		}
		resp, _ = b.get("/static")
		if hasToken(resp.Header.Values("Vary"), "Cookie") {
			t.Fatalf("%s /static never used the session, yet varies on Cookie", proto)
		}
	}
}

func hasToken(values []string, token string) bool {
	for _, v := range values {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), token) {
				return true
			}
		}
	}
	return false
}

// Secure follows the request (set over TLS) unless WithSecure forces it;
// WithPersistentCookie(false) makes a cookie the browser drops on exit.
func TestCookieSecureFollowsRequestAndPersistence(t *testing.T) {
	for _, tc := range []struct {
		proto      string
		opts       []session.Option
		secure     bool
		persistent bool
	}{
		{"HTTP/1.1", nil, false, true},
		{"HTTP/2", nil, true, true},
		{"HTTP/1.1", []session.Option{session.WithSecure(true)}, true, true},
		{"HTTP/2", []session.Option{session.WithSecure(false)}, false, true},
		{"HTTP/2", []session.Option{session.WithPersistentCookie(false)}, true, false},
	} {
		b := serve(t, tc.proto, session.NewManager(nil, tc.opts...).Middleware(counterHandler))
		resp, _ := b.get("/")
		var c *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == session.DefaultCookieName {
				c = ck
			}
		}
		if c == nil {
			t.Fatalf("%s: no session cookie", tc.proto)
		}
		if c.Secure != tc.secure {
			t.Errorf("%s with %d options: cookie Secure %v, want %v", tc.proto, len(tc.opts), c.Secure, tc.secure)
		}
		if persistent := c.MaxAge > 0 && c.RawExpires != ""; persistent != tc.persistent {
			t.Errorf("%s with %d options: cookie Max-Age %d, Expires %q; want persistent %v", tc.proto, len(tc.opts), c.MaxAge, c.RawExpires, tc.persistent)
		}
	}
}
