// Package acme stands in for a dependency that does I/O in goroutines and
// waits for them: its wait is long.
package acme

import (
	"net/http"
	"sync"
)

// FetchAll gets every URL in parallel.
func FetchAll(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			http.Get(u)
		}()
	}
	wg.Wait()
}
