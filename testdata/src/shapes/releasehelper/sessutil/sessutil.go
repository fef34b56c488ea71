// Package sessutil holds the app's session helpers, used by handlers of
// other packages.
package sessutil

import (
	"net/http"

	"sessionlib"
)

// Save saves the request's session and lets its other requests in.
func Save(r *http.Request) error { // want Save:`releases always`
	return sessionlib.FromContext(r.Context()).ReleaseLock()
}

// Done releases the session it is given.
func Done(s *sessionlib.Session) { // want Done:`releases always`
	s.ReleaseLock()
}
