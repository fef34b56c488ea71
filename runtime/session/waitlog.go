package session

import (
	"context"
	"fmt"
	"time"
)

// startWait lists a request that must wait for id's lock. With a
// HolderStore, whose holders may live in other processes, it also arms a
// timer that asks the store for the holder once the wait passes the
// slow-wait threshold: when the wait ends with the lock, that holder has
// let go and can no longer be asked.
func (m *Manager) startWait(id string, who *reqInfo, start time.Time) *waiter {
	w := m.locks.wait(id, who, start)
	if m.holders != nil {
		w.asked = make(chan struct{})
		w.timer = time.AfterFunc(m.cfg.slowWait, func() {
			defer close(w.asked)
			if h, ok := m.lookupHolder(context.Background(), id); ok {
				w.remote.Store(&h)
			}
		})
	}
	return w
}

// endWait unlists w and logs the wait when it was slow, timed out or was
// abandoned after the threshold, naming the holder. err is the lock's
// error; timedOut says it is the lock-wait bound's.
func (m *Manager) endWait(ctx context.Context, id string, who *reqInfo, w *waiter, d time.Duration, err error, timedOut bool) {
	if w.timer != nil && !w.timer.Stop() {
		// The wait was slow and the store is being asked who held the
		// lock: the answer is for this wait's log line (at most
		// holderLookupTimeout).
		<-w.asked
	}
	now := time.Now()
	h, held, known := m.locks.endWait(id, w, timedOut, now)
	if !timedOut && d <= m.cfg.slowWait {
		return
	}
	e := waitEnd{route: who.label(), session: m.hasher.hash(id), waited: d, err: err, timedOut: timedOut}
	remote := w.remote.Load()
	switch {
	case known:
		m.logWait(e, h, held, true)
	case m.holders == nil:
		m.logWait(e, Holder{}, 0, false)
	case timedOut:
		// The lock is still held: ask the store who holds it now, off the
		// request's path, for the 503 must not wait for a log line.
		go func() {
			h, ok := m.lookupHolder(ctx, id)
			if !ok && remote != nil {
				h, ok = *remote, true
			}
			m.logWait(e, h, heldUntil(h, now), ok)
		}()
	case remote != nil:
		m.logWait(e, *remote, heldUntil(*remote, now), true)
	default:
		m.logWait(e, Holder{}, 0, false)
	}
}

// waitEnd is a finished wait, for its log line.
type waitEnd struct {
	route, session string
	waited         time.Duration
	err            error
	timedOut       bool
}

// heldUntil is how long h had held its lock at t (0 when unknown).
func heldUntil(h Holder, t time.Time) time.Duration {
	if h.Since.IsZero() {
		return 0
	}
	return t.Sub(h.Since)
}

// logWait logs e, naming the holder h (which held the lock for held) when
// known.
func (m *Manager) logWait(e waitEnd, h Holder, held time.Duration, known bool) {
	holder := "a request this process does not know (its store does not record holders)"
	switch {
	case known && h.Route != "" && held > 0:
		holder = fmt.Sprintf("%s for %v", h.Route, roundDuration(held))
	case known && h.Route != "":
		holder = h.Route
	case known:
		holder = "a request that did not record its route"
	}
	msg := fmt.Sprintf("session: %s waited %v for the session lock held by %s", e.route, roundDuration(e.waited), holder)
	switch {
	case e.timedOut:
		msg += fmt.Sprintf("; gave up after the WithLockWait bound (%v)", m.cfg.lockWait)
	case e.err != nil:
		msg += "; stopped waiting: " + e.err.Error()
	}
	attrs := []any{"route", e.route, "waited", e.waited, "session", e.session}
	if known {
		attrs = append(attrs, "holder_route", h.Route, "held", held)
	}
	m.log.Warn(msg, attrs...)
}

// lookupHolder asks the HolderStore for id's holder, within
// holderLookupTimeout and whether or not ctx is done (the answer serves a
// log line about it).
func (m *Manager) lookupHolder(ctx context.Context, id string) (Holder, bool) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), holderLookupTimeout)
	defer cancel()
	h, held, err := m.holders.Holder(ctx, id)
	if err != nil || !held {
		return Holder{}, false
	}
	return h, true
}

// roundDuration shortens d for people: 3.1s, 250ms, 1.5ms.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= 10*time.Millisecond:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
