package serving

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// Routers and muxes: a wrapper given to a router's method serves what the
// router registers, on it, on its sub-routers and wherever it is passed.

// useCall handles r.M(..., w, ...) where w holds a wrapper, as a value
// (r.Use(m.Middleware), e.Use(echo.WrapMiddleware(m.Middleware))) or as
// the middleware a wrapper returns (r.Use(ginsession.Middleware(m))).
// What it serves depends on the method, as routers share these shapes:
// Use serves everything registered on r; Group, With and Route serve the
// router they return (g := e.Group("/g", w); r.With(w).Get(p, h)); any
// other method given handlers too serves those (e.GET(p, h, w),
// r.GET(p, w, h)); else r.
func (b *builder) useCall(call *ast.CallExpr) {
	info := b.p.Info
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if s := info.Selections[sel]; !ok || s == nil || s.Kind() != types.MethodVal {
		b.chainCall(call)
		return
	}
	var modes []Mode
	var handlers []ast.Expr
	for _, a := range call.Args {
		if ms := b.wrapperValue(a); len(ms) > 0 {
			modes = append(modes, ms...)
		} else if t := info.TypeOf(a); httpshape.Registrable(t) && !httpshape.IsMiddlewareType(t) {
			handlers = append(handlers, a)
		}
	}
	if len(modes) == 0 {
		return
	}
	name := sel.Sel.Name
	for _, m := range modes {
		switch {
		case strings.HasPrefix(name, "Use"):
			b.serveOn(sel.X, m, call)
			b.serveResult(call, m, call)
		case name == "Group" || name == "With" || name == "Route" || strings.HasPrefix(name, "SubGroup"):
			b.serveResult(call, m, call)
		case len(handlers) > 0:
			for _, h := range handlers {
				b.serve(h, m, h)
			}
		default:
			b.serveOn(sel.X, m, call)
		}
	}
}

// chainCall handles a function given a wrapper as a value that returns a
// chain of middleware, not a handler (alice.New(m.Middleware, auth)):
// what the chain is then applied to (common.ThenFunc(h),
// alice.New(m.ReadOnly).Then(h)) is served in the wrapper's mode.
func (b *builder) chainCall(call *ast.CallExpr) {
	info := b.p.Info
	if t := info.TypeOf(call); t == nil || httpshape.Registrable(t) {
		return
	}
	for _, a := range call.Args {
		for _, m := range b.wrapperValue(a) {
			b.serveResult(call, m, call)
		}
	}
}

// wrapperValue returns the modes of the wrappers a middleware argument
// holds: a wrapper as a value (m.Middleware, also through adapters such
// as echo.WrapMiddleware), or the middleware a wrapper returns when what
// it serves is not a handler (ginsession.Middleware(m) serves the rest of
// gin's chain).
func (b *builder) wrapperValue(a ast.Expr) []Mode {
	info := b.p.Info
	if !httpshape.Registrable(info.TypeOf(a)) {
		return nil
	}
	if call, ok := ast.Unparen(a).(*ast.CallExpr); ok {
		if fn := b.callee(call); fn != nil {
			if w, ok := b.wrapperOf(fn); ok {
				if w.Arg >= len(call.Args) || !httpshape.Registrable(info.TypeOf(call.Args[w.Arg])) {
					return []Mode{w.Mode}
				}
				return nil // applied to a handler: served by the wrapper itself
			}
		}
	}
	var modes []Mode
	b.values(a, make(map[any]bool), func(t target) {
		if fn := t.function(); fn != nil {
			if w, ok := b.wrapperOf(fn); ok {
				modes = append(modes, w.Mode)
			}
		}
	})
	return modes
}

// serveOn serves the router an expression denotes: a variable, field or
// parameter, or the result of a call (r.Group("/x").Use(w)).
func (b *builder) serveOn(x ast.Expr, m Mode, at ast.Expr) {
	if call, ok := ast.Unparen(x).(*ast.CallExpr); ok {
		b.serveResult(call, m, at)
		return
	}
	if recv := b.vf.ObjOf(x); recv != nil {
		b.serveTarget(target{box: recv}, m, at)
	}
}

// serveResult serves the router a call returns: the variables it is
// assigned to, and the calls made on it directly (r.With(w).Get(p, h)).
func (b *builder) serveResult(call *ast.CallExpr, m Mode, at ast.Expr) {
	for _, sub := range b.vf.Results[call] {
		b.serveTarget(target{box: sub}, m, at)
	}
	for _, c := range b.vf.Chained[call] {
		b.serveCallOn(c, m, c)
	}
	for _, p := range b.vf.CallArgs[call] {
		b.serveTarget(target{box: p}, m, at) // NewRouter(e.Group(""))
	}
}

// serveCallOn serves what a call on a served router registers: its
// handler arguments, and the router it returns (at is the registration
// that served the router).
func (b *builder) serveCallOn(call *ast.CallExpr, m Mode, at ast.Expr) {
	if fn := b.callee(call); fn != nil {
		if _, ok := b.wrapperOf(fn); ok {
			return
		}
	}
	for _, a := range call.Args {
		if httpshape.Registrable(b.p.Info.TypeOf(a)) {
			b.serve(a, m, a)
		}
	}
	b.serveResult(call, m, at)
}

// setupParams returns the router parameters of a route callback, such as
// r.Route("/x", func(r Router) {...}): a function that takes a router is
// setup code, and handlers registered on its parameter are served.
func (b *builder) setupParams(sig *types.Signature) []types.Object {
	if sig == nil || httpshape.HandlerParams(sig) {
		return nil
	}
	var out []types.Object
	for i := 0; i < sig.Params().Len(); i++ {
		if p := sig.Params().At(i); b.routers.Is(p.Type()) {
			out = append(out, p)
		}
	}
	return out
}
