// Package lookalike has sessionlib's API shape but no directives: the
// analyzer must not care about it.
package lookalike

import (
	"context"
	"net/http"
)

type Manager struct{}

type Session struct{ data map[string]any }

func FromContext(ctx context.Context) *Session               { return nil }
func (s *Session) Get(k string) any                          { return s.data[k] }
func (s *Session) Set(k string, v any)                       { s.data[k] = v }
func (s *Session) ReleaseLock() error                        { return nil }
func (s *Session) AcquireLock(ctx context.Context) error     { return nil }
func (m *Manager) Middleware(next http.Handler) http.Handler { return next }
func (m *Manager) ReadOnly(next http.Handler) http.Handler   { return next }
