// Package pgstore is a session.Store for apps that run on PostgreSQL alone:
// the session records and their locks live in one table, and the lock
// holds across every app server that uses the same database.
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	...
//	if err := pgstore.Migrate(ctx, pool); err != nil { ... }
//	store := pgstore.New(pool)
//	defer store.Close()
//	sessions := session.NewManager(store)
//
// # The lock
//
// A lock is a lease in the session's row: a token, unique to the holder,
// and the time the lease ends. One statement takes it (INSERT ... ON
// CONFLICT DO UPDATE, which also reads the record) and one releases it (an
// UPDATE that saves the record too); both check the lease, and the release
// writes only while the holder's token still holds an unexpired lease. So
// a holder that froze past its lease (a long GC pause, a stopped VM, a
// partition) and lost the lock to another request writes nothing: its
// save fails with session.ErrLockLost, and the Manager cancels its
// handler's context as soon as a lease renewal finds the lock lost. A
// holder renews its lease every LockTTL/3 while its handler runs.
//
// # Waiting without polling
//
// A request that finds the lock busy marks the row (wait_until), and the
// holder's release then sends NOTIFY with the session's hash, in the same
// transaction as the save: PostgreSQL delivers it at commit, so the
// wake-up never arrives before the data. Each Store has one listener
// connection of its own that LISTENs on the table's channel and wakes the
// waiting request of that session in-process; waiting requests hold no
// pool connection, so a pool of 10 serves hundreds of waiting requests.
// Within one process, the requests of one session queue locally and only
// the first waits in PostgreSQL. Releases that nobody waits for send no
// NOTIFY. A wake-up lost with the listener's connection is made good when
// it reconnects (it wakes every waiter to try again), and any other is
// bounded by RetryInterval, after which a waiter tries anyway, which is
// also how a crashed holder's expired lease is noticed.
//
// # Schema and sweeping
//
// Migrate creates the table and its index (see Schema for the SQL, for
// those who run migrations themselves). Session IDs are stored as their
// SHA-256 hash, as the file store names its files, so the table holds no
// ID anyone could present as a cookie. Each Store deletes expired rows
// every SweepInterval, in small batches that skip locked rows (FOR UPDATE
// SKIP LOCKED), so the sweep never makes a request wait.
//
// # Failures
//
// Errors of a server that cannot answer (down, restarting, a connection
// killed with pg_terminate_backend, statement_timeout or lock_timeout hit)
// wrap ErrUnavailable, and so session.ErrStoreUnavailable: the Manager
// answers 503 with Retry-After. Each statement is its own transaction, so
// a failed one wrote nothing. A lock whose release failed is given back in
// the background, or ends with its lease. Lock honours its context: a
// WithLockWait bound ends the wait with a 503 and Retry-After.
package pgstore
