package redisstore

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Waiting for a release: a blocking list pop, not pub/sub.
//
// A waiter whose attempt failed has joined the session's waiters (in the
// same script), and leaves them when an attempt succeeds; every release
// that finds waiters pushes one element onto the session's wake list, and
// the waiter blocks in BLPOP on that list.
// This was chosen over pub/sub because:
//
//   - a release wakes exactly one waiter, in the order they blocked (Redis
//     serves BLPOP clients first come, first served), instead of every
//     subscriber rushing the lock at once;
//   - the signal is a value, not a message: a release that happens between
//     a waiter's failed attempt and its BLPOP stays in the list, so it cannot
//     be missed, whereas a message published before SUBSCRIBE completes is
//     gone;
//   - it needs no subscription connection, no reconnect and resubscribe
//     logic, and works unchanged on a Cluster (the list shares the session's
//     hash tag; classic PUBLISH is broadcast to every node);
//   - the attempt that follows a wake-up needs no round trip of its own.
//     The waiter sends the BLPOP and the lock script in one pipeline;
//     Redis reads a blocked client's next command only once the BLPOP
//     returns, and runs it before it serves anyone else, so the lock is
//     taken right after the release that woke the waiter, and the waiter
//     learns both in one reply. A hand-off thus costs the release's round
//     trip and one reply, not a wake-up's reply and then a lock's round
//     trip.
//
// Its cost is that a blocked waiter holds a pooled connection. The local
// gates keep that to one waiter per contended session per process, and
// MaxBlockingWaiters caps it; waiters over the cap poll instead.
//
// Order: waiters of one process queue first come, first served (the local
// gate is a channel), and Redis wakes the waiter that blocked first. The
// woken waiter's attempt runs before Redis waits for new input again, so
// only a first attempt (tryLock) that Redis read together with the release
// can take the lock before it (barging, as with sync.Mutex).
//
// A wait never lasts longer than RetryInterval, the lease left on the
// lock (so an expired lease of a crashed holder is noticed at once), or
// ctx's deadline. Polling is only the fallback for a release that
// signalled nobody (it came before the waiter joined) or an expiry.

// waitAndLock waits for a release signal, the end of the lock's lease
// (ttl, or unknown if negative), RetryInterval or ctx, whichever is first,
// and then makes one lock attempt. It returns what the lock script
// returns (see lockScript); an attempt that finds the lock busy leaves the
// caller among the waiters.
//
// joined says whether an earlier attempt already made the caller a
// waiter. If not, the wait starts by joining (joinScript), which signals
// the caller's own wake-up when the lock is free by then: the lock may
// have been released after tryLock found it busy, and that release, with
// no waiter registered, signalled nobody.
func (s *Store) waitAndLock(ctx context.Context, l *lock, joined bool, ttl time.Duration) (any, error) {
	d := s.retry
	if ttl >= 0 && ttl < d {
		d = ttl + time.Millisecond // the key is gone once its PTTL has passed
	}
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(dl))
	}
	if d <= 0 {
		return nil, ctx.Err()
	}
	select {
	case s.blocking <- struct{}{}:
	default:
		// Over MaxBlockingWaiters: poll. A first attempt needs no wait;
		// it joins the waiters as any failed attempt does.
		if joined {
			if err := sleep(ctx, d); err != nil {
				return nil, err
			}
		}
		return s.lockOnce(ctx, l)
	}

	// BLPOP takes seconds; Redis 6 and later accept fractions. A zero
	// timeout would block forever, so at least a millisecond.
	secs := strconv.FormatFloat(max(d, time.Millisecond).Seconds(), 'f', 3, 64)
	v, err := bounded(ctx, "wait for session lock", func(ctx context.Context) (any, error) {
		// The pop holds a pooled connection until it returns, even when
		// the waiter has stopped waiting: only then is its slot free.
		defer func() { <-s.blocking }()
		return s.popAndLock(ctx, l, joined, secs)
	}, s.undoAttempt(l))
	var stalled *stalledError
	if errors.As(err, &stalled) {
		// The pop ends at ctx's deadline, so its reply and the deadline
		// race: stopping here is the lock-wait bound (or the client
		// leaving), whether or not Redis would have answered.
		return nil, ctx.Err()
	}
	return v, err
}

// popAndLock sends [joinScript,] BLPOP and lockScript in one pipeline and
// returns the lock script's reply.
//
// The lock script goes by its SHA-1 (EVALSHA), as Script.Run sends it. A
// server that lost its script cache (a restart, SCRIPT FLUSH) or never saw
// the script answers NOSCRIPT, and the attempt is then made again by
// Script.Run, which sends the body.
func (s *Store) popAndLock(ctx context.Context, l *lock, joined bool, secs string) (any, error) {
	p := s.client.Pipeline()
	var join *redis.Cmd
	if !joined {
		// By body (EVAL), not SHA-1: a NOSCRIPT here would leave the
		// caller blocked in the BLPOP without having joined.
		join = joinScript.Eval(ctx, p, l.keys[:keyWake+1], l.token, s.lockTTLArg)
	}
	p.Do(ctx, "BLPOP", l.keys[keyWake], secs)
	try := p.EvalSha(ctx, lockScript.Hash(), l.keys[:keyWait+1], l.tokenArg, s.lockTTLArg, l.token)
	_, err := p.Exec(ctx)
	if err != nil && !isRedisReply(err) {
		// The connection failed: the lock script may have run (the reply
		// was lost), and the caller's undo gives back what it took.
		return nil, err
	}
	if join != nil && join.Err() != nil {
		return nil, join.Err() // a reply, but not the script's: nothing is as assumed
	}
	if isNoScript(try.Err()) {
		return lockScript.Run(ctx, s.client, l.keys[:keyWait+1], l.tokenArg, s.lockTTLArg, l.token).Result()
	}
	return try.Result()
}

// lockOnce runs one lock attempt, bounded by ctx.
func (s *Store) lockOnce(ctx context.Context, l *lock) (any, error) {
	return bounded(ctx, "lock session", func(ctx context.Context) (any, error) {
		return lockScript.Run(ctx, s.client, l.keys[:keyWait+1], l.tokenArg, s.lockTTLArg, l.token).Result()
	}, s.undoAttempt(l))
}

// undoAttempt returns the clean-up of a lock attempt that the caller
// stopped waiting for: once its reply comes, a lock it may have taken is
// given back, and a waiter it made the caller is withdrawn.
func (s *Store) undoAttempt(l *lock) func(reply) {
	return func(r reply) {
		if _, busy := r.v.(int64); busy && r.err == nil {
			s.withdraw(l)
			return
		}
		s.abandon(l) // it may hold the lock: give it back
	}
}

// isRedisReply reports whether err is an answer of the server (an error
// reply, or redis.Nil for a nil reply), not a failure to get one.
func isRedisReply(err error) bool {
	var re redis.Error
	return errors.As(err, &re)
}

// isNoScript reports whether err says the server does not have the script.
func isNoScript(err error) bool {
	return err != nil && redis.HasErrorPrefix(err, "NOSCRIPT")
}

// withdraw takes a waiter that gave up without a wake-up out of the
// waiters, so that releases stop signalling for it. It is clean-up that
// runs in the background; should it fail, the set ends with its lease.
func (s *Store) withdraw(l *lock) {
	ctx, cancel := context.WithTimeout(context.Background(), s.lockTTL)
	defer cancel()
	_ = s.client.SRem(ctx, l.keys[keyWait], l.token).Err()
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
