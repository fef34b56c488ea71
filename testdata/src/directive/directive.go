// Package directive marks its own blocking function //sessionlock:long.
package directive

import (
	"net/http"

	"sessionlib"
)

// Render talks to a slow template service.
//
//sessionlock:long
func Render() string { return "" } // want Render:`role\(long\)`

func page(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context())
	Render() // want `Render blocks while the session lock is held`
}

// unknown directives are ignored.
//
//sessionlock:frobnicate
func odd() {}
