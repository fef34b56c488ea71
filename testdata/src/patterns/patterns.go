// Package patterns checks -long patterns and interface methods (the test
// sets example.com/app/billing.*, (*example.com/app/db.DB).*,
// (example.com/app/store.UserStore).Find and example.com/app/db.Op*).
package patterns

import (
	"net/http"

	"example.com/app/billing"
	"example.com/app/db"
	"example.com/app/store"
	"sessionlib"
)

func profile(w http.ResponseWriter, r *http.Request, us store.UserStore, d *db.DB, c *billing.Client) {
	_ = sessionlib.FromContext(r.Context())
	us.Find(1)        // want `\(example.com/app/store.UserStore\).Find blocks while the session lock is held`
	us.Cached(1)      // not named
	billing.Charge(1) // want `example.com/app/billing.Charge blocks`
	c.Refund("x")     // want `\(\*example.com/app/billing.Client\).Refund blocks`
	d.Exec("x")       // want `\(\*example.com/app/db.DB\).Exec blocks`
	d.Lookup(1)       // want `\(\*example.com/app/db.DB\).Lookup blocks`
	db.Open("x")      // want `example.com/app/db.Open blocks`
	db.Ping()         // not named: the prefix is Op
}
