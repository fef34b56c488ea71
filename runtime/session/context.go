package session

import "context"

// ctxKey is the context key of the innermost session of a request. Each
// Session also remembers the context it was served in, so that a Manager's
// own session can be found behind the sessions of Managers nested inside it
// (Manager.FromContext) without a second context value per request.
type ctxKey struct{}

// sessionCtx is the handler's context: its parent's, with the session as
// the value of ctxKey{}. It does what context.WithValue does, but lives in
// the Session, so that it costs the request no allocation of its own.
// Deadline, Done and Err are the parent's, and so is every other value,
// which includes the context package's own lookup of the parent's
// cancellation: contexts derived from it are cancelled with the parent
// directly, as with WithValue, without a goroutine.
type sessionCtx struct {
	context.Context
	s *Session
}

func (c *sessionCtx) Value(key any) any {
	if key == (ctxKey{}) {
		return c.s
	}
	return c.Context.Value(key)
}

// detached returns the request's context without its cancellation: a save
// that starts must finish even if the client hangs up meanwhile, or a
// half-done request would lose its change. The caller holds s.mu.
func (s *Session) detached() context.Context {
	if s.saveCtx == nil {
		s.saveCtx = context.WithoutCancel(s.outer)
	}
	return s.saveCtx
}

// releaseCtx is the context of a lock's Unlock or Delete, which must finish
// once started: the detached one. The releases of this package's stores
// never look at their context (they cannot block), so those get the
// request's own, which spares every request making the detached one. The
// caller holds s.mu.
func (s *Session) releaseCtx() context.Context {
	if s.m.try != nil {
		return s.outer
	}
	return s.detached()
}
