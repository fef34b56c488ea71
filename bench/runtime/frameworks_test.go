package bench

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/labstack/echo/v4"
	"github.com/sessionlock/sessionlock/runtime/ginsession"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// The per-request cost on the routers people use: ServeMux, chi, echo and
// gin, each serving GET / four ways, all running the same work as
// BenchmarkSerial's stacks:
//
//	bare         the router and the handler, no middleware
//	noop         a middleware that does nothing, mounted as the session
//	             middleware is (echo: echo.WrapMiddleware; gin: a HandlerFunc
//	             calling c.Next), so its cost is the router's, not ours
//	sessionlock  the Manager (chi: r.Use(m.Middleware); echo:
//	             echo.WrapMiddleware(m.Middleware); gin: ginsession.Middleware)
//	scs          scs's LoadAndSave the same way, where it works: ServeMux,
//	             chi and echo take net/http middleware; scs has no gin
//	             adapter, so gin has no scs row
//
// What an adapter adds is sessionlock minus noop on its router, against
// sessionlock minus noop on ServeMux.

// routerStack is one router serving one way.
type routerStack struct {
	name   string
	h      http.Handler
	cookie string // the session cookie's name; "" for no session
}

// router builds a router of one kind serving GET / (the benchmarked
// route) and, for the session kinds, GET /n answering the session's count
// (for TestRoutersSameWork); nil when the kind does not work with it.
type router struct {
	name  string
	build func(st stackKind) http.Handler
}

type stackKind int

const (
	kindBare stackKind = iota
	kindNoop
	kindSessionlock
	kindSCS
)

var kindNames = []string{"bare", "noop", "sessionlock", "scs"}

// noopMiddleware is net/http middleware that does nothing.
func noopMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) })
}

// netHTTPHandlers returns, for routers that take net/http middleware, the
// middleware of kind k (nil: none), the handler of GET / and that of GET /n,
// with a new Manager or scs SessionManager.
func netHTTPHandlers(k stackKind) (mw func(http.Handler) http.Handler, h, show http.Handler) {
	switch k {
	case kindNoop:
		return noopMiddleware, http.HandlerFunc(bareOK), nil
	case kindSessionlock:
		return session.NewManager(nil).Middleware, counter, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, _ := session.FromContext(r.Context()).Get("n").(int)
			w.Write([]byte(strconv.Itoa(n)))
		})
	case kindSCS:
		sm := scs.New()
		return sm.LoadAndSave, scsCounter(sm), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(strconv.Itoa(sm.GetInt(r.Context(), "n"))))
		})
	}
	return nil, http.HandlerFunc(bareOK), nil
}

func bareOK(w http.ResponseWriter, r *http.Request) { w.Write(ok) }

func scsCounter(sm *scs.SessionManager) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := sm.GetInt(r.Context(), "n")
		sm.Put(r.Context(), "n", n+1)
		w.Write(ok)
	})
}

