package analyzer

import (
	"go/ast"
	"go/types"
)

// mode is how a function runs with respect to the session lock.
type mode uint8

const (
	modeHeld     mode = iota + 1 // implicit: held from entry
	modeExplicit                 // unlocked until it acquires
	modeReadOnly                 // never locked; writes are misuse
	modeHelper                   // entry state unknown: only its own releases count
)

func roleMode(r Role) mode {
	switch {
	case r&RoleServeHeld != 0:
		return modeHeld
	case r&RoleServeExplicit != 0:
		return modeExplicit
	case r&RoleServeReadOnly != 0:
		return modeReadOnly
	}
	return 0
}

// registry collects how this package serves its handlers.
type registry struct {
	st         *state
	served     map[*unit][]mode
	containers map[types.Object]mode // muxes and routers behind a wrapper
}

// registrations finds the handlers served behind //sessionlock:serve
// wrappers in this package: W(h) for a handler value h (functions, method
// values, literals, http.HandlerFunc(f) conversions, values with a
// ServeHTTP method); W(mux) and r.Use(W), after which every handler passed
// to a method of mux or r is served by W. Handlers declared in other
// packages are judged here from their facts, at the registration.
func (st *state) registrations() map[*unit][]mode {
	rg := &registry{st: st, served: make(map[*unit][]mode), containers: make(map[types.Object]mode)}
	if !st.hasServe {
		return rg.served
	}
	type wrap struct {
		arg ast.Expr
		m   mode
	}
	var wraps []wrap
	for _, body := range st.codeBodies(true) {
		inspectOwn(body, func(n ast.Node) {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return
			}
			if fn := st.calleeOf(call); fn != nil {
				if f := st.factOf(fn); f != nil && f.Role&roleServe != 0 {
					if len(call.Args) > 0 {
						wraps = append(wraps, wrap{call.Args[0], roleMode(f.Role)})
					}
					return
				}
			}
			// r.Use(W): r now serves everything registered on it through W.
			for _, a := range call.Args {
				if fn := st.funcValue(a); fn != nil {
					if f := st.factOf(fn); f != nil && f.Role&roleServe != 0 {
						if obj := st.recvObject(call); obj != nil {
							rg.containers[obj] = roleMode(f.Role)
						}
					}
				}
			}
		})
	}
	for _, w := range wraps {
		rg.handler(w.arg, w.m, true)
	}
	if len(rg.containers) == 0 {
		return rg.served
	}
	for _, body := range st.codeBodies(false) {
		inspectOwn(body, func(n ast.Node) {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return
			}
			obj := st.recvObject(call)
			if obj == nil {
				return
			}
			m, ok := rg.containers[obj]
			if !ok {
				return
			}
			for _, a := range call.Args {
				rg.handler(a, m, false)
			}
		})
	}
	return rg.served
}

// inspectOwn visits the nodes of a unit's body, not those of nested
// function literals (units of their own).
func inspectOwn(body ast.Node, f func(ast.Node)) {
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if n != nil {
			f(n)
		}
		return true
	})
}

// funcValue returns the function an expression names without calling it.
func (st *state) funcValue(e ast.Expr) *types.Func {
	var id *ast.Ident
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return nil
	}
	if fn, ok := st.pass.TypesInfo.Uses[id].(*types.Func); ok {
		return fn.Origin()
	}
	return nil
}

// recvObject is the variable a method call is made on: mux in
// mux.HandleFunc(...), or nil.
func (st *state) recvObject(call *ast.CallExpr) types.Object {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	var id *ast.Ident
	switch x := ast.Unparen(sel.X).(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return nil
	}
	if v, ok := st.pass.TypesInfo.Uses[id].(*types.Var); ok {
		return v
	}
	return nil
}

