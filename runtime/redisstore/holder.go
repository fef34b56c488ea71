package redisstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// The holder of a lock travels in the lock's value: the token the scripts
// compare is the Store's token followed by "|", the time the lock was taken
// (Unix ms) and "|" and the holder's route. The scripts treat the token as
// opaque, so recording the holder costs no key, no command and no round
// trip, and the record lives and dies with the lock's lease, refreshes
// included. Store tokens never contain "|".
const holderSep = "|"

var _ session.HolderStore = (*Store)(nil)

// LockAs is Lock that records route and the time the lock was taken with
// the lock, so that waiters in other processes can name the holder with
// Holder. The Manager calls it with the request's route pattern.
func (s *Store) LockAs(ctx context.Context, id, route string) (session.Lock, []byte, error) {
	return s.lockAs(ctx, id, route)
}

// stamp makes the token of the next lock attempt: the base token, with the
// holder's route and the current time when the lock records a holder. A
// lock that waits gets a new stamp after each attempt that found the lock
// busy, so the time recorded is when it took the lock, not when it began
// to wait; an attempt that follows a wait in the wait's pipeline (wait.go)
// is stamped when the pipeline is sent, at most RetryInterval before it
// takes the lock. It must not run while an attempt may still be in flight: a
// retried or late attempt must carry the token it was sent with.
func (l *lock) stamp() {
	if l.route == "" {
		return
	}
	ms := strconv.FormatInt(time.Now().UnixMilli(), 10)
	l.tokenArg = l.token + holderSep + ms + holderSep + l.route
}

// Holder returns the holder of id's lock: held is false when the lock is
// free; a lock taken with Lock, or by an older version of this package,
// has a zero Holder. Since comes from the holder's clock.
func (s *Store) Holder(ctx context.Context, id string) (session.Holder, bool, error) {
	if err := checkID(id); err != nil {
		return session.Holder{}, false, err
	}
	// Bounded by ctx whatever the client does (see bounded): the answer
	// only serves a log line, which must not hang on a stalled Redis.
	v, err := bounded(ctx, "read the session lock's holder", func(ctx context.Context) (any, error) {
		return s.client.Get(ctx, s.prefix+"{"+id+"}"+suffixLock).Result()
	}, nil)
	if errors.Is(err, redis.Nil) {
		return session.Holder{}, false, nil
	}
	if err != nil {
		return session.Holder{}, false, redisErr("read the session lock's holder", err)
	}
	return parseHolder(v.(string)), true, nil
}

// parseHolder reads the holder from a lock's value.
func parseHolder(v string) session.Holder {
	_, rest, ok := strings.Cut(v, holderSep)
	if !ok {
		return session.Holder{}
	}
	ms, route, ok := strings.Cut(rest, holderSep)
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil {
		return session.Holder{}
	}
	return session.Holder{Route: route, Since: time.UnixMilli(n)}
}
