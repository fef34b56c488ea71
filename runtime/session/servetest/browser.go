package servetest

import (
	"net/http"
	"net/http/httptest"
)

// A Browser sends requests to a handler in process and keeps the cookies
// it sets, as one browser does: for examples and quick tests of a router
// (Run serves it on a real server).
type Browser struct {
	h   http.Handler
	jar map[string]*http.Cookie
}

// NewBrowser returns a Browser with no cookies, sending its requests to h.
func NewBrowser(h http.Handler) *Browser {
	return &Browser{h: h, jar: map[string]*http.Cookie{}}
}

// Get sends a GET for path with the browser's cookies, keeps the cookies
// the response sets, and returns the response.
func (b *Browser) Get(path string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for _, c := range b.jar {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		b.jar[c.Name] = c
	}
	return w
}
