// Package generics checks generic helpers and handlers.
package generics

import (
	"net/http"
	"time"

	"sessionlib"
)

type Cache[K comparable, V any] struct{ m map[K]V }

func (c *Cache[K, V]) Load(k K) V { // want Load:`blocks\(time.Sleep\)`
	time.Sleep(time.Millisecond)
	return c.m[k]
}

func Store[T any](s *sessionlib.Session, v T) { // want Store:`writes\(s.Set\)`
	s.Set("v", v)
}

func Wait[T any](d T) { time.Sleep(time.Second) } // want Wait:`blocks\(time.Sleep\)`

func handler(w http.ResponseWriter, r *http.Request) {
	s := sessionlib.FromContext(r.Context())
	c := &Cache[string, int]{}
	_ = c.Load("k") // want `Cache.Load blocks while the session lock is held \(Cache.Load → time.Sleep\)`
	s.ReleaseLock()
	Store[int](s, 1) // want `Store writes the session \(Store → s.Set\) after its lock was released`
	Store(s, "x")    // want `Store writes the session \(Store → s.Set\) after its lock was released`
	Wait(1)
}
