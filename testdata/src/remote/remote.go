// Package remote serves handlers declared in another package: findings are
// reported at the registration, and never twice.
package remote

import (
	"net/http"

	"reports"
	"sessionlib"
)

func routes(m *sessionlib.Manager) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/page", reports.Page)                            // want `handler reports.Page blocks at reports/reports.go:52 while the session lock is held \(reports.Page → time.Sleep\): other requests of this session wait`
	mux.HandleFunc("/twice", reports.Twice)                          // want `handler reports.Twice blocks at reports/reports.go:94 while the session lock is held \(reports.Twice → time.Sleep\)` `handler reports.Twice blocks at reports/reports.go:95 while the session lock is held \(reports.Twice → net/http.Get\)`
	mux.HandleFunc("/own", reports.Own)                              // judged where it is declared
	mux.Handle("/own-ro", m.ReadOnly(http.HandlerFunc(reports.Own))) // read-only: never judged as held
	mux.Handle("/save", m.ReadOnly(http.HandlerFunc(reports.Save)))  // want `handler reports.Save writes the session \(reports.Save → Remember → s.Set\) in a read-only handler: the change is not saved`
	mux.Handle("/ro", m.ReadOnly(http.HandlerFunc(reports.Page)))    // read-only: blocking is fine
	mux.Handle("/slow", &reports.Slow{})                             // want `handler reports.Slow.ServeHTTP blocks at reports/reports.go:88 while the session lock is held \(reports.Slow.ServeHTTP → time.Sleep\)`
	return m.Middleware(mux)
}
