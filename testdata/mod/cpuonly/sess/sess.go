// Package sess is the fixture's session library: the directives are all
// the analyzer needs.
package sess

import "context"

type Session struct{}

// From returns the request's session.
//
//sessionlock:source
func From(ctx context.Context) *Session { return nil }

// Set changes the session.
//
//sessionlock:write
func (s *Session) Set(k string, v any) {}

// ReleaseLock saves and unlocks.
//
//sessionlock:release
func (s *Session) ReleaseLock() error { return nil }
