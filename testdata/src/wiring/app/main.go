// Command app wires the handlers to the store: here both sides are in
// sight, and the handler's call through UserService is reported with the
// whole trace at the wiring.
package main

import (
	"database/sql"
	"net/http"

	"wiring/handlers"
	"wiring/store"
)

func main() {
	db, _ := sql.Open("sqlite", "app.db")
	users := &store.Users{DB: db}
	h := handlers.New(users) // want `handler Handler.Profile blocks while the session lock is held \(Handler.Profile → UserService.Find → store.Users.Find → \(\*database/sql.DB\).QueryRow\)`
	h.Clock = store.Clock{}
	h2 := &handlers.Handler{
		Users: users, // want `handler Handler.Profile blocks while the session lock is held`
		Clock: store.Clock{},
	}
	http.HandleFunc("/profile", h.Profile)
	http.HandleFunc("/profile2", h2.Profile)
	http.ListenAndServe("127.0.0.1:8080", nil)
}
