package session

import (
	"context"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

// memShards spreads sessions over independent mutexes so that requests of
// different sessions never contend on one global lock.
const memShards = 64

// sweepEvery is how many lock operations a shard performs between checks of
// whether it is due for a sweep of expired records; checking the clock on
// every request would cost more than the sweep saves.
const sweepEvery = 256

// sweepInterval is the minimum time between two sweeps of one shard.
const sweepInterval = time.Minute

// A MemoryStore keeps sessions in process memory. It is the Manager's default
// store. Each session has its own lock, so requests of different sessions
// never wait on each other; lock entries are freed as soon as no request
// uses them and no record remains, and expired records are swept lazily
// while the store is in use, so the store starts no goroutine and needs no
// Close.
//
// It keeps copies of the bytes it is given, so a value mutated by a handler
// after it was saved never changes what other requests see.
type MemoryStore struct {
	seed   maphash.Seed
	shards [memShards]memShard
}

type memShard struct {
	mu        sync.Mutex
	m         map[string]*memEntry
	ops       int
	nextSweep time.Time
}

// memEntry is both the record and the lock of one session. The lock is a
// channel with room for one token so that a waiter can give up when its
// context ends, which sync.Mutex cannot do.
//
// data and expiry change only under the shard mutex and only by the lock
// holder, so Load reads them under the shard mutex, and the holder, the
// only possible writer, reads them without it.
type memEntry struct {
	lock   chan struct{}
	refs   int    // requests using or waiting for the entry; guarded by the shard mutex
	data   []byte // nil: no record
	expiry int64  // Unix ns
}

func (e *memEntry) live(now int64) bool {
	return e.data != nil && now < e.expiry
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	s := &MemoryStore{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].m = make(map[string]*memEntry)
	}
	return s
}

func (s *MemoryStore) shard(id string) *memShard {
	return &s.shards[maphash.String(s.seed, id)%memShards]
}

// Load returns the saved record of id, or nil when there is none or it has
// expired. The returned slice is shared and must not be modified.
func (s *MemoryStore) Load(_ context.Context, id string) ([]byte, error) {
	sh := s.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if e := sh.m[id]; e != nil && e.live(time.Now().UnixNano()) {
		return e.data, nil
	}
	return nil, nil
}

// Lock waits for the lock of id and returns it with the record saved under
// id (nil when absent or expired). The returned slice is shared and must not
// be modified. When ctx ends first, Lock returns ctx's error and the wait
// leaves no trace.
func (s *MemoryStore) Lock(ctx context.Context, id string) (Lock, []byte, error) {
	l, data, _, err := s.lock(ctx, id, true, nil)
	return l, data, err
}

// lock is Lock that also reports whether it had to wait, for Manager.Stats.
// With wait false it only tries, returning a nil Lock when the session is
// busy; the Manager uses that to skip creating a timeout context on the
// common uncontended path. The Lock is into when into is not nil.
func (s *MemoryStore) lock(ctx context.Context, id string, wait bool, into *memLock) (Lock, []byte, bool, error) {
	sh := s.shard(id)
	sh.mu.Lock()
	sh.maybeSweep()
	e := sh.m[id]
	if e == nil {
		e = &memEntry{lock: make(chan struct{}, 1)}
		sh.m[id] = e
	}
	e.refs++
	sh.mu.Unlock()

	waited := false
	select {
	case e.lock <- struct{}{}:
	default:
		if !wait {
			sh.unref(id, e)
			return nil, nil, true, nil
		}
		waited = true
		select {
		case e.lock <- struct{}{}:
		case <-ctx.Done():
			sh.unref(id, e)
			return nil, nil, true, ctx.Err()
		}
	}
	l := into
	if l == nil {
		l = new(memLock)
	}
	l.sh, l.id, l.e = sh, id, e
	if e.live(time.Now().UnixNano()) {
		return l, e.data, waited, nil
	}
	return l, nil, waited, nil
}

// unref drops one use of e and frees it when nobody uses it and it holds no
// record, so IDs that came and went (or were guessed by a client) do not
// accumulate. Records that merely expired are left to the sweep, which
// spares a clock read per request.
func (sh *memShard) unref(id string, e *memEntry) {
	sh.mu.Lock()
	sh.unrefLocked(id, e)
	sh.mu.Unlock()
}

func (sh *memShard) unrefLocked(id string, e *memEntry) {
	e.refs--
	if e.refs == 0 && e.data == nil {
		delete(sh.m, id)
	}
}

// maybeSweep removes expired, unused entries of the shard at most once per
// sweepInterval. The caller holds sh.mu.
func (sh *memShard) maybeSweep() {
	sh.ops++
	if sh.ops < sweepEvery {
		return
	}
	sh.ops = 0
	now := time.Now()
	if now.Before(sh.nextSweep) {
		return
	}
	sh.nextSweep = now.Add(sweepInterval)
	ns := now.UnixNano()
	for id, e := range sh.m {
		if e.refs == 0 && !e.live(ns) {
			delete(sh.m, id)
		}
	}
}

func (s *MemoryStore) self() Store { return s }

// Len returns the number of session entries the store holds, live or
// expired but not yet swept. It exists for tests and monitoring.
func (s *MemoryStore) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}

type memLock struct {
	sh   *memShard
	id   string
	e    *memEntry
	done atomic.Bool
}

// Unlock saves a copy of data (when non-nil) to expire at expiry, then
// releases the lock. A memory lock cannot be lost, so the only error is
// ErrLockReleased.
func (l *memLock) Unlock(_ context.Context, data []byte, expiry time.Time) error {
	if l.done.Swap(true) {
		return ErrLockReleased
	}
	var cp []byte
	if data != nil {
		cp = append(make([]byte, 0, len(data)), data...) // non-nil even when empty
	}
	l.sh.mu.Lock()
	if cp != nil {
		l.e.data, l.e.expiry = cp, expiry.UnixNano()
	}
	<-l.e.lock
	l.sh.unrefLocked(l.id, l.e)
	l.sh.mu.Unlock()
	return nil
}

// Delete removes the record and releases the lock.
func (l *memLock) Delete(context.Context) error {
	if l.done.Swap(true) {
		return ErrLockReleased
	}
	l.sh.mu.Lock()
	l.e.data = nil
	<-l.e.lock
	l.sh.unrefLocked(l.id, l.e)
	l.sh.mu.Unlock()
	return nil
}
