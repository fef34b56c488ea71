// Package store implements the handlers' services without knowing them.
package store

import "database/sql"

type Users struct{ DB *sql.DB }

func (u *Users) Find(id int) (string, error) { // want Find:`blocks\(\(\*database/sql.DB\).QueryRow\)`
	var name string
	err := u.DB.QueryRow("select name from users where id = ?", id).Scan(&name)
	return name, err
}

type Clock struct{}

func (Clock) Now() int64 { return 0 }
