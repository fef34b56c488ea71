// Package ginapp serves gin handlers behind the session middleware,
// adapted to gin by the app, on groups that inherit it.
package ginapp

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"sessionlib"
)

// sessions adapts the net/http session middleware to gin.
func sessions(m *sessionlib.Manager) gin.HandlerFunc {
	return func(c *gin.Context) {
		m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c.Request = r
			c.Next()
		})).ServeHTTP(c.Writer, c.Request)
	}
}

// cart reaches the session through gin's Request field.
func cart(c *gin.Context) {
	s := sessionlib.FromContext(c.Request.Context())
	items := s.Get("cart")
	_ = items
	http.Get("http://127.0.0.1/prices") // want `net/http.Get blocks while the session lock is held`
	time.Sleep(time.Millisecond)        // want `time.Sleep blocks while the session lock is held`
}

// orders never obtains the session: held because its group is.
func orders(c *gin.Context) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

// ping is on an engine without the session middleware.
func ping(c *gin.Context) {
	time.Sleep(time.Second) // no session middleware on this engine
}

func Engine(m *sessionlib.Manager) http.Handler { // want Engine:`returns\(blocks\(cart → net/http.Get\)\)`
	r := gin.New()
	r.Use(sessions(m))
	shop := r.Group("/shop")
	shop.GET("/cart", cart)
	shop.GET("/orders", orders)

	probe := gin.New()
	probe.GET("/ping", ping)

	mux := http.NewServeMux()
	mux.Handle("/", r)
	mux.Handle("/ping", probe)
	return mux
}
