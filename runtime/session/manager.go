package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// ErrLockTimeout reports that a request gave up waiting for its session's
// lock after the WithLockWait bound. Errors wrapping it also wrap
// context.DeadlineExceeded.
var ErrLockTimeout = errors.New("session: timed out waiting for the session lock held by another request of this session")

// A Manager serves sessions for an http.Handler: it reads the session
// cookie, locks and loads the session through its Store, and saves and
// unlocks it. Create one with NewManager and share it between goroutines.
type Manager struct {
	store Store
	try   tryLocker // store, when it is one of this package's stores
	cfg   config
	log   *slog.Logger
	stats counters
	clock func() time.Time // the clock of session timeouts when set (by tests); time.Now otherwise

	touching sync.Map       // IDs whose last-access time is being refreshed in the background
	touches  sync.WaitGroup // those refreshes

	// What DebugHandler, RouteStats and the slow-wait log show (observe.go).
	locks   lockTable
	routes  routeTable
	hasher  sessionHasher
	holders HolderStore // store, when it records holders
}

// NewManager returns a Manager keeping sessions in store, or in a new
// MemoryStore when store is nil.
func NewManager(store Store, opts ...Option) *Manager {
	if store == nil {
		store = NewMemoryStore()
	}
	m := &Manager{store: store, cfg: defaultConfig()}
	if tl, ok := store.(tryLocker); ok && tl.self() == store {
		m.try = tl
	}
	for _, o := range opts {
		o(&m.cfg)
	}
	m.log = m.cfg.logger
	if m.log == nil {
		m.log = slog.Default()
	}
	m.locks.init()
	m.hasher = newSessionHasher()
	m.holders, _ = store.(HolderStore)
	return m
}

// now returns the time on the clock of session timeouts.
func (m *Manager) now() time.Time {
	if m.clock != nil {
		return m.clock()
	}
	return time.Now()
}

// Store returns the Manager's store.
func (m *Manager) Store() Store { return m.store }

// tryLocker is implemented by the stores of this package: a lock attempt
// that never blocks (nil Lock when busy) and reports whether it waited. It
// lets the uncontended path skip creating a timeout context, and makes
// Stats.Waits exact. A MemoryStore keeps its Lock in into when into is not
// nil (a field of the Manager's wrapper, so that the lock costs one
// allocation, or none); the FileStore ignores it.
type tryLocker interface {
	lock(ctx context.Context, id string, wait bool, into *memLock) (Lock, []byte, bool, error)
	// self returns the store itself. A type that embeds one of our stores
	// inherits lock, but not as itself: its own Lock (which may wrap ours)
	// must be called instead.
	self() Store
}

// slowLock is the Lock duration above which a store without tryLocker is
// assumed to have waited for another holder.
const slowLock = time.Millisecond

// lock takes id's lock for the request who, waiting at most the lock-wait
// bound and never past ctx. It counts acquisitions, waits and timeouts, and
// logs slow waits with the holder's route. It returns the lock wrapped in
// slot, or in a new trackedLock when slot is nil (see Session.lockSlot).
func (m *Manager) lock(ctx context.Context, id string, who *reqInfo, slot *trackedLock) (*trackedLock, []byte, error) {
	if slot == nil {
		slot = new(trackedLock)
	}
	tl, fast := m.try, m.try != nil
	if fast {
		l, data, _, err := tl.lock(ctx, id, false, &slot.mem)
		if err != nil {
			return nil, nil, m.storeErr(who, err)
		}
		if l != nil {
			m.stats.acquisitions.Add(1)
			return m.track(slot, l, id, who, 0), data, nil
		}
	}
	m.stats.waiting.Add(1)
	defer m.stats.waiting.Add(-1)
	start := time.Now()
	w := m.startWait(id, who, start)
	wctx, cancel := context.WithTimeout(ctx, m.cfg.lockWait)
	defer cancel()
	var (
		l      Lock
		data   []byte
		waited bool
		err    error
	)
	switch {
	case fast:
		l, data, _, err = tl.lock(wctx, id, true, &slot.mem)
		waited = true // the try above found it busy
	case m.holders != nil:
		l, data, err = m.holders.LockAs(wctx, id, who.label())
	default:
		l, data, err = m.store.Lock(wctx, id)
	}
	d := time.Since(start)
	timedOut := err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded)
	m.endWait(ctx, id, who, w, d, err, timedOut)
	if waited || d > slowLock {
		m.stats.waits.Add(1)
		m.stats.waitNanos.Add(int64(d))
	}
	if err != nil {
		if timedOut {
			m.stats.timeouts.Add(1)
			m.observeWait(who, d, true)
			return nil, nil, fmt.Errorf("%w (waited %v; raise WithLockWait, or call ReleaseLock before slow work in the request that holds it): %w", ErrLockTimeout, m.cfg.lockWait, err)
		}
		return nil, nil, m.storeErr(who, err)
	}
	m.stats.acquisitions.Add(1)
	return m.track(slot, l, id, who, d), data, nil
}

