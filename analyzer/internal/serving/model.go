// Package serving is the serving model: the one place that answers "in
// which lock mode does this code run?". Handler values (function
// literals, functions, method values, factory results, conversions,
// wrapper results, values kept in variables, fields, slices and maps) are
// followed backwards from the wrappers that serve them
// (//sessionlock:serve functions, and the package's own functions that
// pass a parameter to one), through the package's value flow (package
// valueflow). Muxes and routers are followed too: a router that is served,
// or that receives a wrapper as a value (r.Use(m.Middleware)), serves
// every handler registered on it, on its sub-routers and through the
// functions it is passed to.
//
// The model sees one package. What it cannot see into, it asks of Facts;
// handlers of other packages it finds served are returned as
// Registrations, for the caller to judge where they are registered; and
// the handlers an exported function returns or registers are returned for
// the caller to describe to importers, who know their mode.
package serving

import (
	"go/ast"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
)

// Mode is how a function runs with respect to the session lock.
type Mode uint8

const (
	Held     Mode = iota + 1 // implicit: held from entry
	Explicit                 // unlocked until it acquires
	ReadOnly                 // never locked; writes are misuse
	Helper                   // entry state unknown: only its own releases count
	Remote                   // served in a mode only importers know (returned or registered by an exported function)
)

func (m Mode) String() string {
	switch m {
	case Held:
		return "held"
	case Explicit:
		return "explicit"
	case ReadOnly:
		return "readonly"
	case Helper:
		return "helper"
	case Remote:
		return "remote"
	}
	return "none"
}

// ModeSet is a set of modes, one bit per mode: a handler may be served in
// several.
type ModeSet uint8

// Has reports whether m is in s.
func (s ModeSet) Has(m Mode) bool { return s&(1<<m) != 0 }

// Wrap is what a serve wrapper does: it serves its argument Arg in Mode.
// An Arg past the wrapper's parameters means it serves no argument but
// what runs after it in a framework's chain (gin's r.Use(sessions(m))).
type Wrap struct {
	Mode Mode
	Arg  int
}

// Facts is what the model needs to know of functions whose code it does
// not follow.
type Facts interface {
	// Wrapper reports whether fn serves a handler, by its directive or
	// by its package's fact.
	Wrapper(fn *types.Func) (Wrap, bool)
	// RegistersOn returns the parameter on which fn, of another package,
	// registers handlers of its own (api.Register(mux)), or -1.
	RegistersOn(fn *types.Func) int
	// Declared reports whether fn carries a //sessionlock: directive: it
	// is a session library's own API, never a handler or a factory.
	Declared(fn *types.Func) bool
}

// Package is the input of the model: one type-checked package.
type Package struct {
	Info  *types.Info
	Pkg   *types.Package
	Files []*ast.File
	Funcs *funcs.Index
	Facts Facts
	// Impls returns the implementations in sight of an interface method,
	// through which routers are passed (h.RegisterRoutes(r)).
	Impls func(iface types.Type, method string) []*types.Func
	// HasServe says that some code refers to a wrapper: without one, only
	// the exported functions' handlers are followed.
	HasServe bool
}

// Model is what the model found in one package.
type Model struct {
	// Modes are the modes each function of the package is served in.
	Modes map[*funcs.Func]ModeSet
	// Registrations are the handlers of other packages served here, in
	// the order found; each is judged where it is registered, from its
	// package's facts.
	Registrations []Registration
	// Wrappers are the package's functions that serve a handler they are
	// given or the chain they are put in: wrappers in their own right,
	// here and, through facts, in importers.
	Wrappers map[*types.Func]Wrap
	// Results are the handlers each exported function returns: an
	// importer serves them in a mode only it knows.
	Results map[*types.Func][]*funcs.Func
	// Registers are the handlers each exported function registers on a
	// router it is given.
	Registers map[*types.Func]Registered
}

// Kind is how a handler of another package came to be served here.
type Kind uint8

const (
	Handler   Kind = iota + 1 // named as a handler: r.Get("/", pages.Report)
	Returns                   // returned by a function of its package: r.Get("/", pages.New())
	Registers                 // registered by a function of its package on a router served here: api.Register(mux)
)

// Registration is a handler of another package, served here in Mode.
type Registration struct {
	Kind Kind
	Fn   *types.Func // the handler, the function returning it, or the function registering it
	Mode Mode
	At   ast.Expr // where it is named, returned or passed the router: where it is judged
}

// Registered is the handlers a function registers on its parameter Arg.
type Registered struct {
	Arg   int
	Funcs []*funcs.Func
}
