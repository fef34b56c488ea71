// Package bench measures the per-request cost of the session middleware
// against github.com/alexedwards/scs/v2 (memory store) and a bare handler,
// all running the same work: read one session key, write one, answer "ok".
// Run run.sh for medians.
package bench
