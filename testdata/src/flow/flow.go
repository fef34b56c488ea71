// Package flow checks the lock-state analysis on more control-flow shapes.
package flow

import (
	"context"
	"net/http"
	"time"

	"sessionlib"
)

func typeSwitch(w http.ResponseWriter, r *http.Request, v any) {
	s := sessionlib.FromContext(r.Context())
	switch v.(type) {
	case int:
		s.ReleaseLock()
	case string:
		return
	}
	s.Set("k", v) // want `s.Set writes the session after its lock was released`
}

func labeled(w http.ResponseWriter, r *http.Request, items []string) {
	s := sessionlib.FromContext(r.Context())
outer:
	for _, it := range items {
		for range 3 {
			if it == "" {
				continue outer
			}
			if it == "stop" {
				s.ReleaseLock()
				break outer
			}
		}
	}
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	s.Delete("x")           // want `s.Delete writes the session after its lock was released`
}

func selectRelease(w http.ResponseWriter, r *http.Request, ch chan int) {
	s := sessionlib.FromContext(r.Context())
	select {
	case <-ch:
		s.ReleaseLock()
	case <-r.Context().Done():
		return
	}
	time.Sleep(time.Second) // released on the only path that gets here
}

func releaseInLoopThenAcquire(w http.ResponseWriter, r *http.Request, n int) {
	s := sessionlib.FromContext(r.Context())
	for i := 0; i < n; i++ {
		s.ReleaseLock()
		time.Sleep(time.Second) // released here on every iteration
		s.AcquireLock(r.Context())
		s.Set("i", i) // re-acquired: fine
	}
}

func gotoShape(w http.ResponseWriter, r *http.Request, retry bool) {
	s := sessionlib.FromContext(r.Context())
again:
	if retry {
		retry = false
		goto again
	}
	s.ReleaseLock()
	time.Sleep(time.Second)
}

func closureReturned(ctx context.Context) func() {
	return func() {
		s := sessionlib.FromContext(ctx)
		time.Sleep(time.Second) // not a handler: nothing serves it and it takes no request
		s.ReleaseLock()
	}
}

func helperReleases(s *sessionlib.Session) { s.ReleaseLock() }

func localHelper(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	helperReleases(s)
	time.Sleep(time.Second) // released by the helper
	s.Set("k", 1)           // want `s.Set writes the session after its lock was released`
}

func conditionalHelper(s *sessionlib.Session, ok bool) {
	if ok {
		s.ReleaseLock()
	}
	s.Set("k", 1) // want `s.Set writes the session after its lock was released`
}

func polled(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context())
	select {
	case <-time.After(time.Second): // a select with default does not wait
	default:
	}
}
