package redisstore_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/redisstore/redistest"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// handoffRig is one session's lock contended by two stores (two app
// servers) on one Redis, with polling pushed out to an hour so that only
// release signals move waiters.
type handoffRig struct {
	a, b   *redisstore.Store
	c      *redis.Client // a client of the test's own, to inspect the keys
	id     string
	prefix string
}

func newHandoffRig(t *testing.T) *handoffRig {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	opts := []redisstore.Option{redisstore.Prefix(prefix), redisstore.LockTTL(time.Hour), redisstore.RetryInterval(time.Hour)}
	return &handoffRig{
		a:      redisstore.New(newClient(t, addr), opts...),
		b:      redisstore.New(newClient(t, addr), opts...),
		c:      newClient(t, addr),
		id:     session.NewID(),
		prefix: prefix,
	}
}

func (r *handoffRig) key(suffix string) string { return r.prefix + "{" + r.id + "}" + suffix }

// waitFor waits until cond holds, failing the test with what after
// patience.
func (r *handoffRig) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s never happened", what)
		}
		runtime.Gosched()
	}
}

// wakeUps returns how many release signals are queued for nobody.
func (r *handoffRig) wakeUps(t *testing.T) int64 {
	t.Helper()
	n, err := r.c.LLen(ctxT(t), r.key(":wake")).Result()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A waiter that got the lock is no longer a waiter: its own release signals
// nobody, so the session's next waiter does not pop a stale wake-up and try
// once for nothing (two round trips per contended hand-off).
//
// The waiter records its route with the lock, as the Manager's locks do,
// so each of its attempts carries a new holder stamp (holder.go); the
// waiters must know it by a name that does not change.
func TestHandoffLeavesNoWakeUpBehind(t *testing.T) {
	r := newHandoffRig(t)
	la, _ := mustLock(t, r.a, r.id)
	got := make(chan session.Lock, 1)
	go func() {
		lb, _, err := r.b.LockAs(ctxT(t), r.id, "GET /waiter")
		if err != nil {
			t.Error(err)
		}
		got <- lb
	}()
	r.waitFor(t, "b joining the waiters", func() bool { return r.c.Exists(ctxT(t), r.key(":waiters")).Val() == 1 })
	// b's next attempt, the one the release wakes, is stamped with a
	// later millisecond than the one that made it a waiter.
	time.Sleep(2 * time.Millisecond)
	if err := la.Unlock(ctxT(t), []byte("a"), future()); err != nil {
		t.Fatal(err)
	}
	lb := <-got
	if lb == nil {
		t.FailNow()
	}
	if n := r.c.Exists(ctxT(t), r.key(":waiters")).Val(); n != 0 {
		t.Fatalf("the waiter that took the lock is still among the waiters")
	}
	if n := r.wakeUps(t); n != 0 {
		t.Fatalf("%d wake-ups queued while b holds the lock and nobody waits; want 0 (b popped a's)", n)
	}
	if err := lb.Unlock(ctxT(t), []byte("b"), future()); err != nil {
		t.Fatal(err)
	}
	if n := r.wakeUps(t); n != 0 {
		t.Fatalf("b's release queued %d wake-ups with nobody waiting; the next waiter would pop it and try once for nothing", n)
	}
}

// A waiter that gives up (its request's lock-wait bound, or its client
// left) leaves the waiters, so the holder's release signals nobody.
func TestGivenUpWaiterLeavesWaiters(t *testing.T) {
	r := newHandoffRig(t)
	la, _ := mustLock(t, r.a, r.id)
	ctx, cancel := context.WithCancel(ctxT(t))
	gaveUp := make(chan error, 1)
	go func() {
		_, _, err := r.b.LockAs(ctx, r.id, "GET /waiter")
		gaveUp <- err
	}()
	r.waitFor(t, "b joining the waiters", func() bool { return r.c.Exists(ctxT(t), r.key(":waiters")).Val() == 1 })
	cancel()
	if err := <-gaveUp; err == nil {
		t.Fatal("Lock with a cancelled context took a held lock")
	}
	r.waitFor(t, "b leaving the waiters", func() bool { return r.c.Exists(ctxT(t), r.key(":waiters")).Val() == 0 })
	if err := la.Unlock(ctxT(t), []byte("a"), future()); err != nil {
		t.Fatal(err)
	}
	if n := r.wakeUps(t); n != 0 {
		t.Fatalf("a's release queued %d wake-ups for a waiter that had given up", n)
	}
}

// A waiter woken by a release takes the lock in the same round trip as its
// wait: the lock attempt rides in the wait's pipeline, behind the BLPOP, so
// Redis runs it as soon as the release's signal arrives. A contended Lock
// thus costs two round trips (the first attempt, the wait), however long
// the holder keeps the lock.
func TestWokenWaiterLocksInItsWaitsRoundTrip(t *testing.T) {
	r := newHandoffRig(t)
	bc := newClient(t, sharedRedis(t))
	var rt counter
	bc.AddHook(&rt)
	r.b = redisstore.New(bc, redisstore.Prefix(r.prefix), redisstore.LockTTL(time.Hour), redisstore.RetryInterval(time.Hour))

	// handOff has b wait for the lock while a holds it, then releases a's
	// lock with data, and returns what b's Lock loaded.
	handOff := func(data string) string {
		la, _ := mustLock(t, r.a, r.id)
		type result struct {
			l    session.Lock
			data []byte
			err  error
		}
		got := make(chan result, 1)
		go func() {
			l, data, err := r.b.Lock(ctxT(t), r.id)
			got <- result{l, data, err}
		}()
		r.waitFor(t, "b joining the waiters", func() bool { return r.c.Exists(ctxT(t), r.key(":waiters")).Val() == 1 })
		if err := la.Unlock(ctxT(t), []byte(data), future()); err != nil {
			t.Fatal(err)
		}
		res := <-got
		if res.err != nil {
			t.Fatal(res.err)
		}
		if err := res.l.Unlock(ctxT(t), nil, time.Time{}); err != nil {
			t.Fatal(err)
		}
		return string(res.data)
	}
	// Warm up: the first contended Lock on a server sends the lock script
	// twice (EVALSHA answered NOSCRIPT, then EVAL), and dials.
	handOff("warm")

	before := rt.n.Load()
	if got := handOff("from a"); got != "from a" {
		t.Fatalf("b loaded %q, want a's save", got)
	}
	// b's round trips: Lock's, then its Unlock's.
	if n := rt.n.Load() - before - 1; n != 2 {
		t.Fatalf("b's contended Lock took %d round trips, want 2 (first attempt; wait and lock)", n)
	}
}

// A release can fall between a waiter's first attempt, which found the
// lock busy, and its joining the waiters; it then signalled nobody. The
// join must see the free lock and signal for itself, or the waiter would
// sleep until it polls (here: an hour).
func TestWaiterJoiningAfterReleaseDoesNotSleep(t *testing.T) {
	s, _ := newStore(t, redisstore.LockTTL(time.Hour), redisstore.RetryInterval(time.Hour))
	if err := redisstore.JoinWaitAndLock(ctxT(t), s, session.NewID()); err != nil {
		t.Fatalf("waiting for a lock released before the wait began: %v", err)
	}
}

// A server that lost its scripts (a restart, SCRIPT FLUSH) while a waiter
// was blocked answers its lock attempt with NOSCRIPT; the waiter must send
// the script again and take the lock, not fail the request.
func TestWaiterAfterScriptFlush(t *testing.T) {
	srv := redistest.Start(t)
	r := &handoffRig{id: session.NewID(), prefix: freshPrefix()}
	opts := []redisstore.Option{redisstore.Prefix(r.prefix), redisstore.LockTTL(time.Hour), redisstore.RetryInterval(time.Hour)}
	r.a = redisstore.New(newClient(t, srv.Addr), opts...)
	r.b = redisstore.New(newClient(t, srv.Addr), opts...)
	r.c = newClient(t, srv.Addr)

	la, _ := mustLock(t, r.a, r.id)
	got := make(chan error, 1)
	go func() {
		lb, data, err := r.b.Lock(ctxT(t), r.id)
		if err == nil && string(data) != "from a" {
			err = fmt.Errorf("b loaded %q, want a's save", data)
		}
		if err == nil {
			err = lb.Unlock(ctxT(t), nil, time.Time{})
		}
		got <- err
	}()
	r.waitFor(t, "b joining the waiters", func() bool { return r.c.Exists(ctxT(t), r.key(":waiters")).Val() == 1 })
	if err := r.c.ScriptFlush(ctxT(t)).Err(); err != nil {
		t.Fatal(err)
	}
	if err := la.Unlock(ctxT(t), []byte("from a"), future()); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("a waiter whose lock script was flushed: %v", err)
	}
}
