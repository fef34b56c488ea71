// Package ifaces checks calls through interfaces: long when an
// implementation visible (this package, its imports) blocks, for an
// interface of the user's code, or when the interface method carries
// //sessionlock:long.
package ifaces

import (
	"net/http"
	"time"

	"ifaces/users"
	"sessionlib"
)

// Store is implemented in this package only, by a type that sleeps.
type Store interface{ Get(k string) string }

type slowStore struct{}

func (slowStore) Get(k string) string { // want Get:`blocks\(time.Sleep\)`
	time.Sleep(time.Second)
	return ""
}

// Clock has a fast and a slow implementation: the call may run the slow one.
type Clock interface{ Now() time.Time }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

type slowClock struct{}

func (slowClock) Now() time.Time { time.Sleep(time.Millisecond); return time.Time{} } // want Now:`blocks\(time.Sleep\)`

// Notifier is marked long in the user's own code.
type Notifier interface {
	//sessionlock:long
	Notify(msg string) // want Notify:`role\(long\)`
}

func page(w http.ResponseWriter, r *http.Request, s Store, c Clock, svc users.Service, m users.Mailer, n Notifier) {
	_ = sessionlib.FromContext(r.Context())
	s.Get("k")       // want `Store.Get blocks while the session lock is held \(Store.Get → slowStore.Get → time.Sleep\)`
	c.Now()          // want `Clock.Now blocks while the session lock is held \(Clock.Now → slowClock.Now → time.Sleep\)`
	svc.Find(1)      // want `users.Service.Find blocks while the session lock is held \(users.Service.Find → users.SQL.Find → \(\*database/sql.DB\).QueryRow\)`
	svc.Names()      // no implementation blocks
	m.Send("a", "b") // want `users.Mailer.Send blocks while the session lock is held`
	n.Notify("x")    // want `Notifier.Notify blocks`
	Lookup(s)        // want `Lookup blocks while the session lock is held \(Lookup → Store.Get → slowStore.Get → time.Sleep\)`
}

func Lookup(s Store) string { return s.Get("u") } // want Lookup:`blocks\(Store.Get → slowStore.Get → time.Sleep\)`
