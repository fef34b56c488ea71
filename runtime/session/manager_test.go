package session_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// counterHandler increments the session's "n" and answers the new value.
var counterHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	s := session.FromContext(r.Context())
	n, _ := s.Get("n").(int)
	s.Set("n", n+1) //sessionlock:ignore TestWriteMisusePanicsAndSavesNothing serves it read-only and explicit on purpose
	fmt.Fprint(w, n+1)
})

// readHandler answers the session's "n".
var readHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	n, _ := session.FromContext(r.Context()).Get("n").(int)
	fmt.Fprint(w, n)
})

// testConcurrentCounter sends one request to create the session, then 199
// concurrent ones of that session, spread over the managers; every request
// increments the counter, which must end at exactly 200.
func testConcurrentCounter(t *testing.T, managers ...*session.Manager) {
	t.Helper()
	w := do(managers[0].Middleware(counterHandler), "", "/")
	id := sessionCookie(t, w)
	if id == "" {
		t.Fatalf("first request set no session cookie (status %d)", w.Code)
	}
	var wg sync.WaitGroup
	for i := range 199 {
		h := managers[i%len(managers)].Middleware(counterHandler)
		wg.Go(func() {
			if w := do(h, id, "/"); w.Code != http.StatusOK {
				t.Errorf("request %d: status %d: %s", i, w.Code, w.Body)
			}
		})
	}
	wg.Wait()
	if got := do(managers[0].ReadOnly(readHandler), id, "/").Body.String(); got != "200" {
		t.Fatalf("after 200 concurrent increments of one session the counter is %s, want 200", got)
	}
}

func TestConcurrentCounterMemory(t *testing.T) {
	testConcurrentCounter(t, session.NewManager(nil))
}

func TestTwoSessionsDoNotWaitOnEachOther(t *testing.T) {
	m := session.NewManager(nil)
	entered, unblock := make(chan struct{}), make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/block", func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("x", 1)
		close(entered)
		<-unblock
	})
	mux.Handle("/count", counterHandler)
	h := m.Middleware(mux)
	a := sessionCookie(t, do(h, "", "/count"))
	b := sessionCookie(t, do(h, "", "/count"))
	done := make(chan struct{})
	go func() { do(h, a, "/block"); close(done) }()
	<-entered
	// Session a is locked by a blocked handler; b must be served anyway
	// (with a lock wait far longer than the test's patience, so a wait on
	// a would hang the test rather than pass by timing out).
	if got := do(h, b, "/count").Body.String(); got != "2" {
		t.Fatalf("session b answered %q while a was locked, want 2", got)
	}
	close(unblock)
	<-done
	if st := m.Stats(); st.Waits != 0 {
		t.Fatalf("Stats.Waits = %d, want 0: the two sessions waited on each other", st.Waits)
	}
}

func TestReleaseThenLongWorkLetsOtherRequestsRun(t *testing.T) {
	m := session.NewManager(nil)
	released, unblock := make(chan struct{}), make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		s.Set("n", 41)
		if err := s.ReleaseLock(); err != nil {
			t.Error(err)
		}
		close(released)
		<-unblock // the long work
		if got := s.Get("n"); got != 41 {
			t.Errorf("Get after ReleaseLock = %v, want the saved 41", got)
		}
	})
	mux.Handle("/count", counterHandler)
	h := m.Middleware(mux)
	id := sessionCookie(t, do(h, "", "/count"))
	done := make(chan struct{})
	go func() { do(h, id, "/slow"); close(done) }()
	<-released
	if got := do(h, id, "/count").Body.String(); got != "42" {
		t.Fatalf("request during the released handler's work answered %q, want 42", got)
	}
	close(unblock)
	<-done
	if got := do(h, id, "/count").Body.String(); got != "43" {
		t.Fatalf("after the slow handler ended the counter is %q, want 43: its end overwrote a newer change", got)
	}
}

