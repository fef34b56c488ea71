package storetest

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// patience bounds every wait the suite expects to succeed, so a broken store
// fails the test instead of hanging it. It is not a speed requirement.
const patience = 10 * time.Second

// Run runs the conformance suite as subtests of t. newStore is called once
// per subtest and must return an empty store (or one whose existing records
// cannot collide with the fresh random IDs the suite uses); it should
// register any cleanup with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) session.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s session.Store)
	}{
		{"LoadMissing", testLoadMissing},
		{"SaveAndLoad", testSaveAndLoad},
		{"UnlockNilKeepsRecord", testUnlockNilKeeps},
		{"StoresCopies", testStoresCopies},
		{"Delete", testDelete},
		{"ExpiredIsAbsent", testExpiredIsAbsent},
		{"ExpiresLater", testExpiresLater},
		{"ErrLockReleased", testErrLockReleased},
		{"LockExcludes", testLockExcludes},
		{"WaiterSeesSavedRecord", testWaiterSeesSaved},
		{"CancelWaitingLock", testCancelWaiting},
		{"IndependentIDs", testIndependentIDs},
		{"ConcurrentIncrements", testConcurrentIncrements},
		{"IssuedIDIsLocked", testIssuedIDIsLocked},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newStore(t))
		})
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	t.Cleanup(cancel)
	return ctx
}

func future() time.Time { return time.Now().Add(time.Hour) }

func lock(t *testing.T, s session.Store, id string) (session.Lock, []byte) {
	t.Helper()
	l, data, err := s.Lock(ctxT(t), id)
	if err != nil {
		t.Fatalf("Lock(%q): %v", id, err)
	}
	if l == nil {
		t.Fatalf("Lock(%q) returned a nil Lock and no error", id)
	}
	return l, data
}

func save(t *testing.T, s session.Store, id string, data []byte, expiry time.Time) {
	t.Helper()
	l, _ := lock(t, s, id)
	if err := l.Unlock(ctxT(t), data, expiry); err != nil {
		t.Fatalf("Unlock(%q): %v", id, err)
	}
}

func load(t *testing.T, s session.Store, id string) []byte {
	t.Helper()
	data, err := s.Load(ctxT(t), id)
	if err != nil {
		t.Fatalf("Load(%q): %v", id, err)
	}
	return data
}

func testLoadMissing(t *testing.T, s session.Store) {
	id := session.NewID()
	if data := load(t, s, id); data != nil {
		t.Fatalf("Load of an unknown ID = %q, want nil", data)
	}
	l, data := lock(t, s, id)
	if data != nil {
		t.Fatalf("Lock of an unknown ID returned data %q, want nil", data)
	}
	if err := l.Unlock(ctxT(t), nil, future()); err != nil {
		t.Fatalf("Unlock(nil) of an unknown ID: %v", err)
	}
	if data := load(t, s, id); data != nil {
		t.Fatalf("Unlock(nil) of an unknown ID created record %q", data)
	}
}

func testSaveAndLoad(t *testing.T, s session.Store) {
	id := session.NewID()
	want := []byte("record\x00with\xffbinary")
	save(t, s, id, want, future())
	if got := load(t, s, id); !bytes.Equal(got, want) {
		t.Fatalf("Load after Unlock = %q, want %q", got, want)
	}
	l, got := lock(t, s, id)
	if !bytes.Equal(got, want) {
		t.Fatalf("Lock after Unlock returned %q, want %q", got, want)
	}
	next := []byte("second version")
	if err := l.Unlock(ctxT(t), next, future()); err != nil {
		t.Fatal(err)
	}
	if got := load(t, s, id); !bytes.Equal(got, next) {
		t.Fatalf("Load after second Unlock = %q, want %q", got, next)
	}
}

func testUnlockNilKeeps(t *testing.T, s session.Store) {
	id := session.NewID()
	want := []byte("kept")
	save(t, s, id, want, future())
	l, _ := lock(t, s, id)
	if err := l.Unlock(ctxT(t), nil, future()); err != nil {
		t.Fatal(err)
	}
	if got := load(t, s, id); !bytes.Equal(got, want) {
		t.Fatalf("Unlock(nil) changed the record to %q, want %q", got, want)
	}
}

func testStoresCopies(t *testing.T, s session.Store) {
	id := session.NewID()
	buf := []byte("original")
	save(t, s, id, buf, future())
	copy(buf, "MUTATED!")
	if got := load(t, s, id); string(got) != "original" {
		t.Fatalf("reusing the slice passed to Unlock changed the record to %q", got)
	}
}

func testDelete(t *testing.T, s session.Store) {
	id := session.NewID()
	save(t, s, id, []byte("doomed"), future())
	l, _ := lock(t, s, id)
	if err := l.Delete(ctxT(t)); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if got := load(t, s, id); got != nil {
		t.Fatalf("Load after Delete = %q, want nil", got)
	}
	l, got := lock(t, s, id)
	if got != nil {
		t.Fatalf("Lock after Delete returned %q, want nil", got)
	}
	if err := l.Unlock(ctxT(t), nil, future()); err != nil {
		t.Fatal(err)
	}
}

func testExpiredIsAbsent(t *testing.T, s session.Store) {
	id := session.NewID()
	save(t, s, id, []byte("stale"), time.Now().Add(-time.Second))
	if got := load(t, s, id); got != nil {
		t.Fatalf("Load of a record saved with a past expiry = %q, want nil", got)
	}
	l, got := lock(t, s, id)
	if got != nil {
		t.Fatalf("Lock of a record saved with a past expiry returned %q, want nil", got)
	}
	if err := l.Unlock(ctxT(t), nil, future()); err != nil {
		t.Fatal(err)
	}
}