// cookieID returns the first session ID of the form NewID produces among
// the request's cookies of the session cookie's name ("" when none), and
// whether another, different one follows: a parent domain's cookie or one a
// tossing attacker set can share the name, and whichever the browser lists
// first must not shadow the real session. It scans the header itself
// instead of calling r.Cookies, which parses (and allocates) every cookie
// of the request.
func (m *Manager) cookieID(r *http.Request) (id string, more bool) {
	name := m.cfg.cookieName
	for _, line := range r.Header["Cookie"] {
		for len(line) > 0 {
			var v string
			v, line = nextCookie(line, name)
			if !ValidID(v) {
				continue
			}
			if id == "" {
				id = v
			} else if v != id {
				return id, true
			}
		}
	}
	return id, false
}

// nextCookie returns the value of the first pair of line named name ("" when
// none matched in the part it consumed) and the rest of line.
func nextCookie(line, name string) (value, rest string) {
	var part string
	part, rest, _ = strings.Cut(line, ";")
	k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
	if !ok || k != name {
		return "", rest
	}
	if len(v) > 1 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	return v, rest
}

// liveCookieID picks, among the request's well-formed session cookies, the
// first whose session is live in the store, or the first one when none is.
// It runs only for requests carrying several different session cookies.
func (m *Manager) liveCookieID(ctx context.Context, r *http.Request, first string) (string, error) {
	now := m.now()
	for _, line := range r.Header["Cookie"] {
		for len(line) > 0 {
			var v string
			v, line = nextCookie(line, m.cfg.cookieName)
			if !ValidID(v) {
				continue
			}
			data, err := m.store.Load(ctx, v)
			if err != nil {
				return "", err
			}
			if created, last, ok := recordTimes(data); ok && now.Before(m.expiry(created, last)) {
				return v, nil
			}
		}
	}
	return first, nil
}

// decode turns stored bytes into a live record in rec, and reports false
// when the bytes are absent, corrupted (logged) or expired at now. A value
// this program cannot decode is not corruption: it returns the
// *DecodeError, and the caller fails the request without touching the
// record.
func (m *Manager) decode(rec *record, id string, data []byte, now time.Time) (bool, error) {
	if data == nil {
		return false, nil
	}
	if err := decodeInto(rec, data); err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			return false, err
		}
		m.log.Error("session: stored record is corrupted; treating the session as absent", "session", m.hasher.hash(id), "err", err)
		return false, nil
	}
	return !m.expired(rec, now), nil
}

func (m *Manager) expired(rec *record, now time.Time) bool {
	return !now.Before(m.expiry(rec.created, rec.lastAccess))
}

// expiry is when a session ends: the earlier of its absolute and idle
// deadlines.
func (m *Manager) expiry(created, lastAccess time.Time) time.Time {
	exp := created.Add(m.cfg.absolute)
	if m.cfg.idle > 0 {
		if idle := lastAccess.Add(m.cfg.idle); idle.Before(exp) {
			exp = idle
		}
	}
	return exp
}

// fail answers a request whose session could not be served.
func (m *Manager) fail(w http.ResponseWriter, r *http.Request, err error) {
	if m.cfg.errorHandle != nil {
		m.cfg.errorHandle(w, r, err)
		return
	}
	m.log.Error("session: request failed", "route", route(r), "err", err)
	if errors.Is(err, ErrStoreUnavailable) {
		// The client may retry; the cause (addresses, server replies) stays
		// in the log, not in the page.
		w.Header().Set("Retry-After", "1")
		http.Error(w, "503 Service Unavailable: the session store cannot be reached right now; try again in a moment.", http.StatusServiceUnavailable)
		return
	}
	http.Error(w, "500 Internal Server Error: the session could not be loaded or saved", http.StatusInternalServerError)
}

// busy answers a request that timed out waiting for its session's lock.
// The timeout was logged, with the holder, when the wait ended (endWait).
func (m *Manager) busy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	http.Error(w, "503 Service Unavailable: another request of your session is still running and holds its lock; try again in a moment.", http.StatusServiceUnavailable)
}

// route names a request's route for logs: the ServeMux pattern when the
// request went through one, else method and path.
func route(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return r.Method + " " + r.URL.Path
}
