// Package echoapp registers handlers on echo behind the session manager's
// net/http middleware adapted with echo.WrapMiddleware: on the instance, on
// groups given it at creation or with Use, and per route; in each lock
// mode.
package echoapp

import (
	"database/sql"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"frameworks/pages"
	"sessionlib"
)

var (
	m  = &sessionlib.Manager{}
	db *sql.DB
)

// Held: the instance's middleware locks every route, its groups' too.

func profile(c echo.Context) error {
	s := sessionlib.FromContext(c.Request().Context())
	s.Set("seen", true)
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return nil
}

func rates(c echo.Context) error {
	s := sessionlib.FromContext(c.Request().Context())
	resp, err := http.Get("http://127.0.0.1/rates") // want `net/http.Get blocks while the session lock is held`
	if err != nil {
		return err
	}
	resp.Body.Close()
	s.Set("rates", resp.Status)
	return nil
}

func account(c echo.Context) error {
	var name string
	id := sessionlib.FromContext(c.Request().Context()).Get("user")
	if err := db.QueryRow("select name from users where id = $1", id).Scan(&name); err != nil { // want `\(\*database/sql.DB\).QueryRow blocks while the session lock is held`
		return err
	}
	return c.String(http.StatusOK, name)
}

func slowAudit() { time.Sleep(time.Second) }

// Every call that blocks is reported, not only the first.
func twice(c echo.Context) error {
	_ = sessionlib.FromContext(c.Request().Context()).Get("user")
	slowAudit()                  // want `slowAudit blocks while the session lock is held \(slowAudit → time.Sleep\)`
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
	return nil
}

func logout(c echo.Context) error {
	s := sessionlib.FromContext(c.Request().Context())
	s.Clear()
	if err := s.ReleaseLock(); err != nil {
		return err
	}
	time.Sleep(time.Second) // released: other requests go on
	s.Set("flash", "bye")   // want `s.Set writes the session after its lock was released`
	return nil
}

// home runs another handler: the call is reported, as is the callee's
// own blocking call where the callee is judged.
func home(c echo.Context) error {
	_ = sessionlib.FromContext(c.Request().Context()).Get("user")
	profile(c) // want `profile blocks while the session lock is held \(profile → time.Sleep\)`
	return nil
}

// inPlace runs literals in place: what they block on is reported inside
// them, and at their call.
func inPlace(c echo.Context) error {
	s := sessionlib.FromContext(c.Request().Context())
	err := func() error {
		time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
		return nil
	}() // want `inPlace.func1 blocks while the session lock is held \(inPlace.func1 → time.Sleep\)`
	s.Set("ok", err == nil)
	return nil
}

// page1 never touches the session, yet runs under the lock.
func page1(c echo.Context) error {
	time.Sleep(20 * time.Second) // want `time.Sleep blocks while the session lock is held`
	return c.String(http.StatusOK, "*Yawn*")
}

func nested(c echo.Context) error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return nil
}

func stdPage(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

// An app's own context, embedding echo's, and the adapter that registers
// handlers taking it.
type appContext struct {
	echo.Context
	user string
}

func withApp(h func(*appContext) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		return h(&appContext{Context: c})
	}
}

func appProfile(c *appContext) error {
	s := sessionlib.FromContext(c.Request().Context())
	c.user, _ = s.Get("user").(string)
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return nil
}

func appPage(c *appContext) error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return nil
}

func held() *echo.Echo {
	e := echo.New()
	e.Use(echo.WrapMiddleware(m.Middleware))
	e.GET("/profile", profile)
	e.GET("/rates", rates)
	e.Add(http.MethodGet, "/account", account)
	e.POST("/twice", twice)
	e.POST("/logout", logout)
	e.GET("/page1", page1)
	e.GET("/home", home)
	e.GET("/in-place", inPlace)
	e.GET("/remote", pages.Echo) // want `handler pages.Echo blocks at pages/pages.go:23 while the session lock is held \(pages.Echo → time.Sleep\)`
	e.GET("/std", echo.WrapHandler(http.HandlerFunc(stdPage)))
	e.GET("/lit", func(c echo.Context) error {
		<-time.After(time.Second) // want `<-time.After blocks while the session lock is held`
		return nil
	})
	api := e.Group("/api")
	v1 := api.Group("/v1")
	v1.GET("/nested", nested)
	e.GET("/app/profile", withApp(appProfile))
	e.GET("/app/page", withApp(appPage))
	return e
}

