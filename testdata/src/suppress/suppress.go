// Package suppress checks //sessionlock:ignore.
package suppress

import (
	"net/http"
	"time"

	"sessionlib"
)

func handler(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	time.Sleep(time.Millisecond) //sessionlock:ignore a millisecond is fine here
	//sessionlock:ignore the cache warm-up must finish under the lock
	time.Sleep(time.Second)
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	s.ReleaseLock()
	s.Set("a", 1) //sessionlock:ignore tested elsewhere
	s.Set("b", 1) // want `s.Set writes the session after its lock was released`
}
