package pgstore

import (
	"context"
	"encoding/hex"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// The wake-up path. A release that a waiter asked for sends
// NOTIFY <table>, '<hex of the session's hash>' in its own transaction, so
// the notification leaves PostgreSQL only once the save is committed. Each
// Store has one listener connection, outside the pool, that LISTENs on the
// table's channel and hands each notification to the process's queue of
// that session; the goroutine first in the queue tries the lock again.
// Waiting thus costs no pool connection, however many requests wait.
//
// A notification sent while the listener's connection is down is lost, so
// the listener wakes every queue once it LISTENs again; a wake-up lost any
// other way costs at most RetryInterval, after which a waiter tries anyway.

// queues hold, per session, the goroutines of this process that want its
// lock: only the first contends in PostgreSQL, the others wait their turn
// on a channel, so N requests of one session cost one waiter per process.
type queues struct {
	mu sync.Mutex
	m  map[string]*queue
}

// A queue is a one-slot semaphore with a wake-up signal for its holder;
// refs counts holders and waiters so that it is dropped when the last one
// leaves.
type queue struct {
	turn chan struct{}
	wake chan struct{} // a release of the session was notified
	refs int
}

func newQueues() *queues { return &queues{m: make(map[string]*queue)} }

// enter waits until the caller is first in k's queue, or ctx is done. The
// queue returned must be passed to leave exactly once.
func (qs *queues) enter(ctx context.Context, k string) (*queue, error) {
	qs.mu.Lock()
	q := qs.m[k]
	if q == nil {
		q = &queue{turn: make(chan struct{}, 1), wake: make(chan struct{}, 1)}
		qs.m[k] = q
	}
	q.refs++
	qs.mu.Unlock()
	select {
	case q.turn <- struct{}{}:
		return q, nil
	case <-ctx.Done():
		qs.drop(k, q)
		return nil, ctx.Err()
	}
}

// leave lets the next goroutine of k's queue go.
func (qs *queues) leave(k string, q *queue) {
	<-q.turn
	qs.drop(k, q)
}

func (qs *queues) drop(k string, q *queue) {
	qs.mu.Lock()
	q.refs--
	if q.refs == 0 {
		delete(qs.m, k)
	}
	qs.mu.Unlock()
}

// wake signals k's queue, if this process has one.
func (qs *queues) wake(k string) {
	qs.mu.Lock()
	if q := qs.m[k]; q != nil {
		signal(q.wake)
	}
	qs.mu.Unlock()
}

// wakeAll signals every queue.
func (qs *queues) wakeAll() {
	qs.mu.Lock()
	for _, q := range qs.m {
		signal(q.wake)
	}
	qs.mu.Unlock()
}

func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// listener is a Store's LISTEN connection, started by the first wait.
type listener struct {
	s       *Store
	ctx     context.Context // ends with Close
	once    sync.Once
	up      atomic.Bool // LISTENing now
	mu      sync.Mutex
	readyCh chan struct{} // closed once LISTENing; replaced when the connection is lost
	// beforeDial, if set, runs before each connection attempt (tests).
	beforeDial func()
}

func newListener(ctx context.Context, s *Store) *listener {
	return &listener{s: s, ctx: ctx, readyCh: make(chan struct{})}
}

// listening reports whether the listener LISTENs now.
func (l *listener) listening() bool { return l.up.Load() }

// ready returns a channel closed once the listener LISTENs.
func (l *listener) ready() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.readyCh
}

// start runs the listener, once; not after Close.
func (l *listener) start() {
	l.once.Do(func() { l.s.goBackground(l.run) })
}

// run keeps a connection LISTENing until Close, reconnecting after a
// failure with a backoff of up to a second.
func (l *listener) run() {
	backoff := 10 * time.Millisecond
	for l.ctx.Err() == nil {
		if l.beforeDial != nil {
			l.beforeDial()
		}
		if l.listen() {
			backoff = 10 * time.Millisecond
			continue
		}
		select {
		case <-time.After(backoff):
		case <-l.ctx.Done():
		}
		backoff = min(2*backoff, time.Second)
	}
}

// listen connects, LISTENs and delivers notifications until the connection
// fails; it reports whether it got as far as LISTEN.
func (l *listener) listen() bool {
	cfg := l.s.pool.Config().ConnConfig.Copy()
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = make(map[string]string)
	}
	cfg.RuntimeParams["application_name"] = ListenerApplicationName
	conn, err := pgx.ConnectConfig(l.ctx, cfg)
	if err != nil {
		return false
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(ctx)
	}()
	if _, err := conn.Exec(l.ctx, "LISTEN "+l.s.table); err != nil {
		return false
	}
	l.up.Store(true)
	l.mu.Lock()
	close(l.readyCh)
	l.mu.Unlock()
	// Releases sent while no connection listened were missed.
	l.s.queues.wakeAll()
	for {
		n, err := conn.WaitForNotification(l.ctx)
		if err != nil {
			break
		}
		if k, err := hex.DecodeString(n.Payload); err == nil {
			l.s.queues.wake(string(k))
		}
	}
	l.up.Store(false)
	l.mu.Lock()
	l.readyCh = make(chan struct{})
	l.mu.Unlock()
	return true
}

// ListenerApplicationName is the application_name of the Store's listener
// connection, as pg_stat_activity shows it.
const ListenerApplicationName = "sessionlock listener"
