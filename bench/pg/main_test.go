package pgbench

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/pgstore/pgtest"
)

// server is the benchmarks' PostgreSQL, started by TestMain.
var server *pgtest.Server

// scsSchema is the table scs's postgresstore documents.
const scsSchema = `CREATE TABLE sessions (token TEXT PRIMARY KEY, data BYTEA NOT NULL, expiry TIMESTAMPTZ NOT NULL);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);`

func TestMain(m *testing.M) {
	var err error
	// Durable commits, as in production: the WAL is flushed (written and
	// fsynced) at each commit of every row, so the rows pay the same.
	server, err = pgtest.New("fsync=on", "full_page_writes=on")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := 2
	if err = setup(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	_ = server.Close()
	os.Exit(code)
}

func setup() error {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, server.DSN)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := pgstore.Migrate(ctx, pool); err != nil {
		return err
	}
	for _, q := range []string{scsSchema, pollingSchema} {
		if _, err := pool.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
