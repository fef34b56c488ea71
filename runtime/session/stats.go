package session

import (
	"sync/atomic"
	"time"
)

// Stats are a Manager's lock counters since it was created.
type Stats struct {
	Acquisitions uint64        // session locks taken from the store
	Waits        uint64        // acquisitions (or timeouts) that found the lock held and waited; for stores of other packages, Lock calls slower than 1ms
	WaitTime     time.Duration // total time spent waiting for locks, including waits that timed out
	Timeouts     uint64        // waits that gave up after the lock-wait timeout
	LongHolds    uint64        // holds longer than the WithLongHold threshold
	LongestHold  time.Duration // the longest time one request held a lock
	Waiting      int64         // requests waiting for a lock right now
	LockLost     uint64        // releases that found the lock's lease lost (ErrLockLost); nothing was saved
	StoreErrors  uint64        // store calls that failed, lost locks excepted
	Created      uint64        // new sessions saved
	Regenerated  uint64        // Regenerate calls that gave a session a new ID
}

// counters are updated with atomics on the request path: no mutex is shared
// between requests of different sessions.
type counters struct {
	acquisitions atomic.Uint64
	waits        atomic.Uint64
	waitNanos    atomic.Int64
	timeouts     atomic.Uint64
	longHolds    atomic.Uint64
	longestHold  atomic.Int64
	waiting      atomic.Int64
	lockLost     atomic.Uint64
	storeErrors  atomic.Uint64
	created      atomic.Uint64
	regenerated  atomic.Uint64
}

// Stats returns a snapshot of the Manager's lock counters.
func (m *Manager) Stats() Stats {
	c := &m.stats
	return Stats{
		Acquisitions: c.acquisitions.Load(),
		Waits:        c.waits.Load(),
		WaitTime:     time.Duration(c.waitNanos.Load()),
		Timeouts:     c.timeouts.Load(),
		LongHolds:    c.longHolds.Load(),
		LongestHold:  time.Duration(c.longestHold.Load()),
		Waiting:      c.waiting.Load(),
		LockLost:     c.lockLost.Load(),
		StoreErrors:  c.storeErrors.Load(),
		Created:      c.created.Load(),
		Regenerated:  c.regenerated.Load(),
	}
}

func (c *counters) hold(d time.Duration) {
	for {
		cur := c.longestHold.Load()
		if int64(d) <= cur || c.longestHold.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}
