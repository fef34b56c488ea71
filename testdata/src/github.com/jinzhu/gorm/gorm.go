// Package gorm stands in for github.com/jinzhu/gorm (gorm v1).
package gorm

type DB struct{ Error error }

func Open(dialect string, args ...any) (*DB, error) { return &DB{}, nil }

func (s *DB) Where(q any, args ...any) *DB      { return s }
func (s *DB) Model(v any) *DB                   { return s }
func (s *DB) First(out any, where ...any) *DB   { return s }
func (s *DB) Find(out any, where ...any) *DB    { return s }
func (s *DB) Save(v any) *DB                    { return s }
func (s *DB) Updates(v any, ignore ...bool) *DB { return s }
func (s *DB) Delete(v any, where ...any) *DB    { return s }
func (s *DB) Count(v any) *DB                   { return s }
func (s *DB) Rows() (any, error)                { return nil, nil }
func (s *DB) Begin() *DB                        { return s }
func (s *DB) Commit() *DB                       { return s }

// Association is gorm v1's handle on a relation; its finishers query.
type Association struct{ Error error }

func (s *DB) Association(column string) *Association      { return &Association{} }
func (a *Association) Find(value any) *Association        { return a }
func (a *Association) Append(values ...any) *Association  { return a }
func (a *Association) Replace(values ...any) *Association { return a }
func (a *Association) Delete(values ...any) *Association  { return a }
func (a *Association) Clear() *Association                { return a }
func (a *Association) Count() int                         { return 0 }
