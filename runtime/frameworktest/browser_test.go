package frameworktest

import (
	"net/http"
	"net/http/httptest"
)

// get sends a GET for path to h carrying the cookies in jar, stores the
// cookies it sets, and returns the body.
func get(h http.Handler, jar map[string]*http.Cookie, path string) string {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for _, c := range jar {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		jar[c.Name] = c
	}
	return w.Body.String()
}
