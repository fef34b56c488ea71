// Package ctxdone checks receives from the request context's Done
// channel: they wait for the client to leave.
package ctxdone

import (
	"context"
	"net/http"
	"time"

	"sessionlib"
)

func events(w http.ResponseWriter, r *http.Request, updates chan string) {
	_ = sessionlib.FromContext(r.Context())
	for {
		select {
		case <-r.Context().Done(): // want `<-r.Context\(\).Done\(\) blocks while the session lock is held`
			return
		case u := <-updates:
			w.Write([]byte(u))
		}
	}
}

func wait(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context())
	ctx := r.Context()
	<-ctx.Done() // want `<-ctx.Done\(\) blocks while the session lock is held`
}

func poll(w http.ResponseWriter, r *http.Request, updates chan string) {
	_ = sessionlib.FromContext(r.Context())
	select {
	case <-r.Context().Done():
	case <-updates:
	case <-time.After(30 * time.Second): // want `<-time.After blocks while the session lock is held`
	}
}

func nonBlocking(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context())
	select {
	case <-r.Context().Done():
		return
	default:
	}
	go func() { <-r.Context().Done() }()
}

func released(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.ReleaseLock()
	<-r.Context().Done()
}

// WaitFor is a helper: its callers inherit the wait.
func WaitFor(ctx context.Context) { <-ctx.Done() } // want WaitFor:`blocks\(<-ctx.Done\(\)\)`

func stream(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context())
	WaitFor(r.Context()) // want `WaitFor blocks while the session lock is held \(WaitFor → <-ctx.Done\(\)\)`
}
