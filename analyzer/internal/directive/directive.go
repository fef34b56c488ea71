// Package directive reads the //sessionlock: directives that a library
// writes in its doc comments to declare its lock API, and the
// //sessionlock:served and //sessionlock:ignore comments of an
// application. Directives follow the Go convention for machine-read
// comments: no space after the slashes. Unknown directives are ignored so
// that a newer library keeps working with an older analyzer.
package directive

import (
	"go/ast"
	"strings"
)

// Prefix starts every directive.
const Prefix = "//sessionlock:"

// Role is a set of roles a function's doc comment declares.
type Role uint16

// The roles, one per directive.
const (
	Source        Role = 1 << iota // //sessionlock:source: returns the request's session
	Acquire                        // //sessionlock:acquire: takes the lock
	Release                        // //sessionlock:release: saves and drops the lock
	Write                          // //sessionlock:write: changes session data
	Long                           // //sessionlock:long: blocks
	ServeHeld                      // //sessionlock:serve held: runs its handler with the lock held
	ServeExplicit                  // //sessionlock:serve explicit: runs its handler unlocked until it acquires
	ServeReadOnly                  // //sessionlock:serve readonly: runs its handler without the lock
)

// ServeAny is every serve role.
const ServeAny = ServeHeld | ServeExplicit | ServeReadOnly

var roleNames = []struct {
	r    Role
	name string
}{
	{Source, "source"},
	{Acquire, "acquire"},
	{Release, "release"},
	{Write, "write"},
	{ServeHeld, "serve=held"},
	{ServeExplicit, "serve=explicit"},
	{ServeReadOnly, "serve=readonly"},
	{Long, "long"},
}

// String lists the role's names, space-separated ("source", "serve=held").
func (r Role) String() string {
	var parts []string
	for _, rn := range roleNames {
		if r&rn.r != 0 {
			parts = append(parts, rn.name)
		}
	}
	return strings.Join(parts, " ")
}

// Mode is how a handler is served: the argument of //sessionlock:served
// (and of //sessionlock:serve).
type Mode uint8

// The modes; the zero Mode means none was declared.
const (
	Held     Mode = iota + 1 // held: the lock is held from entry
	Explicit                 // explicit: the handler acquires it itself
	ReadOnly                 // readonly: the lock is never held
)

// parseMode reads a mode's name, or returns 0.
func parseMode(s string) Mode {
	switch s {
	case "held":
		return Held
	case "explicit":
		return Explicit
	case "readonly":
		return ReadOnly
	}
	return 0
}

// fields splits each directive of doc into its words, the first being the
// directive's name ("source", "serve", ...), and calls f with them until
// f returns false.
func fields(doc *ast.CommentGroup, f func([]string) bool) {
	if doc == nil {
		return
	}
	for _, c := range doc.List {
		if !strings.HasPrefix(c.Text, Prefix) {
			continue
		}
		if w := strings.Fields(c.Text[len(Prefix):]); len(w) > 0 && !f(w) {
			return
		}
	}
}

// Roles returns the roles declared in a function's (or an interface
// method's) doc comment, or 0.
func Roles(doc *ast.CommentGroup) Role {
	var r Role
	fields(doc, func(w []string) bool {
		switch w[0] {
		case "source":
			r |= Source
		case "acquire":
			r |= Acquire
		case "release":
			r |= Release
		case "write":
			r |= Write
		case "long":
			r |= Long
		case "serve":
			if len(w) > 1 {
				switch parseMode(w[1]) {
				case Held:
					r |= ServeHeld
				case Explicit:
					r |= ServeExplicit
				case ReadOnly:
					r |= ServeReadOnly
				}
			}
		}
		return true
	})
	return r
}

// Served returns the mode a handler's doc comment says it is served in
// (//sessionlock:served held|explicit|readonly), or 0. It lets a handler
// served from another package be judged where it is written. The first
// such directive with a known mode wins.
func Served(doc *ast.CommentGroup) Mode {
	var m Mode
	fields(doc, func(w []string) bool {
		if w[0] == "served" && len(w) > 1 {
			m = parseMode(w[1])
		}
		return m == 0
	})
	return m
}
