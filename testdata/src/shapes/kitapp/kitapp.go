// Package kitapp registers routes on a router of an unknown import path,
// known only by the shape of its methods.
package kitapp

import (
	"net/http"
	"time"

	"code.example.net/kit/router"

	"sessionlib"
)

func dashboard(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func settings(w http.ResponseWriter, r *http.Request) {
	http.Get("http://127.0.0.1/prefs") // want `net/http.Get blocks while the session lock is held`
}

func billing(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func adminUsers(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func status(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // public router: no session middleware
}

func csrf(next http.Handler) http.Handler { return next }

func Routes(m *sessionlib.Manager) http.Handler { // want Routes:`returns\(blocks\(dashboard → time.Sleep\)\)`
	app := router.New()
	app.Use(m.Middleware)
	app.HandleFunc("/dashboard", dashboard)
	app.Group(func(r *router.Router) {
		r.HandleFunc("/settings", settings)
	})
	app.With(csrf).HandleFunc("/billing", billing)

	admin := router.New()
	admin.HandleFunc("/users", adminUsers)
	app.Mount("/admin", admin)

	public := router.New()
	public.HandleFunc("/status", status)

	root := http.NewServeMux()
	root.Handle("/", app)
	root.Handle("/status", public)
	return root
}
