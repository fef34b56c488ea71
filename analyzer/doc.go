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
//     any package, that reaches one before releasing the lock. There is one
//     finding per call site in the handler's own body, where the user reads
//     and fixes it: a handler with five such calls gets five findings. A
//     finding through a helper names the call trace, as in
//     "reports.Build → fetchRates → net/http.Get", with the calls on the
//     way as related positions.
//   - write-after-release: a session write reached on some path after the
//     lock was released, with no re-acquire in between.
//   - write-without-lock: a write where the lock was never taken: in an
//     explicit-mode handler before it acquires, or in a read-only handler.
//   - write-in-goroutine: a session write inside a goroutine started by a
//     handler (go func() { ... }(), go helper(s), or a time.AfterFunc
//     callback) that the handler does not join; it runs after the handler
//     returned and the lock is gone.
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
// v5 with pgxpool; go-redis v8 and v9 (every command); redigo; the
// MongoDB driver v1 and v2; and gRPC clients (unary calls and receives on
// a stream, as generated code makes them). The analyzer does not need
// those libraries to build. Also blocking are receives from time.After
// and time.Tick and from timers' and tickers' C channels (also in a for
// range); WaitGroup.Wait and Cond.Wait (but see below); functions marked
// //sessionlock:long; and functions named by -long.
//
// A call through an interface is long when its method is named by a
// model or -long entry or carries //sessionlock:long (on the method in the
// interface declaration), or when the implementations the analysis can see
// block: any one of them for an interface of the user's code (the call may
// run it), every one for a library's interface (io.Writer has many quick
// implementations). Visible are the named types of the package making the
// call, of the packages it imports directly, and of the interface's own
// package; for an interface of the user's code, only the user's types
// count (a library type that happens to have the method set is not an
// implementation). The trace goes through the implementation, as in
// "users.Service.Find → users.SQL.Find → (*database/sql.DB).QueryRow".
// A method of an interface of the user's code that takes a
// context.Context, with no implementation in sight, is presumed to do I/O
// (a store or a client that only main wires in), and is reported at the
// handler's call with that reason in the trace.
//
// Functions given as values are followed too. A helper that runs the
// function it is given (withRetry(op) calling op()) blocks at each call
// for what that call passes, a function named as a value or a literal:
// "withRetry → op → slowOp → time.Sleep". An adapter that returns a
// handler running the one it wraps (return func(w, r) { ... f(app, w, r)
// ... }) serves what is passed for f in its own mode, so those handlers
// are judged where they are written, and a literal the adapter runs in
// place blocks when one of them does.
//
// Many apps wire handlers to their services only in main: the handlers
// call a UserService interface whose implementation, in a package the
// handlers never import, queries the database. A method that takes a
// context.Context is reported at the handler's call, as above. For the
// others, the handlers' package records (as a package fact) the calls its
// handlers make under the lock through such an interface; the package
// that passes a concrete value where the interface is expected (a call
// argument such as handlers.New(users), a struct literal field, an
// assignment) resolves them there and reports the whole trace at that
// place, as in "Handler.Profile → UserService.Find → store.Users.Find →
// (*database/sql.DB).QueryRow". Only calls made in the handler itself are
// recorded (not in its helpers).
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
// An app can say, in a handler's doc comment, how a package it cannot see
// serves the handler:
//
//	//sessionlock:served readonly   served by ReadOnly elsewhere (also explicit or held)
//
// The handler is then judged in that mode where it is declared.
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
// The lock mode of a function is decided from the serving side where the
// package shows it: how its route is served, whatever the handler itself
// calls; where it does not, from the handler itself (below). The analyzer
// follows handler values to the serve wrappers, within a package and
// across packages through facts:
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
//     (r.Use(m.Middleware), e.Use(echo.WrapMiddleware(m.Middleware)),
//     r.Use(ginsession.Middleware(m))), also when the app hides the
//     manager behind its own type or interface (a method that passes its
//     argument to a wrapper is a wrapper itself), or in its own gin
//     adapter (a function returning middleware that runs c.Next() inside a
//     wrapper). What it serves follows the method, as routers share these
//     shapes: Use serves every route of the router and of its groups;
//     Group, With and Route serve the router they return
//     (g := e.Group("/g", w), r.With(w).Get(p, h)); given with a route's
//     handlers (e.GET(p, h, w), r.GET(p, w, h)), that route;
//   - routers that move: returned by a call and passed on
//     (NewRouter(e.Group(""))), stored in a struct field
//     (&Router{Group: g}), given to interface methods whose
//     implementations are in sight (for _, h := range endpoints {
//     h.RegisterRoutes(r) }), served through their ServeHTTP method value
//     (mid.Use(router.ServeHTTP, ...)), and chains of middleware built from
//     a wrapper (alice.New(m.Middleware, auth).ThenFunc(h)).
//
// A handler runs in each mode it is served in: held (implicit: the lock is
// held from entry), explicit (unlocked until it acquires) or read-only
// (never locked). A handler served read-only or explicit is never judged
// as held.
//
// A function is judged as a handler in the package that declares it,
// exported or not, called by other code or not, when it obtains the
// session (calls a source function, or a helper that does) and takes what
// a handler takes: a response writer, a request (w, r; app, w, r; a helper
// given the request runs within some handler's request), or a framework
// context that carries the request (echo.Context, *gin.Context, an app's
// context type embedding one) with no result but an error. Unless the
// package serves it in another mode, it runs in the runtime's default
// mode, held, or explicit when it acquires the lock before anything else,
// or as its //sessionlock:served directive says. A call from one handler
// to another is a call site of the caller like any other: the callee's
// blocking calls are reported in the callee, and the call in the caller.
//
// A handler that never touches the session, declared in one package and
// served from another (the seed article's page1), can only be judged where
// it is served: its facts list each blocking call it makes, and the
// serving package reports one finding per call at the registration,
// naming where the call is, as in "handler pages.Report blocks at
// pages/report.go:14 while the session lock is held (pages.Report →
// time.Sleep)". The same holds for the handlers exported factories return
// and those exported functions register on a router they are given
// (Register(mux)). A handler judged where it is declared is not reported
// again at its registration.
//
// Literals a handler runs in place (func() error {...}(), a deferred
// literal, a local closure called by name) are checked as part of it:
// their blocking calls are reported inside them, and the call of the
// literal where the handler makes it.
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
// Calls through function values stored in variables, fields, slices or
// maps are not followed as calls (their targets still count as handlers
// when they are served), nor are those of a parameter that only a literal
// is passed for, outside a helper's call. Calls through interfaces are followed only as What blocks says
// (when in doubt, mark the interface method //sessionlock:long, or name it
// with -long), and, to find a wrapper behind an app's Session type, among
// the types of the package and of the packages it imports; a library that
// calls back into the app's types through its own interfaces (an auth
// library calling the app's user store) is not followed. Value flow is
// flow-insensitive: a variable or field holds everything ever stored in
// it, so a mux registered on in one mode and served in another is judged
// in both, and a helper that composes handlers (chain(h, mws...)) holds
// every handler given to it. Route-table fields are told apart by the
// literals they come from only when the table is a literal in sight. A
// handler that never touches the session and that no analysed package
// serves, or that is registered through reflection or a router of another
// package the analyzer cannot see into, is not judged. Facts keep, for a
// trace that enters another package, only that package's first call and
// the blocking call or write at the end.
package analyzer