func TestWriteMisusePanicsAndSavesNothing(t *testing.T) {
	m := session.NewManager(nil)
	var msg string
	mux := http.NewServeMux()
	mux.Handle("/count", counterHandler)
	mux.HandleFunc("/after-release", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		s.Set("n", 100) //sessionlock:ignore served in every mode on purpose: the test checks each misuse panics
		_ = s.ReleaseLock()
		msg = mustPanic(t, func() { s.Set("n", 999) })
	})
	mux.HandleFunc("/explicit", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		msg = mustPanic(t, func() { s.Set("n", 999) })
	})
	mux.HandleFunc("/readonly", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		msg = mustPanic(t, func() { s.Delete("n") })
	})
	id := sessionCookie(t, do(m.Middleware(mux), "", "/count"))

	do(m.Middleware(mux), id, "/after-release")
	for _, want := range []string{`Set("n")`, "after ReleaseLock", "AcquireLock"} {
		if !contains(msg, want) {
			t.Errorf("panic after ReleaseLock %q does not mention %q", msg, want)
		}
	}
	do(m.Explicit(mux), id, "/explicit")
	for _, want := range []string{`Set("n")`, "before AcquireLock", "Fix: call AcquireLock"} {
		if !contains(msg, want) {
			t.Errorf("panic in Explicit %q does not mention %q", msg, want)
		}
	}
	do(m.ReadOnly(mux), id, "/readonly")
	for _, want := range []string{`Delete("n")`, "ReadOnly", "Manager.Middleware"} {
		if !contains(msg, want) {
			t.Errorf("panic in ReadOnly %q does not mention %q", msg, want)
		}
	}
	if got := do(m.ReadOnly(readHandler), id, "/").Body.String(); got != "100" {
		t.Fatalf("after the misused writes the counter is %s, want 100 (saved before ReleaseLock)", got)
	}
}

func TestExplicitAcquireReloads(t *testing.T) {
	m := session.NewManager(nil)
	h := m.Middleware(counterHandler)
	id := sessionCookie(t, do(h, "", "/"))
	loaded, bumped := make(chan struct{}), make(chan struct{})
	ex := m.Explicit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		if got := s.Get("n"); got != 1 {
			t.Errorf("Explicit snapshot n = %v, want 1", got)
		}
		close(loaded)
		<-bumped // another request changes the session meanwhile
		if err := s.AcquireLock(r.Context()); err != nil {
			t.Error(err)
			return
		}
		n := s.Get("n").(int)
		s.Set("n", n*10)
	}))
	done := make(chan struct{})
	go func() { do(ex, id, "/"); close(done) }()
	<-loaded
	do(h, id, "/") // not blocked: the Explicit handler holds no lock
	close(bumped)
	<-done
	if got := do(m.ReadOnly(readHandler), id, "/").Body.String(); got != "20" {
		t.Fatalf("n = %s, want 20: AcquireLock must reload the value saved meanwhile", got)
	}
}

func TestHandlerPanicKeepsStateAndReleases(t *testing.T) {
	m := session.NewManager(nil)
	h := m.Middleware(counterHandler)
	id := sessionCookie(t, do(h, "", "/"))
	boom := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 1000)
		panic("boom")
	}))
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Fatalf("recovered %v, want the handler's panic to go on", r)
			}
		}()
		do(boom, id, "/")
	}()
	// The lock must be free: this request would otherwise wait forever.
	if got := do(h, id, "/").Body.String(); got != "2" {
		t.Fatalf("after a panicking handler the counter went to %s, want 2", got)
	}
}

