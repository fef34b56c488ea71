package pgstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// The table keys sessions by the SHA-256 of their ID and holds the ID
// nowhere: reading the table gives no cookie to present.
func TestIDsStoredHashed(t *testing.T) {
	pool := newPool(t, sharedDSN(t), 4)
	table := freshTable(t, pool)
	s := newStore(t, pool, pgstore.Table(table))
	id := session.NewID()
	l, _ := mustLock(t, s, id)
	if err := l.Unlock(ctxT(t), []byte("record"), future()); err != nil {
		t.Fatal(err)
	}
	var hashed, plain int
	err := pool.QueryRow(ctxT(t), "SELECT count(*) FILTER (WHERE id_hash = sha256(convert_to($1, 'UTF8'))), "+
		"count(*) FILTER (WHERE t::text LIKE '%' || $1 || '%' OR position(convert_to($1, 'UTF8') IN id_hash) > 0) FROM "+table+" t", id).
		Scan(&hashed, &plain)
	if err != nil {
		t.Fatal(err)
	}
	if hashed != 1 || plain != 0 {
		t.Fatalf("rows keyed by the ID's hash: %d, rows holding the ID: %d; want 1 and 0", hashed, plain)
	}
}

// Sweep deletes expired rows and rows left without a record, and keeps
// live records, records without expiry, and rows that are locked, waited
// for, or locked by a transaction at that moment, which it skips rather
// than waits for.
func TestSweep(t *testing.T) {
	dsn := sharedDSN(t)
	pool := newPool(t, dsn, 4)
	table := freshTable(t, pool)
	s := newStore(t, pool, pgstore.Table(table), pgstore.SweepInterval(0))
	save := func(data []byte, expiry time.Time) string {
		id := session.NewID()
		l, _ := mustLock(t, s, id)
		if err := l.Unlock(ctxT(t), data, expiry); err != nil {
			t.Fatal(err)
		}
		return id
	}
	past := time.Now().Add(-time.Second)
	expired := save([]byte("old"), past)
	save(nil, time.Time{}) // a lock of a new session released without a record
	live := save([]byte("live"), future())
	forever := save([]byte("forever"), time.Time{})
	rowLocked := save([]byte("old, row locked"), past)
	held := save([]byte("old, held"), past)
	l, _ := mustLock(t, s, held)
	defer l.Unlock(context.Background(), nil, time.Time{})

	end := blockRow(t, dsn, table, rowLocked)
	ctx, cancel := context.WithTimeout(ctxT(t), 5*time.Second)
	defer cancel()
	n, err := s.Sweep(ctx)
	end()
	if err != nil {
		t.Fatalf("Sweep with a row locked by a transaction: %v (it must skip the row, not wait)", err)
	}
	if n != 2 {
		t.Fatalf("Sweep deleted %d rows, want 2 (the expired record and the empty row)", n)
	}
	for _, id := range []string{live, forever, rowLocked, held} {
		var k int
		if err := pool.QueryRow(ctxT(t), "SELECT count(*) FROM "+table+" WHERE id_hash = sha256(convert_to($1, 'UTF8'))", id).Scan(&k); err != nil || k != 1 {
			t.Fatalf("row of a session the sweep must keep: %d rows, %v", k, err)
		}
	}
	if data, _ := s.Load(ctxT(t), expired); data != nil {
		t.Fatalf("expired record loaded: %q", data)
	}
}

