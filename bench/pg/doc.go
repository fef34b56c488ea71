// Package pgbench measures runtime/pgstore against the alternatives an app
// on PostgreSQL has, on one server that TestMain starts on loopback
// (pgtest): the hand-off latency of a contended session (NOTIFY wake-up
// against a 500 ms polling lock, and the floor of a bare NOTIFY → LISTEN
// round trip), and PostgreSQL's CPU per request against scs's
// postgresstore, which takes no lock.
//
// Run bench/pg/run.sh; see bench_test.go, handoff_test.go and
// meter_test.go for the method.
package pgbench
