package serving

import (
	"go/ast"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// Targets: what a served handler expression evaluates to, and what
// serving each kind of target means.

// target is a value a handler expression may evaluate to.
type target struct {
	u      *funcs.Func  // a function of this package, declared or literal
	fn     *types.Func  // a function whose body is elsewhere (another package)
	result *types.Func  // the handlers another package's function returns
	box    types.Object // a variable whose methods register handlers (mux, router)
	named  ast.Expr     // for fn: where the code in sight names it (r.GET("/", gist.Create))

	via *ast.CallExpr // for a literal a factory returns: the factory call that returned it
}

// function is the declared function a target names, or nil.
func (t target) function() *types.Func {
	if t.u != nil {
		return t.u.Fn
	}
	return t.fn
}

// serve follows handler expression e, served in mode m; at is the
// registration, where handlers of other packages are judged.
func (b *builder) serve(e ast.Expr, m Mode, at ast.Expr) {
	seen := b.seen[m]
	if seen == nil {
		seen = make(map[any]bool)
		b.seen[m] = seen
	}
	b.values(e, seen, func(t target) { b.serveTarget(t, m, at) })
}

func (b *builder) serveTarget(t target, m Mode, at ast.Expr) {
	switch {
	case t.box != nil:
		if b.boxes[t.box].Has(m) {
			return
		}
		b.boxes[t.box] |= 1 << m
		for _, call := range b.vf.Calls[t.box] {
			b.serveCallOn(call, m, at) // routes, sub-routers, r.With(w).Get(p, h)
		}
		for _, p := range b.vf.Passed[t.box] {
			b.serveTarget(target{box: p}, m, at) // addRoutes(mux)
		}
		for _, w := range b.vf.Into[t.box] {
			b.serveTarget(target{box: w}, m, at) // &Router{Group: g}
		}
		if m != Remote {
			for _, use := range b.vf.PassedOut[t.box] {
				// api.Register(mux): the handlers another package registers.
				if fn := b.callee(use.Call); fn != nil && b.p.Facts.RegistersOn(fn) == use.Arg {
					b.register(Registers, fn, m, use.Call.Args[use.Arg])
				}
			}
		}
	case t.u != nil:
		u := t.u
		if u.NotHandler {
			return // run by go or defer: never in a request's lock state of its own
		}
		sig := u.Sig(b.p.Info)
		if sig != nil && httpshape.IsMiddleware(sig) {
			for _, r := range b.vf.Returns[u] {
				b.serve(r, m, at) // an adapter: what it returns is served
			}
			return
		}
		if boxes := b.setupParams(sig); len(boxes) > 0 {
			for _, box := range boxes {
				b.serveTarget(target{box: box}, m, at) // r.Route("/x", func(r Router) {...})
			}
			return
		}
		first := !b.units[u].Has(m)
		b.units[u] |= 1 << m
		if first && b.collect != nil {
			b.collect(u)
		}
		if t.via != nil {
			if b.bound[boundKey{t.via, m}] {
				t.via = nil
			} else {
				b.bound[boundKey{t.via, m}] = true
			}
		}
		if !first && t.via == nil || m == Remote {
			return // an importer binds what the handler calls through values
		}
		// What a handler calls through a function value or a handler
		// interface runs in its mode too: next.ServeHTTP(w, r), f(app, w, r).
		// A parameter of the factory that returned the handler is what
		// that factory call passed (Web(a, viewLogin)).
		for _, call := range b.vf.Dyn[u] {
			fun := call.Fun
			if sel, ok := ast.Unparen(fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "ServeHTTP" && b.ifaceMethod(sel) != nil {
				fun = sel.X
			}
			if a := b.boundArg(t.via, fun); a != nil {
				b.serve(a, m, at)
			} else if first {
				b.serve(fun, m, at)
			}
		}
	case t.fn != nil:
		if m == Remote {
			return
		}
		if _, ok := b.wrapperOf(t.fn); ok {
			return
		}
		if sig, ok := t.fn.Type().(*types.Signature); ok && httpshape.IsMiddleware(sig) {
			return
		}
		if t.named != nil {
			at = t.named // reported where the handler is named, not where an adapter serves it
		}
		b.register(Handler, t.fn, m, at)
	case t.result != nil:
		if m == Remote {
			return
		}
		b.register(Returns, t.result, m, at)
	}
}

// boundArg returns the argument that factory call via passed for the
// parameter e names, or nil.
func (b *builder) boundArg(via *ast.CallExpr, e ast.Expr) ast.Expr {
	if via == nil {
		return nil
	}
	v, _ := b.vf.ObjOf(e).(*types.Var)
	if ru := b.vf.Recvs[v]; ru != nil && b.p.Funcs.ByFunc[b.callee(via)] == ru {
		if sel, ok := ast.Unparen(via.Fun).(*ast.SelectorExpr); ok {
			return sel.X // Handler(h).toEchoHandler(): the receiver is the handler
		}
	}
	fu := b.vf.Params[v]
	if v == nil || fu == nil || fu.Fn == nil || b.p.Funcs.ByFunc[b.callee(via)] != fu {
		return nil
	}
	if i := funcs.ParamIndex(fu.Fn, v); i >= 0 && i < len(via.Args) {
		return via.Args[i]
	}
	return nil
}
