// Package cpuonly checks waits for goroutines: CPU work in a dependency
// (argon2) is not a long call; waits in the app's own code, and in a
// dependency that does I/O, are.
package cpuonly

import (
	"net/http"
	"sync"

	"example.com/cpuonly/sess"
	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/argon2"
)

func login(w http.ResponseWriter, r *http.Request) {
	s := sess.From(r.Context())
	key := argon2.IDKey([]byte(r.FormValue("password")), []byte("salt"), 1, 64*1024, 4, 32)
	s.Set("key", key)
}

func renew(w http.ResponseWriter, r *http.Request) {
	_ = sess.From(r.Context())
	acme.FetchAll([]string{"http://127.0.0.1:1/"}) // want `acme.FetchAll blocks while the session lock is held \(acme.FetchAll → \(\*sync.WaitGroup\).Wait\)`
}

func fanOut(w http.ResponseWriter, r *http.Request) {
	_ = sess.From(r.Context())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait() // want `\(\*sync.WaitGroup\).Wait blocks while the session lock is held`
}

// Both waits for goroutines and does I/O: its trace shows the I/O.
func Gather(urls []string) { // want Gather:`blocks\(net/http.Get\)`
	var wg sync.WaitGroup
	wg.Wait()
	http.Get(urls[0])
}

func gathered(w http.ResponseWriter, r *http.Request) {
	_ = sess.From(r.Context())
	Gather(nil) // want `Gather blocks while the session lock is held \(Gather → net/http.Get\)`
}
