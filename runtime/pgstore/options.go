package pgstore

import (
	"fmt"
	"time"
)

// Defaults of the options.
const (
	// DefaultTable is the table the store keeps sessions in; its LISTEN
	// channel has the same name.
	DefaultTable = "sessionlock_sessions"
	// DefaultLockTTL is the lease of a lock: how long a crashed or frozen
	// holder keeps its session locked. A holder renews it every third of
	// it while its handler runs.
	DefaultLockTTL = 10 * time.Second
	// DefaultRetryInterval bounds one wait for a release's NOTIFY, and so
	// how late a waiter notices an expired lease or a wake-up lost with
	// the listener's connection.
	DefaultRetryInterval = 250 * time.Millisecond
	// DefaultSweepInterval is how often a Store deletes expired rows.
	DefaultSweepInterval = 5 * time.Minute
)

// An Option configures a Store in New (and the schema in Migrate: only
// Table matters there).
type Option func(*config)

type config struct {
	table   string
	lockTTL time.Duration
	retry   time.Duration
	sweep   time.Duration
}

func newConfig(opts []Option) config {
	c := config{table: DefaultTable, lockTTL: DefaultLockTTL, retry: DefaultRetryInterval, sweep: DefaultSweepInterval}
	for _, o := range opts {
		o(&c)
	}
	c.lockTTL = max(c.lockTTL, 30*time.Millisecond)
	c.retry = max(c.retry, time.Millisecond)
	return c
}

// Table sets the table the sessions live in (default DefaultTable), so
// several applications can share one database. The name must be a plain
// lower-case SQL identifier (letters, digits, underscores; at most 48
// bytes): New and Migrate panic otherwise. Migrate must be given the same
// option.
func Table(name string) Option { return func(c *config) { c.table = name } }

// LockTTL sets the lease of a held lock (default DefaultLockTTL, minimum
// 30ms). The holder renews it every LockTTL/3 while the handler runs, so
// it does not limit how long a handler may take: it is how long a crashed
// holder keeps its session locked, and how long a frozen one (GC, a stopped
// VM, a partition) may stall before it loses the lock and its save is
// refused with session.ErrLockLost.
func LockTTL(d time.Duration) Option { return func(c *config) { c.lockTTL = d } }

// RetryInterval sets the longest single wait for a release's NOTIFY
// (default DefaultRetryInterval, minimum 1ms), after which a waiter tries
// the lock again. Waiters are woken by the release itself; the interval
// only matters when a holder crashed (its lease must run out) or a
// wake-up was lost.
func RetryInterval(d time.Duration) Option { return func(c *config) { c.retry = d } }

// SweepInterval sets how often the Store deletes expired sessions (default
// DefaultSweepInterval); 0 or less turns the sweep off, for applications
// that call Sweep themselves. Every Store sweeps: they skip the rows
// another is deleting, so several app servers do not contend.
func SweepInterval(d time.Duration) Option { return func(c *config) { c.sweep = d } }

// checkTable panics on a table name that is not a plain identifier: it is
// spliced into SQL.
func checkTable(name string) {
	ok := name != "" && len(name) <= 48 && (name[0] < '0' || name[0] > '9')
	for _, r := range name {
		ok = ok && (r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}
	if !ok {
		panic(fmt.Sprintf("pgstore: Table(%q): want a lower-case SQL identifier of letters, digits and underscores, at most 48 bytes", name))
	}
}
