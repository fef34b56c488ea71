// Package pgx stands in for github.com/jackc/pgx/v5.
package pgx

import "context"

type Conn struct{}

type Rows interface{ Next() bool }

type Row interface{ Scan(dest ...any) error }

// Tx is an interface in pgx: calls through it are modelled by method.
type Tx interface {
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
	Exec(ctx context.Context, sql string, args ...any) (any, error)
	QueryRow(ctx context.Context, sql string, args ...any) Row
	Conn() *Conn
}

func Connect(ctx context.Context, connString string) (*Conn, error) { return &Conn{}, nil }

func (c *Conn) Exec(ctx context.Context, sql string, args ...any) (any, error)   { return nil, nil }
func (c *Conn) Query(ctx context.Context, sql string, args ...any) (Rows, error) { return nil, nil }
func (c *Conn) QueryRow(ctx context.Context, sql string, args ...any) Row        { return nil }
func (c *Conn) Begin(ctx context.Context) (Tx, error)                            { return nil, nil }
func (c *Conn) Config() any                                                      { return nil }
