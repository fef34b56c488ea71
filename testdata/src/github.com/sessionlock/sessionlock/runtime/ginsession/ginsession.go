// Package ginsession is a stand-in for the runtime's gin adapter, at its
// import path, over the sessionlib stand-in of the session package: gin
// middleware that serve the rest of the chain in each lock mode, and the
// request's session from a *gin.Context, opted in through directives as
// any library is.
package ginsession

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"sessionlib"
)

// Middleware runs the rest of the chain with the session lock held.
//
//sessionlock:serve held
func Middleware(m *sessionlib.Manager) gin.HandlerFunc { return adapt(m.Middleware) } // want Middleware:`role\(serve=held\)`

// ReadOnly runs the rest of the chain without ever locking the session.
//
//sessionlock:serve readonly
func ReadOnly(m *sessionlib.Manager) gin.HandlerFunc { return adapt(m.ReadOnly) } // want ReadOnly:`role\(serve=readonly\)`

// Explicit runs the rest of the chain unlocked until it calls AcquireLock.
//
//sessionlock:serve explicit
func Explicit(m *sessionlib.Manager) gin.HandlerFunc { return adapt(m.Explicit) } // want Explicit:`role\(serve=explicit\)`

// adapt runs the rest of the chain inside net/http middleware, on the
// request it passes on (which carries the session).
func adapt(mw func(http.Handler) http.Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c.Request = r
			c.Next()
		})).ServeHTTP(c.Writer, c.Request)
	}
}

// From returns the request's session.
//
//sessionlock:source
func From(c *gin.Context) *sessionlib.Session { return sessionlib.FromContext(c.Request.Context()) } // want From:`role\(source\)`
