package session

import (
	"context"
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
