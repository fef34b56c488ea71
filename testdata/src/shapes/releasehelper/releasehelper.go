// Package releasehelper: the lock released through a helper called by
// another helper, which then writes.
package releasehelper

import (
	"net/http"

	"sessionlib"
	"shapes/releasehelper/sessutil"
)

// release saves the session and lets other requests in.
func release(s *sessionlib.Session) {
	if err := s.ReleaseLock(); err != nil {
		panic(err)
	}
}

// finish releases through release, then writes: the write is lost.
func finish(s *sessionlib.Session, order string) {
	release(s)
	s.Set("last_order", order) // want `s.Set writes the session after its lock was released`
}

// closeOrder releases through another package's helper, given the
// request, then writes the request's session.
func closeOrder(r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	if err := sessutil.Save(r); err != nil {
		return
	}
	s.Set("closed", true) // want `s.Set writes the session after its lock was released`
}

// archive releases through another package's helper given the session.
func archive(s *sessionlib.Session) {
	sessutil.Done(s)
	s.Delete("cart") // want `s.Delete writes the session after its lock was released`
}

func checkout(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.Set("cart", nil)
	finish(s, r.FormValue("order"))
}

func closePage(w http.ResponseWriter, r *http.Request) {
	closeOrder(r)
}

func done(w http.ResponseWriter, r *http.Request) {
	archive(sessionlib.FromContext(r.Context()))
}

func Routes(m *sessionlib.Manager) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/checkout", checkout)
	mux.HandleFunc("/close", closePage)
	mux.HandleFunc("/done", done)
	return m.Middleware(mux)
}
