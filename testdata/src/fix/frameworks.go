package fix

// page1 of the seed app on gin and on echo: the handlers never name the
// session, so the fix obtains it through the framework's own source
// (ginsession.From(c)) or from its request (c.Request()), and answers a
// failed release through the framework.

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
	"github.com/sessionlock/sessionlock/runtime/ginsession"

	"sessionlib"
)

func frameworkRoutes(m *sessionlib.Manager) {
	r := gin.New()
	r.Use(ginsession.Middleware(m))
	r.GET("/page1", ginPage1)

	e := echo.New()
	e.Use(echo.WrapMiddleware(m.Middleware))
	e.GET("/page1", echoPage1)
}

func ginPage1(c *gin.Context) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	c.String(http.StatusOK, "done")
}

func echoPage1(c echo.Context) error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return c.String(http.StatusOK, "done")
}
