// Package pages declares handlers that obtain the session; package web
// serves them. Each blocking call is reported here, where it is written.
package pages

import (
	"database/sql"
	"net/http"
	"os/exec"

	"sessionlib"
)

var DB *sql.DB

// Account shows the signed-in user's account.
func Account(w http.ResponseWriter, r *http.Request) { // want Account:`obtains`
	s := sessionlib.FromContext(r.Context())
	id := s.Get("user")
	DB.QueryRow("SELECT * FROM users WHERE id = ?", id)      // want `QueryRow blocks while the session lock is held`
	DB.Query("SELECT * FROM sessions WHERE user_id = ?", id) // want `Query blocks while the session lock is held`
	exec.Command("render-avatar").Run()                      // want `Run blocks while the session lock is held`
}

// Export is served read-only by package web; its directive says so here.
//
//sessionlock:served readonly
func Export(w http.ResponseWriter, r *http.Request) { // want Export:`obtains`
	s := sessionlib.FromContext(r.Context())
	DB.Query("SELECT * FROM items WHERE owner = ?", s.Get("user")) // read-only: blocking is fine
}

// Upload is served explicit by package web: it acquires after the upload.
//
//sessionlock:served explicit
func Upload(w http.ResponseWriter, r *http.Request) { // want Upload:`obtains`
	s := sessionlib.FromContext(r.Context())
	exec.Command("scan-upload").Run() // explicit: not locked yet
	s.Set("last_upload", 1)           // want `s.Set writes the session before its lock is taken \(explicit mode\)`
	s.AcquireLock(r.Context())
	s.Set("uploads", 1)
}
