// Package tables: handlers kept in variables: route tables (slices of
// structs, maps from pattern to handler) registered in a loop, method
// values and locals.
package tables

import (
	"net/http"
	"time"

	"sessionlib"
)

type route struct {
	pattern string
	handler http.HandlerFunc
}

func listPosts(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func showPost(w http.ResponseWriter, r *http.Request) {
	http.Get("http://127.0.0.1/x") // want `net/http.Get blocks while the session lock is held`
}

func readOnlyFeed(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // this table is served read-only
}

type api struct{}

func (api) users(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func (api) stats(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

var routes = []route{
	{"/posts", listPosts},
	{pattern: "/post", handler: showPost},
}

var feeds = []route{
	{"/feed", readOnlyFeed},
}

func setup(m *sessionlib.Manager) http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.HandleFunc(rt.pattern, rt.handler)
	}
	var a api
	byPath := map[string]http.HandlerFunc{
		"/users": a.users,
	}
	byPath["/stats"] = a.stats
	for p, h := range byPath {
		mux.Handle(p, h)
	}
	local := func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	}
	h := http.HandlerFunc(local)
	mux.Handle("/local", h)

	ro := http.NewServeMux()
	for _, rt := range feeds {
		ro.HandleFunc(rt.pattern, rt.handler)
	}
	top := http.NewServeMux()
	top.Handle("/", m.Middleware(mux))
	top.Handle("/feeds/", m.ReadOnly(ro))
	return top
}
