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
//     may be held (see What blocks), directly or through any function, in
//     any package, that reaches one before releasing the lock. A finding
//     through a helper names the call trace, as in
//     "reports.Build → fetchRates → net/http.Get", with the calls on the
//     way as related positions.
//   - write-after-release: a session write reached on some path after the
//     lock was released, with no re-acquire in between.
//   - write-without-lock: a write where the lock was never taken: in an
//     explicit-mode handler before it acquires, or in a read-only handler.
//   - write-in-goroutine: a session write inside a goroutine started by a
//     handler (go func() { ... }() or go helper(s)); it runs after the
//     handler returned and the lock is gone.
//
// # What blocks
//
// The analyzer ships models of the calls that make a round trip, kept as
// data in models.txt (in the syntax of -long, one line per API): in the
// standard library time.Sleep, the net/http client (Get, Head, Post,
// PostForm, Client's methods, Transport and RoundTripper's RoundTrip),
// net/smtp, net's Dial and Lookup functions, database/sql's queries, execs,
// pings, prepares, begins, commits and rollbacks, and os/exec's Run,
// Output, CombinedOutput and Wait; gorm (gorm.io/gorm and
// github.com/jinzhu/gorm: the finishers First, Find, Take, Last, Create,
// Save, Update(s), Delete, Count, Pluck, Scan, Row(s), Exec, Transaction
// and the transaction calls, not builders such as Where); sqlx; pgx v4 and
// v5 with pgxpool; go-redis v8 and v9 (every command); redigo; and the
// MongoDB driver v1 and v2. The analyzer does not need those libraries to
// build. Also blocking are receives from time.After and time.Tick;
// WaitGroup.Wait and Cond.Wait (but see below); functions marked
// //sessionlock:long; and functions named by -long.
//
// A call through an interface is long when its method is named by a
// model or -long entry or carries //sessionlock:long (on the method in the
// interface declaration), or when every implementation the analysis can
// see blocks. Visible are the named types of the package making the call,
// of the packages it imports directly, and of the interface's own package;
// for an interface of the user's code, only the user's types count (a
// library type that happens to have the method set is not an
// implementation). The trace goes through the implementation, as in
// "users.Service.Find → users.SQL.Find → (*database/sql.DB).QueryRow".
//
// Many apps wire handlers to their services only in main: the handlers
// call a UserService interface whose implementation, in a package the
// handlers never import, queries the database. The handlers' package
// records (as a package fact) the calls its handlers make under the lock
// through such an interface; the package that passes a concrete value
// where the interface is expected (a call argument such as
// handlers.New(users), a struct literal field, an assignment) resolves
// them there and reports the whole trace at that place, as in
// "Handler.Profile → UserService.Find → store.Users.Find →
// (*database/sql.DB).QueryRow". Only calls made in the handler itself are
// recorded (not in its helpers), and an exported handler registered by
// another package is taken to run with the lock held.
//
// A receive from a context's Done channel, as in <-r.Context().Done(),
// waits for the client to leave (an SSE stream, a long poll, a
// websocket): it is a long call, alone or in a select whose other cases
// are channels of unknown kind. A select that also waits on a timer is
// reported once, at the timer's case; a select with a default case does
// not wait.
//
// CPU work is not long. A WaitGroup or Cond wait inside a dependency (the
// standard library, or a module required at a version) that does no I/O,
// as argon2's parallel hashing, does not count; waits in the user's own
// code, and in a dependency that also does I/O, do. When a function both
// waits and does I/O, its trace shows the I/O.
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
// statement stands in a statement list and nothing after it, on any path
// and in deferred calls, may change the session: no write, release or
// acquire, and no call the analyzer cannot see into, which may hide one:
// next.ServeHTTP(w, r) and other calls through http.Handler, calls of
// function values, calls through an interface of the user's code without
// a visible implementation (or with one that writes), and a library's
// handler-shaped functions such as a router's ServeHTTP. A middleware that
// released before calling the next handler would break every handler that
// writes, so it gets no fix. Only the first long call on a path gets the
// fix: applying them all releases once per path.
//
// A release that returns an error is checked, so that the fix adds no
// errcheck finding and no save failure goes unnoticed: in a function that
// returns nothing and has a ResponseWriter w, the fix answers 500 and
// returns; in one that returns only an error, it returns the error;
// elsewhere no fix is offered. In a handler that never names the session,
// the fix obtains it from the request through the source function of an
// imported package:
//
//	if err := session.FromContext(r.Context()).ReleaseLock(); err != nil {
//		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
//		return
//	}
//
// # Flags
//
// -long adds functions that block, comma-separated and repeatable:
// pkg/path.Func, (*pkg/path.T).Method or (pkg/path.T).Method, and
// (pkg/path.Interface).Method for calls through an interface. A name
// ending in * matches every name with that prefix: example.com/app/store.*
// is every function and method of the package (its interfaces' methods
// included), (*example.com/app.DB).* every method of DB. The
// golangci-lint plugin's long setting takes the same entries.
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
// handler itself; a select with a default case does not wait. Calls of
// function values are not followed; calls through interfaces only as
// described in What blocks (when in doubt, mark the interface method
// //sessionlock:long, or name it with -long). Nor are
// handlers passed through variables of interface type or registered in
// another function than the one that wraps the mux. A handler declared in
// one package and served read-only from another is still checked in implicit
// mode where it is declared, if it obtains the session itself. Registration
// modes are known only within the package that registers.
package analyzer
