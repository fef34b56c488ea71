package session

import (
	"context"
	"hash/maphash"
	"sync"
)

// idLocks is a table of per-ID mutexes that waiters can abandon when their
// context ends. Entries exist only while some goroutine holds or waits for
// them, so the table never grows with the number of sessions seen.
type idLocks struct {
	seed   maphash.Seed
	shards [memShards]idShard
}

type idShard struct {
	mu sync.Mutex
	m  map[string]*idLock
}

type idLock struct {
	ch   chan struct{}
	refs int // guarded by the shard mutex
}

func newIDLocks() *idLocks {
	t := &idLocks{seed: maphash.MakeSeed()}
	for i := range t.shards {
		t.shards[i].m = make(map[string]*idLock)
	}
	return t
}

// acquire locks id. With wait false it only tries and reports busy. It
// returns ctx's error when ctx ends before the lock is free.
func (t *idLocks) acquire(ctx context.Context, id string, wait bool) (held *idLock, busy bool, err error) {
	sh := &t.shards[maphash.String(t.seed, id)%memShards]
	sh.mu.Lock()
	l := sh.m[id]
	if l == nil {
		l = &idLock{ch: make(chan struct{}, 1)}
		sh.m[id] = l
	}
	l.refs++
	sh.mu.Unlock()
	select {
	case l.ch <- struct{}{}:
		return l, false, nil
	default:
	}
	if !wait {
		t.unref(id, l)
		return nil, true, nil
	}
	select {
	case l.ch <- struct{}{}:
		return l, true, nil
	case <-ctx.Done():
		t.unref(id, l)
		return nil, true, ctx.Err()
	}
}

// release unlocks id, which the caller holds through l.
func (t *idLocks) release(id string, l *idLock) {
	<-l.ch
	t.unref(id, l)
}

func (t *idLocks) unref(id string, l *idLock) {
	sh := &t.shards[maphash.String(t.seed, id)%memShards]
	sh.mu.Lock()
	l.refs--
	if l.refs == 0 {
		delete(sh.m, id)
	}
	sh.mu.Unlock()
}

// len returns the number of entries, for tests.
func (t *idLocks) len() int {
	n := 0
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}
