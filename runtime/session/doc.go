// Package session is net/http session middleware with a per-session lock:
// requests of one session that could change it run one at a time, so no
// change is ever lost or silently overwritten, and a handler can release the
// lock early so that slow work does not stall the user's other tabs.
//
// Usage:
//
//	m := session.NewManager(nil) // nil: in-memory store; or session.NewFileStore(dir)
//	mux := http.NewServeMux()
//	mux.HandleFunc("/cart/add", func(w http.ResponseWriter, r *http.Request) {
//		s := session.FromContext(r.Context())
//		n, _ := s.Get("items").(int)
//		s.Set("items", n+1)
//	})
//	http.ListenAndServe(addr, m.Middleware(mux))
//
// # Three modes
//
// Middleware (implicit locking) locks the session before the handler runs
// and saves and unlocks it after the handler returns, as CherryPy and PHP
// do. It is always safe, and it serialises a user's requests: a handler that
// sleeps, calls a slow API or renders a big report keeps every other request
// of that user waiting. Such a handler calls ReleaseLock before its slow
// work: the changes so far are saved, the lock is released, reads keep
// working on the saved snapshot, and a later write panics (it would be lost)
// unless AcquireLock re-locks and reloads first.
//
// Explicit loads the session without locking it; the handler calls
// AcquireLock before writing and ReleaseLock after (or returns). Use it for
// routes that write seldom.
//
// ReadOnly serves a snapshot that is never locked and never saved; writes
// panic. Use it for routes that only read the session.
//
// # Stores
//
// A Store keeps records and owns their locks: MemoryStore (the default, one
// process), FileStore (a directory, locks across processes with flock), or
// any other implementation, such as a Redis store locking across machines.
// Package storetest checks a Store implementation.
//
// # Who holds the lock
//
// A request that waits for its session's lock longer than WithSlowWait, or
// times out, is logged with the route of the request holding the lock and
// for how long it has held it; a store that implements HolderStore (the
// Redis store) lets a waiter name a holder on another server. Stats,
// RouteStats and Expvar give the figures; WithObserver sends every lock
// wait, hold and event to an Observer, such as the Prometheus collector of
// the runtime/sessionprom module; DebugHandler serves a live page of the
// locks held now, their waiters and per-route charts. Sessions appear
// there and in logs only as a short keyed hash, never by ID.
//
// # Analyzer directives
//
// The functions of this package carry directive comments that the
// sessionlock analyzer reads to learn the API, so that it hard-codes no
// import path and other session libraries can opt in by writing the same
// lines in their doc comments:
//
//	//sessionlock:source            returns the request's session (FromContext)
//	//sessionlock:acquire           takes the session lock (Session.AcquireLock)
//	//sessionlock:release           releases it (Session.ReleaseLock)
//	//sessionlock:write             changes the session (Set, Delete, Clear, Regenerate)
//	//sessionlock:serve held        wraps a handler that runs holding the lock (Manager.Middleware)
//	//sessionlock:serve explicit    wraps one that locks on demand (Manager.Explicit)
//	//sessionlock:serve readonly    wraps one that never locks (Manager.ReadOnly)
//
// # Security
//
// Session IDs have 192 bits from crypto/rand. In strict mode (the default)
// an ID the store does not know, or an expired one, is replaced by a fresh
// one, so a planted ID is never adopted; call Regenerate on login. A new
// session's ID is locked in the store before its cookie is sent, so the
// browser's next request waits for the issuing one to save. Among several
// cookies of the session's name, the first naming a live session wins.
//
// The cookie is HttpOnly and SameSite=Lax; Secure follows the request (set
// over TLS) unless WithSecure forces it; WithPersistentCookie(false) makes it
// a browser-session cookie. A response that sets or expires it is marked
// Cache-Control: no-store, and one whose handler used the session varies on
// Cookie. Sessions end after an idle timeout (refreshed by requests on every
// route) and an absolute timeout. A session that never stores anything gets
// no cookie and no record.
//
// A stored value of a type this program has not registered with gob fails
// the request with a DecodeError and leaves the record as it is, so a
// rolling deploy never costs users their sessions.
package session
