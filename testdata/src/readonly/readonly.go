// Package readonly checks handlers served read-only.
package readonly

import (
	"net/http"
	"time"

	"sessionlib"
)

func view(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	_ = s.Get("user")
	time.Sleep(time.Second) // read-only handlers may block
	s.Set("k", 1)           // want `s.Set writes the session in a read-only handler: the change is not saved \(serve the handler with a locking wrapper, or drop the write\)`
}

func routes(m *sessionlib.Manager) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/view", view)
	return m.ReadOnly(mux)
}
