package ginsession_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"
	"github.com/sessionlock/sessionlock/runtime/ginsession"
	"github.com/sessionlock/sessionlock/runtime/session"
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

	jar := map[string]*http.Cookie{}
	get := func(path string) string {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for _, c := range jar {
			req.AddCookie(c)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		for _, c := range w.Result().Cookies() {
			jar[c.Name] = c
		}
		return w.Body.String()
	}
	fmt.Println(get("/visit"))
	fmt.Println(get("/visit"))
	get("/theme?t=dark")
	fmt.Println(get("/visits"))
	// Output:
	// visit 1
	// visit 2
	// 2 visits
}
