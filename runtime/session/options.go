package session

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// An Option configures a Manager; pass options to NewManager.
type Option func(*config)

type config struct {
	cookieName  string
	secure      secureMode
	persistent  bool
	sameSite    http.SameSite
	path        string
	domain      string
	idle        time.Duration
	absolute    time.Duration
	lockWait    time.Duration
	longHold    time.Duration
	logger      *slog.Logger
	strict      bool
	errorHandle func(http.ResponseWriter, *http.Request, error)
	slowWait    time.Duration // see WithSlowWait (observe.go)
	observer    Observer
}

// Defaults, chosen for a typical web app: sessions survive a working day,
// a user idle for two hours logs in again, and a request waits at most ten
// seconds for its session before giving up with 503.
const (
	DefaultCookieName      = "session"
	DefaultIdleTimeout     = 2 * time.Hour
	DefaultAbsoluteTimeout = 24 * time.Hour
	DefaultLockWait        = 10 * time.Second
	DefaultLongHold        = time.Second
	DefaultSlowWait        = time.Second
)

func defaultConfig() config {
	return config{
		cookieName: DefaultCookieName,
		sameSite:   http.SameSiteLaxMode,
		path:       "/",
		idle:       DefaultIdleTimeout,
		absolute:   DefaultAbsoluteTimeout,
		lockWait:   DefaultLockWait,
		longHold:   DefaultLongHold,
		slowWait:   DefaultSlowWait,
		strict:     true,
		persistent: true,
	}
}

// secureMode says when the cookie gets the Secure attribute.
type secureMode uint8

const (
	secureAsRequest secureMode = iota // when the request came over TLS
	secureAlways
	secureNever
)

// WithCookieName sets the name of the session cookie (default "session").
func WithCookieName(name string) Option {
	if name == "" || !validCookieName(name) {
		panic(fmt.Sprintf("session: WithCookieName(%q): a cookie name must be a non-empty HTTP token (letters, digits and !#$%%&'*+-.^_`|~)", name))
	}
	return func(c *config) { c.cookieName = name }
}

func validCookieName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || c == '=' || c == ';' || c == ',' || c == '"' || c == '\\' || c == '(' || c == ')' || c == '/' || c == ':' || c == '<' || c == '>' || c == '?' || c == '@' || c == '[' || c == ']' || c == '{' || c == '}' {
			return false
		}
	}
	return true
}

// WithSecure forces the cookie's Secure attribute on or off. By default
// it follows the request: set when the request came over TLS (r.TLS is
// non-nil), so HTTPS sites get it and plain-HTTP development on localhost
// works. Behind a proxy or load balancer that terminates TLS, requests reach
// the app in clear text: pass WithSecure(true) there.
func WithSecure(secure bool) Option {
	mode := secureNever
	if secure {
		mode = secureAlways
	}
	return func(c *config) { c.secure = mode }
}

// WithPersistentCookie sets whether the cookie outlives the browser
// (default true: it carries Expires and Max-Age, the session's absolute
// timeout). With false it is a browser-session cookie, dropped when the
// browser closes, as on shared computers; the session itself still ends at
// its idle and absolute timeouts.
func WithPersistentCookie(persistent bool) Option {
	return func(c *config) { c.persistent = persistent }
}

// WithSameSite sets the cookie's SameSite attribute (default
// http.SameSiteLaxMode).
func WithSameSite(mode http.SameSite) Option { return func(c *config) { c.sameSite = mode } }

// WithCookiePath sets the cookie's Path attribute (default "/").
func WithCookiePath(path string) Option { return func(c *config) { c.path = path } }

// WithCookieDomain sets the cookie's Domain attribute (default none: the
// cookie goes back only to the host that set it).
func WithCookieDomain(domain string) Option { return func(c *config) { c.domain = domain } }

// WithIdleTimeout ends a session that saw no request for d (default 2h;
// 0 disables the idle timeout). Requests on every route count, Explicit and
// ReadOnly ones included. To spare a store write on every request, the
// last-access time is refreshed only once more than a quarter of d has
// passed, so a session may end up to d/4 earlier than d after its last use;
// requests that do not hold the lock refresh it in the background, skipping
// the refresh when another request holds the lock (that one refreshes it).
func WithIdleTimeout(d time.Duration) Option {
	if d < 0 {
		panic(fmt.Sprintf("session: WithIdleTimeout(%v): use a positive duration, or 0 to disable the idle timeout", d))
	}
	return func(c *config) { c.idle = d }
}

// WithAbsoluteTimeout ends every session d after it was created, however
// active (default 24h). It must be positive: a session that never ends is a
// stolen cookie that never stops working.
func WithAbsoluteTimeout(d time.Duration) Option {
	if d <= 0 {
		panic(fmt.Sprintf("session: WithAbsoluteTimeout(%v): the absolute timeout must be positive", d))
	}
	return func(c *config) { c.absolute = d }
}

// WithLockWait bounds how long a request waits for its session's lock
// (default 10s). On timeout the handler is not run and the client gets 503
// with Retry-After; AcquireLock returns an error wrapping ErrLockTimeout.
func WithLockWait(d time.Duration) Option {
	if d <= 0 {
		panic(fmt.Sprintf("session: WithLockWait(%v): the lock wait must be positive", d))
	}
	return func(c *config) { c.lockWait = d }
}

// WithLongHold sets the hold time above which a request is logged as
// holding its session lock too long (default 1s), naming its route. It is
// the run-time twin of the analyzer's long-call check: such a handler
// should call ReleaseLock before its slow work.
func WithLongHold(threshold time.Duration) Option {
	if threshold <= 0 {
		panic(fmt.Sprintf("session: WithLongHold(%v): the threshold must be positive", threshold))
	}
	return func(c *config) { c.longHold = threshold }
}

// WithLogger sets the logger for long holds, corrupted records and failed
// saves (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithStrict sets strict mode (default on): a session ID the store does not
// know, or one that expired, is never adopted; the request gets a fresh ID.
// Turning it off lets a client choose its session ID, which enables session
// fixation; it exists only for migrations from stores that did so.
func WithStrict(strict bool) Option { return func(c *config) { c.strict = strict } }

// WithErrorHandler sets the handler that answers a request whose session
// could not be loaded or saved (a store outage, a lost lock, a value gob
// cannot encode). The default logs the error and answers 503 with
// Retry-After for errors wrapping ErrStoreUnavailable, 500 for the rest.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(c *config) { c.errorHandle = h }
}
