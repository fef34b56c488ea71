// Package server wires the app's handlers to echo as opengist does: the
// session middleware is applied to the echo instance, routes go through
// the app's Router over an echo.Group, each handler composed with its own
// middleware by chain and adapted by toEchoHandler.
package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"sessionlib"
	"shapes/echoapp/context"
	"shapes/echoapp/gist"
)

var sessionManager = &sessionlib.Manager{}

// Handler is the app's handler signature.
type Handler func(ctx *context.Context) error

// Middleware is the app's middleware signature.
type Middleware func(next Handler) Handler

func (h Handler) toEchoHandler() echo.HandlerFunc {
	return func(c echo.Context) error {
		if ogc, ok := c.(*context.Context); ok {
			return h(ogc)
		}
		return h(c.(*context.Context))
	}
}

func (m Middleware) toEcho() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return m(func(c *context.Context) error {
			return next(c)
		}).toEchoHandler()
	}
}

func chain(h Handler, middleware ...Middleware) Handler {
	for i := len(middleware) - 1; i >= 0; i-- {
		h = middleware[i](h)
	}
	return h
}

// Router wraps echo.Group to take the app's handlers.
type Router struct {
	*echo.Group
}

func NewRouter(g *echo.Group) *Router { return &Router{Group: g} }

func (r *Router) GET(path string, h Handler, m ...Middleware) {
	r.Group.GET(path, chain(h, m...).toEchoHandler())
}

func (r *Router) POST(path string, h Handler, m ...Middleware) {
	r.Group.POST(path, chain(h, m...).toEchoHandler())
}

func (r *Router) Any(path string, h Handler, m ...Middleware) {
	r.Group.Any(path, chain(h, m...).toEchoHandler())
}

// logged lets only signed-in users through.
func logged(next Handler) Handler {
	return func(ctx *context.Context) error {
		if ctx.GetSession().Get("user") == nil {
			return ctx.Redirect(http.StatusFound, "/login")
		}
		return next(ctx)
	}
}

// dataInit loads the user named by the session, for every request.
func dataInit(next Handler) Handler {
	return func(ctx *context.Context) error {
		if id := ctx.GetSession().Get("user"); id != nil {
			http.Get("http://127.0.0.1/users") // want `net/http.Get blocks while the session lock is held`
		}
		return next(ctx)
	}
}

// noRouteFound never obtains the session: held because the instance is.
func noRouteFound(ctx *context.Context) error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return ctx.String(http.StatusNotFound, "not found")
}

// stats is on a plain echo group of the instance.
func stats(c echo.Context) error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return c.String(http.StatusOK, "")
}

// metrics is served by an instance without the session middleware.
func metrics(c echo.Context) error {
	time.Sleep(time.Second) // no session middleware on this instance
	return c.String(http.StatusOK, "")
}

type Server struct{ echo *echo.Echo }

func (s *Server) useCustomContext() {
	s.echo.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			return next(context.NewContext(c))
		}
	})
}

func (s *Server) registerMiddlewares() {
	s.echo.Use(echo.WrapMiddleware(sessionManager.Middleware))
	s.echo.Use(Middleware(dataInit).toEcho())
}

func (s *Server) registerRoutes() {
	r := NewRouter(s.echo.Group(""))
	r.GET("/", gist.Create, logged)
	r.POST("/fork", gist.Fork, logged)
	r.GET("/-/logout", gist.Logout)
	r.GET("/healthcheck", gist.Healthcheck) // want `handler gist.Healthcheck blocks at gist/gist.go:47 while the session lock is held \(gist.Healthcheck → time.Sleep\)`
	r.Any("/*", noRouteFound)

	admin := s.echo.Group("/-/admin")
	admin.GET("/stats", stats)
}

func NewServer() *Server {
	s := &Server{echo: echo.New()}
	s.useCustomContext()
	s.registerMiddlewares()
	s.registerRoutes()

	bare := echo.New()
	bare.GET("/metrics", metrics)
	return s
}