func TestLockWaitTimeoutAnswers503(t *testing.T) {
	m := session.NewManager(nil, session.WithLockWait(30*time.Millisecond), session.WithLogger(slog.New(slog.DiscardHandler)))
	entered, unblock := make(chan struct{}), make(chan struct{})
	h := m.Middleware(counterHandler)
	id := sessionCookie(t, do(h, "", "/"))
	hold := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-unblock
	}))
	done := make(chan struct{})
	go func() { do(hold, id, "/"); close(done) }()
	<-entered
	ran := false
	w := do(m.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ran = true })), id, "/")
	close(unblock)
	<-done
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || !contains(w.Body.String(), "holds its lock") {
		t.Fatalf("timed-out request got %d, Retry-After %q, body %q; want 503 with Retry-After and an explanation", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if ran {
		t.Fatal("the handler ran although its lock wait timed out")
	}
	if st := m.Stats(); st.Timeouts != 1 || st.Waits != 1 || st.WaitTime <= 0 {
		t.Fatalf("Stats = %+v, want 1 timeout and 1 wait", st)
	}
}

func TestCancelledWaitsLeakNothing(t *testing.T) {
	m := session.NewManager(nil)
	entered, unblock := make(chan struct{}), make(chan struct{})
	h := m.Middleware(counterHandler)
	id := sessionCookie(t, do(h, "", "/"))
	noSessionGoroutines(t)
	hold := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-unblock
	}))
	done := make(chan struct{})
	go func() { do(hold, id, "/"); close(done) }()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if w := doCtx(ctx, h, id, "/"); w.Body.Len() != 0 {
				t.Errorf("a request whose client left got body %q", w.Body)
			}
		})
	}
	cancel()
	wg.Wait()
	close(unblock)
	<-done
	noSessionGoroutines(t)
	if got := do(h, id, "/").Body.String(); got != "2" {
		t.Fatalf("counter %s after the cancelled waits, want 2: a cancelled request ran its handler", got)
	}
}

func TestNoCookieNoRecordForUnusedSession(t *testing.T) {
	store := session.NewMemoryStore()
	m := session.NewManager(store)
	w := do(m.Middleware(readHandler), "", "/")
	if c := sessionCookie(t, w); c != "" {
		t.Fatalf("a session that stored nothing got cookie %q", c)
	}
	if n := store.Len(); n != 0 {
		t.Fatalf("a session that stored nothing left %d store entries", n)
	}
	// Unknown IDs (guessed or stale) must not pile up entries either.
	for range 100 {
		do(m.Middleware(readHandler), session.NewID(), "/")
	}
	if n := store.Len(); n != 0 {
		t.Fatalf("100 requests with unknown IDs left %d store entries", n)
	}
}

func TestCookieAttributes(t *testing.T) {
	m := session.NewManager(nil, session.WithCookieName("sid"), session.WithSecure(true))
	w := do(m.Middleware(counterHandler), "", "/")
	var c *http.Cookie
	for _, ck := range w.Result().Cookies() {
		if ck.Name == "sid" {
			c = ck
		}
	}
	if c == nil {
		t.Fatalf("no sid cookie in %q", w.Header().Values("Set-Cookie"))
	}
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || !session.ValidID(c.Value) {
		t.Fatalf("cookie %+v: want HttpOnly, Secure, SameSite=Lax, Path=/ and a valid ID", c)
	}
}

func TestStrictModeNeverAdoptsUnknownID(t *testing.T) {
	m := session.NewManager(nil)
	planted := session.NewID()
	got := sessionCookie(t, do(m.Middleware(counterHandler), planted, "/"))
	if got == "" || got == planted {
		t.Fatalf("strict mode answered cookie %q for the unknown ID %q, want a fresh ID", got, planted)
	}
}

type cart struct{ Items []string }

type unregistered struct{ A int }

func init() { gob.Register(cart{}); gob.Register(map[string]int{}) }

func TestValuesKeepTheirTypes(t *testing.T) {
	testValuesKeepTypes(t, session.NewManager(nil))
}

func testValuesKeepTypes(t *testing.T, m *session.Manager) {
	t.Helper()
	when := time.Date(2026, 11, 25, 20, 0, 0, 123, time.FixedZone("X", 3600))
	want := map[string]any{
		"s": "str", "i": -7, "i64": int64(1 << 40), "b": true, "f": 2.5,
		"raw": []byte{0, 1, 2}, "t": when, "cart": cart{Items: []string{"a", "b"}},
		"u8": uint8(7), "m": map[string]int{"k": 1},
	}
	set := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		for k, v := range want {
			s.Set(k, v)
		}
	}))
	id := sessionCookie(t, do(set, "", "/"))
	do(m.ReadOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		for k, v := range want {
			if got := s.Get(k); fmt.Sprintf("%T %#v", got, got) != fmt.Sprintf("%T %#v", v, v) {
				if tv, ok := v.(time.Time); !ok || !tv.Equal(got.(time.Time)) {
					t.Errorf("Get(%q) = %T %#v, want %T %#v", k, got, got, v, v)
				}
			}
		}
	})), id, "/")
}

