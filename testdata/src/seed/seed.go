// Package seed is the seed article's app in Go: page1 sleeps behind the
// held middleware without ever touching the session.
package seed

import (
	"net/http"
	"time"

	"sessionlib"
)

func page1(w http.ResponseWriter, r *http.Request) {
	// Simulate long operation
	time.Sleep(20 * time.Second) // want `time.Sleep blocks while the session lock is held: other requests of this session wait \(release the session lock before the call, or serve the handler read-only if it does not write the session\)`
	w.Write([]byte("*Yawn*"))
}

func page1Fixed(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	// Do any session manipulation here!
	s.Set("visited", true)
	s.ReleaseLock()
	time.Sleep(20 * time.Second)
	w.Write([]byte("*Yawn*"))
}

func page2(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte("Hello World!"))
}

func main() {
	m := &sessionlib.Manager{}
	mux := http.NewServeMux()
	mux.HandleFunc("/page1", page1)
	mux.HandleFunc("/page1-fixed", page1Fixed)
	mux.HandleFunc("/page2", page2)
	http.ListenAndServe("127.0.0.1:8080", m.Middleware(mux))
}
