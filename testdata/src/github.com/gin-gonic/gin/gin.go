// Package gin is a stand-in for github.com/gin-gonic/gin with the real
// names and signatures of what the fixtures use: an Engine embedding its
// root RouterGroup, groups carrying their own middleware, and handlers and
// middleware of one type, func(*Context), that reach the request through
// the Context's Request field.
package gin

import "net/http"

// HandlerFunc is a handler or a middleware.
type HandlerFunc func(*Context)

// HandlersChain is the middleware and handlers of a route, in order.
type HandlersChain []HandlerFunc

// H is a shortcut for map[string]any.
type H map[string]any

// IRoutes registers routes.
type IRoutes interface {
	Use(...HandlerFunc) IRoutes
	Handle(string, string, ...HandlerFunc) IRoutes
	GET(string, ...HandlerFunc) IRoutes
	POST(string, ...HandlerFunc) IRoutes
}

// IRouter registers routes and groups.
type IRouter interface {
	IRoutes
	Group(string, ...HandlerFunc) *RouterGroup
}

// RouterGroup is a path prefix with its middleware.
type RouterGroup struct {
	Handlers HandlersChain
	basePath string
	engine   *Engine
}

var _ IRouter = (*RouterGroup)(nil)

// Use adds middleware to the group.
func (group *RouterGroup) Use(middleware ...HandlerFunc) IRoutes {
	group.Handlers = append(group.Handlers, middleware...)
	return group
}

// Group creates a group under relativePath that runs handlers before its
// routes' own.
func (group *RouterGroup) Group(relativePath string, handlers ...HandlerFunc) *RouterGroup {
	return &RouterGroup{
		Handlers: append(append(HandlersChain{}, group.Handlers...), handlers...),
		basePath: group.basePath + relativePath,
		engine:   group.engine,
	}
}

// Handle registers handlers for a method and path.
func (group *RouterGroup) Handle(httpMethod, relativePath string, handlers ...HandlerFunc) IRoutes {
	return group
}

// GET is Handle("GET", relativePath, handlers...).
func (group *RouterGroup) GET(relativePath string, handlers ...HandlerFunc) IRoutes {
	return group.Handle(http.MethodGet, relativePath, handlers...)
}

// POST is Handle("POST", relativePath, handlers...).
func (group *RouterGroup) POST(relativePath string, handlers ...HandlerFunc) IRoutes {
	return group.Handle(http.MethodPost, relativePath, handlers...)
}

// Engine is the framework's instance: its root group, and the http.Handler
// that serves it.
type Engine struct {
	RouterGroup
}

// New returns an Engine without middleware.
func New() *Engine {
	e := &Engine{}
	e.RouterGroup.engine = e
	return e
}

// Default returns an Engine with the logger and recovery middleware.
func Default() *Engine { return New() }

// Use adds middleware to the root group.
func (engine *Engine) Use(middleware ...HandlerFunc) IRoutes {
	engine.RouterGroup.Use(middleware...)
	return engine
}

// ServeHTTP serves a request.
func (engine *Engine) ServeHTTP(w http.ResponseWriter, req *http.Request) {}

// Run listens on addr and serves.
func (engine *Engine) Run(addr ...string) (err error) { return nil }

// ResponseWriter is the response writer gin gives handlers.
type ResponseWriter interface {
	http.ResponseWriter
	Status() int
	Written() bool
}

// Context is a request's context: the request, the response writer, and
// the chain's position.
type Context struct {
	Request *http.Request
	Writer  ResponseWriter

	Keys     map[any]any
	handlers HandlersChain
	index    int8
}

// Next runs the rest of the chain.
func (c *Context) Next() {
	c.index++
	for c.index < int8(len(c.handlers)) {
		c.handlers[c.index](c)
		c.index++
	}
}

// Abort stops the rest of the chain from running.
func (c *Context) Abort() { c.index = 1 << 6 }

// AbortWithStatus writes the status and aborts.
func (c *Context) AbortWithStatus(code int) {
	c.Writer.WriteHeader(code)
	c.Abort()
}

// Set stores a value for this request.
func (c *Context) Set(key any, value any) {
	if c.Keys == nil {
		c.Keys = make(map[any]any)
	}
	c.Keys[key] = value
}

// Get returns a value stored with Set.
func (c *Context) Get(key any) (value any, exists bool) {
	value, exists = c.Keys[key]
	return
}

// Param returns a path parameter.
func (c *Context) Param(key string) string { return "" }

// Status sets the response status.
func (c *Context) Status(code int) { c.Writer.WriteHeader(code) }

// String writes a formatted text response.
func (c *Context) String(code int, format string, values ...any) {}

// JSON writes obj as JSON.
func (c *Context) JSON(code int, obj any) {}

// WrapF adapts an http.HandlerFunc.
func WrapF(f http.HandlerFunc) HandlerFunc {
	return func(c *Context) {
		f(c.Writer, c.Request)
	}
}

// WrapH adapts an http.Handler.
func WrapH(h http.Handler) HandlerFunc {
	return func(c *Context) {
		h.ServeHTTP(c.Writer, c.Request)
	}
}