func testExpiresLater(t *testing.T, s session.Store) {
	id := session.NewID()
	// Long enough for stores with coarse expiry clocks to still hold it on
	// the first Load; the loop below then waits for it to go.
	save(t, s, id, []byte("short-lived"), time.Now().Add(1500*time.Millisecond))
	if got := load(t, s, id); got == nil {
		t.Fatal("record gone right after saving it with a future expiry")
	}
	deadline := time.Now().Add(patience)
	for load(t, s, id) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("record still present %v after its expiry", patience)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func testErrLockReleased(t *testing.T, s session.Store) {
	id := session.NewID()
	l, _ := lock(t, s, id)
	if err := l.Unlock(ctxT(t), []byte("x"), future()); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(ctxT(t), []byte("y"), future()); !errors.Is(err, session.ErrLockReleased) {
		t.Fatalf("second Unlock = %v, want ErrLockReleased", err)
	}
	if err := l.Delete(ctxT(t)); !errors.Is(err, session.ErrLockReleased) {
		t.Fatalf("Delete after Unlock = %v, want ErrLockReleased", err)
	}
	if got := load(t, s, id); string(got) != "x" {
		t.Fatalf("calls on a released Lock changed the record to %q", got)
	}
	l, _ = lock(t, s, id)
	if err := l.Delete(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(ctxT(t), []byte("z"), future()); !errors.Is(err, session.ErrLockReleased) {
		t.Fatalf("Unlock after Delete = %v, want ErrLockReleased", err)
	}
	if got := load(t, s, id); got != nil {
		t.Fatalf("Unlock after Delete resurrected the record as %q", got)
	}
}

func testLockExcludes(t *testing.T, s session.Store) {
	id := session.NewID()
	l, _ := lock(t, s, id)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	l2, _, err := s.Lock(ctx, id)
	if err == nil {
		_ = l2.Unlock(ctxT(t), nil, future())
		t.Fatal("a second Lock of a held ID succeeded")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second Lock of a held ID = %v, want context.DeadlineExceeded", err)
	}
	if err := l.Unlock(ctxT(t), nil, future()); err != nil {
		t.Fatal(err)
	}
}

func testWaiterSeesSaved(t *testing.T, s session.Store) {
	id := session.NewID()
	l, _ := lock(t, s, id)
	type result struct {
		data []byte
		err  error
	}
	got := make(chan result, 1)
	go func() {
		l2, data, err := s.Lock(ctxT(t), id)
		if err == nil {
			data = append([]byte(nil), data...)
			err = l2.Unlock(ctxT(t), nil, future())
		}
		got <- result{data, err}
	}()
	select {
	case r := <-got:
		t.Fatalf("waiting Lock returned (%q, %v) while the lock was held", r.data, r.err)
	case <-time.After(50 * time.Millisecond):
	}
	if err := l.Unlock(ctxT(t), []byte("from first holder"), future()); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.err != nil {
		t.Fatalf("waiting Lock: %v", r.err)
	}
	if string(r.data) != "from first holder" {
		t.Fatalf("waiting Lock returned %q, want the record saved by the previous holder", r.data)
	}
}

func testCancelWaiting(t *testing.T, s session.Store) {
	id := session.NewID()
	l, _ := lock(t, s, id)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		l2, _, err := s.Lock(ctx, id)
		if err == nil {
			_ = l2.Unlock(context.Background(), nil, future())
		}
		errc <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the goroutine start waiting; correctness does not depend on it
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled Lock = %v, want context.Canceled", err)
		}
	case <-time.After(patience):
		t.Fatalf("a waiting Lock did not return within %v of its context being cancelled", patience)
	}
	if err := l.Unlock(ctxT(t), []byte("after cancel"), future()); err != nil {
		t.Fatal(err)
	}
	// The cancelled waiter must not have taken the lock behind our back.
	l3, data := lock(t, s, id)
	if string(data) != "after cancel" {
		t.Fatalf("Lock after a cancelled wait returned %q, want %q", data, "after cancel")
	}
	if err := l3.Unlock(ctxT(t), nil, future()); err != nil {
		t.Fatal(err)
	}
}

func testIndependentIDs(t *testing.T, s session.Store) {
	a, b := session.NewID(), session.NewID()
	la, _ := lock(t, s, a)
	lb, _ := lock(t, s, b) // fails via ctxT's deadline if b waits on a
	if err := lb.Unlock(ctxT(t), []byte("b"), future()); err != nil {
		t.Fatal(err)
	}
	if got := load(t, s, b); string(got) != "b" {
		t.Fatalf("Load(b) = %q while a was locked", got)
	}
	if err := la.Unlock(ctxT(t), nil, future()); err != nil {
		t.Fatal(err)
	}
}

func testConcurrentIncrements(t *testing.T, s session.Store) {
	const n = 50
	id := session.NewID()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			l, data, err := s.Lock(ctxT(t), id)
			if err != nil {
				errs <- err
				return
			}
			v := 0
			if data != nil {
				v, err = strconv.Atoi(string(data))
				if err != nil {
					errs <- err
					_ = l.Unlock(context.Background(), nil, future())
					return
				}
			}
			errs <- l.Unlock(ctxT(t), []byte(strconv.Itoa(v+1)), future())
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := string(load(t, s, id)); got != strconv.Itoa(n) {
		t.Fatalf("after %d concurrent locked increments the record is %q, want %d", n, got, n)
	}
}
