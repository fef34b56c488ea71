// Package webfw is a minimal echo-like framework for registration
// fixtures: its handlers have their own signature and its middleware is
// applied to every route of an instance.
package webfw

import "net/http"

type Context interface {
	Request() *http.Request
	String(code int, s string) error
}

type HandlerFunc func(c Context) error

type MiddlewareFunc func(next HandlerFunc) HandlerFunc

type Echo struct{ mws []MiddlewareFunc }

type Group struct{ e *Echo }

func New() *Echo                                                 { return &Echo{} }
func (e *Echo) Use(mw ...MiddlewareFunc)                         { e.mws = append(e.mws, mw...) }
func (e *Echo) GET(path string, h HandlerFunc)                   {}
func (e *Echo) POST(path string, h HandlerFunc)                  {}
func (e *Echo) Group(prefix string) *Group                       { return &Group{e} }
func (g *Group) Use(mw ...MiddlewareFunc)                        {}
func (g *Group) GET(path string, h HandlerFunc)                  {}
func (e *Echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

// WrapMiddleware adapts net/http middleware.
func WrapMiddleware(m func(http.Handler) http.Handler) MiddlewareFunc {
	return func(next HandlerFunc) HandlerFunc { return next }
}
