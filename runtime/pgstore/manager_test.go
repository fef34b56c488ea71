package pgstore_test

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionlock/sessionlock/internal/apptest"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// Two app servers, each with its own pool and Store, share one database:
// 200 concurrent increments of one session, spread over both servers and
// over Middleware, Explicit and early-release routes, all count.
func TestTwoServersConcurrentIncrements(t *testing.T) {
	dsn := sharedDSN(t)
	poolA, poolB := newPool(t, dsn, 10), newPool(t, dsn, 10)
	table := freshTable(t, poolA)
	a := apptest.Start(t, newStore(t, poolA, pgstore.Table(table)))
	b := apptest.Start(t, newStore(t, poolB, pgstore.Table(table)))
	apptest.ConcurrentIncrements(t, a, b, 200)
}

// A request that waits on one server for a lock another server holds
// longer than WithLockWait gets 503 with Retry-After, changes nothing, and
// its log names the holder's route, which only the database could tell.
func TestLockWaitTimeoutAcrossServers(t *testing.T) {
	dsn := sharedDSN(t)
	poolA, poolB := newPool(t, dsn, 4), newPool(t, dsn, 4)
	table := freshTable(t, poolA)
	a := apptest.Start(t, newStore(t, poolA, pgstore.Table(table)))
	var log apptest.LogBuffer
	b := apptest.Start(t, newStore(t, poolB, pgstore.Table(table)), session.WithLockWait(200*time.Millisecond),
		session.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	apptest.LockWaitTimeout(t, a, b, func() {
		// B asks the database for the holder after its 503.
		for expired := outOfPatience(); !strings.Contains(log.String(), "held by /inc for "); {
			if expired() {
				t.Fatalf("B's log does not name A's route:\n%s", log.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// 500 requests of different sessions wait at once for locks held by
// another app server, through a pool of 10 connections: waiting holds no
// connection (the pool is idle while they wait), and the holders'
// releases wake every one of them by NOTIFY (RetryInterval is an hour, so
// nothing else could).
func TestSmallPoolServesManyWaiters(t *testing.T) {
	const n = 500
	dsn := sharedDSN(t)
	poolA, poolB := newPool(t, dsn, 10), newPool(t, dsn, 10)
	table := freshTable(t, poolA)
	a := newStore(t, poolA, pgstore.Table(table))
	b := newStore(t, poolB, pgstore.Table(table), pgstore.RetryInterval(time.Hour))
	ids := make([]string, n)
	held := make([]session.Lock, n)
	for i := range ids {
		ids[i] = session.NewID()
		held[i], _ = mustLock(t, a, ids[i])
	}
	// Each waiter's first attempt finds the lock busy; then it waits.
	got := make(chan error, n)
	for _, id := range ids {
		go func() {
			l, data, err := b.Lock(ctxT(t), id)
			if err == nil && string(data) != "v-"+id {
				err = fmt.Errorf("waiter read %q, want the holder's save", data)
			}
			if err == nil {
				err = l.Unlock(ctxT(t), nil, time.Time{})
			}
			got <- err
		}()
	}
	expired := outOfPatience()
	for !allWaiting(t, poolA, table, n) {
		if expired() {
			t.Fatal("the waiters never all asked for a NOTIFY")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Attempts already sent finish; then no waiter holds a connection.
	for busy := poolB.Stat().AcquiredConns(); busy != 0; busy = poolB.Stat().AcquiredConns() {
		if expired() {
			t.Fatalf("%d of the waiting store's pool connections stay in use while its requests wait, want 0", busy)
		}
		time.Sleep(10 * time.Millisecond)
	}
	var wg sync.WaitGroup
	for i, l := range held {
		wg.Go(func() {
			if err := l.Unlock(ctxT(t), []byte("v-"+ids[i]), future()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for range n {
		if err := <-got; err != nil {
			t.Fatal(err)
		}
	}
}

// allWaiting reports whether n rows of table have a waiter's request for
// a NOTIFY.
func allWaiting(t *testing.T, pool *pgxpool.Pool, table string, n int) bool {
	var got int
	err := pool.QueryRow(ctxT(t), "SELECT count(*) FROM "+table+" WHERE wait_until > now()").Scan(&got)
	if err != nil {
		t.Fatal(err)
	}
	return got == n
}
