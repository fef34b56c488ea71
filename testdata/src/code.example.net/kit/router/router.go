// Package router is a third-party router the analyzer knows only by its
// shape: Use, With, Group, Mount, HandleFunc and ServeHTTP.
package router

import "net/http"

// Router dispatches requests to handlers through its middleware.
type Router struct {
	mws    []func(http.Handler) http.Handler
	routes map[string]http.Handler
}

func New() *Router { return &Router{routes: map[string]http.Handler{}} }

func (rt *Router) Use(mws ...func(http.Handler) http.Handler) { rt.mws = append(rt.mws, mws...) }

// With returns a router sharing the routes, with more middleware.
func (rt *Router) With(mws ...func(http.Handler) http.Handler) *Router {
	return &Router{mws: append(append([]func(http.Handler) http.Handler{}, rt.mws...), mws...), routes: rt.routes}
}

// Group runs fn on a router that inherits rt's middleware.
func (rt *Router) Group(fn func(*Router)) { fn(rt.With()) }

func (rt *Router) Mount(prefix string, h http.Handler)              { rt.routes[prefix] = h }
func (rt *Router) Handle(pattern string, h http.Handler)            { rt.routes[pattern] = h }
func (rt *Router) HandleFunc(pattern string, h http.HandlerFunc)    { rt.routes[pattern] = h }
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {}