// LockAs records the holder's route and start in the row; Lock records a
// zero Holder; a released lock has none.
func TestHolder(t *testing.T) {
	pool := newPool(t, sharedDSN(t), 4)
	s := newStore(t, pool, pgstore.Table(freshTable(t, pool)))
	id := session.NewID()
	before := time.Now().Add(-time.Second)
	l, _, err := s.LockAs(ctxT(t), id, "GET /cart")
	if err != nil {
		t.Fatal(err)
	}
	h, held, err := s.Holder(ctxT(t), id)
	if err != nil || !held || h.Route != "GET /cart" || h.Since.Before(before) || h.Since.After(time.Now()) {
		t.Fatalf("Holder = %+v, %v, %v; want GET /cart since about now", h, held, err)
	}
	if err := l.Unlock(ctxT(t), nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, held, err := s.Holder(ctxT(t), id); held || err != nil {
		t.Fatalf("Holder after release: held %v, %v", held, err)
	}
	l, _ = mustLock(t, s, id)
	defer l.Unlock(context.Background(), nil, time.Time{})
	if h, held, err := s.Holder(ctxT(t), id); !held || err != nil || h != (session.Holder{}) {
		t.Fatalf("Holder of a lock taken with Lock = %+v, %v, %v; want a zero Holder, held", h, held, err)
	}
}

// A holder whose handler outlasts several leases keeps the lock: the lease
// is renewed, waiters time out, and the save goes through.
func TestLeaseRenewedWhileHeld(t *testing.T) {
	pool := newPool(t, sharedDSN(t), 4)
	table := pgstore.Table(freshTable(t, pool))
	s := newStore(t, pool, table, pgstore.LockTTL(150*time.Millisecond))
	other := newStore(t, pool, table, pgstore.LockTTL(150*time.Millisecond))
	id := session.NewID()
	l, _ := mustLock(t, s, id)
	for range 4 { // 4 × 150ms: past several leases
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		_, _, err := other.Lock(ctx, id)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Lock while the lease is renewed = %v, want a timeout", err)
		}
	}
	if err := l.Unlock(ctxT(t), []byte("kept"), future()); err != nil {
		t.Fatalf("Unlock after renewals: %v", err)
	}
}

// When the lease is found taken by another token, OnLost is called, the
// save is refused with ErrLockLost, and the other holder's row is left as
// it is.
func TestLostLeaseRefusesSave(t *testing.T) {
	pool := newPool(t, sharedDSN(t), 4)
	table := freshTable(t, pool)
	s := newStore(t, pool, pgstore.Table(table), pgstore.LockTTL(150*time.Millisecond))
	id := session.NewID()
	l, _ := mustLock(t, s, id)
	lost := make(chan struct{})
	l.(session.LeaseLock).OnLost(func() { close(lost) })
	if _, err := pool.Exec(ctxT(t), "UPDATE "+table+" SET lock_token = 42, lock_until = now() + interval '1 hour', data = 'theirs' "+
		"WHERE id_hash = sha256(convert_to($1, 'UTF8'))", id); err != nil {
		t.Fatal(err)
	}
	select {
	case <-lost:
	case <-time.After(patience):
		t.Fatal("OnLost was not called: no renewal noticed the other token")
	}
	if err := l.Unlock(ctxT(t), []byte("mine"), future()); !errors.Is(err, session.ErrLockLost) {
		t.Fatalf("Unlock of a lost lock = %v, want ErrLockLost", err)
	}
	var token int64
	var data []byte
	if err := pool.QueryRow(ctxT(t), "SELECT lock_token, data FROM "+table+" WHERE id_hash = sha256(convert_to($1, 'UTF8'))", id).
		Scan(&token, &data); err != nil || token != 42 || string(data) != "theirs" {
		t.Fatalf("row = %d %q, %v; want the other holder's token and data", token, data, err)
	}
}

