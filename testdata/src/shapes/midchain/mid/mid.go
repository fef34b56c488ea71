// Package mid is an app's middleware package, as gophish's: Use stacks
// middleware built by factories (RequirePermission(perm)) around a
// handler, and the session manager lives here.
package mid

import (
	"database/sql"
	"net/http"

	"sessionlib"
)

var SessionManager = &sessionlib.Manager{}

var db *sql.DB

// Use stacks middleware around handler, first innermost.
func Use(handler http.HandlerFunc, mid ...func(http.Handler) http.HandlerFunc) http.HandlerFunc {
	for _, m := range mid {
		handler = m(handler)
	}
	return handler
}

// GetContext loads the session's user for every request.
func GetContext(handler http.Handler) http.HandlerFunc { // want GetContext:`returns\(blocks\(GetContext.func1 → \(\*database/sql.DB\).QueryRow\)\)`
	return func(w http.ResponseWriter, r *http.Request) {
		session := sessionlib.FromContext(r.Context())
		if id := session.Get("id"); id != nil {
			db.QueryRow("SELECT * FROM users WHERE id = ?", id) // want `QueryRow blocks while the session lock is held`
		}
		handler.ServeHTTP(w, r)
	}
}

// RequireLogin sends anonymous users to the login page.
func RequireLogin(handler http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if sessionlib.FromContext(r.Context()).Get("id") == nil {
			http.Redirect(w, r, "/login", http.StatusFound)
			return
		}
		handler.ServeHTTP(w, r)
	}
}

// RequirePermission is a middleware factory.
func RequirePermission(perm string) func(http.Handler) http.HandlerFunc {
	return func(next http.Handler) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
		}
	}
}

// ApplySecurityHeaders needs no session.
func ApplySecurityHeaders(next http.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	}
}
