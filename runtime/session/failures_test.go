package session_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// faultyStore wraps a MemoryStore and injects the failures of a remote
// store: an outage, or a lease that expired so the lock was lost.
type faultyStore struct {
	*session.MemoryStore
	down     atomic.Bool           // fail with errOutage
	fail     atomic.Pointer[error] // when set, fail with this error instead
	loseLock atomic.Bool
	saves    atomic.Int64 // Unlock calls that carried data
}

var errOutage = errors.New("store unreachable")

// failure is the error the store fails with now, or nil.
func (s *faultyStore) failure() error {
	if p := s.fail.Load(); p != nil {
		return *p
	}
	if s.down.Load() {
		return errOutage
	}
	return nil
}

func (s *faultyStore) Load(ctx context.Context, id string) ([]byte, error) {
	if err := s.failure(); err != nil {
		return nil, err
	}
	return s.MemoryStore.Load(ctx, id)
}

func (s *faultyStore) Lock(ctx context.Context, id string) (session.Lock, []byte, error) {
	if err := s.failure(); err != nil {
		return nil, nil, err
	}
	l, data, err := s.MemoryStore.Lock(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return &faultyLock{l, s}, data, nil
}

type faultyLock struct {
	session.Lock
	s *faultyStore
}

func (l *faultyLock) Unlock(ctx context.Context, data []byte, exp time.Time) error {
	if l.s.loseLock.Load() {
		l.Lock.Unlock(ctx, nil, exp)
		return fmt.Errorf("lease expired: %w", session.ErrLockLost)
	}
	if data != nil {
		l.s.saves.Add(1)
	}
	return l.Lock.Unlock(ctx, data, exp)
}

func TestStoreOutageGoesToErrorHandler(t *testing.T) {
	store := &faultyStore{MemoryStore: session.NewMemoryStore()}
	var handled error
	m := session.NewManager(store, session.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		handled = err
		http.Error(w, "sessions are down", http.StatusBadGateway)
	}))
	id := sessionCookie(t, do(m.Middleware(counterHandler), "", "/"))
	store.down.Store(true)
	ran := false
	for name, wrap := range map[string]func(http.Handler) http.Handler{"Middleware": m.Middleware, "Explicit": m.Explicit, "ReadOnly": m.ReadOnly} {
		handled = nil
		w := do(wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ran = true })), id, "/")
		if w.Code != http.StatusBadGateway || !errors.Is(handled, errOutage) || ran {
			t.Fatalf("%s during an outage: status %d, handled %v, handler ran %v", name, w.Code, handled, ran)
		}
	}
}

func TestLockLostFailsRequest(t *testing.T) {
	store := &faultyStore{MemoryStore: session.NewMemoryStore()}
	m := session.NewManager(store, session.WithLogger(discard))
	h := m.Middleware(counterHandler)
	id := sessionCookie(t, do(h, "", "/"))
	store.loseLock.Store(true)
	silent := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 7) // writes nothing to the response
	}))
	if w := do(silent, id, "/"); w.Code != http.StatusInternalServerError {
		t.Fatalf("lost lock: status %d, want 500", w.Code)
	}
	var relErr error
	do(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 8)
		relErr = session.FromContext(r.Context()).ReleaseLock()
	})), id, "/")
	if !errors.Is(relErr, session.ErrLockLost) {
		t.Fatalf("ReleaseLock with a lost lock = %v, want ErrLockLost", relErr)
	}
	store.loseLock.Store(false)
	if got := do(h, id, "/").Body.String(); got != "2" {
		t.Fatalf("counter %s, want 2: nothing of the lost-lock requests may be saved", got)
	}
}

func TestIdleRefreshWritesOnlyWhenDue(t *testing.T) {
	store := &faultyStore{MemoryStore: session.NewMemoryStore()}
	m := session.NewManager(store, session.WithIdleTimeout(time.Hour))
	id := sessionCookie(t, do(m.Middleware(counterHandler), "", "/"))
	before := store.saves.Load()
	for range 5 {
		do(m.Middleware(readHandler), id, "/")
	}
	if n := store.saves.Load() - before; n != 0 {
		t.Fatalf("5 reading requests well within the idle timeout caused %d store writes, want 0", n)
	}

	clock := &fakeClock{now: time.Now()}
	session.SetClock(m, clock.Now)
	id = sessionCookie(t, do(m.Middleware(counterHandler), "", "/"))
	clock.Advance(16 * time.Minute) // past a quarter of the idle timeout, far from all of it
	before = store.saves.Load()
	do(m.Middleware(readHandler), id, "/")
	if n := store.saves.Load() - before; n != 1 {
		t.Fatalf("a request after a quarter of the idle timeout caused %d writes, want 1 (refresh)", n)
	}
}

// Without an error handler, a store error that wraps ErrStoreUnavailable is
// answered 503 with Retry-After (the client may retry), any other one 500;
// neither runs the handler nor shows the cause to the client.
func TestDefaultAnswersToStoreErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
	}{
		{fmt.Errorf("dial: connection refused: %w", session.ErrStoreUnavailable), http.StatusServiceUnavailable},
		{errOutage, http.StatusInternalServerError},
	} {
		store := &faultyStore{MemoryStore: session.NewMemoryStore()}
		m := session.NewManager(store, session.WithLogger(discard))
		id := sessionCookie(t, do(m.Middleware(counterHandler), "", "/"))
		store.fail.Store(&tc.err)
		ran := false
		w := do(m.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ran = true })), id, "/")
		retry := w.Header().Get("Retry-After")
		if w.Code != tc.code || ran || (tc.code == http.StatusServiceUnavailable) != (retry != "") {
			t.Errorf("store error %q: status %d, Retry-After %q, handler ran %v; want %d", tc.err, w.Code, retry, ran, tc.code)
		}
		if strings.Contains(w.Body.String(), tc.err.Error()) {
			t.Errorf("body %q shows the store's error to the client", w.Body.String())
		}
	}
}
