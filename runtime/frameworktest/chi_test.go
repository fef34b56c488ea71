package frameworktest

import (
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/servetest"
)

// TestChi runs the suite through chi, which takes the Manager's wrappers
// as they are: r.With for each route here, r.Use on a group in the example.
func TestChi(t *testing.T) {
	servetest.Run(t, func(m *session.Manager, routes []servetest.Route) http.Handler {
		r := chi.NewRouter()
		for _, rt := range routes {
			r.With(servetest.Wrapper(m, rt.Mode)).Get(rt.Path, rt.Handler.ServeHTTP)
		}
		return r
	})
}
