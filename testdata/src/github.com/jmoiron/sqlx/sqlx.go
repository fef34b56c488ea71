// Package sqlx stands in for github.com/jmoiron/sqlx: its DB embeds
// database/sql's, as the real one does.
package sqlx

import (
	"context"
	"database/sql"
)

type DB struct{ *sql.DB }

type Tx struct{ *sql.Tx }

func Connect(driver, dsn string) (*DB, error)              { return &DB{}, nil }
func Get(q any, dest any, query string, args ...any) error { return nil }

func (db *DB) Get(dest any, query string, args ...any) error                         { return nil }
func (db *DB) SelectContext(ctx context.Context, dest any, q string, a ...any) error { return nil }
func (db *DB) NamedExec(query string, arg any) (sql.Result, error)                   { return nil, nil }
func (db *DB) Beginx() (*Tx, error)                                                  { return &Tx{}, nil }
func (db *DB) Rebind(query string) string                                            { return query }
func (db *DB) BindNamed(query string, arg any) (string, []any, error)                { return query, nil, nil }
func (tx *Tx) Get(dest any, query string, args ...any) error                         { return nil }
