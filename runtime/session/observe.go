package session

import (
	"fmt"
	"time"
)

// An Observer is told what a Manager's session locks do, so that a metrics
// system can record it: see the runtime/sessionprom module for a Prometheus
// collector built on it. The Manager calls it on the request path, from many
// goroutines at once, so its methods must be safe for concurrent use and
// fast; they must not block.
//
// route is the ServeMux pattern of the request, such as "GET /page1", or ""
// when the request matched none (or the handler is not a ServeMux and set
// no pattern). It is never a raw path, so labels made from it stay bounded.
type Observer interface {
	// LockWait reports how long a request waited for its session's lock:
	// 0 when it was free. timedOut is true when the request gave up after
	// the WithLockWait bound. A request whose client went away while it
	// waited is not reported.
	LockWait(route string, waited time.Duration, timedOut bool)

	// LockHold reports how long a request held its session's lock, from
	// taking it to its release (ReleaseLock or the end of the request).
	LockHold(route string, held time.Duration)

	// Event counts one occurrence of e in a request of route.
	Event(route string, e Event)
}

// An Event is something an Observer counts.
type Event uint8

// The events. A lock timeout is both an Event and a LockWait with timedOut.
const (
	// EventLockTimeout: a request gave up waiting for its session's lock.
	EventLockTimeout Event = iota + 1
	// EventLockLost: a lock's lease ran out before its release, so the
	// changes of the request were not saved (ErrLockLost).
	EventLockLost
	// EventStoreError: a store call failed (anything but a lost lock).
	EventStoreError
	// EventSessionCreated: a new session was saved for the first time.
	EventSessionCreated
	// EventSessionRegenerated: Regenerate gave a session a new ID.
	EventSessionRegenerated
)

// Events lists every Event, for observers that pre-create their counters.
var Events = []Event{EventLockTimeout, EventLockLost, EventStoreError, EventSessionCreated, EventSessionRegenerated}

// String returns the event's name in snake case, as used in metric names
// and labels: "lock_timeout", "lock_lost", "store_error",
// "session_created", "session_regenerated".
func (e Event) String() string {
	switch e {
	case EventLockTimeout:
		return "lock_timeout"
	case EventLockLost:
		return "lock_lost"
	case EventStoreError:
		return "store_error"
	case EventSessionCreated:
		return "session_created"
	case EventSessionRegenerated:
		return "session_regenerated"
	}
	return fmt.Sprintf("Event(%d)", uint8(e))
}

// WithObserver makes the Manager report lock waits, lock holds and events
// to o, in addition to its own Stats, per-route figures and DebugHandler.
func WithObserver(o Observer) Option {
	if o == nil {
		panic("session: WithObserver(nil): pass an Observer, e.g. one from the runtime/sessionprom module")
	}
	return func(c *config) { c.observer = o }
}

// WithSlowWait sets the lock wait above which a request is logged (at warn
// level) with the route of the request that held the lock and for how
// long (default 1s), e.g.
//
//	session: GET /page2 waited 3.1s for the session lock held by GET /page1 for 18.4s
//
// A request that times out waiting is logged so whatever the threshold.
func WithSlowWait(threshold time.Duration) Option {
	if threshold <= 0 {
		panic(fmt.Sprintf("session: WithSlowWait(%v): the threshold must be positive", threshold))
	}
	return func(c *config) { c.slowWait = threshold }
}

// observeWait records a finished wait in the Manager's per-route figures
// and tells the observer.
func (m *Manager) observeWait(who *reqInfo, d time.Duration, timedOut bool) {
	who.stats(m).wait.add(d)
	if o := m.cfg.observer; o != nil {
		o.LockWait(who.pattern, d, timedOut)
		if timedOut {
			o.Event(who.pattern, EventLockTimeout)
		}
	}
}

// observeHold records a finished hold like observeWait.
func (m *Manager) observeHold(who *reqInfo, d time.Duration) {
	who.stats(m).hold.add(d)
	if o := m.cfg.observer; o != nil {
		o.LockHold(who.pattern, d)
	}
}

// count records one event.
func (m *Manager) count(who *reqInfo, e Event) {
	switch e {
	case EventLockLost:
		m.stats.lockLost.Add(1)
	case EventStoreError:
		m.stats.storeErrors.Add(1)
	case EventSessionCreated:
		m.stats.created.Add(1)
	case EventSessionRegenerated:
		m.stats.regenerated.Add(1)
	}
	if o := m.cfg.observer; o != nil {
		o.Event(who.pattern, e)
	}
}
