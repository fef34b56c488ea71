package session_test

import (
	"context"
	"encoding/json"
	"expvar"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/sessionlock/sessionlock/runtime/session"
)

func debugPage(t *testing.T, m *session.Manager, query string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	m.DebugHandler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/debug/sessions"+query, nil))
	return w
}

var (
	holderRow = regexp.MustCompile(`<tr class="holder" data-session="([0-9a-f]{10})"><td><code>[0-9a-f]{10}</code></td><td>holds</td><td class="route">GET /page1</td><td class="num">[0-9.µmsh]+</td></tr>\s*<tr class="waiter"><td></td><td>waits</td><td class="route">GET /page2</td>`)
	svgChart  = regexp.MustCompile(`<svg xmlns="http://www.w3.org/2000/svg"[^>]*>(<line[^>]*/>)(<rect [^>]*><title>[^<]*</title></rect>){19}`)
)

func TestDebugPageShowsHolderAndWaiter(t *testing.T) {
	m := session.NewManager(nil, session.WithLogger(discard))
	sc := newSeed(t, m)
	sc.holdAndWait()
	w := debugPage(t, m, "")
	sc.release()
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("debug page: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	if !holderRow.MatchString(body) {
		t.Fatalf("the page has no row of page1 holding the lock followed by page2 waiting:\n%s", body)
	}
	if !strings.Contains(body, `<meta http-equiv="refresh" content="2">`) {
		t.Error("the page does not reload itself")
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q lets the page fetch or run something", csp)
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "src=") || strings.Contains(body, "<link") {
		t.Error("the page has a script or an external resource")
	}
	// GET / and page1 have finished holds: their routes have charts.
	if n := len(svgChart.FindAllString(body, -1)); n < 4 {
		t.Errorf("found %d SVG charts, want hold and wait charts of GET / and GET /page1", n)
	}
	assertNoID(t, body, sc.id)
}

func TestDebugPageAfterward(t *testing.T) {
	m := session.NewManager(nil, session.WithLogger(discard))
	sc := newSeed(t, m)
	sc.holdAndWait()
	sc.release()
	body := debugPage(t, m, "?refresh=0").Body.String()
	if strings.Contains(body, `class="holder"`) || !strings.Contains(body, "No session lock is held") {
		t.Errorf("the page lists a lock after every request ended:\n%s", body)
	}
	if strings.Contains(body, "http-equiv") {
		t.Error("refresh=0 still reloads")
	}
	for _, route := range []string{"GET /page1", "GET /page2", "GET /{$}"} {
		if !strings.Contains(body, `<td class="route">`+route+`</td>`) {
			t.Errorf("no per-route row for %s", route)
		}
	}
	assertNoID(t, body, sc.id)
}

func TestDebugPageRejectsBadRefresh(t *testing.T) {
	m := session.NewManager(nil)
	for _, q := range []string{"?refresh=x", "?refresh=-1", "?refresh=99999"} {
		w := debugPage(t, m, q)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "whole seconds") {
			t.Errorf("%s: %d %q, want 400 saying what refresh takes", q, w.Code, w.Body)
		}
	}
}

func TestExpvarPublishesStats(t *testing.T) {
	m := session.NewManager(nil, session.WithLogger(discard))
	sc := newSeed(t, m)
	sc.holdAndWait()
	sc.release()
	expvar.Publish("sessions_test", m.Expvar())
	var got struct {
		Acquisitions, Waits, Created uint64
		Routes                       map[string]struct{ Wait, Hold struct{ Count uint64 } }
	}
	if err := json.Unmarshal([]byte(expvar.Get("sessions_test").String()), &got); err != nil {
		t.Fatal(err)
	}
	if got.Acquisitions != 3 || got.Waits != 1 || got.Created != 1 {
		t.Errorf("expvar %+v, want 3 acquisitions, 1 wait, 1 session created", got)
	}
	if r := got.Routes["GET /page2"]; r.Wait.Count != 1 || r.Hold.Count != 1 {
		t.Errorf("expvar route GET /page2 = %+v, want one wait and one hold", r)
	}
}

// Requests whose clients gave up waiting leave the lock table: the debug
// page lists no phantom waiters, and no entry outlives the lock.
func TestDebugPageDropsAbandonedWaiters(t *testing.T) {
	m := session.NewManager(nil, session.WithLogger(discard))
	sc := newSeed(t, m)
	go func() { sc.page1 <- do(sc.h, sc.id, "/page1") }()
	<-sc.entered
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { doCtx(ctx, sc.h, sc.id, "/page2") })
	}
	waitFor(t, "the debug page to list three waiters", func() bool {
		return strings.Count(debugPage(t, m, "").Body.String(), `class="waiter"`) == 3
	})
	cancel()
	wg.Wait()
	body := debugPage(t, m, "").Body.String()
	if n := strings.Count(body, `class="waiter"`); n != 0 {
		t.Errorf("after their clients gave up, the debug page still lists %d waiters", n)
	}
	close(sc.unblock)
	<-sc.page1
	body = debugPage(t, m, "").Body.String()
	if !strings.Contains(body, "No session lock is held") {
		t.Errorf("after every request ended, the debug page still lists %d lock rows", strings.Count(body, `data-session=`))
	}
}
