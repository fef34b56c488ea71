// Package chiapp wires handlers to chi as apps do: the session middleware
// applied through the app's own interface (sess.Middleware, sess being an
// interface implemented by the app's wrapper of the Manager), inline
// groups inheriting the parent's middleware, endpoints registering their
// own routes through an interface method in a loop, and a net/http mux
// mounted under a prefix with http.StripPrefix.
package chiapp

import (
	"net/http"
	"os/exec"
	"time"

	"github.com/go-chi/chi/v5"

	"sessionlib"
)

// SessionStore is the app's abstraction over the session manager.
type SessionStore interface {
	Middleware(next http.Handler) http.Handler
	UserID(r *http.Request) string
}

type sessions struct{ m *sessionlib.Manager }

func (s *sessions) Middleware(next http.Handler) http.Handler { return s.m.Middleware(next) } // want Middleware:`serves\(held, arg 0\)`

func (s *sessions) UserID(r *http.Request) string { // want UserID:`obtains`
	id, _ := sessionlib.FromContext(r.Context()).Get("user").(string)
	return id
}

// Endpoint is a part of the API that adds its own routes.
type Endpoint interface {
	RegisterRoutes(r chi.Router)
}

type usersAPI struct{ sess SessionStore }

func (u *usersAPI) RegisterRoutes(r chi.Router) { // want RegisterRoutes:`registers\(arg 0: blocks\(usersAPI.list → net/http.Get\)\)`
	r.Get("/users", u.list)
	r.Post("/users/import", u.importUsers)
}

// list never obtains the session: held because its router is.
func (u *usersAPI) list(w http.ResponseWriter, r *http.Request) {
	http.Get("http://127.0.0.1/directory") // want `net/http.Get blocks while the session lock is held`
}

// importUsers obtains the session through the app's interface.
func (u *usersAPI) importUsers(w http.ResponseWriter, r *http.Request) {
	_ = u.sess.UserID(r)
	exec.Command("import-users").Run() // want `Run blocks while the session lock is held`
}

type reportsAPI struct{}

func (reportsAPI) RegisterRoutes(r chi.Router) { // want RegisterRoutes:`registers\(arg 0: blocks\(weekly → time.Sleep\)\)`
	r.With(audit).Get("/reports", weekly)
}

func audit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
	})
}

func weekly(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

// legacy is a plain net/http mux, mounted under /legacy.
func legacyItems(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func export(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func profile(w http.ResponseWriter, r *http.Request) {
	http.Get("http://127.0.0.1/avatar") // want `net/http.Get blocks while the session lock is held`
}

func health(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // public: not behind the session middleware
}

func publicFeed(w http.ResponseWriter, r *http.Request) {
	http.Get("http://127.0.0.1/feed") // public: not behind the session middleware
}

func NewRouter(sess SessionStore) http.Handler { // want NewRouter:`returns\(blocks\(health → time.Sleep\) sites\(2\)\)`
	r := chi.NewRouter()
	r.Get("/health", health)

	r.Group(func(r chi.Router) {
		r.Use(sess.Middleware)
		endpoints := []Endpoint{&usersAPI{sess: sess}, reportsAPI{}}
		for _, h := range endpoints {
			h.RegisterRoutes(r)
		}
		r.With(audit).Get("/export", export)
		r.Get("/profile", profile)
	})

	legacy := http.NewServeMux()
	legacy.HandleFunc("/items", legacyItems)
	app := chi.NewRouter()
	app.Use(sess.Middleware)
	app.Mount("/legacy", http.StripPrefix("/legacy", legacy))

	root := http.NewServeMux()
	root.Handle("/", r)
	root.Handle("/app/", http.StripPrefix("/app", app))
	root.HandleFunc("/feed", publicFeed)
	return root
}

func run() {
	http.ListenAndServe("127.0.0.1:8080", NewRouter(&sessions{m: &sessionlib.Manager{}}))
}
