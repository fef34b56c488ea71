// Package quiet: code around held handlers that must stay silent:
// goroutines the handler does not join, handlers its own package serves
// read-only or explicit, public routes, background jobs, and a helper that
// only receives a session.
package quiet

import (
	"database/sql"
	"net/http"
	"os/exec"
	"time"

	"sessionlib"
)

type app struct {
	m  *sessionlib.Manager
	db *sql.DB
}

// publish obtains the session, so it is judged held; the goroutine it
// starts and does not join runs unlocked.
func (a *app) publish(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	id := s.Get("post")
	go func() {
		time.Sleep(time.Second)
		exec.Command("notify", id.(string)).Run()
	}()
	a.db.Exec("UPDATE posts SET published = 1") // want `Exec blocks while the session lock is held`
}

// search is served read-only below: blocking is fine.
func (a *app) search(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	a.db.Query("SELECT * FROM posts WHERE author = ?", s.Get("user"))
	a.renderWith(s, w, r)
}

// upload is served explicit below: nothing is locked until it acquires.
func (a *app) upload(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	exec.Command("virus-scan").Run()
	if err := s.AcquireLock(r.Context()); err != nil {
		return
	}
	s.Set("uploaded", true)
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
}

// renderWith only receives the session: it is judged at its callers (here
// a read-only handler), never as a handler itself.
func (a *app) renderWith(s *sessionlib.Session, w http.ResponseWriter, r *http.Request) {
	_ = s.Get("theme")
	http.Get("http://127.0.0.1/template")
}

// robots is public: no session middleware on its route.
func (a *app) robots(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Millisecond)
}

// cleanup is a background job, started once.
func (a *app) cleanup() {
	for range time.Tick(time.Hour) {
		a.db.Exec("DELETE FROM sessions WHERE expiry < now()")
	}
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/publish", a.publish)
	root := http.NewServeMux()
	root.Handle("/", a.m.Middleware(mux))
	root.Handle("/search", a.m.ReadOnly(http.HandlerFunc(a.search)))
	root.Handle("/upload", a.m.Explicit(http.HandlerFunc(a.upload)))
	root.HandleFunc("/robots.txt", a.robots)
	go a.cleanup()
	return root
}
