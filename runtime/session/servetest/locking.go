package servetest

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// testConcurrentIncrements: 200 requests of one session increment a counter
// at once. Each must see the one before it, which holds only if the lock
// covers the whole handler and the save happens before the unlock.
func testConcurrentIncrements(t *testing.T, newRouter RouterFunc) {
	const n = 200
	a := serve(t, newRouter, []Route{{Held, "/inc", inc}, {ReadOnly, "/n", show}}, session.WithLockWait(time.Minute))
	a.getOK("/inc") // the session and its cookie
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { <-a.async("/inc") })
	}
	wg.Wait()
	if got := a.getOK("/n"); got != strconv.Itoa(n+1) {
		t.Fatalf("after 1 + %d concurrent increments of one session the count is %s; want %d: increments were lost", n, got, n+1)
	}
}

// testEarlyRelease: a handler that calls ReleaseLock and then parks must not
// keep the user's next request waiting, and what it set before releasing
// is saved.
func testEarlyRelease(t *testing.T, newRouter RouterFunc) {
	g := newGate(t)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		s.Set("report", "started")
		if err := s.ReleaseLock(); err != nil {
			t.Error(err)
		}
		g.pass()
		w.Write([]byte("report done"))
	})
	report := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, _ := session.FromContext(r.Context()).Get("report").(string)
		w.Write([]byte(v))
	})
	a := serve(t, newRouter, []Route{{Held, "/inc", inc}, {Held, "/slow", slow}, {ReadOnly, "/report", report}})
	a.getOK("/inc")
	done := a.async("/slow")
	g.arrived(t)
	if got := a.getOK("/inc"); got != "2" {
		t.Fatalf("/inc while /slow ran after ReleaseLock = %q; want 2", got)
	}
	if got := a.getOK("/report"); got != "started" {
		t.Fatalf("the value set before ReleaseLock reads %q from another request; want it saved as \"started\"", got)
	}
	select {
	case <-done:
		t.Fatal("/slow finished before its gate opened; the test proved nothing")
	default:
	}
	g.release()
	if got := <-done; got != "report done" {
		t.Fatalf("/slow = %q", got)
	}
}

// testWriteAfterRelease: Set after ReleaseLock panics (the change would be
// lost), and the session keeps what was saved at the release.
func testWriteAfterRelease(t *testing.T, newRouter RouterFunc) {
	late := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		s.Set("n", 10)
		if err := s.ReleaseLock(); err != nil {
			t.Error(err)
		}
		trySet(w, s, "n", 11) //sessionlock:ignore the write after release is the point: it must panic
	})
	a := serve(t, newRouter, []Route{{Held, "/late", late}, {ReadOnly, "/n", show}})
	if got := a.getOK("/late"); got != "panicked" {
		t.Fatalf("Set after ReleaseLock: %s; want a panic", got)
	}
	if got := a.getOK("/n"); got != "10" {
		t.Fatalf("n = %s after the release; want the 10 saved by ReleaseLock", got)
	}
}

// testReadOnlyNeverLocks: a ReadOnly route answers while another request
// holds the session's lock, takes no lock, and panics on a write.
func testReadOnlyNeverLocks(t *testing.T, newRouter RouterFunc) {
	g := newGate(t)
	write := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		trySet(w, s, "n", 6)
	})
	a := serve(t, newRouter, []Route{{Held, "/inc", inc}, {Held, "/hold", holder(g)}, {ReadOnly, "/n", show}, {ReadOnly, "/write", write}})
	a.getOK("/inc")
	done := a.async("/hold")
	g.arrived(t)
	before := a.m.Stats().Acquisitions
	if got := a.getOK("/n"); got != "1" {
		t.Fatalf("ReadOnly while /hold holds the lock = %q; want the saved 1", got)
	}
	if got := a.getOK("/write"); got != "panicked" {
		t.Fatalf("Set in a ReadOnly handler: %s; want a panic", got)
	}
	if after := a.m.Stats().Acquisitions; after != before {
		t.Fatalf("ReadOnly requests took %d session locks; want none", after-before)
	}
	g.release()
	<-done
	if got := a.getOK("/n"); got != "5" {
		t.Fatalf("n = %s after /hold; want 5", got)
	}
}

// testExplicitLocksOnAcquire: an Explicit route reads without the lock,
// and its AcquireLock waits for the holder, then sees and extends its save.
func testExplicitLocksOnAcquire(t *testing.T, newRouter RouterFunc) {
	g := newGate(t)
	add := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		if err := s.AcquireLock(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		n, _ := s.Get("n").(int)
		s.Set("n", n+100)
		w.Write([]byte(strconv.Itoa(n + 100)))
	})
	a := serve(t, newRouter, []Route{{Held, "/inc", inc}, {Held, "/hold", holder(g)}, {Explicit, "/peek", show}, {Explicit, "/add", add}})
	a.getOK("/inc")
	held := a.async("/hold")
	g.arrived(t)
	if got := a.getOK("/peek"); got != "1" {
		t.Fatalf("Explicit read while /hold holds the lock = %q; want the saved 1", got)
	}
	added := a.async("/add")
	a.waitFor("/add waiting in AcquireLock for /hold", a.waiting)
	g.release()
	<-held
	if got := <-added; got != "105" {
		t.Fatalf("/add after /hold = %q; want 105: AcquireLock must reload the session", got)
	}
	if got := a.getOK("/peek"); got != "105" {
		t.Fatalf("n = %s after /add; want 105 saved", got)
	}
}

// testLockTimeout: a request that waits past WithLockWait is answered 503
// with Retry-After, and its handler never runs.
func testLockTimeout(t *testing.T, newRouter RouterFunc) {
	g := newGate(t)
	var ran atomic.Int32
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran.Add(1)
		inc(w, r)
	})
	a := serve(t, newRouter, []Route{{Held, "/inc", inc}, {Held, "/hold", holder(g)}, {Held, "/counted", counted}},
		session.WithLockWait(50*time.Millisecond))
	a.getOK("/inc")
	done := a.async("/hold")
	g.arrived(t)
	resp, body := a.get("/counted")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("a request timing out on the lock got %s, Retry-After %q: %q; want 503 with Retry-After",
			resp.Status, resp.Header.Get("Retry-After"), body)
	}
	if !strings.Contains(body, "holds its lock") {
		t.Fatalf("503 body %q does not say why", body)
	}
	if n := ran.Load(); n != 0 {
		t.Fatalf("the handler ran %d times for a request that timed out on the lock; want 0", n)
	}
	g.release()
	<-done
}

// holder sets the session's "n" to 5 and parks at g, holding the lock.
func holder(g *gate) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 5)
		g.pass() //sessionlock:ignore parking while holding the lock is the point
	})
}
