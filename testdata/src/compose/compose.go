// Package compose: middleware composed around a mux, adapters, chains
// built in a loop, sub-routers, and the session wrapper passed as a value
// to a router, including behind the app's own Session interface.
package compose

import (
	"net/http"
	"time"

	"router"
	"sessionlib"
	"webfw"
)

var m = &sessionlib.Manager{}

func requireLogin(next http.Handler) http.Handler {
	time.Sleep(time.Millisecond) // setup: runs once, when the chain is built
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Get("http://127.0.0.1/auth") // want `net/http.Get blocks while the session lock is held`
		next.ServeHTTP(w, r)
	})
}

func logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
	})
}

func cors(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		next(w, r)
	}
}

func secret(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func viaAdapter(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func chained(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func reassigned(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func publicPage(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // served without the session middleware
}

func composed() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/secret", secret)
	mux.Handle("/adapted", cors(viaAdapter))
	return m.Middleware(requireLogin(logging(mux)))
}

func inLoop() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/chained", chained)
	var h http.Handler = mux
	for _, mw := range []func(http.Handler) http.Handler{logging, m.Middleware} {
		h = mw(h)
	}
	return h
}

func reassign() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/re", reassigned)
	var h http.Handler = mux
	h = logging(h)
	h = m.Middleware(h)
	return h
}

func public() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/public", publicPage)
	return logging(mux)
}

// A chi-like router: sub-routers of a wrapped router serve the same way.
func onSub(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func subRouters() http.Handler {
	r := router.New()
	r.Use(m.Middleware)
	r.Route("/admin", func(r *router.Router) {
		r.Get("/sub", onSub)
	})
	return r
}

// Session is the app's own abstraction over the session manager.
type Session interface {
	Middleware(http.Handler) http.Handler
	Get(r *http.Request, key string) any
}

type sessionImpl struct{ m *sessionlib.Manager }

func (s *sessionImpl) Middleware(next http.Handler) http.Handler { return s.m.Middleware(next) } // want Middleware:`serves\(held, arg 0\)`

func (s *sessionImpl) Get(r *http.Request, key string) any { // want Get:`obtains`
	return sessionlib.FromContext(r.Context()).Get(key)
}

type env struct{ session Session }

func (e *env) listItems(c webfw.Context) error {
	_ = e.session.Get(c.Request(), "user")
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return nil
}

func (e *env) health(c webfw.Context) error {
	time.Sleep(time.Second) // this instance has no session middleware
	return nil
}

func (e *env) echoRoutes() {
	app := webfw.New()
	app.Use(webfw.WrapMiddleware(e.session.Middleware))
	app.GET("/items", e.listItems)

	bare := webfw.New()
	bare.GET("/health", e.health)
}

func groupRoute(c webfw.Context) error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return nil
}

func groups() {
	app := webfw.New()
	g := app.Group("/g")
	g.Use(webfw.WrapMiddleware(m.Middleware))
	g.GET("/x", groupRoute)
}
