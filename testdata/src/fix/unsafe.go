package fix

import (
	"errors"
	"net/http"
	"time"

	"sessionlib"
)

// A middleware that released before calling the next handler would make
// every handler that writes panic: no fix.
func slowMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := sessionlib.FromContext(r.Context())
		_ = s
		time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
		next.ServeHTTP(w, r)
	})
}

// The same through a function value and a router.
func withCallback(w http.ResponseWriter, r *http.Request, then func()) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
	then()
}

func toRouter(w http.ResponseWriter, r *http.Request, mux *http.ServeMux) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
	mux.ServeHTTP(w, r)
}

// Audit has no implementation in sight: it may write the session.
type Audit interface{ Log(r *http.Request) }

func audited(w http.ResponseWriter, r *http.Request, a Audit) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
	a.Log(r)
}

// Metrics' only implementation in sight writes nothing: the fix is safe.
type Metrics interface{ Count(name string) }

type nopMetrics struct{}

func (nopMetrics) Count(string) {}

func measured(w http.ResponseWriter, r *http.Request, m Metrics) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
	m.Count("page")
}

// Two long calls on one path: one release, before the first.
func twoCalls(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	time.Sleep(time.Millisecond)    // want `time.Sleep blocks while the session lock is held`
	http.Get("http://127.0.0.1:1/") // want `net/http.Get blocks while the session lock is held`
}

// Two paths: one release on each.
func twoPaths(w http.ResponseWriter, r *http.Request, fast bool) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	if fast {
		http.Get("http://127.0.0.1:1/fast") // want `net/http.Get blocks while the session lock is held`
	} else {
		time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
	}
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
}

// A handler returning an error hands the release's error back.
func apiHandler(w http.ResponseWriter, r *http.Request) error {
	s := sessionlib.FromContext(r.Context())
	_ = s
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
	return nil
}

// With other results there is no right way to report the error: no fix.
func counted(w http.ResponseWriter, r *http.Request) (int, error) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
	return 0, errors.New("x")
}
