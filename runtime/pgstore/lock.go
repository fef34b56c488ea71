package pgstore

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// lock is one held lock: the session's row key and the token its lease is
// under. It is kept apart from the caller's lockHandle so that the renewal
// timer, which references the lock, does not keep the handle alive: a
// handle dropped without Unlock is collected and its lock given back.
type lock struct {
	s     *Store
	key   []byte
	token int64 // the fencing token: only a statement carrying it may save
	queue *queue

	mu         sync.Mutex // guards the fields below
	released   bool
	lost       bool      // the lease is gone: found taken or expired, or not renewed in time
	validUntil time.Time // the lease surely holds until then (app clock)
	onLost     func()
	timer      *time.Timer
}

// lockHandle is the session.Lock a caller holds.
type lockHandle struct{ l *lock }

var _ session.LeaseLock = (*lockHandle)(nil)

// start arms the lease renewal and the clean-up of a dropped handle, and
// returns the handle. A request shorter than a third of the lease, nearly
// every one, never renews.
func (l *lock) start(validUntil time.Time) *lockHandle {
	h := &lockHandle{l: l}
	l.validUntil = validUntil
	l.timer = time.AfterFunc(l.s.lockTTL/3, l.renew)
	runtime.AddCleanup(h, (*lock).drop, l)
	return h
}

// renew extends the lease if the token still holds it, and re-arms itself.
// It declares the lock lost when the row has another token (or none), or
// when no renewal got through for a whole lease: by then the lease has
// ended in the database, and another holder may have the lock.
func (l *lock) renew() {
	l.mu.Lock()
	if l.released {
		l.mu.Unlock()
		return
	}
	l.mu.Unlock()
	sent := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), l.s.lockTTL/3)
	tag, err := l.s.pool.Exec(ctx, l.s.sql.renew, l.key, l.token, l.s.ttlMS)
	cancel()

	l.mu.Lock()
	if l.released {
		l.mu.Unlock()
		return
	}
	switch {
	case err == nil && tag.RowsAffected() == 1:
		l.validUntil = sent.Add(l.s.lockTTL)
	case err == nil, !time.Now().Before(l.validUntil):
		l.lost = true
	}
	if !l.lost {
		// After an error (the server unreachable) keep trying until the
		// lease is over.
		l.timer.Reset(l.s.lockTTL / 3)
		l.mu.Unlock()
		return
	}
	f := l.onLost
	l.onLost = nil
	l.mu.Unlock()
	if f != nil {
		f()
	}
}

// OnLost registers lost to be called once, on a goroutine of the store,
// when a renewal finds that the lock is no longer this holder's (see
// session.LeaseLock).
func (h *lockHandle) OnLost(lost func()) {
	l := h.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost && !l.released {
		go lost()
		return
	}
	l.onLost = lost
}

// finish marks l released and stops its renewal; it reports false if it
// was released already, and whether the lease was known lost.
func (l *lock) finish() (ok, lost bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.released {
		return false, false
	}
	l.released = true
	l.onLost = nil
	l.timer.Stop()
	return true, l.lost
}

// drop runs when a handle was collected without Unlock or Delete: a bug in
// the caller, but it must not keep the session locked, so the lock is
// given back without saving.
func (l *lock) drop() {
	if ok, _ := l.finish(); !ok {
		return
	}
	go func() {
		l.s.abandon(l)
		l.s.queues.leave(string(l.key), l.queue)
	}()
}

// Unlock saves data (if non-nil) to expire at expiry and releases the lock,
// in one statement that first checks that the lock's token still holds an
// unexpired lease: a holder whose lease ran out writes nothing and gets an
// error wrapping session.ErrLockLost. A zero expiry keeps the record with
// no expiry. If a waiter asked for it, the same statement sends the NOTIFY
// that wakes it, delivered only once the save is committed.
//
// The release runs even if ctx is already done (a client that went away
// must not leave its session locked until the lease ends); it is bounded
// by LockTTL then.
func (h *lockHandle) Unlock(ctx context.Context, data []byte, expiry time.Time) error {
	if data == nil {
		return h.release(ctx, "unlock session", h.l.s.sql.keep)
	}
	var ms any // NULL: no expiry
	if !expiry.IsZero() {
		// Relative to the database's clock, not an absolute time: the
		// app's clock and the server's need not agree.
		ms = time.Until(expiry).Milliseconds()
	}
	return h.release(ctx, "save session", h.l.s.sql.save, data, ms)
}

// Delete removes the record and releases the lock, with the same check as
// Unlock.
func (h *lockHandle) Delete(ctx context.Context) error {
	return h.release(ctx, "delete session", h.l.s.sql.del)
}

func (h *lockHandle) release(ctx context.Context, op, stmt string, args ...any) error {
	l := h.l
	defer runtime.KeepAlive(h) // the clean-up must not run mid-release
	ok, lost := l.finish()
	if !ok {
		return session.ErrLockReleased
	}
	defer l.s.queues.leave(string(l.key), l.queue)
	if lost {
		return lockLost(op, l.s.lockTTL)
	}
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), l.s.lockTTL)
		defer cancel()
	}
	tag, err := l.s.pool.Exec(ctx, stmt, append([]any{l.key, l.token}, args...)...)
	if err != nil {
		// Nothing was written unless the statement committed. Give the
		// lock back without saving, so that the session is not locked
		// until the lease ends; if that fails too, the lease ends it.
		go l.s.abandon(l)
		return pgErr(context.Background(), op, err)
	}
	if tag.RowsAffected() == 0 {
		return lockLost(op, l.s.lockTTL)
	}
	return nil
}

func lockLost(op string, ttl time.Duration) error {
	return fmt.Errorf("pgstore: %s: the lock's lease (LockTTL %v) ran out and another holder "+
		"may have taken it, e.g. after a pause or while PostgreSQL was unreachable; nothing was "+
		"written; raise LockTTL if holders stall this long: %w", op, ttl, session.ErrLockLost)
}
