// Package redisstore is a session.Store for
// github.com/sessionlock/sessionlock/runtime/session that keeps sessions in
// Redis and locks them across every process using that Redis: two app
// servers behind a load balancer then serialise a user's requests exactly
// as one server does.
//
//	client := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	m := session.NewManager(redisstore.New(client))
//	http.ListenAndServe(":8080", m.Middleware(mux))
//
// # How the lock works
//
// A lock is the key prefix{id}:lock, taken with SET NX PX and holding a
// token unique to its holder (a random per-Store nonce and a counter).
//
//   - Lock and load are one round trip: SET NX PX and GET in one pipeline.
//     Only when the lock is busy does a Lua script run, which also
//     registers the caller as a waiter.
//   - Save and unlock are one script, one round trip, and it is fenced: it
//     writes only if the lock still holds the caller's token, then releases
//     the lock. A holder whose lease ran out writes nothing and gets an
//     error wrapping session.ErrLockLost, so nothing newer is overwritten.
//     Delete works the same way.
//   - The lease (LockTTL, default 10s) is refreshed every LockTTL/3 while a
//     handler holds the lock, by a PEXPIRE that also checks the token. A
//     handler may run as long as it likes; a crashed or partitioned holder
//     blocks its session for at most one lease. A lock whose handle is
//     dropped without release (a caller's bug) is released when the
//     handle is garbage collected.
//   - When a refresh finds the lock taken by another token, or cannot reach
//     Redis for a whole lease, the lease is lost: the lock reports it
//     through session.LeaseLock, and the Manager cancels the handler's
//     request context at once (cause session.ErrLockLost) and logs the
//     route, so slow work whose result could not be saved stops. This
//     holds for the lock Middleware takes and for every AcquireLock
//     (Explicit handlers, and re-locking after ReleaseLock).
//   - Waiters are woken by the release itself (a blocking pop on a list
//     the release pushes to; see the comment in wait.go for why not
//     pub/sub), with polling only as a fallback, and give up when their
//     context ends, which includes the Manager's lock-wait bound. A
//     release signals only while some waiter is registered: a waiter
//     leaves the session's waiters when it takes the lock or gives up, so
//     a contended hand-off costs no wake-up that nobody uses. The waiter
//     sends its lock attempt in one pipeline behind its blocking pop, so
//     Redis takes the lock for it as soon as the release signals: the
//     hand-off costs the release's round trip and one reply to the waiter,
//     the least any lock signalled through Redis can.
//     Goroutines of one process that want the same session queue in the
//     process, so each process has at most one waiter per session in
//     Redis.
//
// # Retries and stalls
//
// Every script is safe to run twice, because a client runs a command again
// when its reply was lost (go-redis: MaxRetries) although Redis may have
// run it: a retried lock finds the caller's own token and returns the lock,
// and a retried release finds the caller's token under the session's
// ":released" key, where the release moved the lock (for the rest of its
// lease), and reports success. So a lost reply never turns a save into a
// false ErrLockLost, nor makes a request wait a lease for its own lock.
//
// Lock, and each wait in it, return as soon as their context ends, even
// when Redis does not answer (a paused or swapping server): go-redis
// honours a context only with ContextTimeoutEnabled, and only its
// deadline, so the calls run on their own goroutine and are left behind
// when the context ends. What such an abandoned call took (a lock, a
// place among the waiters) is given back in the background once it
// returns; if that fails too, the lease ends the lock within LockTTL. So
// the Manager's lock-wait bound and a client's departure end the request
// on time whatever Redis does. A save (Unlock) is not abandoned: it runs to its
// end, bounded by the client's timeouts.
//
// A request of an existing session thus costs two round trips, the same as
// a store without a lock: lock+load and save+unlock.
//
// Records expire in Redis with the session (the Manager's idle and absolute
// timeouts become the key's PX), so no sweeper is needed. The lease is
// computed from the app server's clock and sent as a duration, so the app's
// and Redis's clocks need not agree.
//
// # Keys and Redis Cluster
//
// Every key of a session is Prefix (default "sessionlock:") + "{" + id +
// "}" + a suffix: the record (no suffix), ":lock", ":waiters", ":wake" and
// ":released".
// The braces are a Cluster hash tag: all keys of one session land in one
// slot, which the scripts need (a script may touch only keys of one slot),
// while different sessions spread over the cluster. So a
// redis.ClusterClient works as it is; keep braces out of Prefix, or every
// session ends up in the prefix's slot. Session IDs with braces, spaces or
// control bytes are refused.
//
// # Why not Redlock
//
// Redlock takes a lock on a majority of N independent Redis primaries so
// that it survives the loss of some of them. This store uses one primary
// (with replicas and Sentinel or Cluster failover if you like) instead:
//
//   - Martin Kleppmann's critique of Redlock ("How to do distributed
//     locking", 2016) holds for any lease-based lock: a holder can be
//     paused (GC, VM migration, swapping) or partitioned past its lease,
//     wake up believing it still holds the lock and write over a newer
//     holder. Only a check at the storage that accepts the write (a fencing
//     token) prevents that, and Redlock by itself provides none. Redlock's
//     safety also rests on bounded clock drift and bounded pauses.
//   - Here the lock and the data live in the same Redis, so the fencing
//     check is simply part of the write: the save script compares the
//     token and writes in one atomic step. A stale holder's save is
//     refused, whatever the pause or clock. That is the guarantee that
//     matters for sessions, and one primary gives it with two round trips
//     per request instead of a quorum of N.
//
// # Who holds a lock
//
// The Store is a session.HolderStore: the Manager locks with LockAs, which
// records the request's route and the time it took the lock in the lock's
// token (the scripts treat the token as opaque, so this costs no key, no
// command and no round trip, and lives exactly as long as the lock). A
// request of another app server that waits past the Manager's slow-wait
// threshold, or times out, reads it with Holder and logs which route has
// held the session's lock, and for how long.
//
// What this gives: mutual exclusion of a session's requests across
// processes while the primary is up, no lost update of the session record
// even when a holder's lease runs out, automatic recovery from crashed
// holders within one lease, and failures (Redis unreachable) reported as
// errors wrapping ErrUnavailable (and so session.ErrStoreUnavailable: the
// Manager answers 503 with Retry-After) with nothing half-written.
//
// What it does not give: Redis replication is asynchronous, so a failover
// can lose the most recent locks and writes of the old primary (a new
// request may then run beside an old one, and a session may step back to
// an older version). Effects of a handler outside the session record (a
// database row, an email) are not fenced: a holder that lost its lease
// learns it only when it saves, so such side effects need their own
// idempotency or fencing. The lease also measures time on the Redis
// server; a jump of its clock can shorten a lease.
package redisstore
