// Package crosspkg calls helpers of another package: findings come from
// their facts, with the call trace.
package crosspkg

import (
	"net/http"
	"time"

	"reports"
	"sessionlib"
)

func report(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	reports.Build() // want `reports.Build blocks while the session lock is held \(reports.Build → fetchRates → net/http.Get\): other requests of this session wait \(release it with s.ReleaseLock\(\) first\)`
	reports.Finish(s)
	reports.Build()          // released by the helper: fine
	reports.Remember(s, "x") // want `reports.Remember writes the session \(reports.Remember → s.Set\) after its lock was released`
}

func pure(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.ReleaseLock()
	_ = reports.Pure(s) // no write: fine
	reports.Reopen(s)
	s.Set("k", 1) // re-acquired through the helper: fine
	time.Sleep(0) // want `time.Sleep blocks while the session lock is held`
}

func maybe(w http.ResponseWriter, r *http.Request, ok bool) {
	s := sessionlib.FromContext(r.Context())
	reports.MaybeFinish(s, ok)
	time.Sleep(0) // want `time.Sleep blocks while the session lock is held`
	s.Set("k", 1) // want `s.Set writes the session after its lock was released`
}

func recursion(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context())
	reports.Ping(1) // want `reports.Ping blocks while the session lock is held \(reports.Ping → Pong → time.Sleep\): other requests of this session wait \(release the session lock before the call, or serve the handler read-only if it does not write the session\)`
}
