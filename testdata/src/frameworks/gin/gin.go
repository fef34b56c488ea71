// Package ginapp registers handlers on gin behind the runtime's gin
// adapter (ginsession): on the engine, on groups given the middleware at
// creation or with Use, and per route; handlers that reach the session
// through the request's context or through ginsession.From, and handlers
// that never touch it.
package ginapp

import (
	"database/sql"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sessionlock/sessionlock/runtime/ginsession"

	"frameworks/pages"
	"sessionlib"
)

var (
	m  = &sessionlib.Manager{}
	db *sql.DB
)

// Held: the engine's middleware locks every route, its groups' too.

func profile(c *gin.Context) {
	s := sessionlib.FromContext(c.Request.Context())
	s.Set("seen", true)
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func rates(c *gin.Context) {
	s := ginsession.From(c)
	resp, err := http.Get("http://127.0.0.1/rates") // want `net/http.Get blocks while the session lock is held`
	if err != nil {
		c.AbortWithStatus(http.StatusBadGateway)
		return
	}
	resp.Body.Close()
	s.Set("rates", resp.Status)
}

func account(c *gin.Context) {
	var name string
	id := ginsession.From(c).Get("user")
	db.QueryRow("select name from users where id = $1", id).Scan(&name) // want `\(\*database/sql.DB\).QueryRow blocks while the session lock is held`
	c.String(http.StatusOK, name)
}

func slowAudit() { time.Sleep(time.Second) }

// Every call that blocks is reported, not only the first.
func twice(c *gin.Context) {
	_ = ginsession.From(c).Get("user")
	slowAudit()                            // want `slowAudit blocks while the session lock is held \(slowAudit → time.Sleep\)`
	time.Sleep(time.Millisecond)           // want `time.Sleep blocks while the session lock is held`
	db.Exec("update visits set n = n + 1") // want `\(\*database/sql.DB\).Exec blocks while the session lock is held`
}

func logout(c *gin.Context) {
	s := ginsession.From(c)
	s.Clear()
	s.ReleaseLock()
	time.Sleep(time.Second) // released: other requests go on
	s.Set("flash", "bye")   // want `s.Set writes the session after its lock was released`
}

// home runs another handler: the call is reported, as is the callee's
// own blocking call where the callee is judged.
func home(c *gin.Context) {
	_ = ginsession.From(c).Get("user")
	profile(c) // want `profile blocks while the session lock is held \(profile → time.Sleep\)`
}

// inPlace runs literals in place: what they block on is reported inside
// them, and at their call.
func inPlace(c *gin.Context) {
	s := ginsession.From(c)
	err := func() error {
		time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
		return nil
	}() // want `inPlace.func1 blocks while the session lock is held \(inPlace.func1 → time.Sleep\)`
	s.Set("ok", err == nil)
}

// page1 never touches the session, yet runs under the lock.
func page1(c *gin.Context) {
	time.Sleep(20 * time.Second) // want `time.Sleep blocks while the session lock is held`
	c.String(http.StatusOK, "*Yawn*")
}

func nested(c *gin.Context) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func stdPage(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func held() *gin.Engine {
	r := gin.New()
	r.Use(ginsession.Middleware(m))
	r.GET("/profile", profile)
	r.GET("/rates", rates)
	r.Handle(http.MethodGet, "/account", account)
	r.POST("/twice", twice)
	r.POST("/logout", logout)
	r.GET("/page1", page1)
	r.GET("/home", home)
	r.GET("/in-place", inPlace)
	r.GET("/remote", pages.Gin) // want `handler pages.Gin blocks at pages/pages.go:17 while the session lock is held \(pages.Gin → time.Sleep\)`
	r.GET("/std", gin.WrapF(stdPage))
	r.GET("/lit", func(c *gin.Context) {
		<-time.After(time.Second) // want `<-time.After blocks while the session lock is held`
	})
	api := r.Group("/api")
	v1 := api.Group("/v1")
	v1.GET("/nested", nested)
	return r
}

// Groups and routes given the middleware on an engine that has none.

func groupPage(c *gin.Context) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func usedPage(c *gin.Context) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func routePage(c *gin.Context) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

// Read-only: never locked, so blocking is fine and a write is lost.

func roSlow(c *gin.Context) {
	_ = ginsession.From(c).Get("user")
	time.Sleep(time.Second) // read-only: the lock is never held
}

func roFetch(c *gin.Context) {
	_ = sessionlib.FromContext(c.Request.Context()).Get("user")
	http.Get("http://127.0.0.1/x") // read-only: the lock is never held
}

func roWrite(c *gin.Context) {
	s := ginsession.From(c)
	s.Set("seen", true) // want `s.Set writes the session in a read-only handler`
}

func roUsed(c *gin.Context) {
	s := ginsession.From(c)
	time.Sleep(time.Second) // read-only: the lock is never held
	s.Delete("cart")        // want `s.Delete writes the session in a read-only handler`
}

// roDeclared declares its mode, as a handler whose serving the analyzer
// cannot see would.
//
//sessionlock:served readonly
func roDeclared(c *gin.Context) {
	s := ginsession.From(c)
	time.Sleep(time.Second) // read-only: the lock is never held
	s.Set("seen", true)     // want `s.Set writes the session in a read-only handler`
}

// Explicit: unlocked until the handler acquires.

func exSave(c *gin.Context) {
	s := ginsession.From(c)
	s.Set("early", 1) // want `s.Set writes the session before its lock is taken`
	s.AcquireLock(c.Request.Context())
	s.Set("late", 2)
}

func exSlow(c *gin.Context) {
	s := ginsession.From(c)
	time.Sleep(time.Second) // explicit: not locked yet
	s.AcquireLock(c.Request.Context())
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	s.Set("done", true)
}

// exForgot never acquires: served explicit, its write is lost.
func exForgot(c *gin.Context) {
	s := ginsession.From(c)
	s.Set("cart", nil) // want `s.Set writes the session before its lock is taken`
}

// Served without the session middleware: nothing runs under the lock.
// Each form below has its own engine, with such a route beside the
// middleware's: the middleware of a group or a route serves only that
// group or route.

func health(c *gin.Context) {
	time.Sleep(time.Second) // no session middleware on this engine
	c.Status(http.StatusOK)
}

func status(c *gin.Context) {
	time.Sleep(time.Second) // the group's middleware is not the engine's
}

func ping(c *gin.Context) {
	time.Sleep(time.Second) // the route's middleware is not the engine's
}

func groupAtCreation() *gin.Engine {
	r := gin.New()
	r.GET("/health", health)
	r.GET("/remote-public", pages.Gin) // no session middleware on this engine
	g := r.Group("/g", ginsession.Middleware(m))
	g.GET("/page", groupPage)
	return r
}

func groupUse() *gin.Engine {
	r := gin.New()
	r.GET("/status", status)
	u := r.Group("/u")
	u.Use(ginsession.Middleware(m))
	u.GET("/page", usedPage)
	return r
}

func perRoute() *gin.Engine {
	r := gin.New()
	r.GET("/ping", ping)
	r.GET("/route", ginsession.Middleware(m), routePage)
	return r
}

func readOnly() *gin.Engine {
	r := gin.New()
	ro := r.Group("/ro", ginsession.ReadOnly(m))
	ro.GET("/slow", roSlow)
	ro.GET("/fetch", roFetch)
	ro.POST("/write", roWrite)
	ro.POST("/declared", roDeclared)
	ro.GET("/remote", pages.Gin) // read-only: blocking is fine
	rou := r.Group("/rou")
	rou.Use(ginsession.ReadOnly(m))
	rou.POST("/used", roUsed)
	return r
}

func explicit() *gin.Engine {
	r := gin.New()
	ex := r.Group("/ex", ginsession.Explicit(m))
	ex.POST("/save", exSave)
	ex.POST("/slow", exSlow)
	ex.POST("/forgot", exForgot)
	return r
}

func start() {
	http.ListenAndServe("127.0.0.1:8080", held())
	for _, e := range []*gin.Engine{groupAtCreation(), groupUse(), perRoute(), readOnly(), explicit()} {
		go e.Run()
	}
}
