package servetest_test

import (
	"net/http"
	"testing"

	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/servetest"
)

// TestServeMux runs the suite on the router the Manager was written for,
// so a failure elsewhere can be told from one of the Manager.
func TestServeMux(t *testing.T) {
	servetest.Run(t, func(m *session.Manager, routes []servetest.Route) http.Handler {
		mux := http.NewServeMux()
		for _, rt := range routes {
			mux.Handle("GET "+rt.Path, servetest.Wrapper(m, rt.Mode)(rt.Handler))
		}
		return mux
	})
}
