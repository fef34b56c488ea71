// Package pgtest runs a throwaway PostgreSQL server on loopback for tests
// and benchmarks, the way net/http/httptest runs an HTTP server: initdb
// into a private temporary directory, pg_ctl start on a free 127.0.0.1
// port, trust authentication for the postgres user, removed at the end.
//
// Tests against a real server catch what mocks cannot (ON CONFLICT under
// concurrency, LISTEN/NOTIFY delivery, a server restarted or a backend
// killed mid-request), so the pgstore tests and the bench/pg benchmarks
// use this package.
//
// The server binaries are looked up in /usr/lib/postgresql/<version>/bin
// (Debian's postgresql package), newest first, then in PATH. initdb refuses
// to run as root, so when the caller is root the server runs as the
// postgres user the package creates, in a directory owned by it. When the
// binaries are missing, Start fails the test: a skipped test would hide
// that nothing was tested.
package pgtest
