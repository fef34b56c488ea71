package pgbench

// Hand-off latency (see benchkit.Handoff for what one op is):
//
//   - sessionlock: pgstore, woken by the NOTIFY its release commits.
//   - polling: pollingStore, retrying every 500 ms as ASP.NET's SQL
//     Server session state does.
//   - floor: no session and no lock: a NOTIFY sent on one connection
//     waking a goroutine blocked in WaitForNotification on another, timed
//     from before the NOTIFY to that goroutine running. No hand-off
//     through PostgreSQL's notifications can be faster.

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sessionlock/sessionlock/internal/benchkit"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

func BenchmarkHandoff(b *testing.B) {
	for _, name := range benchkit.Order() {
		switch name {
		case "sessionlock":
			b.Run(name, func(b *testing.B) {
				benchkit.Handoff(b, func() session.Store {
					s := pgstore.New(newPool(b), pgstore.SweepInterval(0))
					b.Cleanup(s.Close)
					return s
				}, startMeter)
			})
		case "scs": // scs has no lock: the polling lock takes its turn
			b.Run("polling", func(b *testing.B) {
				benchkit.Handoff(b, func() session.Store {
					return &pollingStore{pool: newPool(b), every: 500 * time.Millisecond}
				}, startMeter)
			})
		case "floor":
			b.Run(name, notifyFloor)
		}
	}
}

// notifyFloor times the bare signal: a NOTIFY waking a LISTEN.
func notifyFloor(b *testing.B) {
	ctx := context.Background()
	listen, err := pgx.Connect(ctx, server.DSN)
	if err != nil {
		b.Fatal(err)
	}
	defer listen.Close(ctx)
	if _, err := listen.Exec(ctx, "LISTEN handoff_floor"); err != nil {
		b.Fatal(err)
	}
	pool := newPool(b)
	var sent atomic.Int64
	benchkit.MeasureHandoffs(b, startMeter, func() time.Duration {
		woke := make(chan time.Duration, 1)
		go func() {
			if _, err := listen.WaitForNotification(ctx); err != nil {
				b.Error(err)
			}
			woke <- time.Duration(time.Now().UnixNano() - sent.Load())
		}()
		benchkit.Idle()
		sent.Store(time.Now().UnixNano())
		if _, err := pool.Exec(ctx, "NOTIFY handoff_floor"); err != nil {
			b.Fatal(err)
		}
		return <-woke
	})
}
