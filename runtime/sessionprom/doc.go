// Package sessionprom exports the session locks of a session.Manager as
// Prometheus metrics. A Collector is both the Manager's session.Observer
// and a prometheus.Collector:
//
//	c := sessionprom.New()
//	prometheus.MustRegister(c)
//	m := session.NewManager(store, session.WithObserver(c))
//
// The metrics, all labelled by route (the ServeMux pattern, never a raw
// path; "unmatched" for requests that matched no pattern):
//
//	sessionlock_lock_wait_seconds           histogram: time waited for the session lock (0 when free)
//	sessionlock_lock_hold_seconds           histogram: time the session lock was held
//	sessionlock_lock_timeouts_total         requests that gave up waiting (answered 503)
//	sessionlock_lock_lost_total             releases that found the lease lost; nothing was saved
//	sessionlock_store_errors_total          failed store calls
//	sessionlock_sessions_created_total      new sessions saved
//	sessionlock_sessions_regenerated_total  Regenerate calls
//
// It lives in its own module, as the Redis store does, so that the session
// package itself depends on nothing outside the standard library.
package sessionprom
