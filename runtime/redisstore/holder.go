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
// lock that waits gets a new stamp per attempt, so the time recorded is
// when it took the lock, not when it began to wait.
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
	v, err := s.client.Get(ctx, s.prefix+"{"+id+"}"+suffixLock).Result()
	if errors.Is(err, redis.Nil) {
		return session.Holder{}, false, nil
	}
	if err != nil {
		return session.Holder{}, false, redisErr("read the session lock's holder", err)
	}
	return parseHolder(v), true, nil
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
