package ginsession_test

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/sessionlock/sessionlock/runtime/ginsession"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/servetest"
)

func Example() {
	m := session.NewManager(nil)
	r := gin.New()
	app := r.Group("/", ginsession.Middleware(m)) // these routes hold the session lock
	app.GET("/visit", func(c *gin.Context) {
		s := ginsession.From(c)
		n, _ := s.Get("visits").(int)
		s.Set("visits", n+1)
		c.String(http.StatusOK, "visit %d", n+1)
	})
	r.GET("/visits", ginsession.ReadOnly(m), func(c *gin.Context) { // never locks
		n, _ := ginsession.From(c).Get("visits").(int)
		c.String(http.StatusOK, "%d visits", n)
	})
	r.GET("/theme", ginsession.Explicit(m), func(c *gin.Context) { // locks on demand
		s := ginsession.From(c)
		if err := s.AcquireLock(c.Request.Context()); err != nil {
			c.AbortWithError(http.StatusServiceUnavailable, err)
			return
		}
		s.Set("theme", c.Query("t"))
	})

	b := servetest.NewBrowser(r)
	fmt.Println(b.Get("/visit").Body)
	fmt.Println(b.Get("/visit").Body)
	b.Get("/theme?t=dark")
	fmt.Println(b.Get("/visits").Body)
	// Output:
	// visit 1
	// visit 2
	// 2 visits
}
