package pgbench

// Method. Each op is one request that carries a session cookie, reads one
// key and writes one (a counter), served in-process through the middleware
// with a reused request and a minimal ResponseWriter, so what differs
// between the rows is the middleware and its store. Both rows use pgx
// (sessionlock through pgxpool, scs through database/sql with pgx's
// stdlib driver) with at most 16 connections, and two statements per
// request: ours takes the lock and reads the record (INSERT ... ON
// CONFLICT DO UPDATE ... RETURNING), then saves and releases (UPDATE);
// scs reads (SELECT) and writes (INSERT ... ON CONFLICT DO UPDATE). Ours
// thus writes the row twice per request, scs once: the price of the lock.
//
//   - Serial: one session, one request at a time.
//   - Parallel: b.RunParallel with 4 goroutines per CPU, each with its own
//     session (no lock contention, as for different users).

import (
	"context"
	"database/sql"
	"net/http"
	"runtime"
	"testing"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for scs
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

const (
	parallelism = 4
	maxConns    = 16
)

// writer is a minimal ResponseWriter.
type writer struct{ h http.Header }

func (w *writer) Header() http.Header         { return w.h }
func (w *writer) Write(p []byte) (int, error) { return len(p), nil }
func (w *writer) WriteHeader(int)             {}

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

// ours is sessionlock's Manager over pgstore with the counter handler.
func ours(b *testing.B) http.Handler {
	store := pgstore.New(newPool(b), pgstore.SweepInterval(0))
	b.Cleanup(store.Close)
	m := session.NewManager(store)
	return m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
	}))
}

// theirs is scs with its postgresstore and the same handler.
func theirs(b *testing.B) http.Handler {
	db, err := sql.Open("pgx", server.DSN)
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	b.Cleanup(func() { db.Close() })
	sm := scs.New()
	sm.Store = postgresstore.NewWithCleanupInterval(db, 0)
	return sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := sm.GetInt(r.Context(), "n")
		sm.Put(r.Context(), "n", n+1)
	}))
}

// sessionRequest starts a session on h and returns a request carrying
// its cookie.
func sessionRequest(b *testing.B, h http.Handler) *http.Request {
	w := &writer{h: http.Header{}}
	r, _ := http.NewRequest("GET", "/", nil)
	h.ServeHTTP(w, r)
	resp := http.Response{Header: w.h}
	cookies := resp.Cookies()
	if len(cookies) == 0 {
		b.Fatal("no session cookie")
	}
	r, _ = http.NewRequest("GET", "/", nil)
	r.AddCookie(cookies[0])
	return r
}

// A row is one middleware under test.
type row struct {
	name string
	h    func(*testing.B) http.Handler
}

// rows returns the middlewares in this run's order.
func rows() []row {
	var out []row
	for _, n := range order() {
		switch n {
		case "sessionlock":
			out = append(out, row{n, ours})
		case "scs":
			out = append(out, row{n, theirs})
		}
	}
	return out
}

func BenchmarkSerial(b *testing.B) {
	for _, row := range rows() {
		b.Run(row.name, func(b *testing.B) {
			h := row.h(b)
			r := sessionRequest(b, h)
			w := &writer{h: http.Header{}}
			h.ServeHTTP(w, r) // warm: statements prepared
			b.ReportAllocs()
			m := startMeter(b)
			b.ResetTimer()
			for range b.N {
				clear(w.h)
				h.ServeHTTP(w, r)
			}
			b.StopTimer()
			m.stop(b, b.N)
		})
	}
}

func BenchmarkParallel(b *testing.B) {
	for _, row := range rows() {
		b.Run(row.name, func(b *testing.B) {
			h := row.h(b)
			reqs := make(chan *http.Request, parallelism*runtime.GOMAXPROCS(0))
			for range cap(reqs) {
				r := sessionRequest(b, h)
				h.ServeHTTP(&writer{h: http.Header{}}, r) // warm this connection's statements
				reqs <- r
			}
			b.SetParallelism(parallelism)
			b.ReportAllocs()
			m := startMeter(b)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				r := <-reqs
				w := &writer{h: http.Header{}}
				for pb.Next() {
					clear(w.h)
					h.ServeHTTP(w, r)
				}
			})
			b.StopTimer()
			m.stop(b, b.N)
		})
	}
}
