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
//     time.Tick; the net/http client (Get, Head, Post, PostForm and the same
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
//     handler (go func() { ... }() or go helper(s)); it runs after the
//     handler returned and the lock is gone.
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
// every function that blocks, writes, releases or acquires, so helpers in
// packages that never import the session library are followed too.
//
// # Modes
//
// A function that obtains the session (calls a source function) is a
// handler. It runs with the lock held from entry (implicit mode), unless it
// is registered through an explicit or read-only wrapper in the same
// package, or an acquire is reachable from its entry before any release,
// in which case it runs unlocked until it acquires (explicit mode).
//
// A handler served behind a wrapper runs in the wrapper's mode even if it
// never touches the session, as in the classic example of a page that
// sleeps while its request holds the lock. Recognised registrations are
// W(h) for a function, method value, function literal, http.HandlerFunc(f)
// conversion or value with a ServeHTTP method; W(mux) with handlers passed
// to the methods of mux (HandleFunc, Handle); and r.Use(W) with handlers
// passed to the methods of router r. A handler declared in another package
// is judged at its registration from its facts; a handler that obtains the
// session itself is checked where it is declared and not again where it is
// registered.
//
// All session values in a function are the request's one session: a second
// call to the source after a release does not lock again. A function that
// only receives a session is judged where it is called; inside it, only a
// write after its own release is reported. A function that is neither a
// handler nor releases the lock reports nothing.
//
// The lock state is a may-analysis over the control-flow graph: a finding
// needs one path on which the lock is held (or released, or never taken).
// defer s.ReleaseLock() releases at return, so the body still holds the
// lock. Calls in a go statement do not block the handler. Function literals
// are functions in their own right.
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
// Deferred calls are not followed (a deferred write or sleep runs at
// return, unseen), and a literal run by a go or defer statement is never a
// handler itself; a select with a default case does not wait. Calls
// through interfaces and function values are not followed, nor are
// handlers passed through variables of interface type or registered in
// another function than the one that wraps the mux. A handler declared in
// one package and served read-only from another is still checked in implicit
// mode where it is declared, if it obtains the session itself. Registration
// modes are known only within the package that registers.
package analyzer
