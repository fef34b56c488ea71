// Package webadapter mirrors writefreely's handle.go: handlers of the
// app's signature adapted by Handler.Web, whose literal runs the handler
// inside an in-place func() error {...}() with a deferred recover literal;
// and a handler (login) both registered as a route and called by others.
package webadapter

import (
	"database/sql"
	"errors"
	"log"
	"net/http"
	"time"

	"sessionlib"
)

type App struct{ db *sql.DB }

type handlerFunc func(app *App, w http.ResponseWriter, r *http.Request) error

type UserLevel int

const (
	UserLevelNone UserLevel = iota
	UserLevelUser
)

type UserLevelFunc func(app *App) UserLevel

func UserLevelNoneRequired(app *App) UserLevel { return UserLevelNone }
func UserLevelReader(app *App) UserLevel       { return UserLevelUser }

type Handler struct{ app *App }

func (h *Handler) handleHTTPError(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// Web adapts the app's handlers, checking the user level first.
func (h *Handler) Web(f handlerFunc, ul UserLevelFunc) http.HandlerFunc { // want Web:`returns\(blocks\(Handler.Web.func1 → Handler.Web.func2 → \(\*database/sql.DB\).QueryRow\)\)`
	return func(w http.ResponseWriter, r *http.Request) {
		h.handleHTTPError(w, r, func() error {
			start := time.Now()
			defer func() { // want `deferred Handler.Web.func3 blocks while the session lock is held \(Handler.Web.func3 → \(\*database/sql.DB\).Exec\)`
				if e := recover(); e != nil {
					log.Printf("%v", e)
				}
				h.app.db.Exec("INSERT INTO reqlog VALUES (?)", time.Since(start)) // want `Exec blocks while the session lock is held`
			}()

			if ul(h.app) != UserLevelNone {
				session := sessionlib.FromContext(r.Context())
				if id, ok := session.Get("user").(int64); ok {
					h.app.db.QueryRow("SELECT 1 FROM users WHERE id = ?", id) // want `QueryRow blocks while the session lock is held`
				}
			}
			return f(h.app, w, r) // the handler: judged where it is written
		}()) // want `Handler.Web.func2 blocks while the session lock is held \(Handler.Web.func2 → \(\*database/sql.DB\).QueryRow\)`
	}
}

// All adapts API handlers: no user-level check.
func (h *Handler) All(f handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.handleHTTPError(w, r, f(h.app, w, r)) // the handler: judged where it is written
	}
}

// viewLogin never obtains the session itself, but calls login.
func viewLogin(app *App, w http.ResponseWriter, r *http.Request) error {
	if r.FormValue("with") != "" {
		if err := login(app, w, r); err != nil { // want `login blocks while the session lock is held`
			return err
		}
	}
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
	return nil
}

// webLogin logs in and flashes the error.
func webLogin(app *App, w http.ResponseWriter, r *http.Request) error {
	err := login(app, w, r) // want `login blocks while the session lock is held`
	if err != nil {
		sessionlib.FromContext(r.Context()).Set("flash", err.Error())
	}
	return nil
}

// viewCollection loads through a local closure it calls by name.
func viewCollection(app *App, w http.ResponseWriter, r *http.Request) error {
	s := sessionlib.FromContext(r.Context())
	loadPosts := func() error {
		_, err := app.db.Query("SELECT * FROM posts WHERE owner = ?", s.Get("user")) // want `Query blocks while the session lock is held`
		return err
	}
	if err := loadPosts(); err != nil { // want `loadPosts blocks while the session lock is held`
		return err
	}
	return nil
}

// login is a route of the API and is called by the two handlers above:
// each of its blocking calls is reported here.
func login(app *App, w http.ResponseWriter, r *http.Request) error {
	var hash string
	if err := app.db.QueryRow("SELECT hash FROM users WHERE name = ?", r.FormValue("alias")).Scan(&hash); err != nil { // want `QueryRow blocks while the session lock is held`
		return errors.New("no such user")
	}
	session := sessionlib.FromContext(r.Context())
	session.Set("user", r.FormValue("alias"))
	app.db.Exec("UPDATE users SET last_login = now()") // want `Exec blocks while the session lock is held`
	return nil
}

func InitRoutes(m *sessionlib.Manager, app *App) http.Handler {
	handler := &Handler{app: app}
	write := http.NewServeMux()
	write.HandleFunc("/login", handler.Web(viewLogin, UserLevelNoneRequired))
	write.HandleFunc("/auth/login", handler.Web(webLogin, UserLevelNoneRequired))
	write.HandleFunc("/api/auth/login", handler.All(login))
	write.HandleFunc("/collection", handler.Web(viewCollection, UserLevelReader))
	return m.Middleware(write)
}
