package storetest

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/internal/testserver"
)

// testIssuedIDIsLocked serves a Manager over the store on real HTTP/1.1 and
// HTTP/2 servers. A visitor without a session logs in (Set, and Regenerate
// or not) and the response is flushed before the handler returns, so the
// new session's cookie reaches the browser while the login still runs. The
// browser's next request carries that cookie: it must wait for the login to
// finish and see it, which holds only if the ID was locked in the store
// before its cookie was sent.
func testIssuedIDIsLocked(t *testing.T, s session.Store) {
	for _, proto := range testserver.Protocols {
		for _, regenerate := range []bool{true, false} {
			m := session.NewManager(s, session.WithLockWait(patience))
			release := make(chan struct{})
			mux := http.NewServeMux()
			mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
				sess := session.FromContext(r.Context())
				sess.Set("user", "alice")
				if regenerate {
					if err := sess.Regenerate(); err != nil {
						t.Error(err)
					}
				}
				io.WriteString(w, "welcome")
				w.(http.Flusher).Flush()
				<-release
			})
			mux.HandleFunc("/whoami", func(w http.ResponseWriter, r *http.Request) {
				user, _ := session.FromContext(r.Context()).Get("user").(string)
				io.WriteString(w, user)
			})
			srv, c := testserver.Start(t, proto, m.Middleware(mux))
			login, err := c.Get(srv.URL + "/login")
			if err != nil {
				t.Fatal(err)
			}
			type answer struct {
				body   string
				cookie bool
				err    error
			}
			done := make(chan answer, 1)
			go func() {
				resp, err := c.Get(srv.URL + "/whoami")
				if err != nil {
					done <- answer{err: err}
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				done <- answer{string(body), len(resp.Cookies()) > 0, err}
			}()
			// /whoami either answers before the login ends (the race) or
			// waits for its session's lock.
			deadline := time.Now().Add(patience)
			for m.Stats().Waiting == 0 && len(done) == 0 {
				if time.Now().After(deadline) {
					t.Fatalf("%s: the next request neither answered nor waited for the session lock within %v", proto, patience)
				}
				time.Sleep(time.Millisecond)
			}
			close(release)
			io.Copy(io.Discard, login.Body)
			login.Body.Close()
			a := <-done
			if a.err != nil {
				t.Fatal(a.err)
			}
			if a.body != "alice" || a.cookie {
				t.Fatalf("%s, Regenerate %v: the request sent with the login's cookie while the login still ran saw user %q and got a new cookie %v; want it to wait for the login and see \"alice\": the issued ID was not locked",
					proto, regenerate, a.body, a.cookie)
			}
		}
	}
}