var routers = []router{
	{"mux", func(k stackKind) http.Handler {
		mw, h, show := netHTTPHandlers(k)
		mux := http.NewServeMux()
		if mw == nil {
			mw = func(h http.Handler) http.Handler { return h }
		}
		mux.Handle("GET /{$}", mw(h))
		if show != nil {
			mux.Handle("GET /n", mw(show))
		}
		return mux
	}},
	{"chi", func(k stackKind) http.Handler {
		mw, h, show := netHTTPHandlers(k)
		r := chi.NewRouter()
		if mw != nil {
			r.Use(mw)
		}
		r.Get("/", h.ServeHTTP)
		if show != nil {
			r.Get("/n", show.ServeHTTP)
		}
		return r
	}},
	{"echo", func(k stackKind) http.Handler {
		e := echo.New()
		switch k {
		case kindSessionlock:
			e.Use(echo.WrapMiddleware(session.NewManager(nil).Middleware))
			e.GET("/", func(c echo.Context) error {
				s := session.FromContext(c.Request().Context())
				n, _ := s.Get("n").(int)
				s.Set("n", n+1)
				_, err := c.Response().Write(ok)
				return err
			})
			e.GET("/n", func(c echo.Context) error {
				n, _ := session.FromContext(c.Request().Context()).Get("n").(int)
				return c.String(http.StatusOK, strconv.Itoa(n))
			})
			return e
		case kindSCS:
			sm := scs.New()
			e.Use(echo.WrapMiddleware(sm.LoadAndSave))
			e.GET("/", func(c echo.Context) error {
				n := sm.GetInt(c.Request().Context(), "n")
				sm.Put(c.Request().Context(), "n", n+1)
				_, err := c.Response().Write(ok)
				return err
			})
			e.GET("/n", func(c echo.Context) error {
				return c.String(http.StatusOK, strconv.Itoa(sm.GetInt(c.Request().Context(), "n")))
			})
			return e
		case kindNoop:
			e.Use(echo.WrapMiddleware(noopMiddleware))
		}
		e.GET("/", func(c echo.Context) error { _, err := c.Response().Write(ok); return err })
		return e
	}},
	{"gin", func(k stackKind) http.Handler {
		gin.SetMode(gin.ReleaseMode)
		r := gin.New()
		switch k {
		case kindSessionlock:
			r.Use(ginsession.Middleware(session.NewManager(nil)))
			r.GET("/", func(c *gin.Context) {
				s := ginsession.From(c)
				n, _ := s.Get("n").(int)
				s.Set("n", n+1)
				c.Writer.Write(ok)
			})
			r.GET("/n", func(c *gin.Context) {
				n, _ := ginsession.From(c).Get("n").(int)
				c.String(http.StatusOK, strconv.Itoa(n))
			})
			return r
		case kindSCS:
			return nil // scs has no gin adapter
		case kindNoop:
			r.Use(func(c *gin.Context) { c.Next() })
		}
		r.GET("/", func(c *gin.Context) { c.Writer.Write(ok) })
		return r
	}},
}

// routerStacks returns every router's stacks, in a stable order.
func routerStacks() []routerStack {
	var out []routerStack
	for _, rt := range routers {
		for k := kindBare; k <= kindSCS; k++ {
			h := rt.build(k)
			if h == nil {
				continue
			}
			cookie := ""
			switch k {
			case kindSessionlock:
				cookie = session.DefaultCookieName
			case kindSCS:
				cookie = "session"
			}
			out = append(out, routerStack{rt.name + "/" + kindNames[k], h, cookie})
		}
	}
	return out
}

// BenchmarkRouter: one session, one goroutine, on each router.
func BenchmarkRouter(b *testing.B) {
	for _, st := range routerStacks() {
		b.Run(st.name, func(b *testing.B) {
			cookie := ""
			if st.cookie != "" {
				cookie = firstCookie(b, st.h, st.cookie)
			}
			r := request(cookie)
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				w.reset()
				st.h.ServeHTTP(w, r)
			}
		})
	}
}

// TestRoutersSameWork checks that every router stack answers and that each
// session stack really counts: ten requests of one session leave 10.
func TestRoutersSameWork(t *testing.T) {
	for _, st := range routerStacks() {
		t.Run(st.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			st.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
			if w.Code != http.StatusOK || w.Body.String() != "ok" {
				t.Fatalf("GET / = %d %q", w.Code, w.Body)
			}
			if st.cookie == "" {
				return
			}
			var cookie *http.Cookie
			for _, c := range w.Result().Cookies() {
				if c.Name == st.cookie {
					cookie = c
				}
			}
			if cookie == nil {
				t.Fatalf("no %s cookie", st.cookie)
			}
			for range 9 {
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.AddCookie(cookie)
				st.h.ServeHTTP(httptest.NewRecorder(), r)
			}
			r := httptest.NewRequest(http.MethodGet, "/n", nil)
			r.AddCookie(cookie)
			w = httptest.NewRecorder()
			st.h.ServeHTTP(w, r)
			if got := w.Body.String(); got != "10" {
				t.Fatalf("the session's count after 10 requests is %q; want 10", got)
			}
		})
	}
}
