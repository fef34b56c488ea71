// Package fix checks the suggested fix: release before the blocking call // want package:`pending\(audited → Audit.Log\)`
// when nothing after it needs the lock.
package fix

import (
	"net/http"
	"time"

	"sessionlib"
)

func fixable(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	s.Set("visited", true)
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	w.Write([]byte("done"))
}

func inBranch(w http.ResponseWriter, r *http.Request, slow bool) {
	sess := sessionlib.FromContext(r.Context())
	_ = sess.Get("k")
	if slow {
		http.Get("http://slow") // want `net/http.Get blocks while the session lock is held`
	}
}

func writeFollows(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
	s.Set("after", true)
}

func inLoop(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	for i := 0; i < 3; i++ {
		time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
		s.Set("i", i)
	}
}

func deferredWrite(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	defer s.Set("end", true)
	time.Sleep(time.Second) // want `time.Sleep blocks while the session lock is held`
}

func inCondition(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	if _, err := http.Get("http://x"); err != nil { // want `net/http.Get blocks while the session lock is held`
		return
	}
}

// The seed's page1: the session is never named, so the fix obtains it.
func page1(w http.ResponseWriter, r *http.Request) {
	time.Sleep(20 * time.Second) // want `time.Sleep blocks while the session lock is held`
	w.Write([]byte("*Yawn*"))
}

func routes(m *sessionlib.Manager) http.Handler {
	return m.Middleware(http.HandlerFunc(page1))
}
