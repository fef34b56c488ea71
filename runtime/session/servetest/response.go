package servetest

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// testCookieAndCacheHeaders: the response that starts a session carries
// the cookie, no-store and Vary: Cookie, with the handler's own status; a
// read-only use varies on the cookie without setting it; a route that never
// touches the session gets none of these.
func testCookieAndCacheHeaders(t *testing.T, newRouter RouterFunc) {
	created := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 1)
		w.Header().Set("Cache-Control", "public, max-age=60") // must not let a cache keep the cookie
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte("created"))
	})
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("plain")) })
	a := serve(t, newRouter, []Route{{Held, "/create", created}, {ReadOnly, "/n", show}, {Held, "/plain", plain}})

	resp, body := a.get("/create")
	if resp.StatusCode != http.StatusCreated || body != "created" {
		t.Fatalf("/create = %s %q; want the handler's 201 \"created\"", resp.Status, body)
	}
	var ck *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == session.DefaultCookieName {
			ck = c
		}
	}
	switch {
	case ck == nil:
		t.Fatalf("the response that started a session has no %q cookie (Set-Cookie %q)", session.DefaultCookieName, resp.Header.Values("Set-Cookie"))
	case !session.ValidID(ck.Value) || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/":
		t.Fatalf("session cookie %q; want a valid ID, HttpOnly, SameSite=Lax, Path=/", resp.Header.Get("Set-Cookie"))
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("Cache-Control %q on a response setting the session cookie; want no-store", cc)
	}
	if !varies(resp) {
		t.Fatalf("Vary %q on a response of a handler that used the session; want Cookie", resp.Header.Values("Vary"))
	}

	resp, body = a.get("/n")
	if body != "1" || len(resp.Cookies()) != 0 || !varies(resp) || resp.Header.Get("Cache-Control") == "no-store" {
		t.Fatalf("ReadOnly /n = %q, Set-Cookie %q, Vary %q, Cache-Control %q; want 1, no cookie, Vary: Cookie, cacheable",
			body, resp.Header.Values("Set-Cookie"), resp.Header.Values("Vary"), resp.Header.Get("Cache-Control"))
	}
	resp, body = a.get("/plain")
	if body != "plain" || len(resp.Cookies()) != 0 || varies(resp) {
		t.Fatalf("/plain, which never uses the session = %q, Set-Cookie %q, Vary %q; want no cookie and no Vary",
			body, resp.Header.Values("Set-Cookie"), resp.Header.Values("Vary"))
	}
}

func varies(resp *http.Response) bool {
	for _, v := range resp.Header.Values("Vary") {
		if strings.Contains(v, "Cookie") {
			return true
		}
	}
	return false
}

// testSavedBeforeFirstByte: a login sets the session, flushes its body and
// goes on running. The browser has the cookie already; its next request
// must wait for the login to finish and then see it, which holds only if
// the session was handled (its ID locked, its cookie set) before the first
// byte of the body left.
func testSavedBeforeFirstByte(t *testing.T, newRouter RouterFunc) {
	g := newGate(t)
	login := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("user", "alice")
		w.Write([]byte("welcome"))
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
		g.pass() //sessionlock:ignore parking while holding the lock is the point
	})
	whoami := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _ := session.FromContext(r.Context()).Get("user").(string)
		w.Write([]byte(user))
	})
	a := serve(t, newRouter, []Route{{Held, "/login", login}, {Held, "/whoami", whoami}})
	resp, err := a.c.Get(a.srv.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if len(resp.Cookies()) == 0 {
		t.Fatalf("the login's header, flushed with the body, carries no cookie (Set-Cookie %q)", resp.Header.Values("Set-Cookie"))
	}
	done := a.async("/whoami")
	a.waitFor("/whoami waiting for the login's lock", func() bool { return a.waiting() || len(done) > 0 })
	select {
	case got := <-done:
		t.Fatalf("/whoami answered %q while the login still ran; want it to wait for the login's lock", got)
	default:
	}
	g.release()
	io.Copy(io.Discard, resp.Body)
	if got := <-done; got != "alice" {
		t.Fatalf("/whoami after the login = %q; want alice", got)
	}
}

// testHijackReleases: a handler that hijacks the connection (a websocket
// upgrade) and keeps it must not keep the session locked.
func testHijackReleases(t *testing.T, newRouter RouterFunc) {
	g := newGate(t)
	upgrade := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("ws", "open")
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Errorf("the handler's writer %T is no http.Hijacker", w)
			return
		}
		conn, rw, err := hj.Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
		rw.Flush()
		g.pass() //sessionlock:ignore Hijack released the lock; the connection lives on
	})
	ws := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := session.FromContext(r.Context()).Get("ws").(string)
		w.Write([]byte(v))
	})
	a := serve(t, newRouter, []Route{{Held, "/inc", inc}, {Held, "/upgrade", upgrade}, {Held, "/ws", ws}},
		session.WithLockWait(time.Second)) // a lock the hijack kept would time out
	a.getOK("/inc")
	if got := a.getOK("/upgrade"); got != "ok" {
		t.Fatalf("/upgrade = %q", got)
	}
	g.arrived(t)
	if got := a.getOK("/ws"); got != "open" {
		t.Fatalf("/ws while the hijacked connection lives = %q; want the saved \"open\"", got)
	}
}

// testHandlerPanics: a handler that panics after a write saves nothing,
// and the session's lock is free for the next request.
func testHandlerPanics(t *testing.T, newRouter RouterFunc) {
	boom := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 99)
		panic(http.ErrAbortHandler) // net/http closes the connection without logging a stack
	})
	a := serve(t, newRouter, []Route{{Held, "/inc", inc}, {Held, "/boom", boom}},
		session.WithLockWait(time.Second)) // a lock the panic kept would time out
	a.getOK("/inc")
	resp, err := a.c.Get(a.srv.URL + "/boom")
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode < 500 {
			t.Fatalf("/boom, which panicked, answered %s %q; want an error", resp.Status, b)
		}
	}
	if got := a.getOK("/inc"); got != "2" {
		t.Fatalf("/inc after a handler panicked = %q; want 2: the panicking request must save nothing", got)
	}
}