func TestUnregisteredTypeFailsWith500AndSavesNothing(t *testing.T) {
	m := session.NewManager(nil, session.WithLogger(slog.New(slog.DiscardHandler)))
	h := m.Middleware(counterHandler)
	id := sessionCookie(t, do(h, "", "/"))
	w := do(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		s.Set("n", 50)
		s.Set("bad", unregistered{1})
		fmt.Fprint(w, "looks fine")
	})), id, "/")
	if w.Code != http.StatusInternalServerError || contains(w.Body.String(), "looks fine") {
		t.Fatalf("unencodable value: status %d body %q, want 500 without the handler's body", w.Code, w.Body)
	}
	if got := do(h, id, "/").Body.String(); got != "2" {
		t.Fatalf("counter %s after the failed save, want 2 (nothing of the failed request saved)", got)
	}
	var errSeen error
	do(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		s.Set("bad", unregistered{1})
		errSeen = s.ReleaseLock()
	})), id, "/")
	if errSeen == nil || !contains(errSeen.Error(), `key "bad"`) || !contains(errSeen.Error(), "gob.Register(session_test.unregistered{})") {
		t.Fatalf("ReleaseLock error %v: want one naming the key and the gob.Register call", errSeen)
	}
}

func TestMapMutatedAfterReleaseIsNotShared(t *testing.T) {
	m := session.NewManager(nil)
	released, unblock := make(chan struct{}), make(chan struct{})
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		s.Set("m", map[string]int{"a": 1})
		_ = s.ReleaseLock()
		s.Get("m").(map[string]int)["a"] = 99
		close(released)
		<-unblock
	}))
	id := sessionCookie(t, do(m.Middleware(counterHandler), "", "/"))
	done := make(chan struct{})
	go func() { do(h, id, "/"); close(done) }()
	<-released
	do(m.ReadOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := session.FromContext(r.Context()).Get("m").(map[string]int)["a"]; got != 1 {
			t.Errorf("another request sees m[a] = %d, want the saved 1", got)
		}
	})), id, "/")
	close(unblock)
	<-done
}

func TestRegenerate(t *testing.T) {
	m := session.NewManager(nil)
	h := m.Middleware(counterHandler)
	old := sessionCookie(t, do(h, "", "/"))
	w := do(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := session.FromContext(r.Context()).Regenerate(); err != nil {
			t.Error(err)
		}
	})), old, "/")
	nu := sessionCookie(t, w)
	if nu == "" || nu == old {
		t.Fatalf("Regenerate sent cookie %q (old %q), want a new ID", nu, old)
	}
	if got := do(h, nu, "/").Body.String(); got != "2" {
		t.Fatalf("new ID counter %s, want 2 (data kept)", got)
	}
	if got := do(m.ReadOnly(readHandler), old, "/").Body.String(); got != "0" {
		t.Fatalf("old ID still has counter %s after Regenerate, want it gone", got)
	}
}

func TestClearDeletesRecordAndExpiresCookie(t *testing.T) {
	m := session.NewManager(nil)
	h := m.Middleware(counterHandler)
	id := sessionCookie(t, do(h, "", "/"))
	w := do(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Clear()
	})), id, "/")
	if c := sessionCookie(t, w); c != "-" {
		t.Fatalf("logout cookie %q, want an expired cookie", c)
	}
	if got := do(m.ReadOnly(readHandler), id, "/").Body.String(); got != "0" {
		t.Fatalf("counter %s after Clear, want the session gone", got)
	}
}

