package redisbench

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/internal/benchkit"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// pollingStore is the baseline lock of the hand-off benchmark: a
// retry-loop lock as phpredis's session locking does it (SET NX PX, then
// GET; while the lock is busy, sleep lock_wait_time, 2 ms by default, and
// try again; release by compare-and-delete after the write). It is a
// session.Store so that the same Managers run over it.
type pollingStore struct {
	c      *goredis.Client
	prefix string
	every  time.Duration // the sleep between attempts
	ttl    time.Duration
}

var pollUnlock = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

func (p *pollingStore) Load(ctx context.Context, id string) ([]byte, error) {
	b, err := p.c.Get(ctx, p.prefix+id).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, nil
	}
	return b, err
}

func (p *pollingStore) Lock(ctx context.Context, id string) (session.Lock, []byte, error) {
	token := rand.Text()
	err := benchkit.PollLock(ctx, p.every, func() (bool, error) {
		return p.c.SetNX(ctx, p.prefix+id+"_LOCK", token, p.ttl).Result()
	})
	if err != nil {
		return nil, nil, err
	}
	data, err := p.Load(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return &pollingLock{p: p, id: id, token: token}, data, nil
}

type pollingLock struct {
	p     *pollingStore
	id    string
	token string
}

func (l *pollingLock) Unlock(ctx context.Context, data []byte, expiry time.Time) error {
	if data != nil {
		if err := l.p.c.Set(ctx, l.p.prefix+l.id, data, time.Until(expiry)).Err(); err != nil {
			return err
		}
	}
	return pollUnlock.Run(ctx, l.p.c, []string{l.p.prefix + l.id + "_LOCK"}, l.token).Err()
}

func (l *pollingLock) Delete(ctx context.Context) error {
	if err := l.p.c.Del(ctx, l.p.prefix+l.id).Err(); err != nil {
		return err
	}
	return pollUnlock.Run(ctx, l.p.c, []string{l.p.prefix + l.id + "_LOCK"}, l.token).Err()
}
