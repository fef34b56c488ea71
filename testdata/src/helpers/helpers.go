// Package helpers: handlers that get their session through the app's own
// helpers, or never touch it, run under the lock because of how their
// route is served. Helpers that only read the session are not handlers.
package helpers

import (
	"net/http"
	"time"

	"sessionlib"
)

type app struct{ m *sessionlib.Manager }

type user struct{ name string }

// getUserSession is the app's own way to reach the session.
func getUserSession(a *app, r *http.Request) *sessionlib.Session {
	return sessionlib.FromContext(r.Context())
}

// currentUser reads the session and takes the request: it runs within
// some handler's request, so its own blocking calls are reported here,
// where they are written, and its callers' calls to it there.
func currentUser(r *http.Request) *user {
	s := sessionlib.FromContext(r.Context())
	_ = s.Get("user")
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
	return &user{}
}

// flash writes through a helper.
func flash(w http.ResponseWriter, r *http.Request, msg string) {
	s := sessionlib.FromContext(r.Context())
	s.Set("flash", msg)
}

func (a *app) profile(w http.ResponseWriter, r *http.Request) {
	s := getUserSession(a, r)
	_ = s.Get("k")
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held: other requests of this session wait \(release it with s.ReleaseLock\(\) first\)`
}

func (a *app) dashboard(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r) // want `currentUser blocks while the session lock is held \(currentUser → time.Sleep\)`
	_ = u
}

// never touches the session, yet served behind the held wrapper.
func (a *app) about(w http.ResponseWriter, r *http.Request) {
	http.Get("http://127.0.0.1/x") // want `net/http.Get blocks while the session lock is held`
}

// calls another handler: the call is a blocking call of home's own, and
// about's own call is reported in about.
func (a *app) home(w http.ResponseWriter, r *http.Request) {
	a.about(w, r) // want `app.about blocks while the session lock is held \(app.about → net/http.Get\)`
}

// releases, then flashes: the write goes through a helper.
func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	s := getUserSession(a, r)
	s.ReleaseLock()
	flash(w, r, "bye") // want `flash writes the session \(flash → s.Set\) after its lock was released`
}

// a read-only route: its helpers' blocking calls are fine.
func (a *app) status(w http.ResponseWriter, r *http.Request) {
	_ = currentUser(r)
}

// never served, never called: a dead helper with a handler's shape is
// checked as a handler only if it obtains the session.
func (a *app) unused(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // nothing serves it and it does not obtain the session
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/profile", a.profile)
	mux.HandleFunc("/dashboard", a.dashboard)
	mux.HandleFunc("/about", a.about)
	mux.HandleFunc("/", a.home)
	mux.HandleFunc("/logout", a.logout)
	top := http.NewServeMux()
	top.Handle("/", a.m.Middleware(mux))
	top.Handle("/status", a.m.ReadOnly(http.HandlerFunc(a.status)))
	return top
}
