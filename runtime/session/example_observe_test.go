package session_test

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// holdCounter is a minimal Observer: it counts lock holds per route.
type holdCounter struct {
	mu    sync.Mutex
	holds map[string]int
}

func (c *holdCounter) LockWait(route string, waited time.Duration, timedOut bool) {}

func (c *holdCounter) LockHold(route string, held time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.holds[route]++
}

func (c *holdCounter) Event(route string, e session.Event) {
	fmt.Println(route, e)
}

// An Observer sees every lock hold and event, labelled by the ServeMux
// pattern of the request, never its raw path.
func ExampleWithObserver() {
	obs := &holdCounter{holds: map[string]int{}}
	m := session.NewManager(nil, session.WithObserver(obs))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("views").(int)
		s.Set("views", n+1)
	})
	h := m.Middleware(mux)

	jar := map[string]*http.Cookie{}
	for _, path := range []string{"/items/1", "/items/2", "/items/3"} {
		get(h, jar, path)
	}
	fmt.Println(obs.holds)
	// Output:
	// GET /items/{id} session_created
	// map[GET /items/{id}:3]
}

// Mount the live page of the Manager's session locks next to the app, as
// net/http/pprof would be, and its Stats at /debug/vars.
func ExampleManager_DebugHandler() {
	m := session.NewManager(nil)
	app := http.NewServeMux()
	app.HandleFunc("GET /page1", func(w http.ResponseWriter, r *http.Request) {})

	root := http.NewServeMux()
	root.Handle("/", m.Middleware(app))
	root.Handle("GET /debug/sessions", m.DebugHandler())
	// expvar.Publish("sessions", m.Expvar()) and root.Handle("GET /debug/vars", expvar.Handler())
	_ = root
}
