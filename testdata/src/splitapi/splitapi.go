// Package splitapi declares handlers that other packages serve: exported
// handlers, a factory and a function that registers handlers on the
// caller's router. Nothing here serves them, so nothing here is reported:
// the importer knows the mode and reports at its registration.
package splitapi

import (
	"net/http"
	"time"

	"sessionlib"
)

// Report never touches the session.
func Report(w http.ResponseWriter, r *http.Request) { // want Report:`blocks\(time.Sleep\)`
	time.Sleep(time.Second)
}

// Edit obtains the session and writes it.
func Edit(w http.ResponseWriter, r *http.Request) { // want Edit:`writes\(s.Set\) handler obtains`
	s := sessionlib.FromContext(r.Context())
	s.Set("k", 1)
}

// Index is a factory: the handler it returns blocks.
func Index(delay time.Duration) http.HandlerFunc { // want Index:`returns\(blocks\(Index.func1 → time.Sleep\)\)`
	time.Sleep(delay) // setup, in the caller's package
	return func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
	}
}

func slowAPI(w http.ResponseWriter, r *http.Request) {
	http.Get("http://127.0.0.1/upstream")
}

// Register adds the API's routes to the caller's mux.
func Register(mux *http.ServeMux) { // want Register:`registers\(arg 0: blocks\(slowAPI → net/http.Get\)\)`
	mux.HandleFunc("/slow", slowAPI)
}
