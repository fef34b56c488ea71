// Package split: wiring split across functions and packages. routes()
// returns a mux for the caller to wrap, addRoutes registers on a mux it is
// given, muxes are mounted under a prefix, and handlers of another package
// are judged at their registration by the mode they are served with.
package split

import (
	"net/http"
	"time"

	"sessionlib"
	"splitapi"
)

func home(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func added(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func mounted(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func explicitPage(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // explicit: the lock is not held
	s := sessionlib.FromContext(r.Context())
	s.Set("k", 1) // want `s.Set writes the session before its lock is taken \(explicit mode\)`
}

func addRoutes(mux *http.ServeMux) {
	mux.HandleFunc("/added", added)
}

func routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/", home)
	addRoutes(mux)
	api := http.NewServeMux()
	api.HandleFunc("/m", mounted)
	mux.Handle("/api/", http.StripPrefix("/api", api))
	mux.HandleFunc("/report", splitapi.Report)  // want `handler splitapi.Report blocks at splitapi/splitapi.go:16 while the session lock is held \(splitapi.Report → time.Sleep\)`
	mux.HandleFunc("/index", splitapi.Index(0)) // want `handler returned by splitapi.Index blocks at splitapi/splitapi.go:29 while the session lock is held \(splitapi.Index → Index.func1 → time.Sleep\)`
	splitapi.Register(mux)                      // want `a handler registered by splitapi.Register blocks at splitapi/splitapi.go:34 while the session lock is held \(splitapi.Register → slowAPI → net/http.Get\)`
	return mux
}

func Serve(m *sessionlib.Manager) http.Handler { // want Serve:`blocks\(routes → splitapi.Index → time.Sleep\)`
	top := http.NewServeMux()
	top.Handle("/", m.Middleware(routes()))
	top.Handle("/edit", m.ReadOnly(http.HandlerFunc(splitapi.Edit)))        // want `handler splitapi.Edit writes the session \(splitapi.Edit → s.Set\) in a read-only handler`
	top.Handle("/report-ro", m.ReadOnly(http.HandlerFunc(splitapi.Report))) // read-only: blocking is fine
	top.Handle("/explicit", m.Explicit(http.HandlerFunc(explicitPage)))
	top.Handle("/edit-explicit", m.Explicit(http.HandlerFunc(splitapi.Edit))) // want `handler splitapi.Edit writes the session \(splitapi.Edit → s.Set\) before its lock is taken`
	return top
}
