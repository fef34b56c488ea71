// Package chiapp registers net/http handlers on chi behind the session
// manager's middleware: with Use on the router, in Route and Group
// callbacks, inline with With, per route, and on routers mounted in a
// served one; in each lock mode.
package chiapp

import (
	"database/sql"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"frameworks/pages"
	"sessionlib"
)

var (
	m  = &sessionlib.Manager{}
	db *sql.DB
)

// Held: the router's middleware locks every route, in its sub-routers,
// groups and mounted routers too.

func profile(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.Set("seen", true)
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func rates(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	resp, err := http.Get("http://127.0.0.1/rates") // want `net/http.Get blocks while the session lock is held`
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	resp.Body.Close()
	s.Set("rates", resp.Status)
}

func account(w http.ResponseWriter, r *http.Request) {
	var name string
	id := sessionlib.FromContext(r.Context()).Get("user")
	db.QueryRowContext(r.Context(), "select name from users where id = $1", id).Scan(&name) // want `\(\*database/sql.DB\).QueryRowContext blocks while the session lock is held`
	w.Write([]byte(name))
}

func slowAudit() { time.Sleep(time.Second) }

// Every call that blocks is reported, not only the first.
func twice(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context()).Get("user")
	slowAudit()                  // want `slowAudit blocks while the session lock is held \(slowAudit → time.Sleep\)`
	time.Sleep(time.Millisecond) // want `time.Sleep blocks while the session lock is held`
}

func logout(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.Clear()
	s.ReleaseLock()
	time.Sleep(time.Second) // released: other requests go on
	s.Set("flash", "bye")   // want `s.Set writes the session after its lock was released`
}

// home runs another handler: the call is reported, as is the callee's
// own blocking call where the callee is judged.
func home(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context()).Get("user")
	profile(w, r) // want `profile blocks while the session lock is held \(profile → time.Sleep\)`
}

// inPlace runs literals in place: what they block on is reported inside
// them, and at their call.
func inPlace(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	err := func() error {
		time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
		return nil
	}() // want `inPlace.func1 blocks while the session lock is held \(inPlace.func1 → time.Sleep\)`
	s.Set("ok", err == nil)
}

// page1 never touches the session, yet runs under the lock.
func page1(w http.ResponseWriter, r *http.Request) {
	time.Sleep(20 * time.Second) // want `time.Sleep blocks while the session lock is held`
	w.Write([]byte("*Yawn*"))
}

func nested(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func deeper(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func grouped(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func mounted(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func adminPage(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func adminRouter() http.Handler {
	r := chi.NewRouter()
	r.Get("/page", adminPage)
	return r
}

func held() http.Handler {
	r := chi.NewRouter()
	r.Use(m.Middleware)
	r.Get("/profile", profile)
	r.HandleFunc("/rates", rates)
	r.Handle("/account", http.HandlerFunc(account))
	r.Post("/twice", twice)
	r.Post("/logout", logout)
	r.Get("/page1", page1)
	r.Get("/home", home)
	r.Get("/in-place", inPlace)
	r.Get("/remote", pages.Chi) // want `handler pages.Chi blocks at pages/pages.go:29 while the session lock is held \(pages.Chi → time.Sleep\)`
	r.Method(http.MethodGet, "/lit", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-time.After(time.Second) // want `<-time.After blocks while the session lock is held`
	}))
	r.Route("/api", func(r chi.Router) {
		r.Get("/nested", nested)
		r.Route("/v1", func(r chi.Router) {
			r.Get("/deeper", deeper)
		})
	})
	r.Group(func(r chi.Router) {
		r.Get("/grouped", grouped)
	})
	sub := chi.NewRouter()
	sub.Get("/page", mounted)
	r.Mount("/sub", sub)
	r.Mount("/admin", adminRouter())
	return r
}

// Middleware given to part of a router that has none.

func groupPage(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func routePage(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func withPage(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func withVar(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func wrapped(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

// Read-only: never locked, so blocking is fine and a write is lost.

func roSlow(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context()).Get("user")
	time.Sleep(time.Second) // read-only: the lock is never held
}

func roWrite(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.Set("seen", true) // want `s.Set writes the session in a read-only handler`
}

func roGrouped(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	time.Sleep(time.Second) // read-only: the lock is never held
	s.Delete("cart")        // want `s.Delete writes the session in a read-only handler`
}

// Explicit: unlocked until the handler acquires.

func exSave(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.Set("early", 1) // want `s.Set writes the session before its lock is taken`
	s.AcquireLock(r.Context())
	s.Set("late", 2)
}

func exSlow(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	time.Sleep(time.Second) // explicit: not locked yet
	s.AcquireLock(r.Context())
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	s.Set("done", true)
}

// exForgot never acquires: served explicit, its write is lost.
func exForgot(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.Set("cart", nil) // want `s.Set writes the session before its lock is taken`
}

// Served without the session middleware: nothing runs under the lock.
// Each form below has its own router, with such a route beside the
// middleware's: the middleware of a group, a sub-router, an inline router
// or a route serves only that part.

func health(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // the group's middleware is not the router's
}

func status(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // the sub-router's middleware is not the router's
}

func version(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // With serves only the routes of the inline router it returns
}

func metrics(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Second) // the wrapped route's middleware is not the router's
}

func group() http.Handler {
	r := chi.NewRouter()
	r.Get("/health", health)
	r.Get("/remote-public", pages.Chi) // no session middleware on this router
	r.Group(func(r chi.Router) {
		r.Use(m.Middleware)
		r.Get("/group", groupPage)
	})
	return r
}

func route() http.Handler {
	r := chi.NewRouter()
	r.Get("/status", status)
	r.Route("/held", func(r chi.Router) {
		r.Use(m.Middleware)
		r.Get("/page", routePage)
	})
	return r
}

func with() http.Handler {
	r := chi.NewRouter()
	r.Get("/version", version)
	r.With(m.Middleware).Get("/with", withPage)
	locked := r.With(m.Middleware)
	locked.Post("/with-var", withVar)
	return r
}

func perRoute() http.Handler {
	r := chi.NewRouter()
	r.Get("/metrics", metrics)
	r.Handle("/wrapped", m.Middleware(http.HandlerFunc(wrapped)))
	return r
}

func readOnly() http.Handler {
	r := chi.NewRouter()
	r.With(m.ReadOnly).Get("/slow", roSlow)
	r.With(m.ReadOnly).Post("/write", roWrite)
	r.With(m.ReadOnly).Get("/remote", pages.Chi) // read-only: blocking is fine
	r.Group(func(r chi.Router) {
		r.Use(m.ReadOnly)
		r.Post("/grouped", roGrouped)
	})
	return r
}

func explicit() http.Handler {
	r := chi.NewRouter()
	r.Route("/ex", func(r chi.Router) {
		r.Use(m.Explicit)
		r.Post("/save", exSave)
		r.Post("/slow", exSlow)
		r.Post("/forgot", exForgot)
	})
	return r
}

func start() {
	mux := http.NewServeMux()
	mux.Handle("/", held())
	for p, h := range map[string]http.Handler{"/group/": group(), "/route/": route(), "/with/": with(), "/per-route/": perRoute(), "/ro/": readOnly(), "/ex/": explicit()} {
		mux.Handle(p, h)
	}
	http.ListenAndServe("127.0.0.1:8080", mux)
}
