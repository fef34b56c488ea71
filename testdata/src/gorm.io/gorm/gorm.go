// Package gorm stands in for gorm.io/gorm in the analyzer's tests: the
// real import path and method names, no behaviour.
package gorm

import "context"

type Config struct{}

type Dialector interface{ Name() string }

// DB is the chainable handle: builders return it, finishers run SQL.
type DB struct{ Error error }

func Open(d Dialector, opts ...*Config) (*DB, error) { return &DB{}, nil }

func (db *DB) WithContext(ctx context.Context) *DB     { return db }
func (db *DB) Model(v any) *DB                         { return db }
func (db *DB) Where(q any, args ...any) *DB            { return db }
func (db *DB) Order(v any) *DB                         { return db }
func (db *DB) Limit(n int) *DB                         { return db }
func (db *DB) Preload(q string, args ...any) *DB       { return db }
func (db *DB) First(dest any, conds ...any) *DB        { return db }
func (db *DB) Find(dest any, conds ...any) *DB         { return db }
func (db *DB) Take(dest any, conds ...any) *DB         { return db }
func (db *DB) Create(v any) *DB                        { return db }
func (db *DB) Save(v any) *DB                          { return db }
func (db *DB) Update(col string, v any) *DB            { return db }
func (db *DB) Updates(v any) *DB                       { return db }
func (db *DB) Delete(v any, conds ...any) *DB          { return db }
func (db *DB) Count(n *int64) *DB                      { return db }
func (db *DB) Pluck(col string, dest any) *DB          { return db }
func (db *DB) Scan(dest any) *DB                       { return db }
func (db *DB) Exec(sql string, v ...any) *DB           { return db }
func (db *DB) Transaction(fc func(tx *DB) error) error { return nil }
func (db *DB) Association(column string) *Association  { return &Association{} }
func (a *Association) Append(values ...any) error      { return nil }
func (db *DB) Raw(sql string, values ...any) *DB       { return db }
func (db *DB) Session(cfg *Session) *DB                { return db }

type Session struct{}

type Association struct{}
