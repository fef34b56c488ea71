// Package handlers is the end-to-end fixture: each handler is served by
// session.Manager.Middleware, so the session lock is held from its entry.
// Lines marked "finding:" must be reported; the others must not.
package handlers

import (
	"fmt"
	"net/http"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"

	"example.com/app/rates"
)

// Routes registers the handlers on a mux wrapped by the session middleware.
func Routes(m *session.Manager) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/page1", page1)
	mux.HandleFunc("/page1-fixed", page1Fixed)
	mux.HandleFunc("/report", report)
	mux.HandleFunc("/save", save)
	mux.HandleFunc("/quiet", quiet)
	mux.HandleFunc("/convert", convert)
	mux.HandleFunc("/dashboard", dashboard)
	return m.Middleware(mux)
}

// page1 is the seed article's page1: it never touches the session, yet the
// middleware holds the lock while it sleeps.
func page1(w http.ResponseWriter, r *http.Request) {
	time.Sleep(20 * time.Second) // finding: long-call-under-lock
	fmt.Fprintln(w, "page1 done")
}

// page1Fixed releases the lock before sleeping.
func page1Fixed(w http.ResponseWriter, r *http.Request) {
	s := session.FromContext(r.Context())
	if err := s.ReleaseLock(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	time.Sleep(20 * time.Second)
	fmt.Fprintln(w, "page1 done")
}

// report reads the session, then calls a helper of another package that
// blocks: the fix is to release the lock first.
func report(w http.ResponseWriter, r *http.Request) {
	s := session.FromContext(r.Context())
	user, _ := s.Get("user").(string)
	body, err := rates.Fetch("http://127.0.0.1:1/rates") // finding: long-call-under-lock
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	fmt.Fprintln(w, user, body)
}

// save writes after it released the lock: the write panics at run time.
func save(w http.ResponseWriter, r *http.Request) {
	s := session.FromContext(r.Context())
	s.Set("seen", true)
	if err := s.ReleaseLock(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.Set("last", time.Now().Unix()) // finding: write-after-release
}

// quiet blocks under the lock, but a reviewer decided it is acceptable.
func quiet(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Millisecond) //nolint:sessionlock // finding: long-call-under-lock (not in golangci-lint)
	fmt.Fprintln(w, "ok")
}

// convert calls a function that blocks only when configured so with -long.
func convert(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, rates.Convert(2, 1.1)) // with -long: long-call-under-lock
}

// dashboard shows page1 inside its own page: page1's sleep is reported in
// page1, and dashboard's call to it here, where dashboard waits.
func dashboard(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "<h1>dashboard</h1>")
	page1(w, r) // finding: long-call-under-lock
}
