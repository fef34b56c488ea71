package redisstore

import (
	"context"
	"runtime"
	"time"

	"github.com/sessionlock/sessionlock/internal/lease"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// lock is the state of one held lock. It is kept apart from the handle the
// caller gets (lockHandle) so that the refresh timer, which references the
// lock, does not keep the handle alive: a handle dropped without Unlock is
// noticed by the garbage collector and its lock given back (see startLease).
type lock struct {
	s        *Store
	id       string
	keys     [numKeys]string
	token    string
	tokenArg any // token boxed once for the three scripts that take it
	gate     *gate
	route    string // the holder's route, recorded in the lock's value (holder.go)

	// validUntil is when the lease surely ends (app clock), set before
	// each attempt; lease starts from it once the lock is taken.
	validUntil time.Time
	lease      lease.Lease
}

// lockHandle is the session.Lock a caller holds.
type lockHandle struct{ l *lock }

var _ session.LeaseLock = (*lockHandle)(nil)

// startLease arms the refresh (every LockTTL/3, see lease) and, should h
// be dropped unreleased, the clean-up that releases the lock.
func (l *lock) startLease(h *lockHandle) {
	l.lease.Start(l.s.lockTTL, l.validUntil, l.refresh)
	runtime.AddCleanup(h, (*lock).drop, l)
}

// refresh extends the lease if l still owns it. The call is bounded by
// ctx whatever the client does (see bounded).
func (l *lock) refresh(ctx context.Context) (bool, error) {
	v, err := bounded(ctx, "refresh session lock", func(ctx context.Context) (any, error) {
		return refreshScript.Run(ctx, l.s.client, l.keys[:keyLock+1], l.tokenArg, l.s.lockTTLArg).Int64()
	}, nil)
	if err != nil {
		return false, err
	}
	return v.(int64) == 1, nil
}

// OnLost registers lost to be called once, on a goroutine of the store,
// when a refresh finds that the lock is no longer this holder's (see
// session.LeaseLock). The Manager uses it to cancel the handler's request
// context, so that slow work whose result could not be saved stops.
func (h *lockHandle) OnLost(lost func()) { h.l.lease.OnLost(lost) }

// drop runs when a handle was garbage collected without Unlock or Delete:
// a bug in the caller, but it must not lock the session for good, so the
// lock is released without saving.
func (l *lock) drop() {
	if ok, _ := l.lease.Finish(); !ok {
		return
	}
	// Cleanups run one at a time on a runtime goroutine; do not make the
	// others wait for a round trip.
	go func() {
		l.s.abandon(l)
		l.s.gates.leave(l.id, l.gate)
	}()
}

// Unlock saves data (if non-nil) to expire at expiry and releases the lock,
// in one script that first checks the lock is still this holder's: a holder
// whose lease ran out writes nothing and gets an error wrapping
// session.ErrLockLost. A zero expiry keeps the record without a lease.
//
// The release runs even if ctx is already done (a client that went away
// must not leave its session locked until the lease ends); it is bounded by
// the client's own timeouts.
func (h *lockHandle) Unlock(ctx context.Context, data []byte, expiry time.Time) error {
	if data == nil {
		return h.release(ctx, "unlock session", "n", nil, nil)
	}
	if expiry.IsZero() {
		return h.release(ctx, "save session", "p", data, nil)
	}
	// A lease relative to now, computed here, rather than an absolute time:
	// the app's clock and Redis's clock need not agree.
	ms := time.Until(expiry).Milliseconds()
	if ms <= 0 {
		return h.release(ctx, "save session", "d", nil, nil) // already expired
	}
	return h.release(ctx, "save session", "s", data, ms)
}

// Delete removes the record and releases the lock, with the same ownership
// check as Unlock.
func (h *lockHandle) Delete(ctx context.Context) error {
	return h.release(ctx, "delete session", "d", nil, nil)
}

func (h *lockHandle) release(ctx context.Context, op, mode string, data []byte, ms any) error {
	l := h.l
	defer runtime.KeepAlive(h) // the clean-up must not run mid-release
	ok, taken := l.lease.Finish()
	if !ok {
		return session.ErrLockReleased
	}
	defer l.s.gates.leave(l.id, l.gate)
	var rec any = ""
	if data != nil {
		rec = data
	}
	if ms == nil {
		ms = 0
	}
	if taken {
		// A refresh already saw another token own the lock; this one
		// can never own it again, so the script would only say so too.
		return lockLost(op, l.s.lockTTL)
	}
	if ctx.Done() != nil {
		ctx = context.WithoutCancel(ctx)
	}
	n, err := unlockScript.Run(ctx, l.s.client, l.keys[:],
		l.tokenArg, mode, rec, ms, l.s.lockTTLArg).Int64()
	if err != nil {
		// Nothing was written unless the whole script ran; either way the
		// lock is given up and its lease ends within LockTTL.
		return redisErr(op, err)
	}
	if n == 0 {
		return lockLost(op, l.s.lockTTL)
	}
	return nil
}

func lockLost(op string, ttl time.Duration) error {
	return lease.LostError("redisstore", op, "Redis", ttl)
}
