package session_test

import (
	"context"
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

// clockStore is a MemoryStore whose records expire by the test's fake
// clock, as a real store's records expire by the real one: it hides a
// record once the clock reaches the expiry its last save set. (The
// MemoryStore itself reads the real clock, by which every expiry the fake
// clock sets is far off.)
type clockStore struct {
	*session.MemoryStore
	clock  *fakeClock
	mu     sync.Mutex
	expiry map[string]time.Time // by session ID
}

func newClockStore(clock *fakeClock) *clockStore {
	return &clockStore{MemoryStore: session.NewMemoryStore(), clock: clock, expiry: make(map[string]time.Time)}
}

func (s *clockStore) expired(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.expiry[id]
	return ok && !s.clock.Now().Before(exp)
}

func (s *clockStore) Load(ctx context.Context, id string) ([]byte, error) {
	if s.expired(id) {
		return nil, nil
	}
	return s.MemoryStore.Load(ctx, id)
}

func (s *clockStore) Lock(ctx context.Context, id string) (session.Lock, []byte, error) {
	l, data, err := s.MemoryStore.Lock(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if s.expired(id) {
		data = nil
	}
	return &clockLock{Lock: l, s: s, id: id}, data, nil
}

type clockLock struct {
	session.Lock
	s  *clockStore
	id string
}

func (l *clockLock) Unlock(ctx context.Context, data []byte, expiry time.Time) error {
	if data != nil {
		l.s.mu.Lock()
		l.s.expiry[l.id] = expiry
		l.s.mu.Unlock()
	}
	return l.Lock.Unlock(ctx, data, expiry)
}

func (l *clockLock) Delete(ctx context.Context) error {
	l.s.mu.Lock()
	delete(l.s.expiry, l.id)
	l.s.mu.Unlock()
	return l.Lock.Delete(ctx)
}

// unlockedRoutes are the routes of counterApp that serve the session
// without its lock.
var unlockedRoutes = []string{"/read", "/explicit"}

// The background refresh of an Explicit or ReadOnly request moves the
// record's expiry in the store, not only its last-access time: a user who
// comes back just within the idle timeout of each visit stays logged in.
func TestUnlockedActivityMovesStoreExpiry(t *testing.T) {
	for _, route := range unlockedRoutes {
		clock := &fakeClock{now: time.Now()}
		m := session.NewManager(newClockStore(clock), session.WithIdleTimeout(time.Hour))
		session.SetClock(m, clock.Now)
		mux := counterApp(m)
		id := sessionCookie(t, do(mux, "", "/inc"))
		for visit := 1; visit <= 4; visit++ {
			clock.Advance(50 * time.Minute)
			if got := do(mux, id, route).Body.String(); got != "1" {
				t.Fatalf("%s, visit %d, 50 minutes after the one before, answered %s, want 1: the store expired the session while the user was active", route, visit, got)
			}
			session.WaitTouches(m)
		}
		if got := do(mux, id, "/inc").Body.String(); got != "2" {
			t.Fatalf("%s: after the visits the counter went to %s, want 2", route, got)
		}
	}
}

// Activity on Explicit and ReadOnly routes keeps a session from its idle
// timeout, never from its absolute one: the refresh keeps the creation time.
func TestUnlockedActivityKeepsAbsoluteTimeout(t *testing.T) {
	for _, route := range unlockedRoutes {
		clock := &fakeClock{now: time.Now()}
		m := session.NewManager(newClockStore(clock), session.WithIdleTimeout(time.Hour), session.WithAbsoluteTimeout(2*time.Hour))
		session.SetClock(m, clock.Now)
		mux := counterApp(m)
		start := clock.Now()
		id := sessionCookie(t, do(mux, "", "/inc"))
		for range 5 {
			clock.Advance(20 * time.Minute)
			if got := do(mux, id, route).Body.String(); got != "1" {
				t.Fatalf("%s after %v answered %s, want 1: the session ended before its absolute timeout", route, clock.Now().Sub(start), got)
			}
			session.WaitTouches(m)
		}
		clock.Advance(20 * time.Minute) // two hours since the session was created
		if got := do(mux, id, route).Body.String(); got != "0" {
			t.Fatalf("%s two hours after the session was created answered %s, want 0: activity put off the absolute timeout", route, got)
		}
		session.WaitTouches(m)
		if got := do(mux, id, "/inc").Body.String(); got != "1" {
			t.Fatalf("/inc after the absolute timeout answered %s, want 1 (a new session)", got)
		}
	}
}
