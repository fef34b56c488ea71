package session

import (
	"context"
	"net/http"
)

// A LeaseLock is a Lock that its store can lose while it is held: a
// lease-based lock (Redis) whose lease ran out during a pause or a network
// partition, so that another request may hold the session now. The
// holder's save is refused anyway (ErrLockLost); OnLost lets the Manager
// also stop the handler's work at once instead of letting it run on for
// nothing.
type LeaseLock interface {
	Lock

	// OnLost registers lost to be called once, on a goroutine of the
	// store's, when the store finds the lock lost while it is held; it is
	// not called after Unlock or Delete. A later call replaces lost.
	OnLost(lost func())
}

// mayLease reports whether the store's locks may be LeaseLocks, whose loss
// cancels the handler's context. This package's own stores hold their
// locks until released, so their requests need no cancellable context.
func (m *Manager) mayLease() bool { return m.try == nil }

// leaseContext returns the context for the handler of r: r's own when no
// lock it takes can be lost, or else one that s.watchLease cancels when
// the store finds a lock lost. stop must be called when the handler
// returns.
func (s *Session) leaseContext(r *http.Request) (ctx context.Context, stop func()) {
	switch {
	case !s.m.mayLease(), s.mode == modeReadOnly:
		// No lock to lose: ReadOnly never locks.
		return r.Context(), func() {}
	case s.mode == modeHeld:
		// Middleware's lock tells whether the store's locks can be lost;
		// without one, the request serves a new session whose ID nobody
		// else knows.
		if _, lease := storeLock(s.lock).(LeaseLock); !lease {
			return r.Context(), func() {}
		}
	}
	ctx, cancel := context.WithCancelCause(r.Context())
	s.lost = cancel
	return ctx, func() { cancel(nil) }
}

// watchLease makes the store's finding l lost cancel the handler's
// context with ErrLockLost as its cause, and log that with the route: the
// handler's slow work stops at once instead of running on for a save that
// will be refused. It covers the lock Middleware takes before the handler
// and every AcquireLock. The caller holds s.mu.
func (s *Session) watchLease(l Lock) {
	ll, ok := storeLock(l).(LeaseLock)
	if !ok || s.lost == nil {
		return
	}
	m, r, id, cancel := s.m, s.req, s.id, s.lost
	ll.OnLost(func() {
		m.log.Error("session: the store lost the session's lock while the handler ran (its lease ran out); "+
			"cancelled the request's context, and its changes will not be saved. Raise the store's lease "+
			"if holders stall this long", "route", route(r), "session", m.hasher.hash(id))
		cancel(ErrLockLost)
	})
}
