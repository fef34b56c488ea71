// Package sessionlib is a stand-in session library for the analyzer's
// tests: the same API shape as runtime/session, opted in through the same
// directives (which is all any library needs to do).
package sessionlib

import (
	"context"
	"net/http"
)

type Manager struct{}

type Session struct{ data map[string]any }

// FromContext returns the request's session.
//
//sessionlock:source
func FromContext(ctx context.Context) *Session { return ctx.Value(key{}).(*Session) } // want FromContext:`role\(source\)`

type key struct{}

func (s *Session) ID() string       { return "" }
func (s *Session) Get(k string) any { return s.data[k] }

// Set stores a value.
//
//sessionlock:write
func (s *Session) Set(k string, v any) { s.data[k] = v } // want Set:`role\(write\)`

// Delete removes a value.
//
//sessionlock:write
func (s *Session) Delete(k string) { delete(s.data, k) } // want Delete:`role\(write\)`

// Clear removes all values.
//
//sessionlock:write
func (s *Session) Clear() { clear(s.data) } // want Clear:`role\(write\)`

// Regenerate issues a new ID.
//
//sessionlock:write
func (s *Session) Regenerate() error { return nil } // want Regenerate:`role\(write\)`

// ReleaseLock saves and unlocks.
//
//sessionlock:release
func (s *Session) ReleaseLock() error { return nil } // want ReleaseLock:`role\(release\)`

// AcquireLock locks and reloads.
//
//sessionlock:acquire
func (s *Session) AcquireLock(ctx context.Context) error { return nil } // want AcquireLock:`role\(acquire\)`

// Middleware serves next with the lock held.
//
//sessionlock:serve held
func (m *Manager) Middleware(next http.Handler) http.Handler { return next } // want Middleware:`role\(serve=held\)`

// Explicit serves next unlocked until it calls AcquireLock.
//
//sessionlock:serve explicit
func (m *Manager) Explicit(next http.Handler) http.Handler { return next } // want Explicit:`role\(serve=explicit\)`

// ReadOnly serves next without ever locking.
//
//sessionlock:serve readonly
func (m *Manager) ReadOnly(next http.Handler) http.Handler { return next } // want ReadOnly:`role\(serve=readonly\)`
