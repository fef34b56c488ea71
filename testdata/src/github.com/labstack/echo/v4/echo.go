// Package echo is a stand-in for github.com/labstack/echo/v4 with the real
// names and signatures of what the fixtures use: handlers of type
// func(Context) error, middleware of type func(HandlerFunc) HandlerFunc
// applied per instance, group or route, and WrapMiddleware to adapt
// net/http middleware.
package echo

import "net/http"

// Context is a request's context.
type Context interface {
	Request() *http.Request
	SetRequest(r *http.Request)
	Response() *Response
	Param(name string) string
	String(code int, s string) error
	JSON(code int, i any) error
	NoContent(code int) error
	Redirect(code int, url string) error
}

// HandlerFunc serves a request.
type HandlerFunc func(c Context) error

// MiddlewareFunc wraps a handler.
type MiddlewareFunc func(next HandlerFunc) HandlerFunc

// Route is a registered route.
type Route struct {
	Method string
	Path   string
	Name   string
}

// Response wraps the http.ResponseWriter.
type Response struct {
	Writer http.ResponseWriter
	Status int
}

func (r *Response) Header() http.Header         { return r.Writer.Header() }
func (r *Response) Write(b []byte) (int, error) { return r.Writer.Write(b) }
func (r *Response) WriteHeader(code int)        { r.Status = code; r.Writer.WriteHeader(code) }

// Echo is the framework's instance.
type Echo struct {
	premiddleware []MiddlewareFunc
	middleware    []MiddlewareFunc
}

// New returns an Echo instance.
func New() (e *Echo) { return &Echo{} }

// Pre adds middleware run before routing.
func (e *Echo) Pre(middleware ...MiddlewareFunc) {
	e.premiddleware = append(e.premiddleware, middleware...)
}

// Use adds middleware run after routing, for every route of e.
func (e *Echo) Use(middleware ...MiddlewareFunc) {
	e.middleware = append(e.middleware, middleware...)
}

// GET registers a GET route with its own middleware m.
func (e *Echo) GET(path string, h HandlerFunc, m ...MiddlewareFunc) *Route {
	return e.Add(http.MethodGet, path, h, m...)
}

// POST registers a POST route with its own middleware m.
func (e *Echo) POST(path string, h HandlerFunc, m ...MiddlewareFunc) *Route {
	return e.Add(http.MethodPost, path, h, m...)
}

// Add registers a route.
func (e *Echo) Add(method, path string, handler HandlerFunc, middleware ...MiddlewareFunc) *Route {
	return &Route{Method: method, Path: path}
}

// Group creates a group under prefix with middleware m.
func (e *Echo) Group(prefix string, m ...MiddlewareFunc) (g *Group) {
	g = &Group{prefix: prefix, echo: e}
	g.Use(m...)
	return
}

// ServeHTTP serves a request.
func (e *Echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

// Start listens on address and serves.
func (e *Echo) Start(address string) error { return nil }

// Group is a path prefix with its middleware.
type Group struct {
	prefix     string
	middleware []MiddlewareFunc
	echo       *Echo
}

// Use adds middleware to the group.
func (g *Group) Use(middleware ...MiddlewareFunc) {
	g.middleware = append(g.middleware, middleware...)
}

// GET registers a GET route on the group.
func (g *Group) GET(path string, h HandlerFunc, m ...MiddlewareFunc) *Route {
	return g.Add(http.MethodGet, path, h, m...)
}

// POST registers a POST route on the group.
func (g *Group) POST(path string, h HandlerFunc, m ...MiddlewareFunc) *Route {
	return g.Add(http.MethodPost, path, h, m...)
}

// Any registers a route for every HTTP method on the group.
func (g *Group) Any(path string, h HandlerFunc, m ...MiddlewareFunc) []*Route {
	return []*Route{g.Add(http.MethodGet, path, h, m...), g.Add(http.MethodPost, path, h, m...)}
}

// Add registers a route on the group.
func (g *Group) Add(method, path string, handler HandlerFunc, middleware ...MiddlewareFunc) *Route {
	return g.echo.Add(method, g.prefix+path, handler, append(g.middleware, middleware...)...)
}

// Group creates a sub-group.
func (g *Group) Group(prefix string, middleware ...MiddlewareFunc) (sg *Group) {
	sg = g.echo.Group(g.prefix+prefix, append(g.middleware, middleware...)...)
	return
}

// WrapHandler adapts an http.Handler.
func WrapHandler(h http.Handler) HandlerFunc {
	return func(c Context) error {
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// WrapMiddleware adapts net/http middleware: m runs around next.
func WrapMiddleware(m func(http.Handler) http.Handler) MiddlewareFunc {
	return func(next HandlerFunc) HandlerFunc {
		return func(c Context) (err error) {
			m(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c.SetRequest(r)
				err = next(c)
			})).ServeHTTP(c.Response(), c.Request())
			return
		}
	}
}
