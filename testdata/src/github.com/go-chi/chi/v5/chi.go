// Package chi stands in for github.com/go-chi/chi/v5: the names and
// signatures the shapes fixtures use, with empty bodies.
package chi

import "net/http"

// Router is chi's routing interface.
type Router interface {
	http.Handler
	Use(middlewares ...func(http.Handler) http.Handler)
	With(middlewares ...func(http.Handler) http.Handler) Router
	Group(fn func(r Router)) Router
	Route(pattern string, fn func(r Router)) Router
	Mount(pattern string, h http.Handler)
	Handle(pattern string, h http.Handler)
	HandleFunc(pattern string, h http.HandlerFunc)
	Get(pattern string, h http.HandlerFunc)
	Post(pattern string, h http.HandlerFunc)
}

// Mux is chi's router.
type Mux struct {
	middlewares []func(http.Handler) http.Handler
}

func NewRouter() *Mux { return &Mux{} }

func (mx *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {}
func (mx *Mux) Use(middlewares ...func(http.Handler) http.Handler) {
	mx.middlewares = append(mx.middlewares, middlewares...)
}
func (mx *Mux) With(middlewares ...func(http.Handler) http.Handler) Router {
	return &Mux{middlewares: append(mx.middlewares, middlewares...)}
}
func (mx *Mux) Group(fn func(r Router)) Router {
	im := mx.With()
	fn(im)
	return im
}
func (mx *Mux) Route(pattern string, fn func(r Router)) Router {
	sub := NewRouter()
	fn(sub)
	mx.Mount(pattern, sub)
	return sub
}
func (mx *Mux) Mount(pattern string, h http.Handler)          {}
func (mx *Mux) Handle(pattern string, h http.Handler)         {}
func (mx *Mux) HandleFunc(pattern string, h http.HandlerFunc) {}
func (mx *Mux) Get(pattern string, h http.HandlerFunc)        {}
func (mx *Mux) Post(pattern string, h http.HandlerFunc)       {}
