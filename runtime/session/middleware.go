package session

import (
	"context"
	"errors"
	"net/http"
)

// Middleware serves next with the request's session locked for the whole
// handler (implicit locking, as in CherryPy and PHP): the lock is taken
// before next runs, and after next returns the changes are saved and the
// lock released. Requests of one session therefore run one at a time, and
// no change is lost. A handler that does slow work should call ReleaseLock
// first, so the user's other requests need not wait for it.
//
// A request that waits longer than the WithLockWait bound is answered 503
// without running next; one whose client goes away while waiting ends
// without running next. If next panics nothing is saved, the lock is
// released and the panic goes on. If the store loses the lock while next
// runs (a LeaseLock whose lease ran out), the request's context is
// cancelled with ErrLockLost as its cause and nothing is saved.
//
// The ResponseWriter next gets has exactly the optional interfaces of the
// server's (http.Flusher, http.Hijacker, io.ReaderFrom, http.Pusher), the
// same in every mode. Hijacking the connection (a websocket upgrade) saves
// and releases the session as ReleaseLock does, so the connection does not
// hold the user's other requests for its whole life; a new session is not
// saved then, since its cookie can no longer be sent.
//
//sessionlock:serve held
func (m *Manager) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.serve(w, r, next, modeHeld)
	})
}

// Explicit serves next with the request's session loaded but not locked.
// Reads see the record as it was when the request started; before writing,
// the handler calls AcquireLock, which locks and reloads the session, and
// then ReleaseLock (or returns, which releases it). Use it for routes that
// mostly read and write seldom.
//
//sessionlock:serve explicit
func (m *Manager) Explicit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.serve(w, r, next, modeExplicit)
	})
}

// ReadOnly serves next with a snapshot of the request's session that is
// never locked and never saved: any write panics. Use it for routes that
// only read the session, such as polling endpoints and pages that show the
// user's name, so they never wait for nor delay the user's other requests.
// It still counts as activity: like an Explicit request that saved nothing,
// it refreshes the idle timeout in the background once a quarter of it has
// passed (see WithIdleTimeout).
//
//sessionlock:serve readonly
func (m *Manager) ReadOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.serve(w, r, next, modeReadOnly)
	})
}

// FromContext returns the session of the request whose context is ctx; every
// call for one request returns the same *Session. When Managers are nested
// (an admin area with its own sessions inside the site's), it returns the
// innermost one's session: use Manager.FromContext to pick one. It panics
// when the request was not served through a Manager's wrappers.
//
//sessionlock:source
func FromContext(ctx context.Context) *Session {
	s, _ := ctx.Value(ctxKey{}).(*Session)
	if s == nil {
		panic(noSession("session.FromContext"))
	}
	s.use()
	return s
}

// FromContext returns the session that m serves to the request whose
// context is ctx, even when another Manager's wrappers run inside m's (each
// Manager has its own sessions and cookie). It panics when the request was
// not served through one of m's wrappers.
//
//sessionlock:source
func (m *Manager) FromContext(ctx context.Context) *Session {
	s, _ := ctx.Value(ctxKey{}).(*Session)
	for s != nil && s.m != m {
		s, _ = s.outer.Value(ctxKey{}).(*Session)
	}
	if s == nil {
		panic(noSession("Manager.FromContext"))
	}
	s.use()
	return s
}

// use notes that the handler took the session, so its response depends on
// the cookie (Vary: Cookie).
func (s *Session) use() {
	if !s.used.Load() {
		s.used.Store(true)
	}
}

// noSession is the panic message of a FromContext call on a context without
// a session, saying how to install the middleware.
func noSession(call string) string {
	return "session: " + call + ": no session of this Manager in this context. Wrap the handler with the Manager's middleware, e.g.\n" +
		"\tm := session.NewManager(nil) // nil: in-memory store\n" +
		"\thttp.ListenAndServe(addr, m.Middleware(mux)) // or m.Explicit(h), m.ReadOnly(h)\n" +
		"and pass r.Context() of the *http.Request the wrapped handler received."
}

func (m *Manager) serve(w http.ResponseWriter, r *http.Request, next http.Handler, md mode) {
	s := &Session{m: m, mode: md, outer: r.Context(), tls: r.TLS != nil}
	s.rw = responseWriter{ResponseWriter: w, s: s}
	s.who = newReqInfo(r, next)
	now := m.now()
	id, more := m.cookieID(r)
	var err error
	if more {
		id, err = m.liveCookieID(r.Context(), r, id)
	}
	s.cookieID = id
	switch {
	case err != nil:
	case id == "":
		s.adopt("", nil, now)
	case md == modeHeld:
		err = s.lockAndLoad(r.Context(), id, now)
	default:
		err = s.load(r.Context(), id, now)
	}
	if err != nil {
		switch {
		case r.Context().Err() != nil:
			// The client went away while we waited; nobody reads an answer.
		case errors.Is(err, ErrLockTimeout):
			m.busy(w)
		default:
			m.fail(w, r, err)
		}
		return
	}
	if md == modeHeld {
		s.held = true
	}
	// A held lock can be lost (a lease that ran out): stop the handler's
	// work when it is, whether Middleware took the lock or AcquireLock.
	ctx, stop := s.leaseContext(r)
	defer stop()
	// The handler's context and request live in the Session, sparing an
	// allocation each: r.WithContext is inlined, so its copy of r stays on
	// the stack until copied here.
	s.ctx = sessionCtx{Context: ctx, s: s}
	s.reqv = *r.WithContext(&s.ctx)
	s.req = &s.reqv
	if s.lock != nil {
		s.watchLease(s.lock)
	}

	finished := false
	defer func() {
		if !finished {
			// next panicked or called runtime.Goexit: save nothing of the
			// half-done change, free the locks, let the panic go on.
			s.mu.Lock()
			s.abort()
			s.state = stateEnded
			s.mu.Unlock()
		}
	}()
	next.ServeHTTP(s.rw.wrap(), s.req)
	finished = true
	s.end()
}

// end finishes a request whose handler returned: it saves and unlocks a
// held session and answers 500 when the session could not be saved and the
// response has not started yet.
func (s *Session) end() {
	s.mu.Lock()
	if s.held {
		if err := s.release(); err != nil && s.err == nil {
			s.err = err
		}
	}
	s.state = stateEnded
	if s.mode != modeHeld && s.id == s.cookieID && s.err == nil && s.needsTouch(s.m.now()) {
		// An Explicit or ReadOnly request that saved nothing: keep the
		// session from its idle timeout all the same.
		s.m.touch(s.detached(), s.id, s.m.now())
	}
	err := s.err
	wrote := s.rw.wroteHeader
	if !wrote && err == nil {
		s.headers(s.rw.ResponseWriter.Header())
	}
	s.mu.Unlock()
	switch {
	case err == nil:
	case !wrote:
		s.mu.Lock()
		s.rw.wroteHeader = true
		s.mu.Unlock()
		s.m.fail(s.rw.ResponseWriter, s.req, err)
	case !s.rw.failed:
		s.m.log.Error("session: changes not saved, and the response was already sent", "route", route(s.req), "err", err)
	}
}
