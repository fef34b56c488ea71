// Package negative holds code the analyzer must stay silent on. // want package:`pending\(dynamic → sleeper.Sleep\)`
package negative

import (
	"context"
	"net/http"
	"time"

	"lookalike"
	"sessionlib"
)

// Look-alike library without directives: nothing is known about it.
func lookalikeHandler(w http.ResponseWriter, r *http.Request) {
	s := lookalike.FromContext(r.Context())
	time.Sleep(time.Second)
	s.ReleaseLock()
	s.Set("k", 1)
}

func lookalikeServe(m *lookalike.Manager) http.Handler {
	return m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Second)
	}))
}

// Look-alike method names on an unrelated type.
type cache struct{}

func (cache) Set(k string, v any)               {}
func (cache) ReleaseLock() error                { return nil }
func (cache) AcquireLock(context.Context) error { return nil }

func methodsByName(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.ReleaseLock()
	var c cache
	c.Set("k", 1)
	c.AcquireLock(r.Context())
	time.Sleep(time.Second)
}

// Code with no session at all.
func noSession(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second)
	http.Get("http://x")
}

// A helper that receives the session but neither obtains it nor releases
// it reports nothing: its callers are judged.
func helper(s *sessionlib.Session) {
	time.Sleep(time.Second)
	s.Set("k", 1)
}

// Reads and other calls after release, blocking after release.
func afterRelease(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.ReleaseLock()
	_ = s.Get("k")
	_ = s.ID()
	s.ReleaseLock() // releasing twice is harmless
	time.Sleep(time.Second)
	helperRead(s)
}

func helperRead(s *sessionlib.Session) string { return s.ID() }

// time.After not received from.
func timerNotReceived(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context())
	t := time.After(time.Second)
	_ = t
	_ = time.Now()
}

// Interface calls and function values are not followed.
type sleeper interface{ Sleep() }

func dynamic(w http.ResponseWriter, r *http.Request, sl sleeper, f func()) {
	_ = sessionlib.FromContext(r.Context())
	sl.Sleep()
	f()
}

// A read-only handler that blocks.
func roBlock(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	_ = s.Get("k")
	time.Sleep(time.Second)
}

func routes(m *sessionlib.Manager) http.Handler {
	return m.ReadOnly(http.HandlerFunc(roBlock))
}
