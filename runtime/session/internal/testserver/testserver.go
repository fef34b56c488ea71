// Package testserver starts loopback HTTP servers for the tests of package
// session and its conformance suite, speaking the protocol under test, with
// a client that keeps cookies as a browser does.
package testserver

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"testing"
	"time"
)

// Protocols are the protocols Start speaks: HTTP/1.1 in clear text, and
// HTTP/2 over TLS.
var Protocols = []string{"HTTP/1.1", "HTTP/2"}

// Start serves h on 127.0.0.1 over proto (one of Protocols) until the test
// ends, and returns the server and a client trusting it, with a cookie jar
// and a timeout that bounds a broken test (it is no speed requirement).
func Start(t testing.TB, proto string, h http.Handler) (*httptest.Server, *http.Client) {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	switch proto {
	case "HTTP/1.1":
		srv.Start()
	case "HTTP/2":
		srv.EnableHTTP2 = true
		srv.StartTLS()
	default:
		t.Fatalf("testserver: unknown protocol %q; use one of %q", proto, Protocols)
	}
	t.Cleanup(srv.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := srv.Client()
	c.Jar = jar
	c.Timeout = time.Minute
	return srv, c
}
