package redisbench

// Hand-off latency. Two Managers, each with its own client and store (two
// app servers), share one session: a request on A holds its lock, a
// request on B waits for it. One op is one hand-off, from the moment A's
// handler starts releasing (ReleaseLock: save, unlock) to the moment B's
// handler starts running (B woke, locked, loaded). B has been waiting for
// a random 1 to 11 ms before the release, so a polling waiter is caught at
// every phase of its sleep. p50-us and p99-us are over the op's hand-offs;
// redis-cpu-ns/op is Redis's main-thread CPU per hand-off, waiting
// included (a polling waiter costs Redis while it waits).
//
//   - sessionlock: runtime/redisstore, woken by the release.
//   - polling: pollingStore, a phpredis-style retry loop every 2 ms.
//   - floor: no session and no lock, only the signal any Redis hand-off
//     needs: A pushes to a list that B is blocked on (RPUSH, BLPOP), timed
//     from before the push to B's goroutine running. It is what this
//     machine charges for waking a process after the idle wait: a
//     lock cannot hand over faster.
//
// With HANDOFF_OUT set to a directory, every hand-off's latency (µs) is
// also appended to a file per row there, so that run.sh can take
// percentiles over all rounds' hand-offs together.

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/internal/benchkit"
	sessionlockredis "github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

func BenchmarkHandoff(b *testing.B) {
	for _, name := range benchkit.Order() {
		switch name {
		case "sessionlock":
			b.Run(name, func(b *testing.B) {
				benchkit.Handoff(b, func() session.Store {
					return sessionlockredis.New(newClient(b), sessionlockredis.Prefix("handoff:"))
				}, meterOf)
			})
		case "floor":
			b.Run(name, benchHandoffFloor)
		case "scs": // scs has no lock; the polling lock stands in its slot
			b.Run("polling", func(b *testing.B) {
				benchkit.Handoff(b, func() session.Store {
					return &pollingStore{c: newClient(b), prefix: "poll:", every: 2 * time.Millisecond, ttl: 10 * time.Second}
				}, meterOf)
			})
		}
	}
}

// benchHandoffFloor times the bare signal: a push waking a blocked pop.
func benchHandoffFloor(b *testing.B) {
	a, w := newClient(b), newClient(b)
	ctx := context.Background()
	key := "handoff-floor:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	var pushed atomic.Int64
	benchkit.MeasureHandoffs(b, meterOf, func() time.Duration {
		popped := make(chan time.Duration, 1)
		go func() {
			if err := w.BLPop(ctx, 0, key).Err(); err != nil {
				b.Error(err)
			}
			popped <- time.Duration(time.Now().UnixNano() - pushed.Load())
		}()
		benchkit.Idle()
		pushed.Store(time.Now().UnixNano())
		if err := a.RPush(ctx, key, "1").Err(); err != nil {
			b.Fatal(err)
		}
		return <-popped
	})
}