// Groups and routes given the middleware on an instance that has none.

func groupPage(c echo.Context) error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return nil
}

func usedPage(c echo.Context) error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return nil
}

func routePage(c echo.Context) error {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	return nil
}

// Read-only: never locked, so blocking is fine and a write is lost.

func roSlow(c echo.Context) error {
	_ = sessionlib.FromContext(c.Request().Context()).Get("user")
	time.Sleep(time.Second) // read-only: the lock is never held
	return nil
}

func roWrite(c echo.Context) error {
	s := sessionlib.FromContext(c.Request().Context())
	s.Set("seen", true) // want `s.Set writes the session in a read-only handler`
	return nil
}

func roUsed(c echo.Context) error {
	s := sessionlib.FromContext(c.Request().Context())
	time.Sleep(time.Second) // read-only: the lock is never held
	s.Delete("cart")        // want `s.Delete writes the session in a read-only handler`
	return nil
}

// Explicit: unlocked until the handler acquires.

func exSave(c echo.Context) error {
	s := sessionlib.FromContext(c.Request().Context())
	s.Set("early", 1) // want `s.Set writes the session before its lock is taken`
	if err := s.AcquireLock(c.Request().Context()); err != nil {
		return err
	}
	s.Set("late", 2)
	return nil
}

func exSlow(c echo.Context) error {
	s := sessionlib.FromContext(c.Request().Context())
	time.Sleep(time.Second) // explicit: not locked yet
	if err := s.AcquireLock(c.Request().Context()); err != nil {
		return err
	}
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	s.Set("done", true)
	return nil
}

// exForgot never acquires: served explicit, its write is lost.
func exForgot(c echo.Context) error {
	s := sessionlib.FromContext(c.Request().Context())
	s.Set("cart", nil) // want `s.Set writes the session before its lock is taken`
	return nil
}

// Served without the session middleware: nothing runs under the lock.
// Each form below has its own instance, with such a route beside the
// middleware's: the middleware of a group or a route serves only that
// group or route.

func health(c echo.Context) error {
	time.Sleep(time.Second) // no session middleware on this instance
	return c.NoContent(http.StatusOK)
}

func status(c echo.Context) error {
	time.Sleep(time.Second) // the group's middleware is not the instance's
	return nil
}

func ping(c echo.Context) error {
	time.Sleep(time.Second) // the route's middleware is not the instance's
	return nil
}

func groupAtCreation() *echo.Echo {
	e := echo.New()
	e.GET("/health", health)
	e.GET("/remote-public", pages.Echo) // no session middleware on this instance
	g := e.Group("/g", echo.WrapMiddleware(m.Middleware))
	g.GET("/page", groupPage)
	return e
}

func groupUse() *echo.Echo {
	e := echo.New()
	e.GET("/status", status)
	u := e.Group("/u")
	u.Use(echo.WrapMiddleware(m.Middleware))
	u.GET("/page", usedPage)
	return e
}

func perRoute() *echo.Echo {
	e := echo.New()
	e.GET("/ping", ping)
	e.GET("/route", routePage, echo.WrapMiddleware(m.Middleware))
	return e
}

func readOnly() *echo.Echo {
	e := echo.New()
	ro := e.Group("/ro", echo.WrapMiddleware(m.ReadOnly))
	ro.GET("/slow", roSlow)
	ro.POST("/write", roWrite)
	ro.GET("/remote", pages.Echo) // read-only: blocking is fine
	rou := e.Group("/rou")
	rou.Use(echo.WrapMiddleware(m.ReadOnly))
	rou.POST("/used", roUsed)
	return e
}

func explicit() *echo.Echo {
	e := echo.New()
	ex := e.Group("/ex")
	ex.Use(echo.WrapMiddleware(m.Explicit))
	ex.POST("/save", exSave)
	ex.POST("/slow", exSlow)
	ex.POST("/forgot", exForgot)
	return e
}

func start() {
	http.ListenAndServe("127.0.0.1:8080", held())
	for _, e := range []*echo.Echo{groupAtCreation(), groupUse(), perRoute(), readOnly(), explicit()} {
		go e.Start("127.0.0.1:0")
	}
}
