package frameworktest

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/servetest"
)

// Every route of an echo app holding the session lock: e.Use with
// echo.WrapMiddleware.
func Example_echo() {
	m := session.NewManager(nil)
	e := echo.New()
	e.Use(echo.WrapMiddleware(m.Middleware))
	e.GET("/visit", func(c echo.Context) error {
		s := session.FromContext(c.Request().Context())
		n, _ := s.Get("visits").(int)
		s.Set("visits", n+1)
		return c.String(http.StatusOK, fmt.Sprintf("visit %d", n+1))
	})

	b := servetest.NewBrowser(e)
	fmt.Println(b.Get("/visit").Body)
	fmt.Println(b.Get("/visit").Body)
	// Output:
	// visit 1
	// visit 2
}

// Routes of several modes in one echo app: each group gets its wrapper.
// Mounting m.ReadOnly inside an e.Use(m.Middleware) would not help: the
// outer wrapper already holds the lock.
func Example_echoGroups() {
	m := session.NewManager(nil)
	e := echo.New()
	app := e.Group("", echo.WrapMiddleware(m.Middleware)) // holds the lock
	app.GET("/visit", func(c echo.Context) error {
		s := session.FromContext(c.Request().Context())
		n, _ := s.Get("visits").(int)
		s.Set("visits", n+1)
		return c.NoContent(http.StatusNoContent)
	})
	api := e.Group("/api", echo.WrapMiddleware(m.ReadOnly)) // never locks
	api.GET("/visits", func(c echo.Context) error {
		n, _ := session.FromContext(c.Request().Context()).Get("visits").(int)
		return c.JSON(http.StatusOK, map[string]int{"visits": n})
	})
	prefs := e.Group("/prefs", echo.WrapMiddleware(m.Explicit)) // locks on AcquireLock
	prefs.GET("/theme", func(c echo.Context) error {
		s := session.FromContext(c.Request().Context())
		if err := s.AcquireLock(c.Request().Context()); err != nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable, err.Error())
		}
		s.Set("theme", c.QueryParam("t"))
		return c.String(http.StatusOK, "theme "+c.QueryParam("t"))
	})

	b := servetest.NewBrowser(e)
	b.Get("/visit")
	b.Get("/visit")
	fmt.Print(b.Get("/api/visits").Body)
	fmt.Println(b.Get("/prefs/theme?t=dark").Body)
	// Output:
	// {"visits":2}
	// theme dark
}
