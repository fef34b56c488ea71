package session

import "time"

// SetClock makes m read the time of session timeouts from now, so tests
// move time forward instead of sleeping.
func SetClock(m *Manager, now func() time.Time) { m.clock = now }

// WaitTouches waits for m's background refreshes of idle timeouts.
func WaitTouches(m *Manager) { m.touches.Wait() }
