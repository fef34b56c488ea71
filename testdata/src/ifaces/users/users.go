// Package users declares a service interface and its implementations: a
// SQL one that blocks and, for Names, an in-memory one that does not.
package users

import "database/sql"

// Service is what handlers call.
type Service interface {
	Find(id int) (string, error)
	Names() []string
}

// Mailer is marked long by the user: its implementations live elsewhere.
type Mailer interface {
	// Send talks to the mail server.
	//
	//sessionlock:long
	Send(to, body string) error // want Send:`role\(long\)`
}

type SQL struct{ db *sql.DB }

func (s *SQL) Find(id int) (string, error) { // want Find:`blocks\(\(\*database/sql.DB\).QueryRow\)`
	var name string
	err := s.db.QueryRow("select name from users where id = ?", id).Scan(&name)
	return name, err
}

func (s *SQL) Names() []string { return nil }

type Memory struct{ m map[int]string }

func (m Memory) Find(id int) (string, error) { return m.load(id), nil } // want Find:`blocks\(load → \(\*database/sql.DB\).Ping\)`

func (m Memory) load(id int) string {
	var db *sql.DB
	db.Ping()
	return m.m[id]
}

func (m Memory) Names() []string { return nil }
