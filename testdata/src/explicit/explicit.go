// Package explicit checks handlers that run unlocked until they acquire:
// registered through Explicit, or acquiring before any release.
package explicit

import (
	"net/http"
	"time"

	"reports"
	"sessionlib"
)

func acquiresFirst(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	time.Sleep(time.Second) // unlocked yet: fine
	if err := s.AcquireLock(r.Context()); err != nil {
		return
	}
	s.Set("k", 1)
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held: other requests of this session wait \(release it with s.ReleaseLock\(\) first\)`
	s.ReleaseLock()
}

func writesEarly(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.Set("early", 1)        // want `s.Set writes the session before its lock is taken \(explicit mode\): the change is not saved \(call AcquireLock first\)`
	reports.Remember(s, "x") // want `reports.Remember writes the session \(reports.Remember → s.Set\) before its lock is taken`
	s.AcquireLock(r.Context())
	s.Set("late", 1)
}

func registered(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	time.Sleep(time.Second) // explicit: not locked yet
	s.Delete("k")           // want `s.Delete writes the session before its lock is taken`
}

func routes(m *sessionlib.Manager) http.Handler {
	return m.Explicit(http.HandlerFunc(registered))
}
