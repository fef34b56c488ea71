// Package reports is a helper package: it never obtains the session, but
// its functions block, write, release or acquire, and importers learn that
// from facts.
package reports

import (
	"net/http"
	"time"

	"sessionlib"
)

func Build() string { // want Build:`blocks\(fetchRates → net/http.Get\)`
	return fetchRates()
}

func fetchRates() string {
	http.Get("http://rates")
	return ""
}

func Pure(s *sessionlib.Session) string { return s.ID() }

func Remember(s *sessionlib.Session, v string) { // want Remember:`writes\(s.Set\)`
	s.Set("v", v)
}

func Finish(s *sessionlib.Session) { // want Finish:`releases always`
	s.ReleaseLock()
}

func MaybeFinish(s *sessionlib.Session, ok bool) { // want MaybeFinish:`releases$`
	if ok {
		s.ReleaseLock()
	}
}

func Reopen(s *sessionlib.Session) { // want Reopen:`acquires always acquire-first`
	s.AcquireLock(nil)
}

// FinishThenWrite releases and then writes: reported here, in the helper.
func FinishThenWrite(s *sessionlib.Session) { // want FinishThenWrite:`releases always`
	s.ReleaseLock()
	s.Set("late", 1)        // want `s.Set writes the session after its lock was released`
	time.Sleep(time.Second) // the helper released: fine
}

// Page is a handler that never touches the session: whoever serves it
// behind a held wrapper is told at the registration.
func Page(w http.ResponseWriter, r *http.Request) { // want Page:`blocks\(time.Sleep\)`
	time.Sleep(20 * time.Second)
	w.Write([]byte("*Yawn*"))
}

// Own obtains the session itself and takes a handler's parameters, but
// nothing here serves it: it is judged here, as served behind the default
// (held) middleware, and its registration elsewhere says nothing more.
func Own(w http.ResponseWriter, r *http.Request) { // want Own:`blocks\(time.Sleep\) handler obtains`
	s := sessionlib.FromContext(r.Context())
	_ = s
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

// Save writes: a read-only registration elsewhere is told.
func Save(w http.ResponseWriter, r *http.Request) { // want Save:`writes\(Remember → s.Set\)`
	Remember(sessionFrom(r), "x")
}

func sessionFrom(r *http.Request) *sessionlib.Session { return nil }

// Recursive functions reach a fixed point.
func Ping(n int) { // want Ping:`blocks\(Pong → time.Sleep\)`
	if n > 0 {
		Pong(n - 1)
	}
}

func Pong(n int) { // want Pong:`blocks\(time.Sleep\)`
	Ping(n)
	time.Sleep(time.Millisecond)
}

// Slow is a struct handler that blocks.
type Slow struct{}

func (Slow) ServeHTTP(w http.ResponseWriter, r *http.Request) { // want ServeHTTP:`blocks\(time.Sleep\)`
	time.Sleep(time.Second)
}

// Twice never touches the session: each of its blocking calls is reported
// where a package serves it, naming where the call is.
func Twice(w http.ResponseWriter, r *http.Request) { // want Twice:`blocks\(time.Sleep\) sites\(2\)`
	time.Sleep(time.Second)
	http.Get("http://127.0.0.1/report")
}
