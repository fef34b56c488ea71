// Package context is an app's handler context over echo (as opengist's
// internal/web/context): it embeds echo.Context and reaches the session
// only through its own helpers.
package context

import (
	"github.com/labstack/echo/v4"

	"sessionlib"
)

// Context is what the app's handlers receive.
type Context struct {
	echo.Context
	data map[string]any
}

// NewContext wraps echo's context, once per request.
func NewContext(c echo.Context) *Context {
	return &Context{Context: c, data: make(map[string]any)}
}

// GetSession returns the request's session.
func (ctx *Context) GetSession() *sessionlib.Session { // want GetSession:`obtains`
	return sessionlib.FromContext(ctx.Request().Context())
}

// AddFlash queues a message for the next page.
func (ctx *Context) AddFlash(message, kind string) { // want AddFlash:`writes\(addFlash → s.Set\) obtains`
	sess := sessionlib.FromContext(ctx.Request().Context())
	addFlash(sess, message, kind)
}

func addFlash(s *sessionlib.Session, v any, kind string) {
	f, _ := s.Get("_flash_" + kind).([]any)
	s.Set("_flash_"+kind, append(f, v))
}

// SetData stores template data: no session involved.
func (ctx *Context) SetData(key string, value any) { ctx.data[key] = value }
