// Package web serves the handlers of package pages: findings about them
// belong to pages, not to the registrations here.
package web

import (
	"net/http"

	"sessionlib"
	"shapes/crossreg/pages"
)

func Routes(m *sessionlib.Manager) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/account", pages.Account)
	top := http.NewServeMux()
	top.Handle("/", m.Middleware(mux))
	top.Handle("/export", m.ReadOnly(http.HandlerFunc(pages.Export)))
	top.Handle("/upload", m.Explicit(http.HandlerFunc(pages.Upload)))
	return top
}