// Releases send a NOTIFY only when a waiter asked for one: uncontended
// requests cost PostgreSQL no notification.
func TestNotifyOnlyForWaiters(t *testing.T) {
	dsn := sharedDSN(t)
	pool := newPool(t, dsn, 4)
	table := freshTable(t, pool)
	s := newStore(t, pool, pgstore.Table(table))
	c, err := pgx.Connect(ctxT(t), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	if _, err := c.Exec(ctxT(t), "LISTEN "+table); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		l, _ := mustLock(t, s, session.NewID())
		if err := l.Unlock(ctxT(t), []byte("x"), future()); err != nil {
			t.Fatal(err)
		}
	}
	// Notifications arrive in commit order: the marker comes first if
	// the releases sent none.
	if _, err := pool.Exec(ctxT(t), "SELECT pg_notify($1, 'marker')", table); err != nil {
		t.Fatal(err)
	}
	if n, err := c.WaitForNotification(ctxT(t)); err != nil || n.Payload != "marker" {
		t.Fatalf("first notification = %+v, %v; want the marker: uncontended releases notified", n, err)
	}

	// A contended release does notify.
	id := session.NewID()
	l, _ := mustLock(t, s, id)
	var wg sync.WaitGroup
	wg.Go(func() {
		l, _, err := newStore(t, pool, pgstore.Table(table)).Lock(ctxT(t), id)
		if err == nil {
			err = l.Unlock(ctxT(t), nil, time.Time{})
		}
		if err != nil {
			t.Error(err)
		}
	})
	expired := outOfPatience()
	for !allWaiting(t, pool, table, 1) {
		if expired() {
			t.Fatal("the waiter never asked for a NOTIFY")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := l.Unlock(ctxT(t), nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n, err := c.WaitForNotification(ctxT(t)); err != nil || n.Payload == "marker" {
		t.Fatalf("notification after a contended release = %+v, %v; want the session's", n, err)
	}
	wg.Wait()
}

// Migrate is idempotent, also when several app servers run it at once.
func TestMigrateConcurrently(t *testing.T) {
	pool := newPool(t, sharedDSN(t), 8)
	opt := pgstore.Table("migrate_twice")
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if err := pgstore.Migrate(ctxT(t), pool, opt); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := pgstore.Migrate(ctxT(t), pool, opt); err != nil {
		t.Fatal(err)
	}
}

// Bad input gets a clear error or panic, not a query.
func TestRejectsBadInput(t *testing.T) {
	pool := newPool(t, sharedDSN(t), 1)
	s := newStore(t, pool)
	if _, _, err := s.Lock(ctxT(t), ""); err == nil {
		t.Fatal("Lock of an empty ID succeeded")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("New with a table name that is not an identifier did not panic")
		}
	}()
	pgstore.New(pool, pgstore.Table("x; DROP TABLE y"))
}

// A waiter is woken by the release's NOTIFY on every wait, also once its
// Store's listener is up before the wait begins (every wait after the
// first). RetryInterval is an hour, so only the NOTIFY can wake it.
func TestEveryWaitWokenByNotify(t *testing.T) {
	pool := newPool(t, sharedDSN(t), 4)
	table := freshTable(t, pool)
	holder := newStore(t, pool, pgstore.Table(table))
	waiter := newStore(t, pool, pgstore.Table(table), pgstore.RetryInterval(time.Hour))
	for i := range 3 {
		id := session.NewID()
		l, _ := mustLock(t, holder, id)
		got := make(chan error, 1)
		go func() {
			l, _, err := waiter.Lock(ctxT(t), id)
			if err == nil {
				err = l.Unlock(ctxT(t), nil, time.Time{})
			}
			got <- err
		}()
		// Each wait's flag outlives the test (two RetryIntervals), so the
		// count grows by one per wait.
		expired := outOfPatience()
		for !allWaiting(t, pool, table, i+1) {
			if expired() {
				t.Fatalf("wait %d never asked for a NOTIFY", i+1)
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err := l.Unlock(ctxT(t), []byte("x"), future()); err != nil {
			t.Fatal(err)
		}
		if err := <-got; err != nil {
			t.Fatalf("wait %d: %v", i+1, err)
		}
	}
}

// Close closes the listener connection the first wait opened; the Store
// still serves locks afterwards (a wait then polls every RetryInterval).
func TestCloseStopsListener(t *testing.T) {
	pool := newPool(t, sharedDSN(t), 4)
	table := pgstore.Table(freshTable(t, pool))
	s := pgstore.New(pool, table, pgstore.RetryInterval(10*time.Millisecond))
	holder := newStore(t, pool, table)
	id := session.NewID()
	l, _ := mustLock(t, holder, id)
	listeners := func() (n int) {
		if err := pool.QueryRow(ctxT(t), "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
			pgstore.ListenerApplicationName).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	done := make(chan error, 1)
	go func() {
		l, _, err := s.Lock(ctxT(t), id)
		if err == nil {
			err = l.Unlock(ctxT(t), nil, time.Time{})
		}
		done <- err
	}()
	expired := outOfPatience()
	for listeners() != 1 {
		if expired() {
			t.Fatal("the waiting store opened no listener connection")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := l.Unlock(ctxT(t), nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.Close()
	for listeners() != 0 {
		if expired() {
			t.Fatal("the listener connection outlived Close")
		}
		time.Sleep(5 * time.Millisecond)
	}
	l, _ = mustLock(t, s, id)
	if err := l.Unlock(ctxT(t), []byte("after close"), future()); err != nil {
		t.Fatal(err)
	}
}
