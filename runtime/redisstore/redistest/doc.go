// Package redistest runs a throwaway redis-server on loopback for tests and
// benchmarks, the way net/http/httptest runs an HTTP server: a real server
// on a free port, in a private directory, stopped when the test ends.
//
// Tests against a real server catch what mocks cannot (Lua semantics, key
// expiry, blocking pops, a server that goes away mid-request), so the
// redisstore tests and the bench/redis benchmarks use this package, and
// applications can use it for their own integration tests.
//
// The redis-server binary is looked up in PATH (and /usr/bin, /usr/local/bin).
// When it is missing, Start fails the test: a skipped test would hide that
// nothing was tested.
package redistest
