// Package factory: handlers built by factories, with the app's own
// signatures. Code in a factory outside the handler it returns runs at
// setup and is never reported.
package factory

import (
	"errors"
	"net/http"
	"time"

	"sessionlib"
)

type server struct {
	m   *sessionlib.Manager
	mux *http.ServeMux
}

func (s *server) handleIndex() http.HandlerFunc {
	time.Sleep(time.Millisecond) // setup: runs once, before serving
	tpl := "index"
	return func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
		w.Write([]byte(tpl))
	}
}

func (s *server) handleAdmin() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-time.After(time.Second) // want `<-time.After blocks while the session lock is held`
	})
}

func (s *server) handleQuick() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Second) // served read-only: fine
	}
}

func (s *server) handleUnserved() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Second) // on a mux nothing wraps
	}
}

// App is an app's context, passed to its handlers.
type App struct{ name string }

// Web adapts the app's handler signature to net/http.
func Web(a *App, h func(*App, http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(a, w, r); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}
}

func viewLogin(a *App, w http.ResponseWriter, r *http.Request) error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return errors.New("x")
}

func viewPublic(a *App, w http.ResponseWriter, r *http.Request) error {
	time.Sleep(time.Second) // explicit mode: no lock until it acquires
	s := sessionlib.FromContext(r.Context())
	s.Set("k", 1) // want `s.Set writes the session before its lock is taken \(explicit mode\)`
	return nil
}

func (s *server) routes() {
	a := &App{}
	s.mux.HandleFunc("/", s.handleIndex())
	s.mux.Handle("/admin", s.handleAdmin())
	s.mux.HandleFunc("/login", Web(a, viewLogin))
	top := http.NewServeMux()
	top.Handle("/", s.m.Middleware(s.mux))
	top.Handle("/quick", s.m.ReadOnly(s.handleQuick()))
	top.Handle("/public", s.m.Explicit(Web(a, viewPublic)))
	other := http.NewServeMux()
	other.HandleFunc("/u", s.handleUnserved())
}
