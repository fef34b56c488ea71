package frameworktest

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/servetest"
)

// TestEcho runs the suite through echo: each route an echo.WrapHandler
// behind echo.WrapMiddleware of its mode's wrapper, which hands the
// handler echo's Response around the Manager's writer.
func TestEcho(t *testing.T) {
	servetest.Run(t, func(m *session.Manager, routes []servetest.Route) http.Handler {
		e := echo.New()
		groups := map[servetest.Mode]*echo.Group{}
		for _, md := range []servetest.Mode{servetest.Held, servetest.ReadOnly, servetest.Explicit} {
			groups[md] = e.Group("", echo.WrapMiddleware(servetest.Wrapper(m, md)))
		}
		for _, rt := range routes {
			groups[rt.Mode].GET(rt.Path, echo.WrapHandler(rt.Handler))
		}
		return e
	})
}

// TestEchoHandlerError: an echo handler that changes the session and then
// returns an error gets echo's error answer with the session saved and its
// cookie set once. echo writes that answer after the Manager's wrapper has
// returned, through the writer the Manager gave the handler.
func TestEchoHandlerError(t *testing.T) {
	m := session.NewManager(nil)
	e := echo.New()
	app := e.Group("", echo.WrapMiddleware(m.Middleware))
	app.GET("/deny", func(c echo.Context) error {
		session.FromContext(c.Request().Context()).Set("denied", true)
		return echo.NewHTTPError(http.StatusForbidden, "no")
	})
	app.GET("/denied", func(c echo.Context) error {
		d, _ := session.FromContext(c.Request().Context()).Get("denied").(bool)
		return c.JSON(http.StatusOK, d)
	})
	b := servetest.NewBrowser(e)
	w := b.Get("/deny")
	if w.Code != http.StatusForbidden || len(w.Result().Cookies()) != 1 {
		t.Fatalf("/deny = %d, Set-Cookie %q; want echo's 403 with one session cookie", w.Code, w.Header().Values("Set-Cookie"))
	}
	w = b.Get("/denied")
	if w.Body.String() != "true\n" {
		t.Fatalf("/denied = %q; want the change made before the error saved", w.Body)
	}
}
