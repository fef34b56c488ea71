package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var errNoCookie = errors.New("session: values were stored under a new session ID after the response header was sent, so the client never got the cookie; nothing was saved. Fix: set session values (and call Regenerate) before writing the response")

var errHijackedNoCookie = errors.New("session: values were stored in a new session whose connection was then hijacked, so no cookie could reach the client; nothing was saved. Fix: start the session (so its cookie is sent) in an earlier request, before the connection is upgraded")

type mode uint8

const (
	modeHeld mode = iota
	modeExplicit
	modeReadOnly
)

type state uint8

const (
	stateOpen     state = iota
	stateReleased       // ReleaseLock was called and AcquireLock not since
	stateEnded          // the handler returned
)

// A Session is the session of one request, obtained with FromContext. Its
// methods are safe for concurrent use by goroutines of that request.
//
// Writes (Set, Delete, Clear, Regenerate) need the session lock: they are
// allowed in a Middleware handler until ReleaseLock, and in an Explicit
// handler between AcquireLock and ReleaseLock. Elsewhere a write is a
// programming error and panics, naming the key, the cause and the fix,
// instead of being silently lost.
type Session struct {
	mu    sync.Mutex
	m     *Manager
	mode  mode
	state state
	held  bool // writes allowed: the lock is held (or the session is new and not yet visible to anyone)

	id       string // "" until a new session needs one
	cookieID string // the valid ID the request's cookie carried, if any
	isNew    bool   // the store has no record under id
	loaded   bool   // a record was loaded for cookieID: emptying it must expire the cookie

	values     values
	created    time.Time
	lastAccess time.Time
	dirty      bool
	gen        uint64 // counts writes, so an encoding made before the header can be reused

	lock     Lock // the store lock of id, when held
	lockedAt time.Time
	oldLock  Lock // the lock of the ID Regenerate replaced; its record is deleted on release

	sentID   string      // the ID sent in Set-Cookie
	hijacked bool        // the handler took over the connection
	tls      bool        // the request came over TLS
	used     atomic.Bool // FromContext returned the session: the response depends on the cookie

	enc    *encBuf // encoding of generation encGen (made just before the header), from bufPool; nil when none
	encGen uint64

	err     error           // why the request must fail
	lost    func(error)     // cancels the handler's context when a held lease is lost; nil when no lock can be
	outer   context.Context // the request's context as the middleware received it
	saveCtx context.Context // outer without its cancellation; made on first use
	ctx     sessionCtx      // the handler's context
	req     *http.Request   // the handler's: &reqv
	reqv    http.Request
	rw      responseWriter
	who     reqInfo // the request's route, for logs and metrics

	// firstLock is the wrapper of the first lock the request takes: kept
	// in the Session, it costs the request no allocation of its own. A
	// Session is never reused, so the lock table may keep pointing at it.
	firstLock trackedLock
}

// lockSlot returns where to keep the next lock's wrapper: firstLock until
// a lock has been taken in it, nil (a new one) after.
func (s *Session) lockSlot() *trackedLock {
	if s.firstLock.m != nil {
		return nil
	}
	return &s.firstLock
}

// adopt makes rec (nil: none) the session's data under id; a missing record
// makes a new session. Its ID is then kept unless it came from the client in
// strict mode, which gets a fresh ID instead: an ID this request made itself
// is known to nobody else.
func (s *Session) adopt(id string, rec *record, now time.Time) {
	if rec != nil {
		s.id, s.isNew = id, false
		s.values, s.created, s.lastAccess = rec.values, rec.created, rec.lastAccess
		s.loaded = s.loaded || id == s.cookieID
		return
	}
	s.isNew = true
	s.values = values{}
	s.created, s.lastAccess = now, now
	s.id = id
	if s.m.cfg.strict && id == s.cookieID {
		s.id = ""
	}
}

// lockAndLoad locks id and loads its record. An absent, corrupted or
// expired record of an ID the client sent is dropped (the lock released, or
// the record deleted) in strict mode, so the session starts afresh under a
// new ID; an ID this request made stays locked.
func (s *Session) lockAndLoad(ctx context.Context, id string, now time.Time) error {
	l, data, err := s.m.lock(ctx, id, &s.who, s.lockSlot())
	if err != nil {
		return err
	}
	var rec record
	live, err := s.m.decode(&rec, id, data, now)
	if err != nil {
		if uerr := l.Unlock(s.releaseCtx(), nil, time.Time{}); uerr != nil {
			return errors.Join(err, uerr)
		}
		return err
	}
	if !live && s.m.cfg.strict && id == s.cookieID {
		if data != nil {
			err = l.Delete(s.releaseCtx())
		} else {
			err = l.Unlock(s.releaseCtx(), nil, time.Time{})
		}
		if err != nil {
			return err
		}
		s.adopt(id, nil, now)
		return nil
	}
	s.lock, s.lockedAt = l, l.since
	if live {
		s.adopt(id, &rec, now)
	} else {
		s.adopt(id, nil, now)
	}
	return nil
}

