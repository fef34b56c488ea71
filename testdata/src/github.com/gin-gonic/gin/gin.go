// Package gin stands in for github.com/gin-gonic/gin: the names and
// signatures the shapes fixtures use, with empty bodies.
package gin

import "net/http"

// Context carries the request through gin's handlers.
type Context struct {
	Request *http.Request
	Writer  ResponseWriter
}

// ResponseWriter is gin's response writer.
type ResponseWriter interface {
	http.ResponseWriter
	Status() int
}

func (c *Context) Next()                       {}
func (c *Context) Abort()                      {}
func (c *Context) String(code int, s string)   {}
func (c *Context) Redirect(code int, l string) {}

// HandlerFunc is gin's handler and middleware signature.
type HandlerFunc func(*Context)

// RouterGroup is a set of routes sharing a prefix and handlers.
type RouterGroup struct {
	Handlers []HandlerFunc
	basePath string
}

// Engine is the router.
type Engine struct {
	RouterGroup
}

func New() *Engine { return &Engine{} }

func (e *Engine) Use(middleware ...HandlerFunc)                      { e.RouterGroup.Use(middleware...) }
func (e *Engine) ServeHTTP(w http.ResponseWriter, req *http.Request) {}

func (g *RouterGroup) Use(middleware ...HandlerFunc) { g.Handlers = append(g.Handlers, middleware...) }
func (g *RouterGroup) Group(relativePath string, handlers ...HandlerFunc) *RouterGroup {
	return &RouterGroup{Handlers: append(g.Handlers, handlers...), basePath: g.basePath + relativePath}
}
func (g *RouterGroup) GET(relativePath string, handlers ...HandlerFunc)  {}
func (g *RouterGroup) POST(relativePath string, handlers ...HandlerFunc) {}
