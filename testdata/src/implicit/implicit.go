// Package implicit checks handlers that obtain the session themselves and
// so run with the lock held from entry.
package implicit

import (
	"database/sql"
	"net"
	"net/http"
	"os/exec"
	"sync"
	"time"

	"sessionlib"
)

func sleeper(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	_ = s.Get("user")
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held: other requests of this session wait \(release it with s.ReleaseLock\(\) first\)`
}

func released(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.Set("seen", true)
	s.ReleaseLock()
	time.Sleep(time.Second) // after release: fine
	_ = s.Get("seen")       // reads after release are fine
	_ = s.ID()              // as are calls that do not write
}

func deferred(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	defer s.ReleaseLock()     // releases at return only
	http.Get("http://x")      // want `net/http.Get blocks while the session lock is held`
	<-time.After(time.Second) // want `<-time.After blocks while the session lock is held`
}

func writeAfter(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.ReleaseLock()
	s.Set("k", 1) // want `s.Set writes the session after its lock was released: the change is not saved \(write before releasing, or re-acquire the lock with AcquireLock first\)`
	s.Delete("k") // want `s.Delete writes the session after its lock was released`
}

func reacquire(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.ReleaseLock()
	time.Sleep(time.Second)
	if err := s.AcquireLock(r.Context()); err != nil {
		return
	}
	s.Set("k", 1) // re-acquired: fine
	s.Clear()
}

func branch(w http.ResponseWriter, r *http.Request, fast bool) {
	s := sessionlib.FromContext(r.Context())
	if fast {
		s.ReleaseLock()
	}
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	s.Set("k", 1)           // want `s.Set writes the session after its lock was released`
}

func earlyReturn(w http.ResponseWriter, r *http.Request, done bool) {
	s := sessionlib.FromContext(r.Context())
	if done {
		s.Set("done", true)
		return
	}
	s.ReleaseLock()
	time.Sleep(time.Second)
}

func loop(w http.ResponseWriter, r *http.Request, n int) {
	s := sessionlib.FromContext(r.Context())
	for i := 0; i < n; i++ {
		s.Set("i", i) // want `s.Set writes the session after its lock was released`
		s.ReleaseLock()
	}
}

func switchy(w http.ResponseWriter, r *http.Request, db *sql.DB) {
	s := sessionlib.FromContext(r.Context())
	switch r.Method {
	case "GET":
		s.ReleaseLock()
		db.Query("select 1")
	case "POST":
		db.Exec("insert") // want `\(\*database/sql.DB\).Exec blocks while the session lock is held`
	default:
		s.ReleaseLock()
	}
	s.Regenerate() // want `s.Regenerate writes the session after its lock was released`
}

func secondSource(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.ReleaseLock()
	again := sessionlib.FromContext(r.Context()) // the same session: still released
	again.Set("k", 1)                            // want `again.Set writes the session after its lock was released`
}

func manyBlocking(w http.ResponseWriter, r *http.Request, c *http.Client, wg *sync.WaitGroup, cmd *exec.Cmd, d *net.Dialer) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	c.Do(nil)           // want `\(\*net/http.Client\).Do blocks`
	wg.Wait()           // want `\(\*sync.WaitGroup\).Wait blocks`
	cmd.Run()           // want `\(\*os/exec.Cmd\).Run blocks`
	net.LookupHost("x") // want `net.LookupHost blocks`
	d.Dial("tcp", "x")  // want `\(\*net.Dialer\).Dial blocks`
	select {
	case <-time.After(time.Second): // want `<-time.After blocks`
	case <-r.Context().Done():
	}
}

func inGo(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	go time.Sleep(time.Second) // a goroutine does not block the handler
	go func() {
		time.Sleep(time.Second)
	}()
}

func literal() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := sessionlib.FromContext(r.Context())
		s.Set("k", 1)
		time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	}
}

func panics(w http.ResponseWriter, r *http.Request, bad bool) {
	s := sessionlib.FromContext(r.Context())
	s.ReleaseLock()
	if bad {
		panic("bad")
	}
	_ = s.Get("k")
}
