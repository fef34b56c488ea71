package redisstore_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/internal/apptest"
	"github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// When a reply is lost after Redis ran a script, go-redis runs the script
// again (MaxRetries). These tests drop exactly one reply at the proxy and
// check that the second run reports what the first did.

// warm runs each script once on s's server, so that the reply a test drops
// is a script's answer and not the NOSCRIPT of a first EVALSHA (after
// which the script had not run).
func warm(t *testing.T, s *redisstore.Store) {
	t.Helper()
	id := session.NewID()
	for _, del := range []bool{false, true} {
		l, _ := mustLock(t, s, id)
		var err error
		if del {
			err = l.Delete(ctxT(t))
		} else {
			err = l.Unlock(ctxT(t), []byte("x"), future())
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// proxiedStore returns a store (with opts) whose client talks to the shared server
// through a proxy, with scripts loaded, and its key prefix. The lease is
// far longer than any test: only the scripts decide.
func proxiedStore(t *testing.T, opts ...redisstore.Option) (*redisstore.Store, *proxy, string) {
	prefix := freshPrefix()
	px := startProxy(t, sharedRedis(t))
	opts = append([]redisstore.Option{redisstore.Prefix(prefix), redisstore.LockTTL(time.Hour)}, opts...)
	s := redisstore.New(newClient(t, px.Addr), opts...)
	warm(t, s)
	return s, px, prefix
}

// A save+unlock whose reply was lost has saved and released; its retry
// must say so, not report a lost lock.
func TestSaveRetriedAfterLostReply(t *testing.T) {
	s, px, prefix := proxiedStore(t)
	direct := newClient(t, sharedRedis(t))
	id := session.NewID()
	lockKey := prefix + "{" + id + "}:lock"

	for _, tc := range []struct {
		name string
		end  func(session.Lock) error
		want string // the record afterwards; "" for none
	}{
		{"Unlock with data", func(l session.Lock) error { return l.Unlock(ctxT(t), []byte("v2"), future()) }, "v2"},
		{"Unlock without data", func(l session.Lock) error { return l.Unlock(ctxT(t), nil, time.Time{}) }, "v2"},
		{"Delete", func(l session.Lock) error { return l.Delete(ctxT(t)) }, ""},
	} {
		l, _ := mustLock(t, s, id)
		px.dropReply()
		if err := tc.end(l); err != nil {
			t.Fatalf("%s whose first reply was lost: %v; want success, the script ran", tc.name, err)
		}
		select {
		case <-px.dropped:
		default:
			t.Fatalf("%s: the proxy dropped no reply; the test did not test anything", tc.name)
		}
		got, err := s.Load(ctxT(t), id)
		if err != nil || string(got) != tc.want {
			t.Fatalf("%s: record = %q, %v; want %q", tc.name, got, err, tc.want)
		}
		if n := direct.Exists(ctxT(t), lockKey).Val(); n != 0 {
			t.Fatalf("%s: the lock is still held after the release", tc.name)
		}
	}
}

// A lock+load whose reply was lost took the lock; the retry finds the
// caller's own token and must return the lock with the record instead of
// waiting for its own lease to end.
func TestLockRetriedAfterLostReply(t *testing.T) {
	s, px, _ := proxiedStore(t)
	id := session.NewID()

	for _, want := range []string{"", "v1"} { // no record, then a record
		px.dropReply()
		l, data, err := s.Lock(ctxT(t), id)
		if err != nil {
			t.Fatalf("Lock whose first reply was lost: %v; want the lock, the script took it", err)
		}
		<-px.dropped
		if string(data) != want {
			t.Fatalf("Lock returned %q, want %q", data, want)
		}
		if err := l.Unlock(ctxT(t), []byte("v1"), future()); err != nil {
			t.Fatal(err)
		}
	}
}

// Over HTTP: a save whose reply is lost must answer 200 and count once,
// not 500 (after which a client's retry would count twice).
func TestManagerSaveRetriedAfterLostReply(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	px := startProxy(t, addr)
	a := startApp(t, newClient(t, px.Addr), prefix, redisstore.LockTTL(time.Hour))
	cookie := apptest.NewSession(t, a)
	// The handler runs with the lock held, so the next reply is the save's.
	a.Before = px.dropReply
	code, body := apptest.Do(t, a.URL+"/inc", cookie)
	a.Before = nil
	if code != 200 {
		var err error
		select {
		case err = <-a.Errs:
		default:
		}
		t.Fatalf("/inc whose save reply was lost = %d %q (%v), want 200", code, body, err)
	}
	<-px.dropped
	if got := apptest.Get(t, a, cookie); got != "1" {
		t.Fatalf("n = %s, want 1", got)
	}
	if err := errors.Join(drain(a.Errs)...); err != nil {
		t.Fatalf("errors logged: %v", err)
	}
}

// drain returns what ch holds now.
func drain(ch chan error) []error {
	var errs []error
	for {
		select {
		case err := <-ch:
			errs = append(errs, err)
		default:
			return errs
		}
	}
}

// A waiter's wait and lock attempt travel in one pipeline (BLPOP, lock
// script). When the reply is lost after the attempt took the lock, go-redis
// sends the pipeline again: its BLPOP then finds no signal and waits out
// RetryInterval, and its lock attempt must find the waiter's own token and
// return the lock with the holder's save, not wait a lease for itself.
func TestWaitRetriedAfterLostReply(t *testing.T) {
	b, px, prefix := proxiedStore(t, redisstore.RetryInterval(time.Second))
	a := redisstore.New(newClient(t, sharedRedis(t)), redisstore.Prefix(prefix), redisstore.LockTTL(time.Hour))
	direct := newClient(t, sharedRedis(t))
	id := session.NewID()

	la, _ := mustLock(t, a, id)
	got := make(chan error, 1)
	go func() {
		lb, data, err := b.LockAs(ctxT(t), id, "GET /waiter")
		if err == nil && string(data) != "from a" {
			err = errors.New("b loaded " + string(data) + ", want a's save")
		}
		if err == nil {
			err = lb.Unlock(ctxT(t), []byte("from b"), future())
		}
		got <- err
	}()
	expired := outOfPatience()
	for direct.Exists(ctxT(t), prefix+"{"+id+"}:waiters").Val() == 0 {
		if expired() {
			t.Fatal("b never joined the waiters")
		}
		time.Sleep(time.Millisecond)
	}
	px.dropReply()
	if err := la.Unlock(ctxT(t), []byte("from a"), future()); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("a waiter whose reply was lost: %v", err)
	}
	select {
	case <-px.dropped:
	default:
		t.Fatal("the proxy dropped no reply; the test did not test anything")
	}
	if got, _ := a.Load(ctxT(t), id); string(got) != "from b" {
		t.Fatalf("record = %q, want b's save", got)
	}
}
