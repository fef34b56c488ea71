package ginsession_test

import (
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/sessionlock/sessionlock/runtime/ginsession"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/servetest"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// adapters are the package's wrappers by mode.
var adapters = map[servetest.Mode]func(*session.Manager) gin.HandlerFunc{
	servetest.Held:     ginsession.Middleware,
	servetest.ReadOnly: ginsession.ReadOnly,
	servetest.Explicit: ginsession.Explicit,
}

// TestConformance runs the suite through gin: one group per mode, each
// route a net/http handler behind gin.WrapH, which hands it c.Writer and
// c.Request as gin's own handlers use them.
func TestConformance(t *testing.T) {
	servetest.Run(t, func(m *session.Manager, routes []servetest.Route) http.Handler {
		r := gin.New()
		groups := map[servetest.Mode]*gin.RouterGroup{}
		for md, adapter := range adapters {
			groups[md] = r.Group("/", adapter(m))
		}
		for _, rt := range routes {
			groups[rt.Mode].GET(rt.Path, gin.WrapH(rt.Handler))
		}
		return r
	})
}
