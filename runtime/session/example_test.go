package session_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// get sends a GET for path to h carrying the cookies in jar, stores the
// cookies it sets, and returns the body.
func get(h http.Handler, jar map[string]*http.Cookie, path string) string {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for _, c := range jar {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	for _, c := range w.Result().Cookies() {
		jar[c.Name] = c
	}
	return w.Body.String()
}

func ExampleNewManager() {
	m := session.NewManager(nil, // nil: in-memory store
		session.WithCookieName("sid"),
		session.WithSecure(true), // behind a proxy that terminates TLS; by default Secure follows r.TLS
	)
	mux := http.NewServeMux()
	mux.HandleFunc("/visit", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("visits").(int)
		s.Set("visits", n+1)
		fmt.Fprintf(w, "visit %d", n+1)
	})
	h := m.Middleware(mux)

	jar := map[string]*http.Cookie{}
	fmt.Println(get(h, jar, "/visit"))
	fmt.Println(get(h, jar, "/visit"))
	// Output:
	// visit 1
	// visit 2
}

func ExampleManager_Middleware() {
	m := session.NewManager(nil)
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		if err := s.Regenerate(); err != nil { // a new ID on login defeats session fixation
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		s.Set("user", "ada")
	})
	mux.HandleFunc("/whoami", func(w http.ResponseWriter, r *http.Request) {
		user, _ := session.FromContext(r.Context()).Get("user").(string)
		fmt.Fprintf(w, "user=%q", user)
	})
	h := m.Middleware(mux) // every handler of mux runs holding its session's lock

	jar := map[string]*http.Cookie{}
	fmt.Println(get(h, jar, "/whoami"))
	get(h, jar, "/login")
	fmt.Println(get(h, jar, "/whoami"))
	// Output:
	// user=""
	// user="ada"
}

func ExampleSession_ReleaseLock() {
	m := session.NewManager(nil)
	slowReport := func() string { return "report ready" } // stands for seconds of work

	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		s.Set("last", "report") // make every change first...
		if err := s.ReleaseLock(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		// ...then the slow work runs without blocking the user's other
		// requests. Reads still work; s.Set here would panic.
		fmt.Fprintf(w, "%s (last=%v)", slowReport(), s.Get("last"))
	}))
	fmt.Println(get(h, map[string]*http.Cookie{}, "/"))
	// Output: report ready (last=report)
}

func ExampleManager_Explicit() {
	m := session.NewManager(nil)
	h := m.Explicit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		if r.URL.Query().Get("theme") == "" {
			fmt.Fprintf(w, "theme=%v", s.Get("theme")) // reads need no lock
			return
		}
		if err := s.AcquireLock(r.Context()); err != nil { // lock and reload before writing
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		s.Set("theme", r.URL.Query().Get("theme"))
		if err := s.ReleaseLock(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	jar := map[string]*http.Cookie{}
	get(h, jar, "/?theme=dark")
	fmt.Println(get(h, jar, "/"))
	// Output: theme=dark
}

func ExampleManager_ReadOnly() {
	m := session.NewManager(nil)
	mux := http.NewServeMux()
	mux.Handle("/set", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("unread", 3)
	})))
	// A polling endpoint: never waits for, nor delays, the user's other requests.
	mux.Handle("/poll", m.ReadOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "unread=%v", session.FromContext(r.Context()).Get("unread"))
	})))
	jar := map[string]*http.Cookie{}
	get(mux, jar, "/set")
	fmt.Println(get(mux, jar, "/poll"))
	// Output: unread=3
}

func ExampleManager_Stats() {
	m := session.NewManager(nil)
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("k", "v")
	}))
	jar := map[string]*http.Cookie{}
	get(h, jar, "/")
	get(h, jar, "/")
	st := m.Stats()
	fmt.Println(st.Acquisitions, st.Waits, st.Timeouts)
	// Output: 2 0 0
}

// An admin area keeps its own sessions, under its own cookie, inside the
// site's: each Manager's FromContext finds its own session.
func ExampleManager_FromContext() {
	site := session.NewManager(nil)
	admin := session.NewManager(nil, session.WithCookieName("admin"))
	mux := http.NewServeMux()
	mux.Handle("/admin/", admin.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		visits, _ := site.FromContext(r.Context()).Get("visits").(int)
		a := admin.FromContext(r.Context())
		a.Set("actions", len(r.URL.Path))
		fmt.Fprintf(w, "site visits %d, admin cookie set", visits)
	})))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s := site.FromContext(r.Context())
		n, _ := s.Get("visits").(int)
		s.Set("visits", n+1)
		fmt.Fprintf(w, "visit %d", n+1)
	})
	h := site.Middleware(mux)

	jar := map[string]*http.Cookie{}
	fmt.Println(get(h, jar, "/"))
	fmt.Println(get(h, jar, "/admin/users"))
	fmt.Println(len(jar), "cookies")
	// Output:
	// visit 1
	// site visits 1, admin cookie set
	// 2 cookies
}
