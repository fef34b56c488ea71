package handlers

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// The package has a test file, so a standalone run analyses it twice (as
// handlers and as handlers [handlers.test]); each finding must still be
// reported once.
func TestRoutes(t *testing.T) {
	m := session.NewManager(session.NewMemoryStore())
	srv := httptest.NewServer(Routes(m))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/report")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
}

// slowTestPage is a handler only the tests serve (a write follows its
// sleep, so its finding has no fix).
func slowTestPage(w http.ResponseWriter, r *http.Request) {
	s := session.FromContext(r.Context())
	time.Sleep(time.Millisecond) // finding: long-call-under-lock
	s.Set("seen", true)
}
