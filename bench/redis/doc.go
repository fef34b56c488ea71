// Package redisbench measures the per-request cost of the session
// middleware backed by Redis: sessionlock's Manager with runtime/redisstore
// (which locks every session across processes) against
// github.com/alexedwards/scs/v2 with its redisstore (redigo pool, no lock),
// both on the same redis-server that TestMain starts on loopback.
//
// Run bench/redis/run.sh; see bench_test.go for the method.
package redisbench