// load reads id's record without locking it, for the Explicit and ReadOnly
// modes.
func (s *Session) load(ctx context.Context, id string, now time.Time) error {
	data, err := s.m.store.Load(ctx, id)
	err = s.m.storeErr(&s.who, err)
	if err != nil {
		return err
	}
	var rec record
	live, err := s.m.decode(&rec, id, data, now)
	if err != nil {
		return err
	}
	if live {
		s.adopt(id, &rec, now)
	} else {
		s.adopt(id, nil, now)
	}
	return nil
}

// ID returns the session's ID. A new session gets its ID on the first call;
// it reaches the store and the cookie only if the session stores something.
func (s *Session) ID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.id == "" {
		s.id = NewID()
	}
	return s.id
}

// Get returns the value stored under key, or nil. After ReleaseLock it reads
// the snapshot that was saved.
func (s *Session) Get(key string) any {
	s.mu.Lock()
	v := s.values.get(key)
	s.mu.Unlock()
	return v
}

// Set stores value under key; a nil value deletes key. The value keeps its
// Go type through every store; a custom type must be registered with
// gob.Register, or the request fails with 500 and an error naming the
// registration. Register it in every version of the program that serves
// the sessions: an instance that meets a type it does not know fails the
// request with a DecodeError rather than lose the session.
//
//sessionlock:write
func (s *Session) Set(key string, value any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustWrite("Set", key)
	if value == nil {
		s.values.delete(key)
	} else {
		s.values.set(key, value)
	}
	s.changed()
}

// Delete removes key from the session.
//
//sessionlock:write
func (s *Session) Delete(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustWrite("Delete", key)
	s.values.delete(key)
	s.changed()
}

// Clear removes every key. A session left empty is deleted from the store
// when it is saved and its cookie is expired: this is how to log out.
//
//sessionlock:write
func (s *Session) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustWrite("Clear", "")
	s.values.clear()
	s.changed()
}

// Regenerate gives the session a new ID, keeping its data; the record under
// the old ID is deleted when the session is saved (after the new one is
// written). Call it when the user logs in or gains privileges, so an ID an
// attacker planted or saw before is worthless. It fails only when the store
// cannot lock the new ID.
//
//sessionlock:write
func (s *Session) Regenerate() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustWrite("Regenerate", "")
	id := NewID()
	var l Lock
	if !s.isNew || s.lock != nil {
		// Lock the new ID now, so that the client's next request, which
		// may carry it as soon as the header is sent, waits for our save.
		var data []byte
		var err error
		l, data, err = s.m.lock(s.detached(), id, &s.who, s.lockSlot())
		if err != nil {
			return fmt.Errorf("session: Regenerate: locking the new ID: %w", err)
		}
		if data != nil { // 192 random bits collided: practically impossible, but never merge two users
			_ = l.Unlock(s.releaseCtx(), nil, time.Time{})
			return fmt.Errorf("session: Regenerate: the new ID is already in use; call Regenerate again")
		}
	}
	if s.oldLock == nil {
		s.oldLock = s.lock
	} else if s.lock != nil {
		_ = s.lock.Unlock(s.releaseCtx(), nil, time.Time{}) // an ID from an earlier Regenerate, never saved
	}
	s.lock, s.id, s.isNew = l, id, true
	s.changed()
	s.m.count(&s.who, EventSessionRegenerated)
	return nil
}

func (s *Session) changed() {
	s.dirty = true
	s.gen++
}

