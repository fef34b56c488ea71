package bench

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/sessionprom"
)

// discardWriter is a minimal, reusable ResponseWriter, so the figures show
// the middleware's cost rather than httptest.ResponseRecorder's.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

func (w *discardWriter) reset() { clear(w.h) }

var ok = []byte("ok")

// A stack is one contender: a handler and how to start a session with it.
type stack struct {
	name string
	h    http.Handler
	// cookie returns the Cookie header of a request carrying a fresh
	// session, or "" for the bare handler.
	cookie func(b *testing.B) string
}

// counter is the handler of every sessionlock stack: read a key, write it.
var counter = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	s := session.FromContext(r.Context())
	n, _ := s.Get("n").(int)
	s.Set("n", n+1)
	w.Write(ok)
})

func stacks() []stack {
	oursH := session.NewManager(nil).Middleware(counter)
	// The same with a Prometheus collector observing every lock, behind a
	// ServeMux whose pattern the middleware looks up for the route label.
	col := sessionprom.New()
	prometheus.NewRegistry().MustRegister(col)
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", counter)
	observedH := session.NewManager(nil, session.WithObserver(col)).Middleware(mux)
	sm := scs.New()
	scsH := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := sm.GetInt(r.Context(), "n")
		sm.Put(r.Context(), "n", n+1)
		w.Write(ok)
	}))
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(ok) })
	return []stack{
		{"bare", bare, func(*testing.B) string { return "" }},
		{"sessionlock", oursH, func(b *testing.B) string { return firstCookie(b, oursH, session.DefaultCookieName) }},
		{"sessionlock+prometheus", observedH, func(b *testing.B) string { return firstCookie(b, observedH, session.DefaultCookieName) }},
		{"scs", scsH, func(b *testing.B) string { return firstCookie(b, scsH, "session") }},
	}
}

// firstCookie sends a request without a cookie and returns the Cookie
// header that carries the session it created.
func firstCookie(b *testing.B, h http.Handler, name string) string {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	for _, c := range w.Result().Cookies() {
		if c.Name == name {
			return name + "=" + c.Value
		}
	}
	b.Fatalf("no %s cookie set", name)
	return ""
}

func request(cookie string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	if cookie != "" {
		r.Header.Set("Cookie", cookie)
	}
	return r
}

// BenchmarkSerial: one session, one goroutine.
func BenchmarkSerial(b *testing.B) {
	for _, st := range stacks() {
		b.Run(st.name, func(b *testing.B) {
			r := request(st.cookie(b))
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				st.h.ServeHTTP(w, r)
			}
		})
	}
}

// BenchmarkParallel: one session per goroutine, all goroutines at once.
func BenchmarkParallel(b *testing.B) {
	for _, st := range stacks() {
		b.Run(st.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				r := request(st.cookie(b))
				w := &discardWriter{h: http.Header{}}
				for pb.Next() {
					w.reset()
					st.h.ServeHTTP(w, r)
				}
			})
		})
	}
}

// TestSameWork checks that every stack really reads and writes the session:
// ten requests leave the counter at ten.
func TestSameWork(t *testing.T) {
	ours := session.NewManager(nil)
	h := ours.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
		w.Write([]byte(strconv.Itoa(n + 1)))
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	cookie := w.Result().Cookies()[0]
	for i := 2; i <= 10; i++ {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(cookie)
		h.ServeHTTP(w, r)
		if w.Body.String() != strconv.Itoa(i) {
			t.Fatalf("request %d answered %q", i, w.Body)
		}
	}
}
