package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/sessionlock/sessionlock/runtime/ginsession"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// sleep is the length of page1's long operation (-sleep).
var sleep = 20 * time.Second

// hook, when set, runs where the long operation ends. The app leaves it
// unset; app_test.go blocks in it to hold page1 mid-operation for as long
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
	gin.SetMode(gin.ReleaseMode)
	_, h := newApp(session.WithLockWait(*lockWait))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("serving on http://%s/ (open /, then /page1 or /page1-fixed, then /page2 in another tab; "+
		"watch the session locks at /debug/sessions)", ln.Addr())
	log.Fatal(http.Serve(ln, h))
}

// newApp returns the app's Manager and its gin engine: every app route runs
// under the implicit session lock, as CherryPy's tools.sessions.on does;
// the session debug page is mounted beside them, outside the lock.
func newApp(opts ...session.Option) (*session.Manager, *gin.Engine) {
	m := session.NewManager(nil, append([]session.Option{session.WithLongHold(5 * time.Second)}, opts...)...)
	r := gin.New()
	r.Use(gin.Recovery())
	app := r.Group("/", ginsession.Middleware(m))
	app.GET("/", index)
	app.GET("/page1", page1)
	app.GET("/page1-fixed", page1Fixed)
	app.GET("/page2", page2)
	r.GET("/debug/sessions", gin.WrapH(m.DebugHandler()))
	return m, r
}

func index(c *gin.Context) {
	s := ginsession.From(c)
	n, _ := s.Get("visits").(int)
	s.Set("visits", n+1)
	c.String(http.StatusOK, "visit %d. Open /page1 (or /page1-fixed), then /page2 in another tab.\n", n+1)
}

// page1 is the article's first version: the long operation runs while the
// session is locked, so the user's other requests wait for it.
func page1(c *gin.Context) {
	// Simulate long operation
	time.Sleep(sleep)
	testHook("page1")
	c.String(http.StatusOK, "*Yawn*")
}

// page1Fixed is the article's fix: session work first, then ReleaseLock
// (CherryPy's release_lock()), then the long operation.
func page1Fixed(c *gin.Context) {
	s := ginsession.From(c)
	// Do any session manipulation here!
	s.Set("page1", time.Now().Format(time.RFC3339))
	if err := s.ReleaseLock(); err != nil {
		c.String(http.StatusInternalServerError, err.Error())
		return
	}
	// Simulate long operation
	time.Sleep(sleep)
	testHook("page1-fixed")
	c.String(http.StatusOK, "*Yawn*")
}

func page2(c *gin.Context) {
	fmt.Fprint(c.Writer, "Hello World!")
}
