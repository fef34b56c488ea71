package redisstore_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/internal/apptest"
	"github.com/sessionlock/sessionlock/runtime/session"
)

func TestHolderIsRecordedWithTheLock(t *testing.T) {
	s, _ := newStore(t)
	ctx := ctxT(t)
	id := session.NewID()
	if _, held, err := s.Holder(ctx, id); err != nil || held {
		t.Fatalf("Holder of a free lock = held %v, %v", held, err)
	}
	before := time.Now().Truncate(time.Millisecond)
	l, _, err := s.LockAs(ctx, id, "GET /page1")
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	h, held, err := s.Holder(ctx, id)
	if err != nil || !held || h.Route != "GET /page1" || h.Since.Before(before) || h.Since.After(after) {
		t.Fatalf("Holder = %+v, held %v, %v; want GET /page1 since between %v and %v", h, held, err, before, after)
	}
	// The recorded token is the lock's: saving through it still works.
	if err := l.Unlock(ctx, []byte("rec"), future()); err != nil {
		t.Fatalf("Unlock of a lock taken with LockAs: %v", err)
	}
	if _, held, _ := s.Holder(ctx, id); held {
		t.Fatal("Holder reports the released lock as held")
	}
	l, data := mustLock(t, s, id)
	if string(data) != "rec" {
		t.Fatalf("record = %q, want the one saved through LockAs's lock", data)
	}
	if h, held, err := s.Holder(ctx, id); err != nil || !held || h != (session.Holder{}) {
		t.Fatalf("Holder of a lock taken with Lock = %+v, held %v, %v; want a zero Holder, held", h, held, err)
	}
	_ = l.Unlock(ctx, nil, time.Time{})
}

// warnings collects the JSON records of a logger.
type warnings struct{ apptest.LogBuffer }

// record returns the record whose message contains sub, waiting for it:
// a timed-out wait is logged once the store has named the holder, after
// the 503.
func (w *warnings) record(t *testing.T, sub string) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(patience); ; time.Sleep(time.Millisecond) {
		text := w.String()
		for line := range strings.Lines(text) {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err == nil && strings.Contains(rec["msg"].(string), sub) {
				return rec
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log record contains %q:\n%s", sub, text)
		}
	}
}

// Server A holds the session's lock in /inc; server B's /set times out and
// its log names A's route, which only Redis could tell it.
func TestTimeoutOnOtherServerNamesTheHolder(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	var log warnings
	a := startApp(t, newClient(t, addr), prefix)
	b := startAppWith(t, newClient(t, addr), prefix, []session.Option{
		session.WithLockWait(100 * time.Millisecond), session.WithLogger(slog.New(slog.NewJSONHandler(&log, nil)))})
	cookie := apptest.NewSession(t, a)
	release := apptest.HoldOn(t, a, cookie)
	defer release()
	code, _ := apptest.Do(t, b.URL+"/set?v=9", cookie)
	if code != http.StatusServiceUnavailable {
		t.Fatalf("B while A holds = %d, want 503", code)
	}
	// B asks Redis after its 503, while A still holds the lock.
	rec := log.record(t, "/set waited")
	if msg := rec["msg"].(string); !strings.Contains(msg, "held by /inc for ") || !strings.Contains(msg, "gave up") {
		t.Fatalf("B's log %q does not name A's route and hold time", msg)
	}
	if rec["holder_route"] != "/inc" {
		t.Fatalf("holder_route = %v, want /inc", rec["holder_route"])
	}
}

// B waits past the slow-wait threshold and then gets the lock: it asked
// Redis for the holder while A still held it.
func TestSlowWaitOnOtherServerNamesTheHolder(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	var log warnings
	var gets answered
	bClient := newClient(t, addr)
	bClient.AddHook(&gets)
	a := startApp(t, newClient(t, addr), prefix)
	b := startAppWith(t, bClient, prefix, []session.Option{
		session.WithSlowWait(time.Millisecond), session.WithLogger(slog.New(slog.NewJSONHandler(&log, nil)))})
	cookie := apptest.NewSession(t, a)
	release := apptest.HoldOn(t, a, cookie)
	waited := make(chan int, 1)
	go func() { code, _ := apptest.Do(t, b.URL+"/set?v=9", cookie); waited <- code }()
	// B's only GET is the holder lookup its slow-wait timer makes; once
	// Redis has answered it, A may let go.
	for deadline := time.Now().Add(patience); gets.n.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("B never asked Redis for the holder")
		}
	}
	if code := release(); code != 200 {
		t.Fatalf("A = %d", code)
	}
	if code := <-waited; code != 200 {
		t.Fatalf("B = %d", code)
	}
	rec := log.record(t, "/set waited")
	if msg := rec["msg"].(string); !strings.Contains(msg, "held by /inc for ") || strings.Contains(msg, "gave up") {
		t.Fatalf("B's log %q does not name A's route", msg)
	}
}

// answered is a go-redis hook that counts GET commands whose reply came.
type answered struct{ n atomic.Int64 }

func (a *answered) DialHook(next redis.DialHook) redis.DialHook { return next }

func (a *answered) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if cmd.Name() == "get" {
			a.n.Add(1)
		}
		return err
	}
}

func (a *answered) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
