//go:build unix

package session_test

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/sessionlock/sessionlock/runtime/session"
)

func ExampleNewFileStore() {
	dir, err := os.MkdirTemp("", "sessions")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store, err := session.NewFileStore(dir) // several processes may share dir
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	m := session.NewManager(store)
	count := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("n").(int)
		s.Set("n", n+1)
		fmt.Fprint(w, n+1)
	})
	h := m.Middleware(count)
	jar := map[string]*http.Cookie{}
	get(h, jar, "/")
	fmt.Println(get(h, jar, "/"))

	// A second Manager on the same directory, as another process would be,
	// sees the same session.
	other, _ := session.NewFileStore(dir)
	defer other.Close()
	fmt.Println(get(session.NewManager(other).Middleware(count), jar, "/"))
	// Output:
	// 2
	// 3
}
