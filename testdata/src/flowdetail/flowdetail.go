// Package flowdetail: tickers and timers, AfterFunc callbacks, joined
// goroutines, deferred calls and releases through local closures.
package flowdetail

import (
	"net/http"
	"sync"
	"time"

	"sessionlib"
)

func tick(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	for range time.Tick(time.Second) { // want `for range time.Tick blocks while the session lock is held`
		break
	}
}

func ticker(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	t := time.NewTicker(time.Second)
	defer t.Stop()
	<-t.C           // want `<-\(\*time.Ticker\).C blocks while the session lock is held`
	for range t.C { // want `for range \(\*time.Ticker\).C blocks while the session lock is held`
		break
	}
}

func timer(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	tm := time.NewTimer(time.Second)
	s.ReleaseLock()
	<-tm.C // released: fine
}

func timerHeld(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	tm := time.NewTimer(time.Second)
	select {
	case <-tm.C: // want `<-\(\*time.Timer\).C blocks while the session lock is held`
	case <-r.Context().Done():
	}
}

func afterFunc(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	time.AfterFunc(time.Second, func() {
		s.Set("late", true) // want `s.Set writes the session in a goroutine started by the handler`
	})
	time.AfterFunc(time.Second, func() {
		_ = s.Get("k") // reads are fine
	})
}

func joined(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.Set("k", 1) // joined before the handler returns: under the lock
	}()
	wg.Wait() // want `\(\*sync.WaitGroup\).Wait blocks while the session lock is held`
}

func notJoined(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	go func() {
		s.Set("k", 1) // want `s.Set writes the session in a goroutine started by the handler`
	}()
}

func deferredWrite(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	defer func() { // want `deferredWrite.func1 writes the session \(deferredWrite.func1 → s.Set\) after its lock was released`
		s.Set("end", true)
	}()
	s.ReleaseLock()
}

func deferredWriteHeld(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	defer func() {
		s.Set("end", true) // held at the exit: fine
	}()
}

func deferredSleep(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	_ = s
	defer time.Sleep(time.Second) // want `deferred time.Sleep blocks while the session lock is held`
}

func deferredAfterRelease(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	defer time.Sleep(time.Second) // released before the exit: fine
	s.ReleaseLock()
}

func deferOrder(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	defer s.Set("k", 1) // want `s.Set writes the session after its lock was released`
	defer s.ReleaseLock()
}

func closureRelease(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	release := func() {
		s.ReleaseLock()
	}
	s.Set("k", 1)
	release()
	time.Sleep(time.Second) // released through the closure: fine
	s.Set("k", 2)           // want `s.Set writes the session after its lock was released`
}

func inPlace(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	func() {
		s.ReleaseLock()
	}()
	time.Sleep(time.Second) // released by the literal called in place: fine
}
