package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// Store is a session.Store kept in Redis, with a lock that holds across
// every process using the same Redis and prefix. It is safe for concurrent
// use; create one per process and client with New.
type Store struct {
	client      redis.UniversalClient
	prefix      string
	lockTTL     time.Duration
	retry       time.Duration
	lockTTLArg  any // lockTTL in ms, boxed once so calls do not allocate it
	gates       *gates
	blocking    chan struct{} // semaphore of blocking pops (MaxBlockingWaiters)
	tokenPrefix string        // random per Store; a counter makes each token unique
	tokenSeq    atomic.Uint64
}

var _ session.Store = (*Store)(nil)

// New returns a Store that keeps sessions in the Redis client points to.
// The client is the caller's: New does not configure or close it, and any
// UniversalClient works (single node, Sentinel failover, Cluster; see the
// package doc for what Cluster needs). New panics if client is nil.
func New(client redis.UniversalClient, opts ...Option) *Store {
	if client == nil {
		panic("redisstore: New(nil): pass a client, e.g. redis.NewClient(&redis.Options{Addr: \"localhost:6379\"})")
	}
	c := config{prefix: DefaultPrefix, lockTTL: DefaultLockTTL, retry: DefaultRetryInterval}
	for _, o := range opts {
		o(&c)
	}
	if c.lockTTL < 30*time.Millisecond {
		c.lockTTL = 30 * time.Millisecond
	}
	if c.retry < time.Millisecond {
		c.retry = time.Millisecond
	}
	if c.maxBlocking <= 0 {
		c.maxBlocking = max(1, poolSize(client)/2)
	}
	var nonce [16]byte
	_, _ = rand.Read(nonce[:]) // never fails (crypto/rand docs)
	return &Store{
		client:      client,
		prefix:      c.prefix,
		lockTTL:     c.lockTTL,
		retry:       c.retry,
		lockTTLArg:  c.lockTTL.Milliseconds(),
		gates:       newGates(),
		blocking:    make(chan struct{}, c.maxBlocking),
		tokenPrefix: base64.RawURLEncoding.EncodeToString(nonce[:]) + ".",
	}
}

// poolSize is the client's per-node pool size, or a guess for clients that
// do not say.
func poolSize(c redis.UniversalClient) int {
	switch c := c.(type) {
	case *redis.Client:
		return c.Options().PoolSize
	case *redis.ClusterClient:
		return c.Options().PoolSize
	case *redis.Ring:
		return c.Options().PoolSize
	}
	return 10
}

// Load returns id's record without locking it, or nil when there is none.
func (s *Store) Load(ctx context.Context, id string) ([]byte, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	b, err := s.client.Get(ctx, s.dataKey(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, redisErr("load session", err)
	}
	return b, nil
}

// Lock waits until this caller holds id's lock in Redis and returns it with
// the record, in one round trip when the lock is free. While it is held,
// the lease is refreshed in the background until Unlock or Delete.
//
// Waiting costs no polling in the common case: goroutines of this process
// queue locally and only the first waits in Redis, on a list the holder's
// release pushes to. When ctx is done, Lock returns ctx's error and holds
// nothing; a wait in Redis notices within RetryInterval.
func (s *Store) Lock(ctx context.Context, id string) (session.Lock, []byte, error) {
	return s.lockAs(ctx, id, "")
}

// lockAs is Lock and LockAs: a non-empty route is recorded with the lock
// (holder.go).
func (s *Store) lockAs(ctx context.Context, id, route string) (session.Lock, []byte, error) {
	if err := checkID(id); err != nil {
		return nil, nil, err
	}
	g, err := s.gates.enter(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	l := &lock{s: s, id: id, gate: g, route: route}
	l.token = s.lockKeys(&l.keys, id, s.tokenSeq.Add(1))
	l.tokenArg = l.token

	data, err := s.acquire(ctx, l)
	if err != nil {
		s.gates.leave(id, g)
		return nil, nil, err
	}
	h := &lockHandle{l: l}
	l.startLease(h)
	return h, data, nil
}

// acquire runs the lock script until it takes the lock, waiting for a
// release signal between attempts.
func (s *Store) acquire(ctx context.Context, l *lock) ([]byte, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		l.stamp()
		v, err := lockScript.Run(ctx, s.client, l.keys[:keyWait+1], l.tokenArg, s.lockTTLArg).Result()
		switch v := v.(type) {
		case string:
			if err == nil {
				return []byte(v), nil
			}
		case int64:
			if err == nil {
				if err := s.wait(ctx, l, time.Duration(v)*time.Millisecond); err != nil {
					return nil, err
				}
				continue
			}
		}
		if errors.Is(err, redis.Nil) {
			return nil, nil // locked; no record
		}
		if ctx.Err() != nil {
			// The lock script may have run although the reply did not come
			// back in time; a compare-and-delete makes sure nothing is held.
			s.abandon(l)
			return nil, ctx.Err()
		}
		if err == nil {
			err = fmt.Errorf("unexpected reply %T", v)
		}
		return nil, redisErr("lock session", err)
	}
}

// abandon releases l's lock in Redis if it got it, without saving.
func (s *Store) abandon(l *lock) {
	ctx, cancel := context.WithTimeout(context.Background(), s.lockTTL)
	defer cancel()
	_ = unlockScript.Run(ctx, s.client, l.keys[:], l.tokenArg, "n", "", 0, s.lockTTLArg).Err()
}
