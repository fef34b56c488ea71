package redisbench

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Wall time per op on a shared machine swings with other load, so the
// benchmarks also report metrics that do not depend on waiting:
//
//   - cpu-ns/op: this process's CPU time (middleware, codec, client);
//   - redis-cpu-ns/op: the CPU time of Redis's main thread (INFO cpu,
//     used_cpu_user_main_thread + used_cpu_sys_main_thread), which is what
//     bounds how many requests one Redis serves per second. It includes
//     parsing commands and reading and writing the sockets. INFO
//     commandstats would not do: it leaves that I/O out and counts every
//     command a script runs twice (on its own line and in the script's);
//   - rt/op: round trips to Redis, counted on the clients' connections
//     (each write that follows a read, or comes first, starts one).

// roundTrips counts round trips on every connection dialled through dial.
var roundTrips atomic.Int64

// countingConn counts a round trip each time the client starts writing
// after it last read.
type countingConn struct {
	net.Conn
	writing atomic.Bool
}

func (c *countingConn) Write(p []byte) (int, error) {
	if !c.writing.Swap(true) {
		roundTrips.Add(1)
	}
	return c.Conn.Write(p)
}

func (c *countingConn) Read(p []byte) (int, error) {
	c.writing.Store(false)
	return c.Conn.Read(p)
}

// dial connects to addr with a connection that counts round trips.
func dial(network, addr string) (net.Conn, error) {
	c, err := net.Dial(network, addr)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c}, nil
}

// newClient is a go-redis client of the benchmarks' server whose round
// trips are counted.
func newClient(b *testing.B) *goredis.Client {
	c := goredis.NewClient(&goredis.Options{Addr: redisAddr,
		Dialer: func(_ context.Context, network, addr string) (net.Conn, error) { return dial(network, addr) }})
	b.Cleanup(func() { _ = c.Close() })
	return c
}

// meter measures this process's CPU time, Redis's main-thread CPU time
// and round trips over a benchmark's timed section.
type meter struct {
	admin    *goredis.Client
	cpu      time.Duration
	redisCPU time.Duration
	rt       int64
}

func startMeter(b *testing.B) *meter {
	m := &meter{admin: goredis.NewClient(&goredis.Options{Addr: redisAddr})}
	b.Cleanup(func() { m.admin.Close() })
	m.redisCPU = redisCPU(b, m.admin)
	m.rt = roundTrips.Load()
	m.cpu = cpuTime()
	return m
}

// meterOf is startMeter as a benchkit.StartMeter.
func meterOf(b *testing.B) (stop func(ops int)) {
	m := startMeter(b)
	return func(ops int) { m.stop(b, ops) }
}

// stop reports cpu-ns/op, redis-cpu-ns/op and rt/op for n ops.
func (m *meter) stop(b *testing.B, n int) {
	cpu := cpuTime() - m.cpu
	rt := roundTrips.Load() - m.rt
	rcpu := redisCPU(b, m.admin) - m.redisCPU
	if n > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/op")
		b.ReportMetric(float64(rcpu.Nanoseconds())/float64(n), "redis-cpu-ns/op")
		b.ReportMetric(float64(rt)/float64(n), "rt/op")
	}
}

// redisCPU is the CPU time Redis's main thread has used so far.
func redisCPU(b *testing.B, c *goredis.Client) time.Duration {
	info, err := c.Info(context.Background(), "cpu").Result()
	if err != nil {
		b.Fatal(err)
	}
	var secs float64
	found := 0
	for _, line := range strings.Split(info, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if ok && (k == "used_cpu_user_main_thread" || k == "used_cpu_sys_main_thread") {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				b.Fatalf("INFO cpu: %s: %v", line, err)
			}
			secs += f
			found++
		}
	}
	if found != 2 {
		b.Fatalf("INFO cpu has no used_cpu_*_main_thread fields (Redis 6.2 or later needed):\n%s", info)
	}
	return time.Duration(secs * float64(time.Second))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
