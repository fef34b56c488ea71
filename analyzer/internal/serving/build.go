package serving

import (
	"go/ast"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
	"github.com/sessionlock/sessionlock/analyzer/internal/valueflow"
)

// Build runs the model over one package: wrappers derived from the
// package's own functions, then every application of a wrapper, then the
// handlers that exported functions return or register on a router they
// are given (served in a mode only importers know).
func Build(p *Package) *Model {
	b := &builder{
		p:         p,
		units:     make(map[*funcs.Func]ModeSet),
		boxes:     make(map[types.Object]ModeSet),
		seen:      make(map[Mode]map[any]bool),
		bound:     make(map[boundKey]bool),
		factories: make(map[*funcs.Func][]target),
		out: &Model{
			Wrappers:  make(map[*types.Func]Wrap),
			Results:   make(map[*types.Func][]*funcs.Func),
			Registers: make(map[*types.Func]Registered),
		},
	}
	b.out.Modes = b.units
	exported := b.exportedRoots()
	if !p.HasServe && len(exported) == 0 {
		return b.out // nothing here serves handlers or hands them to importers
	}
	vf := valueflow.New(p.Info, p.Pkg, p.Files, p.Funcs, &b.routers, p.Impls)
	b.vf = vf
	if p.HasServe {
		b.deriveWrappers()
		b.deriveChainWrappers()
		for _, call := range vf.All {
			if w, ok := b.wrapperCall(call); ok {
				if w.Arg < len(call.Args) {
					a := call.Args[w.Arg]
					b.serve(a, w.Mode, a)
				}
				continue
			}
			b.useCall(call)
		}
	}
	for _, u := range exported {
		if sig := u.Sig(p.Info); sig.Results().Len() > 0 && httpshape.Registrable(sig.Results().At(0).Type()) {
			b.exportedResult(u)
		}
		b.exportedRegistrations(u)
	}
	return b.out
}

// builder is the state of one run of the model.
type builder struct {
	p         *Package
	out       *Model
	vf        *valueflow.Flow
	routers   httpshape.Routers
	named     []*types.Named                // named types in sight with methods (for implsOf)
	impls     map[*types.Func][]*types.Func // implsOf answers
	units     map[*funcs.Func]ModeSet
	boxes     map[types.Object]ModeSet
	seen      map[Mode]map[any]bool    // per mode: expressions and variables already followed
	bound     map[boundKey]bool        // factory calls whose arguments were served, per mode
	factories map[*funcs.Func][]target // what each factory returns

	collect func(*funcs.Func) // set while following an exported function's results
}

type elemKey struct{ n any }

type boundKey struct {
	call *ast.CallExpr
	m    Mode
}

func (b *builder) callee(call *ast.CallExpr) *types.Func { return funcs.Callee(b.p.Info, call) }

func (b *builder) ifaceMethod(e ast.Expr) *types.Func { return funcs.IfaceMethod(b.p.Info, e) }

// register records a handler of another package served in mode m, to be
// judged at at.
func (b *builder) register(kind Kind, fn *types.Func, m Mode, at ast.Expr) {
	b.out.Registrations = append(b.out.Registrations, Registration{Kind: kind, Fn: fn, Mode: m, At: at})
}

// exportedRoots returns the exported functions through which importers may
// serve this package's handlers: factories (a handler result) and
// functions taking a router. It looks at signatures only.
func (b *builder) exportedRoots() []*funcs.Func {
	if b.p.Pkg.Name() == "main" {
		return nil
	}
	var out []*funcs.Func
	for _, u := range b.p.Funcs.All {
		if u.Fn == nil || !u.Fn.Exported() || b.p.Facts.Declared(u.Fn) {
			continue
		}
		sig := u.Sig(b.p.Info)
		if sig == nil {
			continue
		}
		root := sig.Results().Len() > 0 && httpshape.Registrable(sig.Results().At(0).Type())
		for i := 0; i < sig.Params().Len() && !root; i++ {
			root = b.routers.Is(sig.Params().At(i).Type())
		}
		if root {
			out = append(out, u)
		}
	}
	return out
}

// exportedResult follows what an exported function returns: handlers an
// importer may serve in any mode. They are not judged here; the function's
// fact describes them for the importer to judge at its registration.
func (b *builder) exportedResult(u *funcs.Func) {
	var served []*funcs.Func
	b.collect = func(h *funcs.Func) { served = append(served, h) }
	seen := make(map[any]bool)
	for _, r := range b.vf.Returns[u] {
		b.values(r, seen, func(t target) { b.serveTarget(t, Remote, r) })
	}
	b.collect = nil
	if len(served) > 0 {
		b.out.Results[u.Fn] = served
	}
}

// exportedRegistrations follows the handlers an exported function
// registers on a router it is given (Register(mux)): the importer that
// passes its router knows their mode.
func (b *builder) exportedRegistrations(u *funcs.Func) {
	sig := u.Sig(b.p.Info)
	if sig == nil {
		return
	}
	for i := 0; i < sig.Params().Len(); i++ {
		p := sig.Params().At(i)
		if len(b.vf.Calls[p]) == 0 && len(b.vf.Passed[p]) == 0 || !b.routers.Is(p.Type()) {
			continue
		}
		var served []*funcs.Func
		b.collect = func(h *funcs.Func) { served = append(served, h) }
		b.serveTarget(target{box: p}, Remote, nil)
		b.collect = nil
		if len(served) > 0 {
			b.out.Registers[u.Fn] = Registered{i, served}
			return
		}
	}
}
