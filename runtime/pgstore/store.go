package pgstore

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// Store is a session.Store kept in PostgreSQL, with a lock that holds
// across every process using the same database and table. It is safe for
// concurrent use; create one per process with New and Close it when done.
type Store struct {
	pool    *pgxpool.Pool
	table   string
	sql     statements
	lockTTL time.Duration
	retry   time.Duration
	ttlMS   int64 // lockTTL in ms
	waitMS  int64 // how long a busy attempt asks for a NOTIFY, in ms

	queues   *queues
	listener *listener

	stop   context.CancelFunc // ends the listener and the sweep
	mu     sync.Mutex         // guards closed, and done's Add against Close's Wait
	closed bool
	done   sync.WaitGroup
}

var (
	_ session.Store       = (*Store)(nil)
	_ session.HolderStore = (*Store)(nil)
)

// New returns a Store that keeps sessions in the database pool connects
// to. The pool is the caller's: New does not configure or close it. The
// table must exist: run Migrate first (or the SQL of Schema). New panics
// if pool is nil or the Table option is not a plain identifier.
//
// A Store opens one connection of its own, outside the pool, to LISTEN for
// releases, the first time one of its requests waits for a lock; Close
// closes it.
func New(pool *pgxpool.Pool, opts ...Option) *Store {
	if pool == nil {
		panic("pgstore: New(nil): pass a pool, e.g. from pgxpool.New(ctx, \"postgres://...\")")
	}
	c := newConfig(opts)
	checkTable(c.table)
	ctx, stop := context.WithCancel(context.Background())
	s := &Store{
		pool:    pool,
		table:   c.table,
		sql:     newStatements(c.table),
		lockTTL: c.lockTTL,
		retry:   c.retry,
		ttlMS:   c.lockTTL.Milliseconds(),
		// A waiter asks again each retry; the margin covers one slow
		// attempt, so the flag does not lapse between two of them.
		waitMS: 2*c.retry.Milliseconds() + 1000,
		queues: newQueues(),
		stop:   stop,
	}
	s.listener = newListener(ctx, s)
	if c.sweep > 0 {
		s.goBackground(func() { s.sweepEvery(ctx, c.sweep) })
	}
	return s
}

// Close stops the Store's listener connection and its sweep. Locks still
// held stay valid until released; waits in progress fall back to trying
// the lock every RetryInterval. It does not close the pool.
func (s *Store) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.stop()
	s.done.Wait()
}

// goBackground runs f on a goroutine that Close waits for, unless the
// Store is closed.
func (s *Store) goBackground(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		f()
	}()
}

// key is the row key of id: its SHA-256, so that the table holds no
// session ID anyone could present as a cookie.
func key(id string) []byte {
	h := sha256.Sum256([]byte(id))
	return h[:]
}

// checkID refuses IDs the Manager could not have issued.
func checkID(id string) error {
	if id == "" || len(id) > 256 {
		return fmt.Errorf("pgstore: invalid session ID (length %d): want 1 to 256 characters", len(id))
	}
	return nil
}

// Load returns id's record without locking it, or nil when there is none
// or it has expired.
func (s *Store) Load(ctx context.Context, id string) ([]byte, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	var data []byte
	err := s.pool.QueryRow(ctx, s.sql.load, key(id)).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, pgErr(ctx, "load session", err)
	}
	return data, nil
}

// Lock waits until this caller holds id's lock and returns it with the
// record. A free lock costs one statement, which takes it and reads the
// record. While another holder has it, the caller waits for the NOTIFY
// the holder's release sends, on the Store's listener connection: no pool
// connection is held while waiting. The lease is renewed in the background
// until Unlock or Delete.
//
// When ctx is done, Lock returns an error wrapping ctx's and holds
// nothing: a lock an interrupted statement may have taken is given back
// in the background.
func (s *Store) Lock(ctx context.Context, id string) (session.Lock, []byte, error) {
	return s.LockAs(ctx, id, "")
}

// LockAs is Lock that records route and the time the lock is taken in the
// session's row, so that waiters in other processes can name the holder
// with Holder. The Manager calls it with the request's route pattern.
func (s *Store) LockAs(ctx context.Context, id, route string) (session.Lock, []byte, error) {
	if err := checkID(id); err != nil {
		return nil, nil, err
	}
	k := key(id)
	q, err := s.queues.enter(ctx, string(k))
	if err != nil {
		return nil, nil, err
	}
	l, data, err := s.acquire(ctx, k, q, route)
	if err != nil {
		s.queues.leave(string(k), q)
		return nil, nil, err
	}
	return l, data, nil
}

// acquire takes the lock for the caller, which is first in its process's
// queue for the session (q): it tries, and while the lock is busy, waits
// for a wake-up (a NOTIFY, the listener reconnecting) or RetryInterval and
// tries again.
func (s *Store) acquire(ctx context.Context, k []byte, q *queue, route string) (*lockHandle, []byte, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		// Whether the listener was LISTENing before the attempt; if not,
		// its readiness is one more reason to try again.
		var notListening <-chan struct{}
		if !s.listener.listening() {
			notListening = s.listener.ready()
		}
		l, data, err := s.try(ctx, k, q, route)
		if l != nil || err != nil {
			return l, data, err
		}
		if notListening != nil {
			s.listener.start()
		}
		t := time.NewTimer(s.retry)
		select {
		case <-q.wake:
		case <-notListening:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	}
}

// try makes one lock attempt. It returns a nil lock and nil error when
// another holder has the lock; the attempt then also asked the holder's
// release for a NOTIFY. A release the attempt missed commits after it, so
// if the listener LISTENed before the attempt, the NOTIFY reaches it.
func (s *Store) try(ctx context.Context, k []byte, q *queue, route string) (*lockHandle, []byte, error) {
	l := &lock{s: s, key: k, queue: q, token: rand.Int64()}
	var (
		taken bool
		data  []byte
	)
	var since any // NULL: a lock taken with Lock has a zero Holder
	if route != "" {
		since = time.Now()
	}
	validUntil := time.Now().Add(s.lockTTL)
	err := s.pool.QueryRow(ctx, s.sql.lock, k, l.token, s.ttlMS, route, since, s.waitMS).Scan(&taken, &data)
	if err != nil {
		// The statement may have run and taken the lock even so: give it
		// back.
		go s.abandon(l)
		return nil, nil, pgErr(ctx, "lock session", err)
	}
	if !taken {
		return nil, nil, nil
	}
	return l.start(validUntil), data, nil
}

// abandon releases l's lock if it holds it, without saving; clean-up that
// runs in the background. If it fails, the lease ends the lock.
func (s *Store) abandon(l *lock) {
	ctx, cancel := context.WithTimeout(context.Background(), s.lockTTL)
	defer cancel()
	_, _ = s.pool.Exec(ctx, s.sql.abandon, l.key, l.token)
}