// handler records the handler that expression e serves in mode m. top is
// set for a wrapper's own argument, where a variable is a mux or handler
// value the wrapper serves.
func (rg *registry) handler(e ast.Expr, m mode, top bool) {
	st := rg.st
	info := st.pass.TypesInfo
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.FuncLit:
		if u := st.byLit[x]; u != nil && isHandlerSig(info.TypeOf(x)) {
			rg.add(u, m)
		}
		return
	case *ast.CallExpr:
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			rg.handler(x.Args[0], m, false) // http.HandlerFunc(f)
		}
		return
	case *ast.Ident, *ast.SelectorExpr:
		var id *ast.Ident
		if s, ok := x.(*ast.SelectorExpr); ok {
			id = s.Sel
		} else {
			id = x.(*ast.Ident)
		}
		switch o := info.Uses[id].(type) {
		case *types.Func:
			if isHandlerSig(o.Type()) {
				rg.serveFunc(o.Origin(), m, e)
			}
			return
		case *types.Var:
			if _, seen := rg.containers[o]; top && !seen {
				rg.containers[o] = m // W(mux): handlers registered on mux
			}
		default:
			return
		}
	}
	// A value whose type has a ServeHTTP method: that method is the handler.
	t := info.TypeOf(e)
	if t == nil || types.IsInterface(t) {
		return
	}
	if obj, _, _ := types.LookupFieldOrMethod(t, true, st.pass.Pkg, "ServeHTTP"); obj != nil {
		if fn, ok := obj.(*types.Func); ok && isHandlerSig(fn.Type()) {
			rg.serveFunc(fn.Origin(), m, e)
		}
	}
}

func (rg *registry) add(u *unit, m mode) {
	for _, have := range rg.served[u] {
		if have == m {
			return
		}
	}
	rg.served[u] = append(rg.served[u], m)
}

// serveFunc records a declared handler; one from another package is
// judged here, at its registration, from its facts. A handler that obtains
// the session itself was already checked in its own package in held mode,
// so held-mode findings are not repeated.
func (rg *registry) serveFunc(fn *types.Func, m mode, at ast.Expr) {
	st := rg.st
	if u := st.byFunc[fn]; u != nil {
		rg.add(u, m)
		return
	}
	if fn.Pkg() == st.pass.Pkg {
		return
	}
	f := st.factOf(fn)
	if f == nil || f.Role != 0 {
		return
	}
	name := shortName(fn, st.pass.Pkg)
	switch m {
	case modeHeld:
		if !f.Handler && len(f.Blocks) > 0 {
			tr := append([]string{name}, f.Blocks...)
			st.reportLong(nil, at.Pos(), at.End(), "handler "+name, tr, st.related(fn, true, tr), nil)
		}
	case modeExplicit, modeReadOnly:
		if len(f.Writes) > 0 && !(m == modeExplicit && f.AcquireFirst) {
			tr := append([]string{name}, f.Writes...)
			st.reportWriteWithoutLock(at.Pos(), at.End(), "handler "+name, tr, st.related(fn, false, tr), m)
		}
	}
}

// isHandlerSig reports whether t is func(w, *Request) with no results: the
// shape of an HTTP handler, whatever package its request type comes from.
func isHandlerSig(t types.Type) bool {
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.Params().Len() != 2 || sig.Results().Len() != 0 {
		return false
	}
	p, ok := types.Unalias(sig.Params().At(1).Type()).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Name() == "Request"
}

// codeBodies returns the package-level var declarations and the function
// bodies of the package, only those of interesting units when
// onlyInteresting is set (a wrapper call needs a callee with a fact, so
// other units cannot hold one; registrations on a mux can be anywhere).
func (st *state) codeBodies(onlyInteresting bool) []ast.Node {
	bodies := make([]ast.Node, 0, len(st.inits)+len(st.units))
	for _, gd := range st.inits {
		bodies = append(bodies, gd)
	}
	for _, u := range st.units {
		if u.interesting || !onlyInteresting {
			bodies = append(bodies, u.body)
		}
	}
	return bodies
}
