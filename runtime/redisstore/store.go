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
// release pushes to. When ctx is done, Lock returns at once with an error
// wrapping ctx's, even if Redis does not answer (the error then also wraps
// ErrUnavailable), and holds nothing: what a call still in flight takes is
// given back in the background.
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
	l := s.newLock(id, g, route)
	data, err := s.acquire(ctx, l)
	if err != nil {
		s.gates.leave(id, g)
		return nil, nil, err
	}
	h := &lockHandle{l: l}
	l.startLease(h)
	return h, data, nil
}

// newLock returns the state of a lock of id not yet taken, with its keys
// and a new token.
func (s *Store) newLock(id string, g *gate, route string) *lock {
	l := &lock{s: s, id: id, gate: g, route: route}
	l.token = s.lockKeys(&l.keys, id, s.tokenSeq.Add(1))
	l.tokenArg = l.token
	l.stamp()
	return l
}

// acquire takes the lock, waiting for a release signal while another
// holder has it. It returns once ctx is done even if Redis does not answer
// (see bounded); an attempt still in flight then is undone in the
// background.
//
// The first attempt is two plain commands in one round trip (SET NX PX,
// GET), cheaper for Redis than a script; only when the SET finds the lock
// taken does the lock script run, which also registers the waiter and
// recognises the caller's own token (a first attempt whose reply was lost
// and that the client sent again).
func (s *Store) acquire(ctx context.Context, l *lock) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err // nothing sent, nothing to give back
	}
	// The lease runs from no earlier than now; until the lock is shared
	// with a refresh timer, only this goroutine uses l.
	l.validUntil = time.Now().Add(s.lockTTL)
	v, err := bounded(ctx, "lock session", func(ctx context.Context) (any, error) {
		if lk, err := s.tryLock(ctx, l); lk != nil || err != nil {
			return lk, err
		}
		return nil, nil // an untyped nil: the lock is busy
	}, func(r reply) {
		if r.err != nil || r.v != nil {
			s.abandon(l) // it may hold the lock: give it back
		}
	})
	if err == nil && v != nil {
		return v.(*locked).data, nil
	}
	if err != nil {
		return nil, s.lockFailed(ctx, l, err)
	}
	data, err := s.acquireWaiting(ctx, l)
	if err != nil {
		// It may have joined the waiters: leave, so that releases stop
		// waking it.
		go s.withdraw(l)
	}
	return data, err
}

// acquireWaiting is acquire's loop once the lock was found busy: a wait
// for the release's signal and a lock attempt, in one round trip (see
// waitAndLock), until the lock is taken or ctx is done.
func (s *Store) acquireWaiting(ctx context.Context, l *lock) ([]byte, error) {
	joined := false
	ttl := time.Duration(-1) // the lease left on the lock, once an attempt said
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// The attempt before found the lock busy and nothing of it is in
		// flight, so a new token (with a new start time) cannot strand a
		// lock taken under the old one.
		l.stamp()
		l.validUntil = time.Now().Add(s.lockTTL)
		v, err := s.waitAndLock(ctx, l, joined, ttl)
		switch v := v.(type) {
		case string:
			if err == nil {
				return []byte(v), nil
			}
		case int64:
			if err == nil {
				joined, ttl = true, time.Duration(v)*time.Millisecond
				continue
			}
		}
		if errors.Is(err, redis.Nil) {
			return nil, nil // locked; no record
		}
		if err == nil {
			err = fmt.Errorf("unexpected reply %T", v)
		}
		if err == ctx.Err() {
			return nil, err // gave up waiting; the wait's undo cleans up
		}
		return nil, s.lockFailed(ctx, l, err)
	}
}

// A locked is the reply of a tryLock that took the lock.
type locked struct{ data []byte }

// tryLock takes the lock if it is free, with the record, in one round
// trip. It returns nil, nil when the lock is taken (or was already taken
// by this very attempt, whose reply was lost: the lock script sorts that
// out).
func (s *Store) tryLock(ctx context.Context, l *lock) (*locked, error) {
	p := s.client.Pipeline()
	set := p.SetNX(ctx, l.keys[keyLock], l.tokenArg, s.lockTTL)
	get := p.Get(ctx, l.keys[keyData])
	_, err := p.Exec(ctx)
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	if err := set.Err(); err != nil {
		return nil, err
	}
	if !set.Val() {
		return nil, nil
	}
	data, err := get.Bytes()
	if errors.Is(err, redis.Nil) {
		return &locked{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &locked{data: data}, nil
}

// lockFailed turns the error of a lock attempt into Lock's error, and
// gives back the lock if the attempt may have taken it.
func (s *Store) lockFailed(ctx context.Context, l *lock, err error) error {
	var stalled *stalledError
	if errors.As(err, &stalled) {
		return err // bounded's undo gives back what the attempt took
	}
	// The reply was lost (the client's retries failed too, or it stopped
	// on ctx with ContextTimeoutEnabled): the attempt may have run and
	// taken the lock, so give it back.
	go s.abandon(l)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return redisErr("lock session", err)
}

// abandon releases l's lock in Redis if it got it, without saving. It is
// clean-up that runs in the background: if it fails, the lease ends the
// lock within LockTTL.
func (s *Store) abandon(l *lock) {
	ctx, cancel := context.WithTimeout(context.Background(), s.lockTTL)
	defer cancel()
	_ = unlockScript.Run(ctx, s.client, l.keys[:], l.tokenArg, "n", "", 0, s.lockTTLArg).Err()
}
