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

// watchLease returns r's context, cancelled with ErrLockLost as its cause
// as soon as the store finds l lost, and logs that with the route. stop
// ends the watch; it must be called when the handler returns.
func (m *Manager) watchLease(r *http.Request, id string, l Lock) (ctx context.Context, stop func()) {
	ll, ok := storeLock(l).(LeaseLock)
	if !ok {
		return r.Context(), func() {}
	}
	ctx, cancel := context.WithCancelCause(r.Context())
	ll.OnLost(func() {
		m.log.Error("session: the store lost the session's lock while the handler ran (its lease ran out); "+
			"cancelled the request's context, and its changes will not be saved. Raise the store's lease "+
			"if holders stall this long", "route", route(r), "session", m.hasher.hash(id))
		cancel(ErrLockLost)
	})
	return ctx, func() { cancel(nil) }
}
