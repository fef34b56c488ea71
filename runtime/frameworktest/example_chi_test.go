package frameworktest

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/servetest"
)

// chi takes the Manager's wrappers as they are: r.Use on a group whose
// routes hold the lock, r.With for a route that only reads.
func Example_chi() {
	m := session.NewManager(nil)
	r := chi.NewRouter()
	r.Group(func(r chi.Router) {
		r.Use(m.Middleware)
		r.Get("/visit", func(w http.ResponseWriter, r *http.Request) {
			s := session.FromContext(r.Context())
			n, _ := s.Get("visits").(int)
			s.Set("visits", n+1)
			fmt.Fprintf(w, "visit %d", n+1)
		})
	})
	r.With(m.ReadOnly).Get("/visits", func(w http.ResponseWriter, r *http.Request) {
		n, _ := session.FromContext(r.Context()).Get("visits").(int)
		fmt.Fprintf(w, "%d visits", n)
	})

	b := servetest.NewBrowser(r)
	fmt.Println(b.Get("/visit").Body)
	fmt.Println(b.Get("/visit").Body)
	fmt.Println(b.Get("/visits").Body)
	// Output:
	// visit 1
	// visit 2
	// 2 visits
}
