// Package chi is a stand-in for github.com/go-chi/chi/v5 with the real
// names and signatures of what the fixtures use: net/http handlers and
// middleware, a Router interface implemented by *Mux, inline groups and
// sub-routers built in callbacks, and mounted handlers.
package chi

import "net/http"

// Router routes requests.
type Router interface {
	http.Handler

	Use(middlewares ...func(http.Handler) http.Handler)
	With(middlewares ...func(http.Handler) http.Handler) Router
	Group(fn func(r Router)) Router
	Route(pattern string, fn func(r Router)) Router
	Mount(pattern string, h http.Handler)

	Handle(pattern string, h http.Handler)
	HandleFunc(pattern string, h http.HandlerFunc)
	Method(method, pattern string, h http.Handler)
	Get(pattern string, h http.HandlerFunc)
	Post(pattern string, h http.HandlerFunc)
}

// Middlewares is a middleware stack.
type Middlewares []func(http.Handler) http.Handler

// Mux is the Router chi provides.
type Mux struct {
	middlewares []func(http.Handler) http.Handler
	parent      *Mux
	inline      bool
}

var _ Router = (*Mux)(nil)

// NewRouter returns a new Mux.
func NewRouter() *Mux { return NewMux() }

// NewMux returns a new Mux.
func NewMux() *Mux { return &Mux{} }

// ServeHTTP serves a request.
func (mx *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

// Use appends middlewares to the stack of every route of mx.
func (mx *Mux) Use(middlewares ...func(http.Handler) http.Handler) {
	mx.middlewares = append(mx.middlewares, middlewares...)
}

// With returns an inline router whose routes also run middlewares.
func (mx *Mux) With(middlewares ...func(http.Handler) http.Handler) Router {
	mws := append(append(Middlewares{}, mx.middlewares...), middlewares...)
	return &Mux{parent: mx, inline: true, middlewares: mws}
}

// Group runs fn on an inline router with a fresh middleware stack.
func (mx *Mux) Group(fn func(r Router)) Router {
	im := mx.With()
	if fn != nil {
		fn(im)
	}
	return im
}

// Route runs fn on a new sub-router and mounts it at pattern.
func (mx *Mux) Route(pattern string, fn func(r Router)) Router {
	subRouter := NewRouter()
	fn(subRouter)
	mx.Mount(pattern, subRouter)
	return subRouter
}

// Mount attaches h along pattern/*.
func (mx *Mux) Mount(pattern string, h http.Handler) {}

// Handle routes pattern, any method, to h.
func (mx *Mux) Handle(pattern string, h http.Handler) {}

// HandleFunc routes pattern, any method, to h.
func (mx *Mux) HandleFunc(pattern string, h http.HandlerFunc) {}

// Method routes pattern, for method, to h.
func (mx *Mux) Method(method, pattern string, h http.Handler) {}

// Get routes GET pattern to h.
func (mx *Mux) Get(pattern string, h http.HandlerFunc) { mx.Method(http.MethodGet, pattern, h) }

// Post routes POST pattern to h.
func (mx *Mux) Post(pattern string, h http.HandlerFunc) { mx.Method(http.MethodPost, pattern, h) }
