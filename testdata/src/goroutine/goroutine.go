// Package goroutine checks session writes in goroutines a handler starts.
package goroutine

import (
	"net/http"
	"time"

	"reports"
	"sessionlib"
)

func background(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	go func() {
		time.Sleep(time.Second) // does not block the handler
		s.Set("done", true)     // want `s.Set writes the session in a goroutine started by the handler: it runs after the session lock is gone and the change is lost \(write before starting the goroutine\)`
	}()
	go reports.Remember(s, "x") // want `reports.Remember writes the session \(reports.Remember → s.Set\) in a goroutine started by the handler`
	go save(s)                  // want `save writes the session \(save → s.Set\) in a goroutine`
	go reports.Pure(s)          // no write
}

func save(s *sessionlib.Session) { s.Set("k", 1) }

func notHandler(s *sessionlib.Session) {
	go s.Set("k", 1) // not a handler: its caller's lock state is unknown
}

func ownSessionInGoroutine(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	go func() {
		s := sessionlib.FromContext(ctx)
		time.Sleep(time.Second) // runs beside the handler: not under its lock
		_ = s.Get("k")
	}()
	defer func() {
		s := sessionlib.FromContext(ctx)
		_ = s.Get("k")
	}()
}
