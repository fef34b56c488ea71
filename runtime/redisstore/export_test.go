package redisstore

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// RefreshNow runs l's lease refresh at once, as its timer would, so tests
// control when a refresh happens instead of racing the timer.
func RefreshNow(l session.Lock) { l.(*lockHandle).l.lease.RenewNow() }

// JoinWaitAndLock runs the first step of a wait for id's lock, as Lock
// runs it after its first attempt found the lock busy: join the waiters,
// wait for a release signal, try. It releases the lock it gets.
func JoinWaitAndLock(ctx context.Context, s *Store, id string) error {
	l := s.newLock(id, nil, "")
	v, err := s.waitAndLock(ctx, l, false, -1)
	if _, busy := v.(int64); busy && err == nil {
		return errors.New("the lock is busy")
	}
	if err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	s.abandon(l)
	return nil
}
