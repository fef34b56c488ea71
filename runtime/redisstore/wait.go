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
//     hash tag; classic PUBLISH is broadcast to every node).
//
// Its cost is that a blocked waiter holds a pooled connection. The local
// gates keep that to one waiter per contended session per process, and
// MaxBlockingWaiters caps it; waiters over the cap poll instead.
//
// Order: waiters of one process queue first come, first served (the local
// gate is a channel), and Redis wakes the waiter that blocked first; a
// request that arrives just as the lock is released may still take it
// before the woken waiter (barging, as with sync.Mutex), which keeps the
// lock busy instead of idle for a wake-up's round trip.
//
// A wait never lasts longer than RetryInterval, the lease left on the
// lock (so an expired lease of a crashed holder is noticed at once), or
// ctx's deadline. Polling is only the fallback for signals that were lost
// (a waiter that popped one and then gave up passes it on) or an expiry.

// wait blocks until a release signal, the lock's lease end, RetryInterval
// or ctx, whichever is first. ttl is the lease the lock had left.
func (s *Store) wait(ctx context.Context, l *lock, ttl time.Duration) error {
	d := s.retry
	if ttl >= 0 && ttl < d {
		d = ttl + time.Millisecond // the key is gone once its PTTL has passed
	}
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(dl))
	}
	if d <= 0 {
		return ctx.Err()
	}
	select {
	case s.blocking <- struct{}{}:
	default:
		return sleep(ctx, d)
	}

	// BLPOP takes seconds; Redis 6 and later accept fractions. A zero
	// timeout would block forever, so at least a millisecond.
	secs := strconv.FormatFloat(max(d, time.Millisecond).Seconds(), 'f', 3, 64)
	_, err := bounded(ctx, "wait for session lock", func(ctx context.Context) (any, error) {
		// The pop holds a pooled connection until it returns, even when
		// the waiter has stopped waiting: only then is its slot free.
		defer func() { <-s.blocking }()
		return nil, s.client.Do(ctx, "BLPOP", l.keys[keyWake], secs).Err()
	}, func(r reply) {
		if r.err == nil {
			s.passOn(l) // popped a wake-up nobody will use
		}
	})
	switch {
	case err == nil: // woken
		if ctx.Err() != nil {
			go s.passOn(l)
			return ctx.Err()
		}
		return nil
	case errors.Is(err, redis.Nil): // timed out
		return ctx.Err()
	case ctx.Err() != nil:
		// Given up on, or cut short by the client on ctx: a lock-wait
		// timeout or a client that left, as the caller sees it.
		return ctx.Err()
	}
	return redisErr("wait for session lock", err)
}

// passOn hands a popped wake-up to the next waiter. It is clean-up that
// runs in the background or after the caller stopped waiting; should it
// fail, the next waiter notices the release within RetryInterval.
func (s *Store) passOn(l *lock) {
	ctx, cancel := context.WithTimeout(context.Background(), s.lockTTL)
	defer cancel()
	_ = wakeScript.Run(ctx, s.client, l.keys[keyWait:keyWake+1], s.lockTTLArg, l.token).Err()
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
