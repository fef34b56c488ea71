package pgbench

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionlock/sessionlock/internal/benchkit"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// pollingSchema is the polling lock's table: a record and a lock column,
// as ASP.NET's SQL Server session state keeps them.
const pollingSchema = `CREATE TABLE polled_sessions (id text PRIMARY KEY, data bytea, expires timestamptz,
	token bigint, locked_until timestamptz);`

// pollingStore is the baseline lock of the hand-off benchmark: it takes
// the lock column in one statement when it is free and, while it is busy,
// sleeps for the polling interval and tries again, as ASP.NET's SQL Server
// session state does every 500 ms. It is a session.Store so that the same
// Managers run over it.
type pollingStore struct {
	pool  *pgxpool.Pool
	every time.Duration
}

func (p *pollingStore) Load(ctx context.Context, id string) ([]byte, error) {
	var data []byte
	err := p.pool.QueryRow(ctx, "SELECT data FROM polled_sessions WHERE id = $1 AND expires > now()", id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return data, err
}

func (p *pollingStore) Lock(ctx context.Context, id string) (session.Lock, []byte, error) {
	token := rand.Int64()
	var data []byte
	err := benchkit.PollLock(ctx, p.every, func() (bool, error) {
		err := p.pool.QueryRow(ctx, `INSERT INTO polled_sessions AS s (id, token, locked_until) VALUES ($1, $2, now() + interval '10 seconds')
			ON CONFLICT (id) DO UPDATE SET token = excluded.token, locked_until = excluded.locked_until
			WHERE s.locked_until IS NULL OR s.locked_until < now()
			RETURNING CASE WHEN s.expires > now() THEN s.data END`, id, token).Scan(&data)
		if errors.Is(err, pgx.ErrNoRows) {
			return false, nil // busy
		}
		return err == nil, err
	})
	if err != nil {
		return nil, nil, err
	}
	return &pollingLock{p: p, id: id, token: token}, data, nil
}

type pollingLock struct {
	p     *pollingStore
	id    string
	token int64
}

func (l *pollingLock) Unlock(ctx context.Context, data []byte, expiry time.Time) error {
	_, err := l.p.pool.Exec(ctx, `UPDATE polled_sessions SET data = coalesce($3, data),
		expires = CASE WHEN $3::bytea IS NULL THEN expires ELSE $4 END, token = NULL, locked_until = NULL
		WHERE id = $1 AND token = $2`, l.id, l.token, data, expiry)
	return err
}

func (l *pollingLock) Delete(ctx context.Context) error {
	_, err := l.p.pool.Exec(ctx, "DELETE FROM polled_sessions WHERE id = $1 AND token = $2", l.id, l.token)
	return err
}
