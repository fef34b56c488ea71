// Package gist holds handlers of the app's own signature, served by
// another package (shapes/echoapp/server). Those that obtain the session
// are judged here, where they are declared, at each blocking call.
package gist

import (
	"database/sql"
	"net/http"
	"time"

	"shapes/echoapp/context"
)

var db *sql.DB

// Create reads the session through the app's context, then queries twice.
func Create(ctx *context.Context) error { // want Create:`obtains`
	sess := ctx.GetSession()
	uid, _ := sess.Get("user").(int64)
	row := db.QueryRow("SELECT name FROM users WHERE id = ?", uid) // want `QueryRow blocks while the session lock is held`
	var name string
	row.Scan(&name)
	if _, err := http.Get("http://127.0.0.1/render"); err != nil { // want `net/http.Get blocks while the session lock is held`
		return err
	}
	ctx.SetData("name", name)
	return nil
}

// Fork only flashes: the write goes through the context's helper.
func Fork(ctx *context.Context) error { // want Fork:`obtains`
	db.Exec("INSERT INTO forks VALUES (1)") // want `Exec blocks while the session lock is held`
	ctx.AddFlash("forked", "success")
	return nil
}

// Logout releases, then flashes: the flash is lost.
func Logout(ctx *context.Context) error { // want Logout:`releases always`
	ctx.GetSession().ReleaseLock()
	ctx.AddFlash("bye", "success") // want `AddFlash writes the session \(context.Context.AddFlash → addFlash → s.Set\) after its lock was released`
	return ctx.Redirect(http.StatusFound, "/")
}

// Healthcheck never touches the session: it is judged where it is
// served, behind the session middleware of every route of the group.
func Healthcheck(ctx *context.Context) error { // want Healthcheck:`blocks\(time.Sleep\)`
	time.Sleep(10 * time.Millisecond)
	return ctx.String(http.StatusOK, "ok")
}
