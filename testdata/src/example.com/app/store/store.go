// Package store is an app's own data layer; the tests name one method of
// its interface: (example.com/app/store.UserStore).Find.
package store

type User struct{ Name string }

// UserStore is implemented somewhere the analysis never sees.
type UserStore interface {
	Find(id int) (User, error)
	Cached(id int) (User, bool)
}
