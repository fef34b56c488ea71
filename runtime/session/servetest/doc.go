// Package servetest is a conformance suite for the ways a web framework runs
// a Manager's wrappers: every promise of Middleware, ReadOnly and Explicit
// must hold whatever router or adapter sits between the server and the
// handler. A framework passes when Run succeeds with a router built by it:
//
//	func TestConformance(t *testing.T) {
//		servetest.Run(t, func(m *session.Manager, routes []servetest.Route) http.Handler {
//			r := chi.NewRouter()
//			for _, rt := range routes {
//				r.With(servetest.Wrapper(m, rt.Mode)).Get(rt.Path, rt.Handler.ServeHTTP)
//			}
//			return r
//		})
//	}
//
// The suite serves the router on a loopback HTTP/1.1 server and checks: 200
// concurrent increments of one session all count; ReleaseLock lets the
// user's next request through while the first still runs, and a write after
// it panics; ReadOnly never locks and Explicit locks only on AcquireLock;
// the cookie, Cache-Control and Vary headers and the status code are right;
// a session is saved and its ID locked before the first byte of the body
// leaves; hijacking the connection releases the lock; a request that times
// out waiting for the lock gets 503 with Retry-After and its handler never
// runs; and a handler's panic saves nothing and frees the lock.
package servetest
