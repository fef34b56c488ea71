// Package alice stands in for github.com/justinas/alice: middleware
// chains built once and applied to handlers.
package alice

import "net/http"

// Constructor is a middleware constructor.
type Constructor func(http.Handler) http.Handler

// Chain is an immutable list of constructors.
type Chain struct{ constructors []Constructor }

// New creates a chain of the given constructors.
func New(constructors ...Constructor) Chain {
	return Chain{append(([]Constructor)(nil), constructors...)}
}

// Then applies the chain to h, first constructor outermost.
func (c Chain) Then(h http.Handler) http.Handler {
	if h == nil {
		h = http.DefaultServeMux
	}
	for i := range c.constructors {
		h = c.constructors[len(c.constructors)-1-i](h)
	}
	return h
}

// ThenFunc is Then for a handler function.
func (c Chain) ThenFunc(fn http.HandlerFunc) http.Handler {
	if fn == nil {
		return c.Then(nil)
	}
	return c.Then(fn)
}

// Append returns a new chain with more constructors.
func (c Chain) Append(constructors ...Constructor) Chain {
	return New(append(append([]Constructor{}, c.constructors...), constructors...)...)
}
