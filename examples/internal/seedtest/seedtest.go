// Package seedtest holds the tests the seed apps share: examples/seed (on a
// ServeMux) and examples/gin (on gin) must show the same ordering on a
// loopback server, page2 waiting behind page1 and not behind page1-fixed,
// proven with a hook that parks page1 instead of with timings.
package seedtest

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// patience bounds a wait on a broken app; it is not a speed requirement.
const patience = 30 * time.Second

// An App is a seed app under test, its long operation cut to nothing.
type App struct {
	Handler http.Handler
	// Waiting returns how many requests wait for a session lock now
	// (the Manager's Stats().Waiting).
	Waiting func() int64
	// SetHook installs f where the app's long operation ends; nil
	// removes it.
	SetHook func(f func(page string))
}

// Start serves app on a loopback port until the test ends and returns its
// base URL and a client with one cookie jar (one browser, two tabs).
func Start(t *testing.T, app App) (string, *http.Client) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: app.Handler}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	jar, _ := cookiejar.New(nil)
	return "http://" + ln.Addr().String(), &http.Client{Jar: jar, Timeout: patience}
}

// Get fetches url, reports an error unless it answers 200, and returns the
// body.
func Get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Error(err)
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %s %s", url, resp.Status, b)
	}
	return string(b)
}

// hold parks page in its long operation until the returned release
// function is called; entered is closed once it is parked.
func hold(t *testing.T, app App, page string) (entered <-chan struct{}, release func()) {
	in, out := make(chan struct{}), make(chan struct{})
	app.SetHook(func(p string) {
		if p == page {
			close(in)
			<-out
		}
	})
	var once sync.Once
	release = func() { once.Do(func() { close(out) }) }
	t.Cleanup(func() { release(); app.SetHook(nil) })
	return in, release
}

// Page2WaitsBehindPage1: page1 holds the session lock through its long
// operation, so page2 of the same browser waits for it.
func Page2WaitsBehindPage1(t *testing.T, app App) {
	base, client := Start(t, app)
	Get(t, client, base+"/") // the first visit creates the session
	entered, release := hold(t, app, "page1")

	order := make(chan string, 2)
	go func() { Get(t, client, base+"/page1"); order <- "page1" }()
	<-entered
	go func() {
		if got := Get(t, client, base+"/page2"); got != "Hello World!" {
			t.Errorf("page2 = %q", got)
		}
		order <- "page2"
	}()
	// page2 reaches the session lock and waits for page1 to release it.
	deadline := time.Now().Add(patience)
	for app.Waiting() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("page2 never reached the session lock while page1 held it")
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case p := <-order:
		t.Fatalf("%s finished while page1 was still in its long operation", p)
	default:
	}
	// Only letting page1 finish lets page2 through.
	release()
	<-order
	<-order
}

// Page2DoesNotWaitBehindFixedPage1: page1-fixed releases the lock before
// its long operation, so page2 is served while it runs.
func Page2DoesNotWaitBehindFixedPage1(t *testing.T, app App) {
	base, client := Start(t, app)
	Get(t, client, base+"/")
	entered, release := hold(t, app, "page1-fixed")

	done := make(chan struct{})
	go func() { Get(t, client, base+"/page1-fixed"); close(done) }()
	<-entered
	// page1-fixed is still in its long operation (parked in the hook until
	// the release below): page2 must be served now.
	if got := Get(t, client, base+"/page2"); got != "Hello World!" {
		t.Fatalf("page2 = %q while the fixed page1 was running", got)
	}
	select {
	case <-done:
		t.Fatal("page1-fixed finished early; the test proved nothing")
	default:
	}
	release()
	<-done
}

// DebugPageShows: /debug/sessions is mounted and names the first visit's
// route as route.
func DebugPageShows(t *testing.T, app App, route string) {
	base, client := Start(t, app)
	Get(t, client, base+"/")
	page := Get(t, client, base+"/debug/sessions")
	if want := `<td class="route">` + route + `</td>`; !strings.Contains(page, want) {
		t.Fatalf("/debug/sessions does not show the route of the first visit (%s):\n%s", want, page)
	}
}

// AppOf returns the App of a seed app served by h with m, which calls the
// function in hook, when set, where its long operation ends.
func AppOf(m *session.Manager, h http.Handler, hook *atomic.Pointer[func(page string)]) App {
	return App{
		Handler: h,
		Waiting: func() int64 { return m.Stats().Waiting },
		SetHook: func(f func(page string)) {
			if f == nil {
				hook.Store(nil)
				return
			}
			hook.Store(&f)
		},
	}
}