// mustWrite panics unless the session may be written now; the message names
// the call (op with its key, if any). The caller holds s.mu.
func (s *Session) mustWrite(op, key string) {
	if s.held {
		return
	}
	if key != "" || op == "Set" || op == "Delete" {
		op = fmt.Sprintf("%s(%q)", op, key)
	} else {
		op += "()"
	}
	var msg string
	switch {
	case s.mode == modeReadOnly:
		msg = fmt.Sprintf("session: %s in a ReadOnly handler: a ReadOnly session is an unlocked snapshot that is never saved, so the change would be lost. Fix: serve this route with Manager.Middleware, or with Manager.Explicit and call AcquireLock before writing.", op)
	case s.state == stateEnded:
		msg = fmt.Sprintf("session: %s after the request ended: the session was already saved and unlocked, so the change would be lost. Fix: do not keep the *Session past the handler; copy the values a goroutine needs.", op)
	case s.state == stateReleased && s.hijacked:
		msg = fmt.Sprintf("session: %s after the connection was hijacked: Hijack saved and released the session, as ReleaseLock does, so that a long-lived connection (a websocket) does not block the user's other requests. Fix: make the change before hijacking, or call AcquireLock(ctx) first to re-lock and reload the session, then ReleaseLock when done.", op)
	case s.state == stateReleased:
		msg = fmt.Sprintf("session: %s after ReleaseLock: the session was already saved and unlocked, so the change would be lost or would overwrite a newer request's change. Fix: make the change before ReleaseLock, or call AcquireLock(ctx) first to re-lock and reload the session.", op)
	default:
		msg = fmt.Sprintf("session: %s before AcquireLock in an Explicit handler: without the lock the change would race the session's other requests and could be lost. Fix: call AcquireLock(r.Context()) before writing, and ReleaseLock when done.", op)
	}
	panic(msg)
}

// hijack records that the handler took over the connection: no header
// will go through the middleware any more, and the session is saved and
// released as by ReleaseLock (a new session, whose cookie can no longer be
// sent, is not saved).
func (s *Session) hijack() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rw.wroteHeader = true
	s.hijacked = true
	_ = s.releaseLock() // a failed save fails the request (s.err)
}

// ReleaseLock saves the session's changes now, if any, and releases its
// lock, like PHP's session_write_close: the session's other requests may
// run from here on. Reads keep working on the saved snapshot; writes panic
// until AcquireLock. Call it before slow work. Calling it again, or without
// the lock, does nothing.
//
// A non-nil error means the changes were not saved (the lock is released
// all the same); the request then also fails with 500 if its response has
// not started.
//
//sessionlock:release
func (s *Session) ReleaseLock() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.releaseLock()
}

// releaseLock is ReleaseLock for a caller that holds s.mu.
func (s *Session) releaseLock() error {
	if !s.held {
		return nil
	}
	err := s.release()
	if s.state == stateOpen {
		s.state = stateReleased
	}
	if err != nil && s.err == nil {
		s.err = err
	}
	return err
}

// AcquireLock locks the session, waiting at most the WithLockWait bound and
// never past ctx, and reloads it, so reads and writes see every change saved
// by the session's other requests. Use it in Explicit handlers before
// writing, and after ReleaseLock to write again. It does nothing when the
// lock is already held. A session that expired or was deleted meanwhile
// starts afresh.
//
// While the lock is held, a store that loses it (a LeaseLock whose lease
// ran out) cancels the request's context with ErrLockLost as its cause, as
// for the lock Middleware takes, and the changes are not saved.
//
//sessionlock:acquire
func (s *Session) AcquireLock(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.held:
		return nil
	case s.mode == modeReadOnly:
		return fmt.Errorf("session: AcquireLock in a ReadOnly handler: ReadOnly sessions are never locked; serve the route with Manager.Explicit to lock on demand")
	case s.state == stateEnded:
		return fmt.Errorf("session: AcquireLock after the request ended")
	}
	// Always lock, even a session with no record yet: in non-strict mode
	// other requests may carry the same client-chosen ID, and a new ID may
	// already have reached the client in a cookie.
	if s.id == "" {
		s.id = NewID()
	}
	if err := s.lockAndLoad(ctx, s.id, s.m.now()); err != nil {
		return err
	}
	if s.lock != nil {
		s.watchLease(s.lock)
	}
	s.dirty, s.enc = false, nil
	s.held = true
	s.state = stateOpen
	return nil
}

