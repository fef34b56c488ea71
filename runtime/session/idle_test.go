package session_test

import (
	"sync"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// A user active only on Explicit or ReadOnly routes stays logged in: those
// requests refresh the idle timeout too, without the lock, and write to the
// store only once a good part of the idle timeout has passed.
func TestUnlockedActivityKeepsSessionAlive(t *testing.T) {
	for _, route := range []string{"/read", "/explicit"} {
		store := &faultyStore{MemoryStore: session.NewMemoryStore()}
		m := session.NewManager(store, session.WithIdleTimeout(time.Hour))
		clock := &fakeClock{now: time.Now()}
		session.SetClock(m, clock.Now)
		mux := counterApp(m)
		for _, proto := range protocols {
			b := serve(t, proto, mux)
			b.get("/inc")
			// Twelve reads, ten minutes apart: two hours with no
			// request on a locking route.
			for i := range 12 {
				clock.Advance(10 * time.Minute)
				before := store.saves.Load()
				if _, got := b.get(route); got != "1" {
					t.Fatalf("%s %s after %d minutes of activity answered %s, want 1: the session ended", proto, route, (i+1)*10, got)
				}
				session.WaitTouches(m)
				// Quarter of the idle timeout: 15 minutes, so every
				// second read refreshes it.
				if want := int64(i % 2); store.saves.Load()-before != want {
					t.Fatalf("%s %s: read %d wrote %d times to the store, want %d", proto, route, i+1, store.saves.Load()-before, want)
				}
			}
			clock.Advance(10 * time.Minute)
			if _, got := b.get("/inc"); got != "2" {
				t.Fatalf("%s: after two hours of %s requests the counter is %s, want 2: the idle timeout logged the user out", proto, route, got)
			}
			// Idle for the whole timeout: gone.
			clock.Advance(time.Hour + time.Minute)
			if _, got := b.get(route); got != "0" {
				t.Fatalf("%s %s after an idle hour answered %s, want 0", proto, route, got)
			}
		}
	}
}
