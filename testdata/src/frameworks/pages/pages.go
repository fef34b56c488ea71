// Package pages declares handlers, one per framework, that never touch the
// session and block: the seed article's page1, exported and registered by
// the framework fixtures. Nothing here serves them, so nothing is reported
// here; each registration behind the held middleware is.
package pages

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/labstack/echo/v4"
)

// Gin sleeps, in gin's handler shape.
func Gin(c *gin.Context) { // want Gin:`blocks\(time.Sleep\)`
	time.Sleep(20 * time.Second) // reported where it is registered
	c.String(http.StatusOK, "*Yawn*")
}

// Echo sleeps, in echo's handler shape.
func Echo(c echo.Context) error { // want Echo:`blocks\(time.Sleep\)`
	time.Sleep(20 * time.Second) // reported where it is registered
	return c.String(http.StatusOK, "*Yawn*")
}

// Chi sleeps, in net/http's handler shape, as chi takes it.
func Chi(w http.ResponseWriter, r *http.Request) { // want Chi:`blocks\(time.Sleep\)`
	time.Sleep(20 * time.Second) // reported where it is registered
	w.Write([]byte("*Yawn*"))
}