// release saves the session (if it changed, or its last access needs a
// refresh) and releases its locks. The caller holds s.mu and s.held.
func (s *Session) release() error {
	s.held = false
	if s.err != nil {
		s.abort()
		return s.err
	}
	now := time.Now()
	defer s.noteHold(now)
	if s.m.clock != nil {
		now = s.m.clock()
	}
	regenerated := s.oldLock != nil // a new ID for a saved session, not a new session
	var (
		data []byte
		del  bool
		err  error
	)
	switch empty := s.values.len() == 0; {
	case empty && s.isNew:
		// Nothing ever stored: no record, no cookie.
	case empty && s.dirty:
		del = true
	case s.dirty || s.needsTouch(now):
		if !s.dirty {
			s.lastAccess = now
			s.gen++
		}
		data, err = s.encoded()
		if err != nil {
			s.abort()
			return err
		}
		if s.isNew && (s.id == "" || (s.id != s.cookieID && s.id != s.sentID)) && s.rw.wroteHeader {
			s.abort()
			if s.hijacked {
				return errHijackedNoCookie
			}
			return errNoCookie
		}
	}
	if data != nil && s.lock == nil {
		if s.id == "" {
			s.id = NewID()
		}
		l, _, lerr := s.m.lock(s.detached(), s.id, &s.who, s.lockSlot())
		if lerr != nil {
			s.abort()
			return lerr
		}
		s.lock, s.lockedAt = l, l.since
	}
	if s.lock != nil {
		if del {
			err = s.lock.Delete(s.releaseCtx())
		} else {
			err = s.lock.Unlock(s.releaseCtx(), data, s.m.expiry(s.created, s.lastAccess))
		}
		s.lock = nil
	}
	s.putEnc()
	if err != nil {
		if s.oldLock != nil {
			_ = s.oldLock.Unlock(s.releaseCtx(), nil, time.Time{})
			s.oldLock = nil
		}
		return err
	}
	if s.oldLock != nil {
		// The new record is saved; only now may the old one go.
		err = s.oldLock.Delete(s.releaseCtx())
		s.oldLock = nil
	}
	if data != nil {
		if s.isNew && !regenerated {
			s.m.count(&s.who, EventSessionCreated)
		}
		s.isNew = false
	}
	if del {
		s.isNew = true
	}
	s.dirty = false
	return err
}

// abort releases every lock without saving anything. The caller holds s.mu.
func (s *Session) abort() {
	s.held = false
	if s.lock != nil {
		_ = s.lock.Unlock(s.releaseCtx(), nil, time.Time{})
		s.lock = nil
		s.noteHold(time.Now())
	}
	if s.oldLock != nil {
		_ = s.oldLock.Unlock(s.releaseCtx(), nil, time.Time{})
		s.oldLock = nil
	}
	s.putEnc()
}

// noteHold records how long the request held its lock until now, and logs
// it when that exceeds the long-hold threshold.
func (s *Session) noteHold(now time.Time) {
	if s.lockedAt.IsZero() {
		return
	}
	d := now.Sub(s.lockedAt)
	s.lockedAt = time.Time{}
	st := &s.m.stats
	st.hold(d)
	s.m.observeHold(&s.who, d)
	if d > s.m.cfg.longHold {
		st.longHolds.Add(1)
		s.m.log.Warn("session: lock held longer than the threshold; other requests of the session waited. Call ReleaseLock before slow work, or serve the route with ReadOnly or Explicit",
			"route", route(s.req), "held", d, "threshold", s.m.cfg.longHold)
	}
}

// needsTouch reports whether the last-access time is old enough to be worth
// a store write: a quarter of the idle timeout.
func (s *Session) needsTouch(now time.Time) bool {
	return s.m.cfg.idle > 0 && !s.isNew && now.Sub(s.lastAccess) > s.m.cfg.idle/4
}

// encoded returns the encoding of the current values, reusing the one made
// before the header when nothing changed since.
func (s *Session) encoded() ([]byte, error) {
	if s.enc == nil {
		s.enc = bufPool.Get().(*encBuf)
	} else if s.encGen == s.gen {
		return s.enc.b, nil
	}
	buf, err := encodeRecord(s.enc.b[:0], &record{created: s.created, lastAccess: s.lastAccess, values: s.values})
	if err != nil {
		s.putEnc() // what it holds now encodes nothing
		return nil, err
	}
	s.enc.b, s.encGen = buf, s.gen
	return buf, nil
}

// putEnc returns the encoding buffer to bufPool, once the save that used it
// has returned. The caller holds s.mu.
func (s *Session) putEnc() {
	if s.enc == nil {
		return
	}
	if cap(s.enc.b) > 64<<10 {
		s.enc.b = nil // let an unusually large buffer go rather than pin it
	}
	bufPool.Put(s.enc)
	s.enc = nil
}

