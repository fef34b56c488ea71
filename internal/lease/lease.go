// Package lease keeps the holder's side of a lease lock, for the stores
// whose locks a holder can lose while it holds them (runtime/redisstore,
// runtime/pgstore): it renews the lease every third of its TTL while the
// lock is held, declares the lease lost when a renewal finds another
// holder or when none got through for a whole lease, and then calls the
// holder's OnLost callback (see session.LeaseLock).
//
// The renewal is a timer rather than a goroutine parked per lock: requests
// shorter than a third of the lease, nearly all of them, cost no goroutine
// at all, while a long handler gets its renewal goroutine (the timer's)
// every TTL/3.
package lease

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// A Renew call extends the lease in the store if this holder still has
// it; held is false when the store says another holder (or none) has it.
// It must return by ctx's deadline.
type Renew func(ctx context.Context) (held bool, err error)

// A Lease is the state of one held lease. The zero Lease is not started.
type Lease struct {
	ttl   time.Duration
	renew Renew

	mu         sync.Mutex // guards the fields below
	released   bool
	lost       bool      // the lease is gone: found taken, or not renewed in time
	taken      bool      // the store said another holder has the lock
	validUntil time.Time // the lease surely holds until then (this process's clock)
	onLost     func()
	timer      *time.Timer
}

// Start arms the renewals of a lease of ttl that holds until validUntil
// (the time the request that took it was sent, plus ttl).
func (l *Lease) Start(ttl time.Duration, validUntil time.Time, renew Renew) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ttl, l.renew, l.validUntil = ttl, renew, validUntil
	l.timer = time.AfterFunc(ttl/3, l.tick)
}

// tick renews the lease and re-arms itself, or declares the lease lost.
// The call runs without l.mu, bounded by a third of the lease, so a
// release never waits for a renewal stuck on a stalled server; a renewal
// that reaches the store after the release finds another token or none,
// and changes nothing.
func (l *Lease) tick() {
	l.mu.Lock()
	if l.released {
		l.mu.Unlock()
		return
	}
	l.mu.Unlock()
	sent := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), l.ttl/3)
	held, err := l.renew(ctx)
	cancel()

	l.mu.Lock()
	if l.released {
		l.mu.Unlock()
		return
	}
	switch {
	case err == nil && held:
		l.validUntil = sent.Add(l.ttl)
	case err == nil:
		l.lost, l.taken = true, true
	case !time.Now().Before(l.validUntil):
		l.lost = true
	}
	if !l.lost {
		// After an error (the server out of reach) keep trying until the
		// lease is over; it outlives two more attempts.
		l.timer.Reset(l.ttl / 3)
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

// OnLost registers lost to be called once, on a goroutine of the lease's,
// when the lease is found lost while held; not after Finish. A later call
// replaces lost.
func (l *Lease) OnLost(lost func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lost && !l.released {
		go lost()
		return
	}
	l.onLost = lost
}

// Finish marks the lease released and stops its renewals. ok is false if
// it was finished already; taken reports that a renewal found another
// holder, so that a release can refuse at once.
func (l *Lease) Finish() (ok, taken bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.released {
		return false, false
	}
	l.released = true
	l.onLost = nil
	if l.timer != nil {
		l.timer.Stop()
	}
	return true, l.taken
}

// RenewNow runs a renewal at once, as the timer would, so that tests can
// control when one happens instead of racing the timer.
func (l *Lease) RenewNow() { l.tick() }

// LostError is the error of a release whose lease ran out before it: pkg
// and op name the call, server the store's server.
func LostError(pkg, op, server string, ttl time.Duration) error {
	return fmt.Errorf("%s: %s: the lock's lease (LockTTL %v) ran out and another holder "+
		"may have taken it, e.g. after a pause or while %s was unreachable; nothing was "+
		"written; raise LockTTL if holders stall this long: %w", pkg, op, ttl, server, session.ErrLockLost)
}
