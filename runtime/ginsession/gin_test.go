package ginsession_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sessionlock/sessionlock/runtime/ginsession"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/servetest"
)

func hasCookie(w *httptest.ResponseRecorder) bool {
	for _, c := range w.Result().Cookies() {
		if c.Name == session.DefaultCookieName {
			return true
		}
	}
	return false
}

// TestNativeHandlers: gin's own ways of answering (c.String with a status,
// c.JSON, c.Status with no body, AbortWithStatus in a later middleware,
// c.Redirect) all send the session's cookie with the handler's status, and
// the session is saved.
func TestNativeHandlers(t *testing.T) {
	cases := []struct {
		path   string
		status int
		h      []gin.HandlerFunc
	}{
		{"/string", http.StatusCreated, []gin.HandlerFunc{func(c *gin.Context) {
			ginsession.From(c).Set("v", "string")
			c.String(http.StatusCreated, "made")
		}}},
		{"/json", http.StatusOK, []gin.HandlerFunc{func(c *gin.Context) {
			ginsession.From(c).Set("v", "json")
			c.JSON(http.StatusOK, gin.H{"ok": true})
		}}},
		{"/nobody", http.StatusNoContent, []gin.HandlerFunc{func(c *gin.Context) {
			ginsession.From(c).Set("v", "nobody")
			c.Status(http.StatusNoContent)
		}}},
		{"/abort", http.StatusUnauthorized, []gin.HandlerFunc{func(c *gin.Context) {
			ginsession.From(c).Set("v", "abort")
			c.AbortWithStatus(http.StatusUnauthorized)
		}, func(c *gin.Context) {
			t.Error("the handler after AbortWithStatus ran")
		}}},
		{"/redirect", http.StatusFound, []gin.HandlerFunc{func(c *gin.Context) {
			ginsession.From(c).Set("v", "redirect")
			c.Redirect(http.StatusFound, "/next")
		}}},
	}
	for _, tc := range cases {
		t.Run(tc.path[1:], func(t *testing.T) {
			m := session.NewManager(nil)
			r := gin.New()
			app := r.Group("/", ginsession.Middleware(m))
			app.GET(tc.path, tc.h...)
			r.GET("/v", ginsession.ReadOnly(m), func(c *gin.Context) {
				v, _ := ginsession.From(c).Get("v").(string)
				c.String(http.StatusOK, v)
			})
			b := servetest.NewBrowser(r)
			w := b.Get(tc.path)
			if w.Code != tc.status || !hasCookie(w) {
				t.Fatalf("%s = %d, Set-Cookie %q; want %d with the session cookie", tc.path, w.Code, w.Header().Values("Set-Cookie"), tc.status)
			}
			if got := b.Get("/v").Body.String(); got != tc.path[1:] {
				t.Fatalf("the session after %s holds %q; want %q saved", tc.path, got, tc.path[1:])
			}
		})
	}
}

// TestOuterMiddlewareSeesOriginals: a middleware before the adapter (a
// logger, say) finds its own request and writer after the chain, and the
// writer reports the handler's status and size.
func TestOuterMiddlewareSeesOriginals(t *testing.T) {
	m := session.NewManager(nil)
	r := gin.New()
	r.Use(func(c *gin.Context) {
		req, w := c.Request, c.Writer
		c.Next()
		if c.Request != req || c.Writer != w {
			t.Error("after the chain c.Request or c.Writer is not what the outer middleware passed in")
		}
		if c.Writer.Status() != http.StatusAccepted || c.Writer.Size() != len("queued") {
			t.Errorf("outer middleware sees status %d size %d; want 202 and %d", c.Writer.Status(), c.Writer.Size(), len("queued"))
		}
	}, ginsession.Middleware(m))
	r.GET("/", func(c *gin.Context) {
		if _, ok := c.Writer.(http.Hijacker); !ok {
			t.Error("c.Writer lost http.Hijacker")
		}
		ginsession.From(c).Set("k", 1)
		c.String(http.StatusAccepted, "queued")
	})
	if w := servetest.NewBrowser(r).Get("/"); w.Code != http.StatusAccepted || !hasCookie(w) {
		t.Fatalf("GET / = %d, Set-Cookie %q", w.Code, w.Header().Values("Set-Cookie"))
	}
}

// TestRecoveryOutside: with gin.Recovery before the adapter, a handler's
// panic becomes Recovery's 500 on the original writer, nothing of the
// handler's change is saved, and the lock is free.
func TestRecoveryOutside(t *testing.T) {
	m := session.NewManager(nil, session.WithLockWait(time.Second))
	r := gin.New()
	r.Use(gin.RecoveryWithWriter(discard{}), ginsession.Middleware(m))
	r.GET("/inc", func(c *gin.Context) {
		s := ginsession.From(c)
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
		c.String(http.StatusOK, "%d", n+1)
	})
	r.GET("/boom", func(c *gin.Context) {
		ginsession.From(c).Set("n", 99)
		panic("boom")
	})
	b := servetest.NewBrowser(r)
	b.Get("/inc")
	if w := b.Get("/boom"); w.Code != http.StatusInternalServerError {
		t.Fatalf("/boom = %d; want Recovery's 500", w.Code)
	}
	if w := b.Get("/inc"); w.Code != http.StatusOK || w.Body.String() != "2" {
		t.Fatalf("/inc after the panic = %d %q; want 200 \"2\"", w.Code, w.Body)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestFromWithoutAdapter: From on a route without the adapter panics with
// the Manager's message naming the fix.
func TestFromWithoutAdapter(t *testing.T) {
	r := gin.New()
	var msg string
	r.GET("/", func(c *gin.Context) {
		defer func() { msg, _ = recover().(string) }()
		ginsession.From(c)
	})
	servetest.NewBrowser(r).Get("/")
	if !strings.Contains(msg, "no session") {
		t.Fatalf("From without the adapter panicked with %q; want the Manager's no-session message", msg)
	}
}

// TestRouteStatsNameGinRoute: the Manager's per-route figures name gin's
// route pattern, not each path that matched it.
func TestRouteStatsNameGinRoute(t *testing.T) {
	m := session.NewManager(nil)
	r := gin.New()
	r.GET("/users/:id", ginsession.Middleware(m), func(c *gin.Context) {
		ginsession.From(c).Set("user", c.Param("id"))
		c.String(http.StatusOK, c.Param("id"))
	})
	b := servetest.NewBrowser(r)
	b.Get("/users/1")
	b.Get("/users/2")
	b.Get("/users/3")
	rs := m.RouteStats()
	if len(rs) != 1 || rs[0].Route != "/users/:id" || rs[0].Hold.Count == 0 {
		t.Fatalf("RouteStats = %+v; want one route, /users/:id", rs)
	}
}
