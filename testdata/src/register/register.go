// Package register checks every registration form behind wrappers.
package register

import (
	"net/http"
	"time"

	"router"
	"sessionlib"
)

var m = &sessionlib.Manager{}

func viaHandlerFunc(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

type page struct{ delay time.Duration }

func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) { // want ServeHTTP:`blocks\(time.Sleep\)`
	time.Sleep(p.delay) // want `time.Sleep blocks while the session lock is held`
}

type valuePage struct{}

func (valuePage) ServeHTTP(w http.ResponseWriter, r *http.Request) { // want ServeHTTP:`blocks\(time.Sleep\)`
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func onRouter(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func onRouterHandle(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func readOnlyPage(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // read-only: the lock is never held
}

func notServed(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // served by a mux without the middleware
}

func unwrappedRouter(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // this router never received the middleware
}

type server struct{}

func (s *server) method(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/hf", http.HandlerFunc(viaHandlerFunc))
	mux.Handle("/struct", &page{delay: time.Second})
	mux.Handle("/value", valuePage{})
	srv := &server{}
	mux.HandleFunc("/method", srv.method)
	mux.HandleFunc("/lit", func(w http.ResponseWriter, r *http.Request) {
		<-time.After(time.Second) // want `<-time.After blocks while the session lock is held`
	})

	plain := http.NewServeMux()
	plain.HandleFunc("/plain", notServed)

	r := router.New()
	r.Use(m.Middleware)
	r.Get("/r", onRouter)
	r.Handle("/rh", http.HandlerFunc(onRouterHandle))
	r.Route("/sub", func(r *router.Router) {
		time.Sleep(0) // not a handler: the route callback runs at setup
	})

	other := router.New()
	other.Get("/o", unwrappedRouter)

	mux.Handle("/r/", r)
	mux.Handle("/ro", m.ReadOnly(http.HandlerFunc(readOnlyPage)))
	return m.Middleware(mux)
}

func direct(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

var _ = m.Middleware(http.HandlerFunc(direct))
