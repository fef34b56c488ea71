//go:build unix

package session_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// badCookies are session cookie values a client may send that the server
// never issued.
var badCookies = []string{
	"",
	strings.Repeat("A", 1<<16),
	"!!!not-base64!!!",
	"../../../../etc/passwd",
	"../" + session.NewID(),
	strings.Repeat(".", session.IDLength),
	"..%2F..%2Fetc%2Fpasswd",
	"abc\x00def" + strings.Repeat("A", session.IDLength-7),
	strings.Repeat("A", session.IDLength-1) + "=",
	session.NewID() + "A",
	session.NewID(), // well-formed but unknown
}

// checkFresh sends cookie to h and fails unless the request got a fresh
// session: status 200, counter 1, a new valid ID.
func checkFresh(t *testing.T, h http.Handler, cookie string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header["Cookie"] = []string{session.DefaultCookieName + "=" + cookie}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK || w.Body.String() != "1" {
		t.Fatalf("cookie %.40q: status %d body %q, want a fresh session", cookie, w.Code, w.Body)
	}
	got := sessionCookie(t, w)
	if !session.ValidID(got) || got == cookie {
		t.Fatalf("cookie %.40q: answered cookie %q, want a fresh valid ID", cookie, got)
	}
}

func TestBadCookiesGetFreshSessions(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	managers := map[string]*session.Manager{
		"memory": session.NewManager(nil),
		"file":   session.NewManager(newFileStore(t, dir)),
	}
	for name, m := range managers {
		t.Run(name, func(t *testing.T) {
			h := m.Middleware(counterHandler)
			for _, c := range badCookies {
				checkFresh(t, h, c)
			}
			// Expired by the absolute timeout and by the idle timeout.
			for _, opt := range []session.Option{session.WithAbsoluteTimeout(time.Millisecond), session.WithIdleTimeout(time.Millisecond)} {
				short := session.NewManager(m.Store(), opt)
				id := sessionCookie(t, do(short.Middleware(counterHandler), "", "/"))
				time.Sleep(5 * time.Millisecond) // longer than the 1ms timeout
				checkFresh(t, short.Middleware(counterHandler), id)
			}
		})
	}
	assertOnlyInside(t, root, dir)
}

func FuzzCookie(f *testing.F) {
	for _, c := range badCookies {
		f.Add(c)
	}
	f.Add(`"` + session.NewID() + `"`)
	f.Add("x; session=" + session.NewID())
	root := f.TempDir()
	dir := filepath.Join(root, "store")
	fs, err := session.NewFileStore(dir)
	if err != nil {
		f.Fatal(err)
	}
	defer fs.Close()
	handlers := []http.Handler{
		session.NewManager(nil).Middleware(counterHandler),
		session.NewManager(fs).Middleware(counterHandler),
	}
	f.Fuzz(func(t *testing.T, cookie string) {
		for _, h := range handlers {
			checkFresh(t, h, cookie)
		}
		// Walking the growing store on every input would make fuzzing
		// quadratic; a path escaping dir would show up in root (or its
		// parent, the fuzz temp dir), which holds only dir.
		for _, d := range []string{root, filepath.Dir(root)} {
			if entries, _ := os.ReadDir(d); len(entries) != 1 {
				t.Fatalf("cookie %.40q: %s holds %d entries, want only the store", cookie, d, len(entries))
			}
		}
	})
}
