package pgstore_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/internal/apptest"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// When a renewal finds the lease taken by another holder, the Manager
// cancels the handler's request context with ErrLockLost as its cause,
// and the request's change is refused (500): under Middleware's lock and
// under a lock taken with AcquireLock in an Explicit handler.
func TestLeaseLostCancelsHandler(t *testing.T) {
	for _, explicit := range []bool{false, true} {
		name := "Middleware"
		if explicit {
			name = "Explicit"
		}
		t.Run(name, func(t *testing.T) { testLeaseLostCancelsHandler(t, explicit) })
	}
}

func testLeaseLostCancelsHandler(t *testing.T, explicit bool) {
	pool := newPool(t, sharedDSN(t), 4)
	table := freshTable(t, pool)
	store := newStore(t, pool, pgstore.Table(table), pgstore.LockTTL(300*time.Millisecond))
	m := session.NewManager(store, session.WithLockWait(time.Minute))
	entered, cause := make(chan string, 1), make(chan error, 1)
	wrap := m.Middleware
	if explicit {
		wrap = m.Explicit
	}
	mux := http.NewServeMux()
	mux.Handle("/init", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("n", 1)
	})))
	mux.Handle("/slow", wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		if err := s.AcquireLock(r.Context()); err != nil { // a no-op under Middleware
			t.Error(err)
		}
		entered <- s.ID()
		select {
		case <-r.Context().Done():
			cause <- context.Cause(r.Context())
		case <-time.After(patience): //sessionlock:ignore holding the lock is the point: it is the lock that gets lost
			cause <- errors.New("the request's context was not cancelled")
		}
		s.Set("n", 2)
	})))
	a := &apptest.App{URL: apptest.Serve(t, mux)}
	cookie := apptest.NewSession(t, a)
	done := make(chan int, 1)
	go func() { code, _ := apptest.Do(t, a.URL+"/slow", cookie); done <- code }()
	id := <-entered
	if _, err := pool.Exec(ctxT(t), "UPDATE "+table+" SET lock_token = 42, lock_until = now() + interval '1 hour' "+
		"WHERE id_hash = sha256(convert_to($1, 'UTF8'))", id); err != nil {
		t.Fatal(err)
	}
	if err := <-cause; !errors.Is(err, session.ErrLockLost) {
		t.Fatalf("handler's context ended with %v, want cancellation caused by ErrLockLost", err)
	}
	if code := <-done; code != http.StatusInternalServerError {
		t.Fatalf("request that lost its lock = %d, want 500 (its change was refused)", code)
	}
}
