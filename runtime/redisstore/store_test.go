package redisstore_test

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/redisstore/redistest"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// An existing session costs two round trips: lock+load, then save+unlock.
func TestTwoRoundTripsPerLockedUse(t *testing.T) {
	s, c := newStore(t)
	var rt counter
	c.AddHook(&rt)
	id := session.NewID()
	// The first scripts after a server start cost a NOSCRIPT + EVAL each;
	// they are loaded from then on.
	l, _ := mustLock(t, s, id)
	if err := l.Unlock(ctxT(t), []byte("v1"), future()); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		before := rt.n.Load()
		l, data := mustLock(t, s, id)
		if i == 0 && string(data) != "v1" {
			t.Fatalf("Lock returned %q, want v1", data)
		}
		if err := l.Unlock(ctxT(t), []byte("v2"), future()); err != nil {
			t.Fatal(err)
		}
		if n := rt.n.Load() - before; n != 2 {
			t.Fatalf("lock+load and save+unlock took %d round trips, want 2", n)
		}
	}
}

// Keys live under the prefix, share the session's hash tag, and expire
// with the record; the lock is gone after release.
func TestKeysExpiryAndHashTag(t *testing.T) {
	c := newClient(t, sharedRedis(t))
	p := freshPrefix()
	s := redisstore.New(c, redisstore.Prefix(p))
	id := session.NewID()
	l, _ := mustLock(t, s, id)
	if pttl := c.PTTL(ctxT(t), p+"{"+id+"}:lock").Val(); pttl <= 0 || pttl > redisstore.DefaultLockTTL {
		t.Fatalf("lock key PTTL = %v, want within the lease %v", pttl, redisstore.DefaultLockTTL)
	}
	if err := l.Unlock(ctxT(t), []byte("x"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	keys := c.Keys(ctxT(t), p+"*").Val()
	slices.Sort(keys)
	if want := []string{p + "{" + id + "}", p + "{" + id + "}:released"}; !slices.Equal(keys, want) {
		t.Fatalf("keys after release = %q, want the record and the release marker %q", keys, want)
	}
	// The marker (the last release's token, for retried releases) lasts
	// no longer than a lease.
	if pttl := c.PTTL(ctxT(t), keys[1]).Val(); pttl <= 0 || pttl > redisstore.DefaultLockTTL {
		t.Fatalf("release marker PTTL = %v, want within the lease %v", pttl, redisstore.DefaultLockTTL)
	}
	pttl := c.PTTL(ctxT(t), keys[0]).Val()
	if pttl <= 0 || pttl > time.Hour {
		t.Fatalf("record PTTL = %v, want (0, 1h]", pttl)
	}
	if slot := func(k string) int64 { return c.ClusterKeySlot(ctxT(t), k).Val() }; slot(keys[0]) != slot(p+"{"+id+"}:lock") {
		t.Fatal("record and lock key hash to different cluster slots")
	}

	// A zero expiry keeps the record without a lease.
	l, _ = mustLock(t, s, id)
	if err := l.Unlock(ctxT(t), []byte("y"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if pttl := c.PTTL(ctxT(t), keys[0]).Val(); pttl != -1 {
		t.Fatalf("record saved with zero expiry has PTTL %v, want none (-1)", pttl)
	}
}

func TestRejectsBadIDs(t *testing.T) {
	s, _ := newStore(t)
	for _, id := range []string{"", "a}b", "{x}", "a b", "a\x00b", "a\nb", strings.Repeat("a", 300)} {
		if _, err := s.Load(ctxT(t), id); err == nil {
			t.Errorf("Load(%q) accepted the ID", id)
		}
		if _, _, err := s.Lock(ctxT(t), id); err == nil {
			t.Errorf("Lock(%q) accepted the ID", id)
		}
	}
}

// A waiter is woken by the release itself: with polling pushed out to an
// hour, only the release's signal can let it in before the test's deadline.
func TestReleaseWakesWaiterInAnotherProcess(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	opts := []redisstore.Option{redisstore.Prefix(prefix), redisstore.LockTTL(time.Hour), redisstore.RetryInterval(time.Hour)}
	a := redisstore.New(newClient(t, addr), opts...)
	bc := newClient(t, addr)
	b := redisstore.New(bc, opts...)
	id := session.NewID()
	la, _ := mustLock(t, a, id)

	got := make(chan string, 1)
	go func() {
		lb, data, err := b.Lock(ctxT(t), id)
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		_ = lb.Unlock(context.Background(), nil, time.Time{})
		got <- string(data)
	}()
	// Wait until b has failed once and so is a waiter (it joined the set).
	expired := outOfPatience()
	for bc.Exists(ctxT(t), prefix+"{"+id+"}:waiters").Val() == 0 {
		runtime.Gosched()
		if expired() {
			t.Fatal("waiter never registered")
		}
	}
	if err := la.Unlock(ctxT(t), []byte("handed over"), future()); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != "handed over" {
			t.Fatalf("waiter got %q, want the released record", s)
		}
	case <-time.After(patience):
		t.Fatal("waiter was not woken by the release")
	}
}

// Lease loss: a holder that froze past its lease while another holder took
// the lock must not overwrite the newer record; its save reports
// ErrLockLost.
func TestPausedHolderLosesLockAndSaveIsRefused(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	px := startProxy(t, addr)
	opts := []redisstore.Option{redisstore.Prefix(prefix), redisstore.LockTTL(300 * time.Millisecond)}
	paused := redisstore.New(newClient(t, px.Addr), opts...)
	other := redisstore.New(newClient(t, addr), opts...)
	id := session.NewID()

	l0, _ := mustLock(t, other, id)
	if err := l0.Unlock(ctxT(t), []byte("v1"), future()); err != nil {
		t.Fatal(err)
	}
	stale, data := mustLock(t, paused, id)
	if string(data) != "v1" {
		t.Fatalf("got %q, want v1", data)
	}
	px.pause() // the holder freezes: no refresh reaches Redis
	// The other holder gets the lock only once the frozen lease ran out.
	fresh, data := mustLock(t, other, id)
	if string(data) != "v1" {
		t.Fatalf("new holder got %q, want v1", data)
	}
	if err := fresh.Unlock(ctxT(t), []byte("v2 newer"), future()); err != nil {
		t.Fatal(err)
	}
	px.resume()
	err := stale.Unlock(ctxT(t), []byte("v1+stale change"), future())
	if !errors.Is(err, session.ErrLockLost) {
		t.Fatalf("save by the holder that lost its lease = %v, want ErrLockLost", err)
	}
	got, err := other.Load(ctxT(t), id)
	if err != nil || string(got) != "v2 newer" {
		t.Fatalf("record = %q, %v; want the newer holder's %q", got, err, "v2 newer")
	}
	// Delete by a stale holder is refused the same way.
	stale2, _ := mustLock(t, paused, id)
	px.pause()
	fresh, _ = mustLock(t, other, id)
	px.resume()
	if err := stale2.Delete(ctxT(t)); !errors.Is(err, session.ErrLockLost) {
		t.Fatalf("Delete by a holder that lost its lease = %v, want ErrLockLost", err)
	}
	if err := fresh.Unlock(ctxT(t), nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := other.Load(ctxT(t), id); string(got) != "v2 newer" {
		t.Fatalf("stale Delete changed the record to %q", got)
	}
}

// A refresh puts the holder's lease back to a whole LockTTL, so a handler
// may run far longer than the lease. Time is the test's: the lease is an
// hour, the test itself shortens what is left of it (as if most of the hour
// had passed) and runs the refresh.
func TestLeaseRefreshExtendsHoldersLease(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	c := newClient(t, addr)
	opts := []redisstore.Option{redisstore.Prefix(prefix), redisstore.LockTTL(time.Hour)}
	holder := redisstore.New(c, opts...)
	other := redisstore.New(newClient(t, addr), opts...)
	id := session.NewID()
	lockKey := prefix + "{" + id + "}:lock"
	l, _ := mustLock(t, holder, id)
	for range 3 {
		if err := c.PExpire(ctxT(t), lockKey, time.Second).Err(); err != nil {
			t.Fatal(err)
		}
		redisstore.RefreshNow(l)
		if pttl := c.PTTL(ctxT(t), lockKey).Val(); pttl < 59*time.Minute {
			t.Fatalf("lease after a refresh = %v, want a whole LockTTL (1h) again", pttl)
		}
	}
	ctx, cancel := context.WithTimeout(ctxT(t), 50*time.Millisecond)
	defer cancel()
	if l2, _, err := other.Lock(ctx, id); err == nil {
		_ = l2.Unlock(ctxT(t), nil, time.Time{})
		t.Fatal("another holder got the lock of a holder that keeps refreshing it")
	}
	if err := l.Unlock(ctxT(t), []byte("done"), future()); err != nil {
		t.Fatalf("Unlock after a long hold: %v", err)
	}
}

// The refresh runs by itself every third of the lease while a lock is
// held. Only that it runs is checked: whether a loaded machine runs it in
// time is not this test's business (a late refresh loses the lock, which
// other tests cover).
func TestLeaseRefreshRunsWhileHeld(t *testing.T) {
	c := newClient(t, sharedRedis(t))
	var rt counter
	c.AddHook(&rt)
	s := redisstore.New(c, redisstore.Prefix(freshPrefix()), redisstore.LockTTL(300*time.Millisecond))
	l, _ := mustLock(t, s, session.NewID())
	expired := outOfPatience()
	for rt.count("evalsha") < 1 { // the first refresh; the lock was a pipeline
		time.Sleep(10 * time.Millisecond)
		if expired() {
			t.Fatal("no refresh ran while the lock was held")
		}
	}
	if err := l.Unlock(ctxT(t), nil, time.Time{}); err != nil && !errors.Is(err, session.ErrLockLost) {
		t.Fatal(err)
	}
}

// A holder whose process dies (its client closes) without releasing keeps
// the session locked only until its lease ends.
func TestCrashedHolderLockExpires(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	opts := []redisstore.Option{redisstore.Prefix(prefix), redisstore.LockTTL(300 * time.Millisecond)}
	dead := redis.NewClient(&redis.Options{Addr: addr})
	crashing := redisstore.New(dead, opts...)
	next := redisstore.New(newClient(t, addr), opts...)
	id := session.NewID()
	orphan, _ := mustLock(t, crashing, id)
	_ = dead.Close() // the process is gone: no refresh, no release
	l, _ := mustLock(t, next, id)
	if err := l.Unlock(ctxT(t), []byte("after crash"), future()); err != nil {
		t.Fatal(err)
	}
	if err := orphan.Unlock(ctxT(t), []byte("zombie"), future()); !errors.Is(err, redisstore.ErrUnavailable) {
		t.Fatalf("Unlock through a closed client = %v, want ErrUnavailable", err)
	}
	if got, _ := next.Load(ctxT(t), id); string(got) != "after crash" {
		t.Fatalf("record = %q, want %q", got, "after crash")
	}
}

// A lock whose handle is dropped without Unlock (a caller's bug) is given
// back once the handle is garbage collected, instead of being refreshed
// for ever.
func TestDroppedLockIsReleased(t *testing.T) {
	s, _ := newStore(t, redisstore.LockTTL(time.Hour))
	id := session.NewID()
	func() {
		l, _ := mustLock(t, s, id)
		_ = l
	}()
	got := make(chan error, 1)
	go func() {
		l, _, err := s.Lock(ctxT(t), id)
		if err == nil {
			err = l.Unlock(ctxT(t), nil, time.Time{})
		}
		got <- err
	}()
	expired := outOfPatience()
	for {
		runtime.GC()
		select {
		case err := <-got:
			if err != nil {
				t.Fatal(err)
			}
			return
		case <-time.After(10 * time.Millisecond):
		}
		if expired() {
			t.Fatal("the dropped lock was never released")
		}
	}
}

// While Redis is down, calls fail with ErrUnavailable; once it is back the
// same Store works again.
func TestOutageAndRecovery(t *testing.T) {
	srv := redistest.Start(t)
	s := redisstore.New(newClient(t, srv.Addr))
	id := session.NewID()
	l, _ := mustLock(t, s, id)
	if err := l.Unlock(ctxT(t), []byte("before"), future()); err != nil {
		t.Fatal(err)
	}
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Lock(ctxT(t), id); !errors.Is(err, redisstore.ErrUnavailable) {
		t.Fatalf("Lock while Redis is down = %v, want ErrUnavailable", err)
	} else if !strings.Contains(err.Error(), "check that the server is up") {
		t.Fatalf("outage error %q does not say what to check", err)
	}
	if _, err := s.Load(ctxT(t), id); !errors.Is(err, redisstore.ErrUnavailable) {
		t.Fatalf("Load while Redis is down = %v, want ErrUnavailable", err)
	}
	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	expired := outOfPatience()
	for {
		l, _, err := s.Lock(ctxT(t), id)
		if err == nil {
			if err := l.Unlock(ctxT(t), []byte("after"), future()); err != nil {
				t.Fatal(err)
			}
			break
		}
		if !errors.Is(err, redisstore.ErrUnavailable) {
			t.Fatalf("Lock after restart: %v", err)
		}
		if expired() {
			t.Fatal("store did not recover after Redis restarted")
		}
	}
}

// Refreshes run on timers that stop with the release: after many locks
// held across several refreshes, no goroutine is left behind.
func TestNoGoroutineLeftAfterRelease(t *testing.T) {
	addr := sharedRedis(t)
	c := newClient(t, addr)
	var rt counter
	c.AddHook(&rt)
	s := redisstore.New(c, redisstore.Prefix(freshPrefix()), redisstore.LockTTL(300*time.Millisecond))
	c.Ping(ctxT(t)) // the pool's own goroutines start before the baseline
	base := runtime.NumGoroutine()
	var locks []session.Lock
	for range 20 {
		l, _ := mustLock(t, s, session.NewID())
		locks = append(locks, l)
	}
	// Wait until the refresh timers have run (a lock whose refresh came
	// too late on a loaded machine stops refreshing, so no more is asked).
	expired := outOfPatience()
	for rt.count("evalsha") < 20 {
		time.Sleep(10 * time.Millisecond)
		if expired() {
			t.Fatal("refreshes did not run")
		}
	}
	for _, l := range locks {
		// A refresh delayed past the lease on a loaded machine loses the
		// lock; that is not what this test is about.
		if err := l.Unlock(ctxT(t), []byte("x"), future()); err != nil && !errors.Is(err, session.ErrLockLost) {
			t.Fatal(err)
		}
	}
	expired = outOfPatience()
	for runtime.NumGoroutine() > base {
		time.Sleep(10 * time.Millisecond)
		if expired() {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left, baseline %d:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
	}
}

// Waiters over the MaxBlockingWaiters cap poll instead of blocking on a
// pooled connection, and still get their locks.
func TestWaitersOverBlockingCapPoll(t *testing.T) {
	addr := sharedRedis(t)
	prefix := freshPrefix()
	holder := redisstore.New(newClient(t, addr), redisstore.Prefix(prefix))
	wc := newClient(t, addr)
	var rt counter
	wc.AddHook(&rt)
	waiter := redisstore.New(wc, redisstore.Prefix(prefix), redisstore.MaxBlockingWaiters(1),
		redisstore.RetryInterval(20*time.Millisecond))
	ids := []string{session.NewID(), session.NewID(), session.NewID()}
	var held []session.Lock
	for _, id := range ids {
		l, _ := mustLock(t, holder, id)
		held = append(held, l)
	}
	got := make(chan error, len(ids))
	for _, id := range ids {
		go func() {
			l, data, err := waiter.Lock(ctxT(t), id)
			if err == nil && string(data) != "released" {
				err = errors.New("waiter got " + string(data))
			}
			if err == nil {
				err = l.Unlock(ctxT(t), nil, time.Time{})
			}
			got <- err
		}()
	}
	// Let every waiter fail at least twice, so that all are waiting.
	expired := outOfPatience()
	for rt.count("evalsha") < 2*int64(len(ids)) {
		time.Sleep(5 * time.Millisecond)
		if expired() {
			t.Fatal("waiters never tried")
		}
	}
	for _, l := range held {
		if err := l.Unlock(ctxT(t), []byte("released"), future()); err != nil {
			t.Fatal(err)
		}
	}
	for range ids {
		if err := <-got; err != nil {
			t.Fatal(err)
		}
	}
	if n := rt.count("blpop"); n == 0 {
		t.Fatal("no waiter blocked in BLPOP")
	}
}