func TestFromContextWithoutMiddlewarePanicsWithHowTo(t *testing.T) {
	msg := mustPanic(t, func() { session.FromContext(context.Background()) })
	if !contains(msg, "m.Middleware(mux)") || !contains(msg, "NewManager") {
		t.Fatalf("panic %q does not say how to install the middleware", msg)
	}
}

func TestLongHoldIsLoggedWithRoute(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, nil))
	m := session.NewManager(nil, session.WithLongHold(time.Nanosecond), session.WithLogger(logger))
	mux := http.NewServeMux()
	mux.Handle("GET /report/{id}", counterHandler)
	h := m.Middleware(mux)
	id := sessionCookie(t, do(h, "", "/report/1"))
	do(h, id, "/report/2")
	mu.Lock()
	defer mu.Unlock()
	if !contains(buf.String(), "GET /report/{id}") || !contains(buf.String(), "ReleaseLock") {
		t.Fatalf("log %q does not name the route and the fix", buf.String())
	}
	if st := m.Stats(); st.LongHolds == 0 || st.LongestHold <= 0 || st.Acquisitions < 2 {
		t.Fatalf("Stats = %+v after long holds", st)
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestFlusherKeepsWorking(t *testing.T) {
	m := session.NewManager(nil)
	w := do(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 1)
		if _, ok := w.(http.Flusher); !ok {
			t.Error("the wrapped writer is not an http.Flusher")
		}
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("ResponseController.Flush: %v", err)
		}
	})), "", "/")
	if !w.Flushed || sessionCookie(t, w) == "" {
		t.Fatalf("flushed=%v cookie=%q: want the flush to reach the recorder, with the cookie", w.Flushed, sessionCookie(t, w))
	}
}

func TestNonStrictAdoptsClientID(t *testing.T) {
	m := session.NewManager(nil, session.WithStrict(false))
	planted := session.NewID()
	do(m.Middleware(counterHandler), planted, "/")
	if got := do(m.ReadOnly(readHandler), planted, "/").Body.String(); got != "1" {
		t.Fatalf("non-strict mode: counter under the client's ID is %s, want 1", got)
	}
}

func TestAcquireAfterReleaseReloadsAndSaves(t *testing.T) {
	m := session.NewManager(nil)
	h := m.Middleware(counterHandler)
	id := sessionCookie(t, do(h, "", "/"))
	released, bumped := make(chan struct{}), make(chan struct{})
	var errs [3]error
	done := make(chan struct{})
	go func() {
		defer close(done)
		do(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := session.FromContext(r.Context())
			errs[0] = s.ReleaseLock()
			errs[1] = s.ReleaseLock() // idempotent
			close(released)
			<-bumped
			errs[2] = s.AcquireLock(r.Context())
			s.Set("n", s.Get("n").(int)*100)
		})), id, "/")
	}()
	<-released
	do(h, id, "/") // n: 1 -> 2 while the first request is released
	close(bumped)
	<-done
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if got := do(m.ReadOnly(readHandler), id, "/").Body.String(); got != "200" {
		t.Fatalf("n = %s, want 200: AcquireLock must reload the 2 saved meanwhile, and the end must save", got)
	}
}

// A handler may use its session from goroutines it waits for: the Session
// is safe for concurrent use, including ReleaseLock racing the response.
func TestSessionUsedFromHandlerGoroutines(t *testing.T) {
	m := session.NewManager(nil)
	id := sessionCookie(t, do(m.Middleware(counterHandler), "", "/"))
	do(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() { s.Set("k"+strconv.Itoa(i), i) })
		}
		wg.Wait() //sessionlock:ignore waits only for this handler's own short session writes
		wg.Go(func() { _ = s.ReleaseLock() })
		fmt.Fprint(w, "racing the release")
		wg.Wait() //sessionlock:ignore waits for the goroutine that releases the lock
	})), id, "/")
	do(m.ReadOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		for i := range 4 {
			if got := s.Get("k" + strconv.Itoa(i)); got != i {
				t.Errorf("k%d = %v, want %d", i, got, i)
			}
		}
	})), id, "/")
}
