package pgbench

// Method. Each op is one request that carries a session cookie, reads one
// key and writes one (a counter), served in-process through the middleware
// with a reused request and a minimal ResponseWriter (benchkit), so what
// differs between the rows is the middleware and its store. Both rows use
// pgx (sessionlock through pgxpool, scs through database/sql with pgx's
// stdlib driver) with at most 16 connections, and two statements per
// request: ours takes the lock and reads the record (INSERT ... ON
// CONFLICT DO UPDATE ... RETURNING), then saves and releases (UPDATE);
// scs reads (SELECT) and writes (INSERT ... ON CONFLICT DO UPDATE). Ours
// thus writes the row twice per request, scs once: the price of the lock.
// Our lock's commit is asynchronous (see pgstore's schema.go), so both
// rows wait for one WAL flush per request.
//
//   - Serial: one session, one request at a time.
//   - Parallel: 4 goroutines per CPU, each with its own session (no lock
//     contention, as for different users).

import (
	"context"
	"database/sql"
	"net/http"
	"testing"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for scs
	"github.com/sessionlock/sessionlock/internal/benchkit"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

const maxConns = 16

// newPool is a pgx pool of the server, closed with b.
func newPool(b *testing.B) *pgxpool.Pool {
	cfg, err := pgxpool.ParseConfig(server.DSN)
	if err != nil {
		b.Fatal(err)
	}
	cfg.MaxConns = maxConns
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.Close)
	return p
}

// A target is one middleware under test: the counter handler behind it
// and how to start a session on it.
type target struct {
	h       http.Handler
	newSess func(*testing.B) *http.Request
}

// ours is sessionlock's Manager over pgstore.
func ours(b *testing.B) target {
	store := pgstore.New(newPool(b), pgstore.SweepInterval(0))
	b.Cleanup(store.Close)
	h := session.NewManager(store).Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
	}))
	return target{h, func(b *testing.B) *http.Request { return benchkit.NewSession(b, h, "/", session.DefaultCookieName) }}
}

// theirs is scs with its postgresstore.
func theirs(b *testing.B) target {
	db, err := sql.Open("pgx", server.DSN)
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	b.Cleanup(func() { db.Close() })
	sm := scs.New()
	sm.Store = postgresstore.NewWithCleanupInterval(db, 0)
	h := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := sm.GetInt(r.Context(), "n")
		sm.Put(r.Context(), "n", n+1)
	}))
	return target{h, func(b *testing.B) *http.Request { return benchkit.NewSession(b, h, "/", sm.Cookie.Name) }}
}

func BenchmarkSerial(b *testing.B) {
	run(b, func(b *testing.B, t target) { benchkit.Serial(b, t.h, t.newSess, startMeter) })
}

func BenchmarkParallel(b *testing.B) {
	run(b, func(b *testing.B, t target) { benchkit.Parallel(b, t.h, t.newSess, startMeter) })
}

// run runs bench over the rows in this run's order.
func run(b *testing.B, bench func(*testing.B, target)) {
	for _, name := range benchkit.Order() {
		switch name {
		case "sessionlock":
			b.Run(name, func(b *testing.B) { bench(b, ours(b)) })
		case "scs":
			b.Run(name, func(b *testing.B) { bench(b, theirs(b)) })
		}
	}
}
