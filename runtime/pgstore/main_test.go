package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/pgstore/pgtest"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// patience bounds waits that must end; it fails a hung test, it is not a
// speed requirement.
const patience = 20 * time.Second

// shared is the test binary's server, started on first use and stopped
// by TestMain; tests that stop their server start their own.
var (
	sharedOnce sync.Once
	sharedSrv  *pgtest.Server
	sharedErr  error
)

func sharedDSN(t testing.TB) string {
	t.Helper()
	sharedOnce.Do(func() { sharedSrv, sharedErr = pgtest.New() })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedSrv.DSN
}

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(runChildApp())
	}
	code := m.Run()
	if sharedSrv != nil {
		if err := sharedSrv.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	t.Cleanup(cancel)
	return ctx
}

// newPool returns a pool of dsn with at most maxConns connections, closed
// at the end of t.
func newPool(t testing.TB, dsn string, maxConns int32, params ...string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = maxConns
	for i := 0; i+1 < len(params); i += 2 {
		cfg.ConnConfig.RuntimeParams[params[i]] = params[i+1]
	}
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// tableSeq gives each test its own table, so tests can share one server.
var tableSeq atomic.Int64

// freshTable creates a new table and returns its name.
func freshTable(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	name := "t" + strconv.FormatInt(tableSeq.Add(1), 10)
	if err := pgstore.Migrate(context.Background(), pool, pgstore.Table(name)); err != nil {
		t.Fatal(err)
	}
	return name
}

// newStore returns a store over pool, closed at the end of t.
func newStore(t testing.TB, pool *pgxpool.Pool, opts ...pgstore.Option) *pgstore.Store {
	s := pgstore.New(pool, opts...)
	t.Cleanup(s.Close)
	return s
}

// future is an expiry far enough away not to matter.
func future() time.Time { return time.Now().Add(time.Hour) }

func mustLock(t *testing.T, s session.Store, id string) (session.Lock, []byte) {
	t.Helper()
	l, data, err := s.Lock(ctxT(t), id)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	return l, data
}

// outOfPatience returns a function that reports whether patience has
// passed since the call, the bound of a polling loop.
func outOfPatience() func() bool {
	end := time.Now().Add(patience)
	return func() bool { return time.Now().After(end) }
}
