package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// Holder returns the holder of id's lock, as recorded in the session's row
// by LockAs: held is false when the lock is free or its lease has ended;
// a lock taken with Lock has a zero Holder. Since comes from the holder's
// clock.
func (s *Store) Holder(ctx context.Context, id string) (session.Holder, bool, error) {
	if err := checkID(id); err != nil {
		return session.Holder{}, false, err
	}
	var h session.Holder
	var (
		route *string
		since *time.Time
	)
	err := s.pool.QueryRow(ctx, s.sql.holder, key(id)).Scan(&route, &since)
	if errors.Is(err, pgx.ErrNoRows) {
		return session.Holder{}, false, nil
	}
	if err != nil {
		return session.Holder{}, false, pgErr(ctx, "read the session lock's holder", err)
	}
	if route != nil && since != nil {
		h.Route, h.Since = *route, *since
	}
	return h, true, nil
}
