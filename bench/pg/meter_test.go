package pgbench

// PostgreSQL's CPU per op is read from /proc: the utime+stime of every
// server process (the postmaster and all it forked: the backends of the
// pools, the WAL writer, checkpointer, autovacuum), plus the postmaster's
// cutime+cstime, which collect the CPU of children that exited meanwhile.
// It is the whole server's cost, I/O system calls included, not only the
// statements' execution (pg_stat_statements would leave out parsing the
// protocol, the commits' WAL flushes and the background work that the
// writes cause). The clock tick is 10 ms per process, so a round of
// thousands of requests is needed: each benchmark runs for a second or
// more.

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ticksPerSecond is USER_HZ, 100 on Linux.
const ticksPerSecond = 100

// pgCPU returns the server's CPU time so far.
func pgCPU(b *testing.B) time.Duration {
	pids, err := server.PIDs()
	if err != nil {
		b.Fatal(err)
	}
	var ticks int64
	for i, pid := range pids {
		f, err := statFields(pid)
		if err != nil {
			continue // exited since the listing; the postmaster's cutime has it
		}
		// Fields after the command: state is 0; utime 11, stime 12,
		// cutime 13, cstime 14 (proc(5) numbers 14 to 17).
		n := 2
		if i == 0 {
			n = 4 // the postmaster: its reaped children too
		}
		for _, v := range f[11 : 11+n] {
			t, _ := strconv.ParseInt(v, 10, 64)
			ticks += t
		}
	}
	return time.Duration(ticks) * time.Second / ticksPerSecond
}

func statFields(pid int) ([]string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 15 {
		return nil, fmt.Errorf("short /proc/%d/stat", pid)
	}
	return f, nil
}

// selfCPU is this process's CPU time (middleware, codec, driver).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// startMeter measures both over a benchmark's timed section (a
// benchkit.StartMeter).
func startMeter(b *testing.B) (stop func(ops int)) {
	pg, self := pgCPU(b), selfCPU()
	return func(ops int) {
		b.ReportMetric(float64((pgCPU(b)-pg).Nanoseconds())/float64(ops), "pg-cpu-ns/op")
		b.ReportMetric(float64((selfCPU()-self).Nanoseconds())/float64(ops), "cpu-ns/op")
	}
}
