package session_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/sessionlock/sessionlock/runtime/session/internal/testserver"
)

// A browser is an HTTP client with its own cookie jar talking to one test
// server, as one user's browser would.
type browser struct {
	t    *testing.T
	srv  *httptest.Server
	c    *http.Client
	name string // "HTTP/1.1" or "HTTP/2", for messages
}

// serve starts h on a loopback server speaking proto ("HTTP/1.1" over
// plain TCP, "HTTP/2" over TLS) and returns a browser for it.
func serve(t *testing.T, proto string, h http.Handler) *browser {
	t.Helper()
	srv, c := testserver.Start(t, proto, h)
	return &browser{t: t, srv: srv, c: c, name: proto}
}

// protocols are the HTTP versions each over-the-wire test runs with.
var protocols = testserver.Protocols

// get sends GET path with the browser's cookies (and extra headers, as
// name, value pairs) and returns the response with its body read. It may
// run on goroutines other than the test's, so it reports failures with
// Errorf and then returns an empty response.
func (b *browser) get(path string, header ...string) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.srv.URL+path, nil)
	if err != nil {
		b.t.Errorf("GET %s: %v", path, err)
		return &http.Response{Header: http.Header{}}, ""
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Errorf("%s GET %s: %v", b.name, path, err)
		return &http.Response{Header: http.Header{}}, ""
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Errorf("%s GET %s: reading body: %v", b.name, path, err)
	}
	if resp.ProtoMajor != map[string]int{"HTTP/1.1": 1, "HTTP/2": 2}[b.name] {
		b.t.Errorf("GET %s went over %s, want %s", path, resp.Proto, b.name)
	}
	return resp, string(body)
}

// cookie returns the value of the browser's cookie name, "" when none.
func (b *browser) cookie(name string) string {
	u, err := url.Parse(b.srv.URL)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}
