package session

import (
	"context"
	"encoding/binary"
	"errors"
	"time"
)

// touch refreshes the last-access time of the session id to at, in the
// background, for a request that read the session without saving it (the
// Explicit and ReadOnly modes): activity on any route keeps a session from
// its idle timeout. The request neither waits for the lock nor delays the
// session's other requests by it. The refresh is skipped when the session
// is locked (its holder refreshes it when it saves), and it writes only the
// record's times, so values this program cannot decode survive it.
//
// Callers call it only once a quarter of the idle timeout has passed since
// the last refresh, so a session costs at most a few writes per idle
// timeout, not one per request.
func (m *Manager) touch(ctx context.Context, id string, at time.Time) {
	if _, running := m.touching.LoadOrStore(id, struct{}{}); running {
		return
	}
	m.touches.Add(1)
	go func() {
		defer m.touches.Done()
		defer m.touching.Delete(id)
		ctx, cancel := context.WithTimeout(ctx, m.cfg.lockWait)
		defer cancel()
		l, data, err := m.lockIfFree(ctx, id)
		if errors.Is(err, context.DeadlineExceeded) {
			return // held all along: its holder refreshes it when it saves
		}
		if err != nil {
			m.log.Warn("session: could not refresh the idle timeout of a session used without its lock", "session", m.hasher.hash(id), "err", err)
			return
		}
		if l == nil {
			return // busy: the holder refreshes it when it saves
		}
		created, last, ok := recordTimes(data)
		if !ok || !at.Before(m.expiry(created, last)) || at.Sub(last) <= m.cfg.idle/4 {
			// Gone, expired, or refreshed meanwhile: nothing to do.
			err = l.Unlock(ctx, nil, time.Time{})
		} else {
			err = l.Unlock(ctx, retouch(data, at), m.expiry(created, at))
		}
		if err != nil {
			m.log.Warn("session: could not refresh the idle timeout of a session used without its lock", "session", m.hasher.hash(id), "err", err)
		}
	}()
}

// lockIfFree locks id for a refresh. The stores of this package are only
// asked, and give a nil Lock when id is busy; others are waited for, up to
// ctx's deadline.
func (m *Manager) lockIfFree(ctx context.Context, id string) (Lock, []byte, error) {
	if m.try == nil {
		return m.store.Lock(ctx, id)
	}
	l, data, _, err := m.try.lock(ctx, id, false, nil)
	return l, data, err
}

// retouch returns a copy of the encoded record data, whose header
// recordTimes has checked, with its last-access time set to at.
func retouch(data []byte, at time.Time) []byte {
	d := decoder{b: data[1:]}
	created := d.varint()
	d.varint()
	out := make([]byte, 0, len(data)+binary.MaxVarintLen64)
	out = append(out, codecVersion)
	out = binary.AppendVarint(out, created)
	out = binary.AppendVarint(out, at.UnixNano())
	return append(out, d.b...)
}
