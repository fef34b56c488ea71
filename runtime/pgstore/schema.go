package pgstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Schema is the SQL that Migrate runs, for the default table, for those who
// apply migrations with their own tool. For another table (the Table
// option), replace every sessionlock_sessions with its name.
//
// A row is one session: its record (data, expires_at) and its lock
// (lock_token, lock_until, holder_*). wait_until marks that some process
// waits for the lock and wants a NOTIFY when it is released; without it
// releases send none.
const Schema = `CREATE TABLE IF NOT EXISTS sessionlock_sessions (
	id_hash      bytea PRIMARY KEY, -- SHA-256 of the session ID
	data         bytea,             -- the record; NULL when there is none
	expires_at   timestamptz,       -- when the record expires; NULL: never
	lock_token   bigint,            -- the holder's token; NULL when free
	lock_until   timestamptz,       -- the end of the holder's lease
	holder_route text,              -- the holder's route, for waiters' logs
	holder_since timestamptz,       -- when the holder took the lock
	wait_until   timestamptz        -- a waiter wants a NOTIFY on release until then
);
CREATE INDEX IF NOT EXISTS sessionlock_sessions_expires_at ON sessionlock_sessions (expires_at);`

// Migrate creates the store's table and index if they do not exist yet. It
// is idempotent and safe to run from several app servers at once (it takes
// a transaction-scoped advisory lock). Pass the same Table option as to
// New, if any; other options are ignored.
func Migrate(ctx context.Context, pool *pgxpool.Pool, opts ...Option) error {
	c := newConfig(opts)
	checkTable(c.table)
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('sessionlock migrate'))"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, strings.ReplaceAll(Schema, DefaultTable, c.table))
		return err
	})
	if err != nil {
		return pgErr(ctx, "migrate: create table "+c.table, err)
	}
	return nil
}

// statements are the store's SQL for its table. Each is one statement, so
// one transaction: a lock taken, renewed or released is all or nothing,
// and a release's NOTIFY is sent on commit, after its data is visible.
// Durations are integer milliseconds added to the server's now(), so the
// app servers' clocks need not agree with the database's.
type statements struct {
	load, lock, renew, holder, sweep string
	save, keep, del, abandon         string
}

func newStatements(t string) statements {
	// busy is true when another holder's lease still runs.
	const busy = "s.lock_until > now()"
	pick := func(col, ifBusy, ifFree string) string {
		return fmt.Sprintf("%s = CASE WHEN %s THEN %s ELSE %s END", col, busy, ifBusy, ifFree)
	}
	// async makes the statement's commit asynchronous (it does not wait
	// for the WAL flush), for the statements that only take or extend a
	// lock: if the server crashes before the WAL writer flushes one (within
	// three wal_writer_delay, 600 ms by default), the lock is lost with it,
	// and its holder's renewal and save find another token or none and
	// fail with ErrLockLost; nothing is overwritten. Every statement that
	// saves commits durably, and its flush carries the earlier lock's WAL.
	// A request thus waits for one WAL flush, not two, and one that
	// changed nothing for none.
	const async = "WITH async AS (SELECT set_config('synchronous_commit', 'off', true))"
	// A release: the update (or delete) only if the caller's token still
	// holds an unexpired lease, and a NOTIFY, on the table's channel with
	// the session's hash as payload, only if a waiter asked for one.
	release := func(change, cond string) string {
		return "WITH r AS (" + change + " WHERE id_hash = $1 AND lock_token = $2" + cond + " RETURNING wait_until) " +
			"SELECT CASE WHEN wait_until > now() THEN pg_notify('" + t + "', encode($1, 'hex')) END FROM r"
	}
	// asyncRelease is a release that saves nothing, committed
	// asynchronously: lost in a crash, it leaves the lock to end with its
	// lease.
	asyncRelease := func(change, cond string) string {
		return strings.Replace(release(change, cond), "WITH ", async+", ", 1) + ", async"
	}
	const free = "lock_token = NULL, lock_until = NULL, holder_route = NULL, holder_since = NULL"
	const live = " AND lock_until > now()"
	return statements{
		load: "SELECT data FROM " + t + " WHERE id_hash = $1 AND (expires_at IS NULL OR expires_at > now())",
		// $1 id hash, $2 token, $3 lease ms, $4 route, $5 since, $6 how
		// long a waiter wants a NOTIFY (ms). A new row has no record yet,
		// so it is born expired: the sweep can remove it once unlocked.
		lock: async + " INSERT INTO " + t + " AS s (id_hash, lock_token, lock_until, holder_route, holder_since, expires_at) " +
			"SELECT $1::bytea, $2::bigint, now() + $3::bigint * interval '1 millisecond', $4::text, $5::timestamptz, now() FROM async " +
			"ON CONFLICT (id_hash) DO UPDATE SET " +
			pick("lock_token", "s.lock_token", "excluded.lock_token") + ", " +
			pick("lock_until", "s.lock_until", "excluded.lock_until") + ", " +
			pick("holder_route", "s.holder_route", "excluded.holder_route") + ", " +
			pick("holder_since", "s.holder_since", "excluded.holder_since") + ", " +
			pick("wait_until", "now() + $6::bigint * interval '1 millisecond'", "s.wait_until") +
			" RETURNING s.lock_token = $2::bigint, CASE WHEN s.expires_at IS NULL OR s.expires_at > now() THEN s.data END",
		renew: async + " UPDATE " + t + " SET lock_until = now() + $3::bigint * interval '1 millisecond' FROM async " +
			"WHERE id_hash = $1 AND lock_token = $2" + live,
		holder: "SELECT holder_route, holder_since FROM " + t + " WHERE id_hash = $1 AND lock_until > now()",
		// $3 the record, $4 its lifetime in ms (NULL: no expiry).
		save: release("UPDATE "+t+" SET data = $3, expires_at = now() + $4::bigint * interval '1 millisecond', "+free, live),
		keep: asyncRelease("UPDATE "+t+" SET "+free, live),
		del:  release("DELETE FROM "+t, live),
		// abandon gives back a lock an attempt may have taken, lease or not.
		abandon: asyncRelease("UPDATE "+t+" SET "+free, ""),
		// Expired, unlocked rows nobody waits on, a batch at a time; rows a
		// request has locked are skipped, not waited for.
		sweep: "DELETE FROM " + t + " WHERE id_hash IN (SELECT id_hash FROM " + t +
			" WHERE expires_at <= now() AND (lock_until IS NULL OR lock_until <= now())" +
			" AND (wait_until IS NULL OR wait_until <= now()) LIMIT $1 FOR UPDATE SKIP LOCKED)",
	}
}
