package session

import (
	"context"
	"hash/maphash"
	"runtime"
	"testing"
	"time"
)

func TestMemoryStoreSweepsExpiredRecords(t *testing.T) {
	s := NewMemoryStore()
	for range 200 {
		l, _, err := s.Lock(context.Background(), NewID())
		if err != nil {
			t.Fatal(err)
		}
		l.Unlock(context.Background(), []byte("x"), time.Now().Add(100*time.Millisecond))
	}
	if n := s.Len(); n != 200 {
		t.Fatalf("Len = %d, want 200 live records", n)
	}
	time.Sleep(150 * time.Millisecond) // past every expiry
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		sh.ops = sweepEvery - 1 // the next operation is due for a sweep check
		sh.maybeSweep()
		sh.mu.Unlock()
	}
	if n := s.Len(); n != 0 {
		t.Fatalf("Len = %d after sweeping expired records, want 0", n)
	}
}

// cancelWaiter starts acquire with a context it cancels once refs shows
// the waiter holds its reference to the lock entry (the holder's and its
// own: 2), and checks that the wait ended with context.Canceled.
func cancelWaiter(t *testing.T, acquire func(context.Context) error, refs func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- acquire(ctx) }()
	for refs() < 2 {
		runtime.Gosched()
	}
	cancel()
	if err := <-errc; err != context.Canceled {
		t.Fatalf("cancelled lock wait = %v, want context.Canceled", err)
	}
}

// A waiter that gives up (its context ended) must drop its use of the lock
// entry, or the entry of a session with no record outlives every request.
func TestMemoryStoreCancelledWaiterLeavesNoEntry(t *testing.T) {
	s := NewMemoryStore()
	id := NewID()
	l, _, err := s.Lock(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	sh := s.shard(id)
	cancelWaiter(t, func(ctx context.Context) error {
		_, _, err := s.Lock(ctx, id)
		return err
	}, func() int {
		sh.mu.Lock()
		defer sh.mu.Unlock()
		return sh.m[id].refs
	})
	if err := l.Unlock(context.Background(), nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n := s.Len(); n != 0 {
		t.Fatalf("Len = %d after the holder and a cancelled waiter of an ID without a record left, want 0", n)
	}
}

// The same for the per-ID lock table the FileStore uses within a process.
func TestIDLocksCancelledWaiterLeavesNoEntry(t *testing.T) {
	locks := newIDLocks()
	id := NewID()
	held, _, err := locks.acquire(context.Background(), id, true)
	if err != nil {
		t.Fatal(err)
	}
	sh := &locks.shards[maphash.String(locks.seed, id)%memShards]
	cancelWaiter(t, func(ctx context.Context) error {
		_, _, err := locks.acquire(ctx, id, true)
		return err
	}, func() int {
		sh.mu.Lock()
		defer sh.mu.Unlock()
		return sh.m[id].refs
	})
	if _, busy, _ := locks.acquire(context.Background(), id, false); !busy {
		t.Fatal("a cancelled waiter took the lock")
	}
	locks.release(id, held)
	if n := locks.len(); n != 0 {
		t.Fatalf("%d entries after the holder and a cancelled waiter left, want 0", n)
	}
}
