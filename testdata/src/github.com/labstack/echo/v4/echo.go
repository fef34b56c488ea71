// Package echo stands in for github.com/labstack/echo/v4: the names and
// signatures the shapes fixtures use, with empty bodies.
package echo

import "net/http"

// Context is the request context echo passes to handlers.
type Context interface {
	Request() *http.Request
	SetRequest(r *http.Request)
	String(code int, s string) error
	Redirect(code int, url string) error
}

// HandlerFunc is echo's handler signature.
type HandlerFunc func(c Context) error

// MiddlewareFunc wraps a HandlerFunc.
type MiddlewareFunc func(next HandlerFunc) HandlerFunc

// Route is a registered route.
type Route struct{ Path string }

// Echo is the top-level router.
type Echo struct{ middleware []MiddlewareFunc }

// Group is a set of routes sharing a prefix and middleware.
type Group struct {
	prefix     string
	middleware []MiddlewareFunc
	echo       *Echo
}

func New() *Echo { return &Echo{} }

func (e *Echo) Use(middleware ...MiddlewareFunc)                            { e.middleware = append(e.middleware, middleware...) }
func (e *Echo) Pre(middleware ...MiddlewareFunc)                            {}
func (e *Echo) GET(path string, h HandlerFunc, m ...MiddlewareFunc) *Route  { return &Route{path} }
func (e *Echo) POST(path string, h HandlerFunc, m ...MiddlewareFunc) *Route { return &Route{path} }
func (e *Echo) Group(prefix string, m ...MiddlewareFunc) *Group {
	return &Group{prefix: prefix, middleware: m, echo: e}
}
func (e *Echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {}
func (e *Echo) Start(address string) error                       { return nil }

func (g *Group) Use(middleware ...MiddlewareFunc)                            { g.middleware = append(g.middleware, middleware...) }
func (g *Group) GET(path string, h HandlerFunc, m ...MiddlewareFunc) *Route  { return &Route{path} }
func (g *Group) POST(path string, h HandlerFunc, m ...MiddlewareFunc) *Route { return &Route{path} }
func (g *Group) Any(path string, h HandlerFunc, m ...MiddlewareFunc) []*Route {
	return []*Route{{path}}
}
func (g *Group) Group(prefix string, m ...MiddlewareFunc) *Group {
	return &Group{prefix: g.prefix + prefix, middleware: append(g.middleware, m...), echo: g.echo}
}

// WrapMiddleware adapts net/http middleware to echo.
func WrapMiddleware(m func(http.Handler) http.Handler) MiddlewareFunc {
	return func(next HandlerFunc) HandlerFunc { return next }
}

// WrapHandler adapts a net/http handler to echo.
func WrapHandler(h http.Handler) HandlerFunc {
	return func(c Context) error { return nil }
}
