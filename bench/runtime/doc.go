// Package bench measures the per-request cost of the session middleware
// against github.com/alexedwards/scs/v2 (memory store) and a bare handler,
// all running the same work: read one session key, write one, answer "ok".
// The sessionlock+prometheus stack is the same behind a ServeMux, with a
// runtime/sessionprom collector observing every lock wait and hold. Run
// run.sh for medians.
package bench