// beforeHeader runs just before the response header is sent: it fails the
// request if the session cannot be saved, and adds the cookie.
func (s *Session) beforeHeader(h http.Header) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rw.wroteHeader = true
	if s.err != nil {
		return s.err
	}
	if s.state == stateEnded {
		// Written after the handler returned (echo's error handler does
		// so): end already added the session's headers.
		return nil
	}
	if s.held && s.dirty && s.values.len() > 0 {
		if _, err := s.encoded(); err != nil {
			s.err = err
			return err
		}
	}
	if err := s.lockIssued(); err != nil {
		s.err = err
		return err
	}
	s.headers(h)
	return nil
}

// lockIssued locks the session's ID before a header that gives it to the
// client is sent, when the request holds the session but no store lock
// (a new session): once the browser has the cookie, its next request must
// wait for this one to save, not find no record and start another session.
// The caller holds s.mu.
func (s *Session) lockIssued() error {
	if !s.held || s.lock != nil || !s.issuesID() {
		return nil
	}
	if s.id == "" {
		s.id = NewID()
	}
	l, data, err := s.m.lock(s.detached(), s.id, &s.who, s.lockSlot())
	if err != nil {
		return fmt.Errorf("session: locking the new session ID before sending its cookie: %w", err)
	}
	if data != nil { // 192 random bits collided: practically impossible, but never merge two users
		_ = l.Unlock(s.releaseCtx(), nil, time.Time{})
		return fmt.Errorf("session: the new session ID is already in use; retry the request")
	}
	s.lock, s.lockedAt = l, l.since
	return nil
}

// issuesID reports whether the response must carry a cookie with a session
// ID the client does not have yet. The caller holds s.mu.
func (s *Session) issuesID() bool {
	return s.mode != modeReadOnly && s.values.len() > 0 && (s.id == "" || s.id != s.cookieID)
}

// headers adds the session's response headers: Vary: Cookie when the
// handler used the session, and the cookie when the client must learn a
// new ID or forget an emptied session. The caller holds s.mu.
func (s *Session) headers(h http.Header) {
	if s.used.Load() {
		varyCookie(h)
	}
	s.cookies(h)
}

// varyOnCookie is the Vary value of responses that depend on the session.
// It is shared by every response, to spare an allocation each: Header.Add
// and Header.Set replace or grow it rather than write into it.
var varyOnCookie = []string{"Cookie"}[:1:1]

// varyCookie adds Cookie to h's Vary header, so that caches do not serve a
// response made for one session to another.
func varyCookie(h http.Header) {
	vary, ok := h["Vary"]
	if !ok {
		h["Vary"] = varyOnCookie
		return
	}
	for _, v := range vary {
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, "Cookie") {
				return
			}
		}
	}
	h["Vary"] = append(vary, "Cookie")
}

// cookies adds Set-Cookie when the client must learn a new ID, or forget a
// session that was emptied. Such a response must never be stored by a
// cache, which could hand the cookie to other users: it gets
// Cache-Control: no-store whatever the handler set, as PHP's default cache
// limiter does. The caller holds s.mu.
func (s *Session) cookies(h http.Header) {
	if s.mode == modeReadOnly {
		return
	}
	c := &s.m.cfg
	secure := c.secure == secureAlways || (c.secure == secureAsRequest && s.tls)
	ck := http.Cookie{
		Name: c.cookieName, Path: c.path, Domain: c.domain,
		Secure: secure, HttpOnly: true, SameSite: c.sameSite,
	}
	switch {
	case s.issuesID():
		if s.id == "" {
			s.id = NewID()
		}
		ck.Value = s.id
		s.sentID = s.id
		if c.persistent {
			exp := s.created.Add(c.absolute)
			ck.Expires = exp.UTC()
			ck.MaxAge = max(int(time.Until(exp).Seconds()), 1)
		}
	case s.values.len() == 0 && s.loaded:
		ck.MaxAge = -1
	default:
		return
	}
	h.Add("Set-Cookie", ck.String())
	h.Set("Cache-Control", "no-store")
	h.Del("Expires")
	h.Del("Pragma")
}

// bufPool recycles encoding buffers: stores copy what they keep, so a
// buffer is free again once the save returns. The Session keeps the
// holder, not the slice, so that putting it back allocates nothing.
var bufPool = sync.Pool{New: func() any { return new(encBuf) }}

type encBuf struct{ b []byte }
