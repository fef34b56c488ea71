package main

import (
	"expvar"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// sleep is the length of page1's long operation (-sleep).
var sleep = 20 * time.Second

// hook, when set, runs where the long operation ends. The app leaves it
// unset; seed_test.go blocks in it to hold page1 mid-operation for as long
// as it needs, which proves the ordering without measuring time.
var hook atomic.Pointer[func(page string)]

func testHook(page string) {
	if h := hook.Load(); h != nil {
		(*h)(page)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.DurationVar(&sleep, "sleep", sleep, "duration of page1's simulated long operation")
	lockWait := flag.Duration("lock-wait", session.DefaultLockWait, "how long a request waits for its session's lock before 503")
	flag.Parse()
	m, h := newApp(session.WithLockWait(*lockWait))
	expvar.Publish("sessions", m.Expvar()) // served at /debug/vars
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	// The address is the real one, so -addr 127.0.0.1:0 works (the
	// browser test starts the app so).
	log.Printf("serving on http://%s/ (open /, then /page1 or /page1-fixed, then /page2 in another tab; "+
		"watch the session locks at /debug/sessions)", ln.Addr())
	log.Fatal(http.Serve(ln, h))
}

// newApp returns the app's Manager and its handler: every route runs under
// the implicit session lock, as CherryPy's tools.sessions.on does. The
// session debug page and expvar's /debug/vars are mounted beside the app,
// outside the session middleware, as net/http/pprof would be.
func newApp(opts ...session.Option) (*session.Manager, http.Handler) {
	m := session.NewManager(nil, append([]session.Option{session.WithLongHold(5 * time.Second)}, opts...)...)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", index)
	mux.HandleFunc("GET /page1", page1)
	mux.HandleFunc("GET /page1-fixed", page1Fixed)
	mux.HandleFunc("GET /page2", page2)
	root := http.NewServeMux()
	root.Handle("/", m.Middleware(mux))
	root.Handle("GET /debug/sessions", m.DebugHandler())
	root.Handle("GET /debug/vars", expvar.Handler())
	return m, root
}

func index(w http.ResponseWriter, r *http.Request) {
	s := session.FromContext(r.Context())
	n, _ := s.Get("visits").(int)
	s.Set("visits", n+1)
	fmt.Fprintf(w, "visit %d. Open /page1 (or /page1-fixed), then /page2 in another tab.\n", n+1)
}

// page1 is the article's first version: the long operation runs while the
// session is locked, so the user's other requests wait for it.
func page1(w http.ResponseWriter, r *http.Request) {
	// Simulate long operation
	time.Sleep(sleep)
	testHook("page1")
	fmt.Fprint(w, "*Yawn*")
}

// page1Fixed is the article's fix: session work first, then ReleaseLock
// (CherryPy's release_lock()), then the long operation.
func page1Fixed(w http.ResponseWriter, r *http.Request) {
	s := session.FromContext(r.Context())
	// Do any session manipulation here!
	s.Set("page1", time.Now().Format(time.RFC3339))
	if err := s.ReleaseLock(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	// Simulate long operation
	time.Sleep(sleep)
	testHook("page1-fixed")
	fmt.Fprint(w, "*Yawn*")
}

func page2(w http.ResponseWriter, r *http.Request) {
	fmt.Fprint(w, "Hello World!")
}
