package redisbench

// Method. Each benchmark op is one request that carries a session cookie,
// reads one key and writes one (a counter), served in-process through the
// middleware with a reused request and a minimal ResponseWriter, so what
// differs between the rows is the middleware and its store: session codec,
// the Redis client and the round trips (two for each: ours lock+load and
// save+unlock, scs GET and MULTI/SET/PEXPIREAT/EXEC). The Redis server is
// the same process for all rows, on loopback.
//
//   - Serial: one session, one request at a time: latency per request.
//   - Parallel: b.RunParallel with 4 goroutines per CPU, each with its own
//     session (no lock contention, as for different users): throughput,
//     with round trips overlapping as they do on a busy server.
//
// Floor is not a session middleware: the same handler's GET and SET sent
// straight through go-redis, the least two round trips can cost.

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/redisstore"
	"github.com/alexedwards/scs/v2"
	"github.com/gomodule/redigo/redis"
	goredis "github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/internal/benchkit"
	sessionlockredis "github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// target is one middleware under test: a handler and how to start a
// session on it.
type target struct {
	h       http.Handler
	newSess func(b *testing.B) *http.Request // a request carrying a new session's cookie
}

func ours(b *testing.B) target {
	client := newClient(b)
	m := session.NewManager(sessionlockredis.New(client, sessionlockredis.Prefix("bench:")))
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
	}))
	return target{h: h, newSess: func(b *testing.B) *http.Request { return newSession(b, h, session.DefaultCookieName) }}
}

func scsTarget(b *testing.B) target {
	pool := &redis.Pool{
		MaxIdle: 64,
		Dial:    func() (redis.Conn, error) { return redis.Dial("tcp", redisAddr, redis.DialNetDial(dial)) },
	}
	b.Cleanup(func() { pool.Close() })
	sm := scs.New()
	sm.Store = redisstore.New(pool)
	h := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := sm.GetInt(r.Context(), "n")
		sm.Put(r.Context(), "n", n+1)
	}))
	return target{h: h, newSess: func(b *testing.B) *http.Request { return newSession(b, h, sm.Cookie.Name) }}
}

func newSession(b *testing.B, h http.Handler, name string) *http.Request {
	return benchkit.NewSession(b, h, "/", name)
}

func benchSerial(b *testing.B, t target) { benchkit.Serial(b, t.h, t.newSess, meterOf) }

func benchParallel(b *testing.B, t target) { benchkit.Parallel(b, t.h, t.newSess, meterOf) }

func BenchmarkSerial(b *testing.B) {
	for _, name := range benchkit.Order() {
		switch name {
		case "sessionlock":
			b.Run(name, func(b *testing.B) { benchSerial(b, ours(b)) })
		case "scs":
			b.Run(name, func(b *testing.B) { benchSerial(b, scsTarget(b)) })
		case "floor":
			b.Run(name, floorSerial)
		}
	}
}

func BenchmarkParallel(b *testing.B) {
	for _, name := range benchkit.Order() {
		switch name {
		case "sessionlock":
			b.Run(name, func(b *testing.B) { benchParallel(b, ours(b)) })
		case "scs":
			b.Run(name, func(b *testing.B) { benchParallel(b, scsTarget(b)) })
		case "floor":
			b.Run(name, floorParallel)
		}
	}
}

// floor: GET then SET of one key, two round trips, no session.
func floorOnce(b *testing.B, c *goredis.Client, key string) {
	ctx := context.Background()
	n, err := c.Get(ctx, key).Int()
	if err != nil && err != goredis.Nil {
		b.Fatal(err)
	}
	if err := c.Set(ctx, key, n+1, time.Hour).Err(); err != nil {
		b.Fatal(err)
	}
}

func floorSerial(b *testing.B) {
	c := newClient(b)
	floorOnce(b, c, "floor:0")
	b.ReportAllocs()
	m := startMeter(b)
	b.ResetTimer()
	for b.Loop() {
		floorOnce(b, c, "floor:0")
	}
	b.StopTimer()
	m.stop(b, b.N)
}

func floorParallel(b *testing.B) {
	c := newClient(b)
	b.ReportAllocs()
	b.SetParallelism(benchkit.Parallelism)
	var seq atomic.Int64
	m := startMeter(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		key := "floor:" + strconv.FormatInt(seq.Add(1), 10)
		for pb.Next() {
			floorOnce(b, c, key)
		}
	})
	b.StopTimer()
	m.stop(b, b.N)
}
