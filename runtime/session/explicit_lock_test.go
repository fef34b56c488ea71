package session_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// In non-strict mode a client-chosen ID with no record yet is adopted; two
// Explicit requests carrying it must still exclude each other between
// AcquireLock and the save, or one increment is lost.
func TestNonStrictFirstAcquireLocks(t *testing.T) {
	for _, proto := range protocols {
		m := session.NewManager(nil, session.WithStrict(false), session.WithLogger(discard))
		entered, release := make(chan struct{}, 2), make(chan struct{})
		h := m.Explicit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := session.FromContext(r.Context())
			if err := s.AcquireLock(r.Context()); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			entered <- struct{}{}
			if r.URL.Query().Has("hold") {
				<-release
			}
			n, _ := s.Get("n").(int)
			s.Set("n", n+1)
			fmt.Fprint(w, n+1)
		}))
		b := serve(t, proto, h)
		b.c.Jar = nil
		cookie := "session=" + session.NewID()
		first := make(chan string, 1)
		go func() { _, body := b.get("/?hold", "Cookie", cookie); first <- body }()
		<-entered
		second := make(chan string, 1)
		go func() { _, body := b.get("/", "Cookie", cookie); second <- body }()
		deadline := time.Now().Add(time.Minute)
		for m.Stats().Waiting == 0 && len(entered) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the second request neither ran nor waited for the lock", proto)
			}
			time.Sleep(time.Millisecond)
		}
		if len(entered) > 0 {
			close(release)
			t.Fatalf("%s: a second AcquireLock on the same new ID got the lock while the first held it (first answered %s, second %s)", proto, <-first, <-second)
		}
		close(release)
		if a, b := <-first, <-second; a != "1" || b != "2" {
			t.Fatalf("%s: two locked increments of a new session answered %s and %s, want 1 and 2", proto, a, b)
		}
	}
}
