package redisstore

import "time"

// Defaults of the options.
const (
	// DefaultPrefix starts every key the store writes.
	DefaultPrefix = "sessionlock:"
	// DefaultLockTTL is the lease of a lock: how long a crashed holder
	// blocks its session. It is refreshed every third of it while held.
	DefaultLockTTL = 10 * time.Second
	// DefaultRetryInterval bounds one wait for a release signal, and so
	// how late a waiter notices an expired lease or a lost signal.
	DefaultRetryInterval = 100 * time.Millisecond
)

// An Option configures a Store in New.
type Option func(*config)

type config struct {
	prefix      string
	lockTTL     time.Duration
	retry       time.Duration
	maxBlocking int
}

// Prefix sets the string every key starts with (default DefaultPrefix), so
// several applications or environments can share one Redis. A prefix with a
// '{' would become the cluster hash tag of every key, putting all sessions
// in one slot: avoid braces unless that is what you want.
func Prefix(p string) Option { return func(c *config) { c.prefix = p } }

// LockTTL sets the lease of a held lock (default DefaultLockTTL, minimum
// 30ms). A holder refreshes it every LockTTL/3 while its handler runs, so
// the TTL does not limit how long a handler may take; it is how long a
// crashed or partitioned holder keeps its session locked, and how long a
// paused holder (GC, VM stall) may freeze before it loses the lock and its
// save is refused with ErrLockLost.
func LockTTL(d time.Duration) Option { return func(c *config) { c.lockTTL = d } }

// RetryInterval sets the longest single wait for a release signal (default
// DefaultRetryInterval, minimum 1ms). Waiters are woken by the release
// itself; this interval only matters when a signal is missed and bounds how
// late a waiter notices that its context is done. It must stay below the
// client's ReadTimeout, because a blocking pop of this length is sent on a
// pooled connection.
func RetryInterval(d time.Duration) Option { return func(c *config) { c.retry = d } }

// MaxBlockingWaiters caps how many goroutines of this Store may wait in a
// blocking pop at once (default: half the client's pool size, at least 1).
// Each such wait holds a pooled connection, so without a cap waiters could
// starve holders of connections to release with; waiters beyond the cap
// poll every RetryInterval instead. Only one goroutine per session waits in
// Redis anyway (see the package doc), so this matters only when many
// different sessions are contended at once.
func MaxBlockingWaiters(n int) Option { return func(c *config) { c.maxBlocking = n } }
