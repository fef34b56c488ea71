// Package analyzer defines an Analyzer that checks how web handlers use a
// per-session lock: blocking calls made while the lock is held, and session
// writes made when the lock is not held.
//
// # Analyzer sessionlock
//
// sessionlock: report long calls under a session lock and session writes after its release
//
// Session middleware that locks each session for the whole request keeps a
// user's concurrent requests from overwriting each other's changes, but a
// handler that sleeps, queries a database or calls another service while
// holding the lock makes every other request of the same session wait
// behind it. Releasing the lock early fixes that, and is itself a trap: a
// write after the release is not saved.
//
// The analyzer reports, with these diagnostic categories:
//
//   - long-call-under-lock: a blocking call reached while the session lock
//     may be held. Blocking are time.Sleep; receives from time.After and
//     time.Tick and from timers' and tickers' C channels; the net/http client (Get, Head, Post, PostForm and the same
//     methods of *Client, plus Do); Query, QueryRow, Exec, Ping, Begin and
//     Commit (and their Context variants) of database/sql's DB, Conn, Tx and
//     Stmt; os/exec's Run, Output, CombinedOutput and Wait; net's Dial and
//     Lookup functions and the Dialer and Resolver methods; WaitGroup.Wait
//     and Cond.Wait; functions marked //sessionlock:long; functions named by
//     the -long flag; and any function, in any package, that reaches one of
//     these before releasing the lock. A finding through a helper names the
//     call trace, as in "reports.Build → fetchRates → net/http.Get", with the
//     calls on the way as related positions.
//   - write-after-release: a session write reached on some path after the
//     lock was released, with no re-acquire in between.
//   - write-without-lock: a write where the lock was never taken: in an
//     explicit-mode handler before it acquires, or in a read-only handler.
//   - write-in-goroutine: a session write inside a goroutine started by a
//     handler (go func() { ... }(), go helper(s), or a time.AfterFunc
//     callback) that the handler does not join; it runs after the handler
//     returned and the lock is gone.
//
// # Directives
//
// The analyzer knows no session library by name. A library opts in by
// writing directives in the doc comments of its API, with no space after
// the slashes:
//
//	//sessionlock:source            returns the request's session (FromContext)
//	//sessionlock:acquire           takes the lock (AcquireLock)
//	//sessionlock:release           saves and releases the lock (ReleaseLock)
//	//sessionlock:write             changes the session (Set, Delete, Clear, Regenerate)
//	//sessionlock:serve held        wraps a handler, lock held for its whole run (Middleware)
//	//sessionlock:serve explicit    wraps a handler that acquires the lock itself (Explicit)
//	//sessionlock:serve readonly    wraps a handler that never locks (ReadOnly)
//	//sessionlock:long              the function blocks (usable in any package)
//
// The directives travel to importing packages as facts, as do summaries of
// every function that blocks, writes, releases, acquires or obtains the
// session, so helpers in packages that never import the session library
// are followed too; so do wrappers an app derives from these (a method
// that passes its handler to Middleware), the handlers exported factories
// return and those exported functions register on a router they are given.
//
// # Modes
//
// The lock mode of a function is decided from the serving side: how its
// route is served, whatever the handler itself calls. The analyzer follows
// handler values to the serve wrappers, within a package and across
// packages through facts:
//
//   - functions, method values, function literals, conversions such as
//     http.HandlerFunc(f), and values with a ServeHTTP method;
//   - factories: s.handleX() returning a literal, and adapters that take
//     the handler with the app's own signature (Web(a, viewLogin), where
//     the literal Web returns calls viewLogin); code in a factory outside
//     the returned handler runs at setup and is never a handler;
//   - variables, struct fields, slices and maps: route tables registered
//     in a loop (for _, rt := range routes { mux.HandleFunc(rt.p, rt.h) }),
//     method values and locals;
//   - composition: W(requireLogin(logging(mux))), h = W(h), chains built in
//     a loop over middlewares, adapters of type func(http.Handler)
//     http.Handler or func(http.HandlerFunc) http.HandlerFunc (what they
//     return is served, and what it calls through next is too);
//   - routers: everything registered on a mux or router that is served,
//     on its sub-routers (g := r.Group(...), r.Route(p, func(r Router)
//     {...})), through the functions it is passed to (addRoutes(mux)), and
//     on muxes mounted in it (mux.Handle(p, http.StripPrefix(p, api)));
//   - the wrapper passed as a value to a router that applies it
//     (r.Use(m.Middleware), e.Use(echo.WrapMiddleware(m.Middleware))):
//     every route of that router is served that way, also when the app
//     hides the manager behind its own type or interface (a method that
//     passes its argument to a wrapper is a wrapper itself).
//
// A handler runs in each mode it is served in: held (implicit: the lock is
// held from entry), explicit (unlocked until it acquires) or read-only
// (never locked). A handler served read-only or explicit is never judged
// as held.
//
// A handler declared in one package and served from another is judged
// where it is served: its facts describe it (the first blocking call and
// the first write it reaches from entry), as do the facts of exported
// factories (the handlers they return) and of exported functions that
// register handlers on a router they are given (Register(mux)). The
// finding is reported at the registration, with the trace into the
// handler, as in "handler returned by api.Index blocks while the session
// lock is held (api.Index → Index.func1 → time.Sleep)".
//
// A function that obtains the session (calls a source function, or a
// helper that does) but that nothing in sight serves is checked as a
// handler only if it takes a response writer (or a request after another
// parameter), is not exported, and no code of its package calls it: its
// registration is out of sight, and it runs held, or explicit when it
// acquires the lock before anything else. A helper such as currentUser(r)
// is never a handler: its callers are judged, with the helper in the
// trace. A call from one handler to another that is itself checked in
// held mode does not repeat the callee's blocking calls.
//
// All session values in a function are the request's one session: a second
// call to the source after a release does not lock again. A function that
// only receives a session is judged where it is called; inside it, only a
// write after its own release is reported. A function that is neither a
// handler nor releases the lock reports nothing.
//
// The lock state is a may-analysis over the control-flow graph: a finding
// needs one path on which the lock is held (or released, or never taken).
// Deferred calls run at the function's exits, last deferred first: a
// deferred blocking call under the lock is a long call, a deferred write
// after a release is a write after release, and defer s.ReleaseLock()
// releases at return only. A local closure called by name, or a literal
// called in place, acts where it is called (release := func() {
// s.ReleaseLock() }; release()). Calls in a go statement do not block the
// handler; a goroutine the handler joins afterwards (wg.Wait()) writes
// under its lock. Receives from time.After and time.Tick, from the C field
// of a *time.Timer or *time.Ticker, and for-range loops over them wait; a
// select with a default case does not. Function summaries are computed
// bottom-up over the package's call graph, recursive cycles until they are
// stable.
//
// # Fixes
//
// A long-call finding carries a suggested fix that inserts s.ReleaseLock()
// (s being a session variable in scope) before the statement, when the
// statement stands in a statement list and no write, release or acquire
// can follow on any path, including deferred calls. In a handler that
// never names the session, the fix obtains it from the request through the
// source function of an imported package, as in
// session.FromContext(r.Context()).ReleaseLock().
//
// # Flags
//
// -long adds functions that block, comma-separated and repeatable:
// pkg/path.Func, (*pkg/path.T).Method or (pkg/path.T).Method.
//
// # Suppression
//
// A //sessionlock:ignore comment followed by a reason suppresses the
// findings on its line, or, written alone on a line, those on the next line.
//
// # Limits
//
// Calls through interface methods and through function values stored in
// fields, slices or maps are not followed as calls (their targets still
// count as handlers when they are served); interfaces are looked through
// only to find a wrapper behind an app's Session type, among the types of
// the package and of the packages it imports. Value flow is
// flow-insensitive: a variable or field holds everything ever stored in
// it, so a mux registered on in one mode and served in another is judged
// in both. Route-table fields are told apart by the literals they come
// from only when the table is a literal in sight. An exported handler that
// no analysed package serves, or that is registered through reflection or
// a router of another package the analyzer cannot see into, is not
// judged. Facts keep, for a trace that enters another package, only that
// package's first call and the blocking call or write at the end.
package analyzer
