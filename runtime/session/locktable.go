package session

import (
	"context"
	"errors"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

// lockTable lists the session locks the requests of this process hold and
// wait for, whatever the store: the debug page shows it, and a waiter
// names its holder from it. It is sharded like the memory store, so that
// requests of different sessions seldom share a mutex.
type lockTable struct {
	seed   maphash.Seed
	shards [memShards]lockShard
}

type lockShard struct {
	mu      sync.Mutex
	held    map[string]*trackedLock // by session ID
	waiting map[string][]*waiter    // by session ID
}

// waiter is a request waiting for a session lock.
type waiter struct {
	who   reqInfo
	since time.Time
	timer *time.Timer   // asks a HolderStore for the holder once the wait is slow
	asked chan struct{} // closed when the timer's question is answered

	// Set under the shard mutex by the holder of this process whose release
	// ended the wait, so the waiter can name it; prev.Since is zero until then.
	prev     Holder
	prevHeld time.Duration

	remote atomic.Pointer[Holder] // the holder a HolderStore named
}

func (t *lockTable) init() {
	t.seed = maphash.MakeSeed()
	for i := range t.shards {
		t.shards[i].held = make(map[string]*trackedLock)
		t.shards[i].waiting = make(map[string][]*waiter)
	}
}

func (t *lockTable) shard(id string) *lockShard {
	return &t.shards[maphash.String(t.seed, id)%memShards]
}

// hold lists a lock just taken.
func (t *lockTable) hold(l *trackedLock) {
	sh := t.shard(l.id)
	sh.mu.Lock()
	sh.held[l.id] = l
	sh.mu.Unlock()
}

// release unlists l and tells the session's waiters who held it and for
// how long.
func (t *lockTable) release(l *trackedLock) {
	sh := t.shard(l.id)
	sh.mu.Lock()
	if sh.held[l.id] == l {
		delete(sh.held, l.id)
		if ws := sh.waiting[l.id]; len(ws) > 0 {
			held := time.Since(l.since)
			for _, w := range ws {
				w.prev = Holder{Route: l.who.label(), Since: l.since}
				w.prevHeld = held
			}
		}
	}
	sh.mu.Unlock()
}

// wait lists a request that starts waiting for id's lock.
func (t *lockTable) wait(id string, who *reqInfo, since time.Time) *waiter {
	w := &waiter{who: *who, since: since}
	sh := t.shard(id)
	sh.mu.Lock()
	sh.waiting[id] = append(sh.waiting[id], w)
	sh.mu.Unlock()
	return w
}

// endWait unlists w and returns the holder to name in its log line: the
// current holder when the wait timed out, else the one whose release ended
// it; ok is false when no holder of this process is known.
func (t *lockTable) endWait(id string, w *waiter, timedOut bool, now time.Time) (h Holder, held time.Duration, ok bool) {
	sh := t.shard(id)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	ws := sh.waiting[id]
	for i, x := range ws {
		if x == w {
			ws = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(sh.waiting, id)
	} else {
		sh.waiting[id] = ws
	}
	if l := sh.held[id]; timedOut && l != nil {
		return Holder{Route: l.who.label(), Since: l.since}, now.Sub(l.since), true
	}
	return w.prev, w.prevHeld, !w.prev.Since.IsZero()
}

// trackedLock is a store's Lock as the Manager hands it to a Session: its
// release unlists it from the lock table and counts a lost lease or a
// store error. (The Session records the hold time: see noteHold.)
//
// The table points to it while it is held. That keeps the store's Lock
// alive too, which is right: a Session always releases its locks, even
// when its handler panics.
type trackedLock struct {
	Lock
	m     *Manager
	id    string
	who   *reqInfo  // the holder's; its names never change
	since time.Time // when the lock was taken
	done  atomic.Bool

	mem memLock // Lock, when the store is a MemoryStore (see tryLocker)
}

// track lists l, just taken after waiting waited, and wraps it in t, a
// trackedLock not used before, which may already hold l in t.mem.
func (m *Manager) track(t *trackedLock, l Lock, id string, who *reqInfo, waited time.Duration) *trackedLock {
	m.observeWait(who, waited, false)
	t.Lock, t.m, t.id, t.who, t.since = l, m, id, who, time.Now()
	m.locks.hold(t)
	return t
}

// storeLock returns the store's own Lock behind l, for the optional
// interfaces a store's locks implement (LeaseLock).
func storeLock(l Lock) Lock {
	if t, ok := l.(*trackedLock); ok {
		return t.Lock
	}
	return l
}

// Unlock releases the lock (see Lock).
func (t *trackedLock) Unlock(ctx context.Context, data []byte, expiry time.Time) error {
	first := t.end()
	err := t.Lock.Unlock(ctx, data, expiry)
	if first {
		t.m.releaseErr(t.who, err)
	}
	return err
}

// Delete deletes the record and releases the lock (see Lock).
func (t *trackedLock) Delete(ctx context.Context) error {
	first := t.end()
	err := t.Lock.Delete(ctx)
	if first {
		t.m.releaseErr(t.who, err)
	}
	return err
}

// end unlists the lock before the store releases it, so that the waiter
// it lets in never finds it still listed; it reports false after the first
// call.
func (t *trackedLock) end() bool {
	if t.done.Swap(true) {
		return false
	}
	t.m.locks.release(t)
	return true
}

// releaseErr counts a failed release.
func (m *Manager) releaseErr(who *reqInfo, err error) {
	switch {
	case err == nil, errors.Is(err, ErrLockReleased):
	case errors.Is(err, ErrLockLost):
		m.count(who, EventLockLost)
	default:
		m.count(who, EventStoreError)
	}
}

// storeErr counts err, from a store call of a request, as a store error
// unless it only says the request's context ended; it returns err.
func (m *Manager) storeErr(who *reqInfo, err error) error {
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		m.count(who, EventStoreError)
	}
	return err
}
