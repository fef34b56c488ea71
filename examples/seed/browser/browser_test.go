package browser

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// patience bounds waits that must end; it fails a hung test, it is not a
// speed requirement.
const patience = 60 * time.Second

// seedApp builds examples/seed and starts it on a free loopback port with
// page1's long operation and the lock wait both an hour, so page1 holds
// the lock and page2 waits for as long as the test needs. It returns the
// app's base URL; the app is killed at the end of the test.
func seedApp(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "seed")
	build := exec.Command("go", "build", "-o", bin, "./examples/seed")
	build.Dir = filepath.Join("..", "..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./examples/seed: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-sleep", "1h", "-lock-wait", "1h")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	serving := regexp.MustCompile(`serving on (http://127\.0\.0\.1:[0-9]+)/`)
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if m := serving.FindStringSubmatch(lines.Text()); m != nil {
			go io.Copy(io.Discard, stderr) // the app's later log lines
			return m[1]
		}
	}
	t.Fatalf("the seed app exited without saying where it serves: %v", lines.Err())
	return ""
}

// chromium returns a tab of headless Debian Chromium, and a context bounding
// the test's actions in it (the browser's own context must have no
// timeout: chromedp ties the browser's life to it).
func chromium(t *testing.T) (tab, actions context.Context) {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (%v): `make deps` installs it, or run apt-get install chromium", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // Debian's chromium runs headless as root only without its sandbox
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
	)
	ctx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	tab, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(tab); err != nil { // starts the browser
		t.Fatalf("starting chromium: %v", err)
	}
	actions, cancel := context.WithTimeout(tab, patience)
	t.Cleanup(cancel)
	return tab, actions
}

func TestDebugPageInBrowser(t *testing.T) {
	base := seedApp(t)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar} // one user: page1 and page2 share the session
	resp, err := client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	var id string
	for _, c := range jar.Cookies(u) {
		id = c.Value
	}
	if id == "" {
		t.Fatal("the first visit set no session cookie")
	}
	// page1 holds the session's lock for an hour; page2 waits for it.
	// Neither answers before the app is killed.
	go client.Get(base + "/page1")
	waitForPage(t, base, `<td class="route">GET /page1</td>`)
	go client.Get(base + "/page2")
	waitForPage(t, base, `<tr class="waiter">`)

	_, ctx := chromium(t)
	// First the page as it is, not reloading, so that each read sees one
	// and the same document.
	page := base + "/debug/sessions?refresh=0"
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`tr.waiter`))); err != nil {
		t.Fatalf("loading %s in chromium: %v", page, err)
	}
	holder := text(t, ctx, `tr.holder td.route`)
	waiter := text(t, ctx, `tr.waiter td.route`)
	if holder != "GET /page1" || waiter != "GET /page2" {
		t.Fatalf("the page shows holder %q and waiter %q, want GET /page1 holding and GET /page2 waiting", holder, waiter)
	}
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS(`html`)))
	if err != nil {
		t.Fatal(err)
	}
	assertNoID(t, html, id)

	// The page reloads itself: its "As of" time moves on with no action
	// of ours, and the rows are there again after the reload. A read that
	// meets a reload half-way fails ("Cannot find context"), and is tried
	// again on the new document.
	page = base + "/debug/sessions?refresh=1"
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`tr.waiter`))); err != nil {
		t.Fatalf("loading %s in chromium: %v", page, err)
	}
	first := text(t, ctx, `p.note`)
	var (
		rows    int
		lastErr error
	)
	for deadline := time.Now().Add(patience); ; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the page never reloaded itself with its lock rows (last error: %v)", lastErr)
		}
		// The waiter's row comes after the note and the holder's row: once
		// it is there, the document has all three.
		if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`tr.waiter`))); err != nil {
			lastErr = err
			continue
		}
		note, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`p.note`)))
		if err != nil {
			lastErr = err
			continue
		}
		if note == first {
			continue
		}
		if rows, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("tr.holder, tr.waiter").length`)); err != nil {
			lastErr = err
			continue
		}
		break
	}
	if rows != 2 {
		t.Fatalf("the reloaded page has %d lock rows, want the holder and the waiter", rows)
	}
}

// text returns the visible text of the first element matching the CSS
// selector.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("reading %s: %v", css, err)
	}
	return s
}

// waitForPage polls the debug page until it contains want: it waits for
// the app to reach a state, not for a time.
func waitForPage(t *testing.T, base, want string) {
	t.Helper()
	for deadline := time.Now().Add(patience); ; time.Sleep(10 * time.Millisecond) {
		resp, err := http.Get(base + "/debug/sessions?refresh=0")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the debug page never showed %q:\n%s", want, b)
		}
	}
}

// assertNoID fails if html holds the session ID or any 8 characters of it.
func assertNoID(t *testing.T, html, id string) {
	t.Helper()
	for i := 0; i+8 <= len(id); i++ {
		if strings.Contains(html, id[i:i+8]) {
			t.Fatalf("the page contains %q, part of the session ID", id[i:i+8])
		}
	}
}

func TestMain(m *testing.M) {
	// The test builds the app with the go command it runs under.
	if _, err := exec.LookPath("go"); err != nil {
		os.Stderr.WriteString("browser tests need the go command on PATH\n")
		os.Exit(1)
	}
	os.Exit(m.Run())
}
