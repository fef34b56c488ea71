package pgstore

import (
	"context"
	"runtime"
	"time"

	"github.com/sessionlock/sessionlock/internal/lease"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// lock is one held lock: the session's row key and the token its lease is
// under. The caller holds a lockHandle to it instead of the lock itself:
// the lease's timer refers to the lock, not to the handle, so a handle that
// its caller dropped without Unlock can be collected, and its lock given
// back (drop).
type lock struct {
	s     *Store
	key   []byte
	token int64 // the fencing token: only a statement carrying it may save
	queue *queue
	lease lease.Lease
}

// lockHandle is the session.Lock a caller holds.
type lockHandle struct{ l *lock }

var _ session.LeaseLock = (*lockHandle)(nil)

// start arms the lease renewal (every LockTTL/3, see lease) and the
// clean-up of a dropped handle, and returns the handle.
func (l *lock) start(validUntil time.Time) *lockHandle {
	h := &lockHandle{l: l}
	l.lease.Start(l.s.lockTTL, validUntil, l.renew)
	runtime.AddCleanup(h, (*lock).drop, l)
	return h
}

// renew extends the lease if the token still holds an unexpired one.
func (l *lock) renew(ctx context.Context) (bool, error) {
	tag, err := l.s.pool.Exec(ctx, l.s.sql.renew, l.key, l.token, l.s.ttlMS)
	return tag.RowsAffected() == 1, err
}

// OnLost registers lost to be called once, on a goroutine of the store,
// when a renewal finds that the lock is no longer this holder's (see
// session.LeaseLock).
func (h *lockHandle) OnLost(lost func()) { h.l.lease.OnLost(lost) }

// drop runs when a handle was collected without Unlock or Delete: a bug in
// the caller, but it must not keep the session locked, so the lock is
// given back without saving.
func (l *lock) drop() {
	if ok, _ := l.lease.Finish(); !ok {
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
	ok, taken := l.lease.Finish()
	if !ok {
		return session.ErrLockReleased
	}
	defer l.s.queues.leave(string(l.key), l.queue)
	if taken {
		// A renewal already found another token on the row; this one
		// can never hold it again.
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
	return lease.LostError("pgstore", op, "PostgreSQL", ttl)
}
