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

// A waiter that gives up (its context ended) must drop its use of the lock
// entry, or the entry of a session with no record outlives every request.
func TestMemoryStoreCancelledWaiterLeavesNoEntry(t *testing.T) {
	s := NewMemoryStore()
	id := NewID()
	l, _, err := s.Lock(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, _, err := s.Lock(ctx, id)
		errc <- err
	}()
	// Wait until the waiter holds its reference to the entry.
	sh := s.shard(id)
	for refs := 0; refs < 2; {
		sh.mu.Lock()
		refs = sh.m[id].refs
		sh.mu.Unlock()
		runtime.Gosched()
	}
	cancel()
	if err := <-errc; err != context.Canceled {
		t.Fatalf("cancelled Lock = %v, want context.Canceled", err)
	}
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
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, _, err := locks.acquire(ctx, id, true)
		errc <- err
	}()
	sh := &locks.shards[maphash.String(locks.seed, id)%memShards]
	for refs := 0; refs < 2; {
		sh.mu.Lock()
		refs = sh.m[id].refs
		sh.mu.Unlock()
		runtime.Gosched()
	}
	cancel()
	if err := <-errc; err != context.Canceled {
		t.Fatalf("cancelled acquire = %v, want context.Canceled", err)
	}
	if _, busy, _ := locks.acquire(context.Background(), id, false); !busy {
		t.Fatal("a cancelled waiter took the lock")
	}
	locks.release(id, held)
	if n := locks.len(); n != 0 {
		t.Fatalf("%d entries after the holder and a cancelled waiter left, want 0", n)
	}
}
