// Package ginsession runs a session.Manager's wrappers in gin: Middleware,
// ReadOnly and Explicit are gin.HandlerFuncs that run the rest of gin's
// handler chain inside the Manager's middleware, with c.Request and
// c.Writer swapped for the ones the Manager hands its handler. Everything
// the Manager promises on a ServeMux then holds under gin: the session is
// locked for the whole chain, it is saved and its cookie set before the
// first byte of the body, ReleaseLock lets the user's other requests
// through, a lock timeout answers 503 with Retry-After without running the
// chain, hijacking the connection releases the lock, and a panic saves
// nothing and frees the lock.
//
//	m := session.NewManager(nil)
//	r := gin.New()
//	app := r.Group("/", ginsession.Middleware(m))
//	app.POST("/cart/add", func(c *gin.Context) {
//		s := ginsession.From(c)
//		n, _ := s.Get("items").(int)
//		s.Set("items", n+1)
//	})
//	r.GET("/poll", ginsession.ReadOnly(m), poll)
//
// A naive adapter that calls the Manager's middleware around c.Next but
// leaves c.Writer alone loses the cookie and the save-before-headers order,
// since gin's handlers write through c.Writer.
package ginsession

import (
	"bufio"
	"io"
	"net"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// Middleware runs the rest of the chain holding the request's session lock,
// as session.Manager.Middleware runs its handler: the changes are saved and
// the lock released when the chain returns, or earlier by ReleaseLock.
//
//sessionlock:serve held
func Middleware(m *session.Manager) gin.HandlerFunc { return adapt(m.Middleware) }

// ReadOnly runs the rest of the chain with a snapshot of the session that
// is never locked nor saved, as session.Manager.ReadOnly does: writes panic.
//
//sessionlock:serve readonly
func ReadOnly(m *session.Manager) gin.HandlerFunc { return adapt(m.ReadOnly) }

// Explicit runs the rest of the chain with the session loaded but not
// locked, as session.Manager.Explicit does: call AcquireLock before writing.
//
//sessionlock:serve explicit
func Explicit(m *session.Manager) gin.HandlerFunc { return adapt(m.Explicit) }

// From returns the session of the request c serves; it is
// session.FromContext(c.Request.Context()) and panics likewise when no
// wrapper of this package runs before the handler.
//
//sessionlock:source
func From(c *gin.Context) *session.Session { return session.FromContext(c.Request.Context()) }

// adapt turns one of the Manager's wrappers into a gin.HandlerFunc. The
// wrapped handler is built once; each request passes its gin.Context to it
// inside the writer the Manager wraps (a carrier), so the per-request cost
// is that one allocation.
func adapt(wrapper func(http.Handler) http.Handler) gin.HandlerFunc {
	h := wrapper(http.HandlerFunc(runChain))
	return func(c *gin.Context) {
		req, orig := c.Request, c.Writer
		if req.Pattern == "" {
			// The Manager names a route by its pattern (logs, the debug
			// page, RouteStats); gin's matched route is the one to name,
			// rather than each path apart. A ServeMux sets it so too.
			req.Pattern = c.FullPath()
		}
		k := &carrier{ResponseWriter: orig, c: c}
		defer func() {
			// Outer middleware, and gin after the chain, see the request
			// and writer they passed in, also after a panic.
			c.Request, c.Writer = req, orig
		}()
		h.ServeHTTP(k, req)
		if !k.ran {
			// The Manager answered itself (a lock timeout, a store
			// failure) or the client left while the request waited: the
			// rest of the chain must not run without its session.
			c.Abort()
		}
	}
}

// runChain is the handler inside the Manager's wrapper: sw is the
// Manager's writer around the carrier, r the request carrying the session.
func runChain(sw http.ResponseWriter, r *http.Request) {
	k := carrierOf(sw)
	k.ran = true
	k.w = writer{ResponseWriter: k.ResponseWriter, sw: sw}
	k.c.Request, k.c.Writer = r, &k.w
	k.c.Next()
}

// carrierOf finds the carrier under the Manager's writer, which unwraps
// to the writer it was given as http.ResponseController expects.
func carrierOf(w http.ResponseWriter) *carrier {
	for {
		switch v := w.(type) {
		case *carrier:
			return v
		case interface{ Unwrap() http.ResponseWriter }:
			w = v.Unwrap()
		default:
			panic("ginsession: the session middleware's writer does not unwrap to the gin writer it was given")
		}
	}
}

// carrier is gin's writer as the Manager sees it: the Manager writes its
// own answers (503, 500) and the handler's header through it to gin's
// writer. It also carries the request's gin.Context, and the writer the
// handlers get, to runChain.
type carrier struct {
	gin.ResponseWriter
	c   *gin.Context
	w   writer
	ran bool // runChain ran: the Manager served the request
}

// writer is c.Writer inside the chain: a gin.ResponseWriter whose header
// and body go through the Manager's writer sw, so the session is handled
// before the header leaves, and whose Hijack tells the Manager. Status,
// Size and Written read gin's writer underneath, which every write reaches.
type writer struct {
	gin.ResponseWriter
	sw http.ResponseWriter
}

// WriteHeader records the status as gin's writer does; the header is sent
// with the first byte of the body, by WriteHeaderNow, or by gin after the
// chain (with the session's headers, which the Manager adds when the
// handler returns without writing).
func (w *writer) WriteHeader(code int) { w.ResponseWriter.WriteHeader(code) }

// WriteHeaderNow sends the header through the Manager, which saves the
// session and sets its cookie first.
func (w *writer) WriteHeaderNow() {
	if !w.ResponseWriter.Written() {
		w.sw.WriteHeader(w.ResponseWriter.Status())
		w.ResponseWriter.WriteHeaderNow()
	}
}

func (w *writer) Write(p []byte) (int, error) {
	w.WriteHeaderNow()
	return w.sw.Write(p)
}

func (w *writer) WriteString(s string) (int, error) {
	w.WriteHeaderNow()
	return io.WriteString(w.sw, s)
}

func (w *writer) Flush() {
	w.WriteHeaderNow()
	if f, ok := w.sw.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack hands the connection over through the Manager, which saves and
// releases the session so the connection does not hold the lock.
func (w *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.sw.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	return hj.Hijack()
}

// Unwrap lets http.ResponseController reach the Manager's writer.
func (w *writer) Unwrap() http.ResponseWriter { return w.sw }
