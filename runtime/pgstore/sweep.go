package pgstore

import (
	"context"
	"time"
)

// sweepBatch is how many rows one sweep statement deletes: a short
// transaction, so that a request meeting a row it deletes waits little.
const sweepBatch = 500

// Sweep deletes the rows of expired sessions that nobody holds or waits
// for, and returns how many it deleted. Rows that a request has locked at
// that moment are skipped rather than waited for (FOR UPDATE SKIP LOCKED),
// so a sweep never makes a request wait for more than one short batch.
// A Store sweeps by itself every SweepInterval; Sweep is for applications
// that turned that off to sweep on their own schedule.
func (s *Store) Sweep(ctx context.Context) (int64, error) {
	var n int64
	for {
		tag, err := s.pool.Exec(ctx, s.sql.sweep, sweepBatch)
		if err != nil {
			return n, pgErr(ctx, "sweep expired sessions", err)
		}
		n += tag.RowsAffected()
		if tag.RowsAffected() < sweepBatch {
			return n, nil
		}
	}
}

// sweepEvery sweeps every interval until ctx ends. A failed sweep is
// retried at the next tick: expired rows are invisible to Load and Lock
// anyway, so a late sweep costs only space.
func (s *Store) sweepEvery(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_, _ = s.Sweep(ctx)
		case <-ctx.Done():
			return
		}
	}
}
