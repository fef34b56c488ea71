package redisbench

import (
	"context"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Wall time per op on a shared machine swings with other load, so two more
// metrics are reported that do not depend on waiting: the benchmark
// process's CPU time per op (the middleware, codec and client), and the
// Redis server's time executing the op's commands, from INFO commandstats.

// meter measures CPU time of this process and command time of Redis over
// a benchmark's timed section.
type meter struct {
	admin *goredis.Client
	cpu   time.Duration
}

func startMeter(b *testing.B) *meter {
	m := &meter{admin: goredis.NewClient(&goredis.Options{Addr: redisAddr})}
	b.Cleanup(func() { m.admin.Close() })
	if err := m.admin.ConfigResetStat(context.Background()).Err(); err != nil {
		b.Fatal(err)
	}
	m.cpu = cpuTime()
	return m
}

// stop reports cpu-ns/op and redis-ns/op for n ops.
func (m *meter) stop(b *testing.B, n int) {
	cpu := cpuTime() - m.cpu
	info, err := m.admin.Info(context.Background(), "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	var usec float64
	for _, line := range strings.Split(info, "\n") {
		if !strings.HasPrefix(line, "cmdstat_") || strings.HasPrefix(line, "cmdstat_config") {
			continue
		}
		for _, f := range strings.Split(strings.TrimSpace(line[strings.IndexByte(line, ':')+1:]), ",") {
			if v, ok := strings.CutPrefix(f, "usec="); ok {
				u, _ := strconv.ParseFloat(v, 64)
				usec += u
			}
		}
	}
	if n > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/op")
		b.ReportMetric(usec*1000/float64(n), "redis-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
