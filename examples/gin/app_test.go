package main

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// startApp serves the app on a loopback port and returns its base URL, a
// client with one cookie jar (one browser, two tabs), and the Manager.
func startApp(t *testing.T) (string, *http.Client, func() int64) {
	t.Helper()
	sleep = 0 // the hook below stands for the long operation
	m, h := newApp()
	gin.SetMode(gin.ReleaseMode)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	return "http://" + ln.Addr().String(), client, func() int64 { return m.Stats().Waiting }
}

func get(t *testing.T, c *http.Client, url string) string {
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

// holdPage installs a hook that parks page in its long operation until the
// returned release function is called; entered is closed once it is parked.
func holdPage(t *testing.T, page string) (entered <-chan struct{}, release func()) {
	in, out := make(chan struct{}), make(chan struct{})
	h := func(p string) {
		if p == page {
			close(in)
			<-out
		}
	}
	hook.Store(&h)
	var once sync.Once
	release = func() { once.Do(func() { close(out) }) }
	t.Cleanup(func() { release(); hook.Store(nil) })
	return in, release
}

func TestPage2WaitsBehindPage1(t *testing.T) {
	base, client, waiting := startApp(t)
	get(t, client, base+"/") // the first visit creates the session
	entered, release := holdPage(t, "page1")

	order := make(chan string, 2)
	go func() { get(t, client, base+"/page1"); order <- "page1" }()
	<-entered
	go func() {
		if got := get(t, client, base+"/page2"); got != "Hello World!" {
			t.Errorf("page2 = %q", got)
		}
		order <- "page2"
	}()
	// page2 reaches the session lock and waits for page1 to release it.
	deadline := time.Now().Add(30 * time.Second) // a bound on a broken app, not a speed requirement
	for waiting() == 0 {
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

func TestPage2DoesNotWaitBehindFixedPage1(t *testing.T) {
	base, client, _ := startApp(t)
	get(t, client, base+"/")
	entered, release := holdPage(t, "page1-fixed")

	done := make(chan struct{})
	go func() { get(t, client, base+"/page1-fixed"); close(done) }()
	<-entered
	// page1-fixed is still in its long operation (parked in the hook until
	// the deferred release): page2 must be served now.
	if got := get(t, client, base+"/page2"); got != "Hello World!" {
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

func TestDebugPageIsMounted(t *testing.T) {
	base, client, _ := startApp(t)
	get(t, client, base+"/")
	page := get(t, client, base+"/debug/sessions")
	if !strings.Contains(page, `<td class="route">/</td>`) {
		t.Fatalf("/debug/sessions does not show the route of the first visit:\n%s", page)
	}
}
