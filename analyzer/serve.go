package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// This file is the serving model: the one place that answers "in which
// lock mode does this code run?". Handler values (function literals,
// functions, method values, factory results, conversions, wrapper results,
// values kept in variables, fields, slices and maps) are followed
// backwards from the //sessionlock:serve wrappers that serve them, through
// the value flow of the package (valueflow.go). Muxes and routers are
// followed too: a router that is served, or that receives a wrapper as a
// value (r.Use(m.Middleware)), serves every handler registered on it, on
// its sub-routers and through the functions it is passed to.

// modeSet is a set of modes, one bit per mode.
type modeSet uint8

func (s modeSet) has(m mode) bool { return s&(1<<m) != 0 }

// target is a value a handler expression may evaluate to.
type target struct {
	u      *unit        // a function of this package, declared or literal
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

// wrap is what a serve wrapper does: it serves its argument arg in mode m.
type wrap struct {
	m   mode
	arg int
}

// serving is the result of the model for one package.
type serving struct {
	st        *state
	vf        *valueFlow
	units     map[*unit]modeSet
	boxes     map[types.Object]modeSet
	seen      map[mode]map[any]bool // per mode: expressions and variables already followed
	bound     map[boundKey]bool     // factory calls whose arguments were served, per mode
	factories map[*unit][]target    // what each factory returns

	collect func(*unit) // set while following an exported function's results
}

type elemKey struct{ n any }

type boundKey struct {
	call *ast.CallExpr
	m    mode
}

// serve builds the model: wrappers derived from the package's own
// functions, then every application of a wrapper, then the handlers that
// exported functions return (served in a mode only importers know).
func (st *state) serve() *serving {
	sv := &serving{
		st:        st,
		units:     make(map[*unit]modeSet),
		boxes:     make(map[types.Object]modeSet),
		seen:      make(map[mode]map[any]bool),
		bound:     make(map[boundKey]bool),
		factories: make(map[*unit][]target),
	}
	exported := st.exportedRoots()
	if !st.hasServe && len(exported) == 0 {
		return sv // nothing here serves handlers or hands them to importers
	}
	vf := st.newValueFlow()
	sv.vf = vf
	if st.hasServe {
		st.deriveWrappers(vf)
		st.deriveChainWrappers(vf)
		for _, call := range vf.all {
			if w, ok := sv.wrapperCall(call); ok {
				if w.arg < len(call.Args) {
					a := call.Args[w.arg]
					sv.serve(a, w.m, a)
				}
				continue
			}
			sv.useCall(call)
		}
	}
	for _, u := range exported {
		if sig := st.unitSig(u); sig.Results().Len() > 0 && registrable(sig.Results().At(0).Type()) {
			st.exportedResult(sv, u)
		}
		st.exportedRegistrations(sv, u)
	}
	return sv
}

// exportedRoots returns the exported functions through which importers may
// serve this package's handlers: factories (a handler result) and
// functions taking a router. It looks at signatures only.
func (st *state) exportedRoots() []*unit {
	if st.pass.Pkg.Name() == "main" {
		return nil
	}
	var out []*unit
	for _, u := range st.units {
		if u.Fn == nil || !u.Fn.Exported() || st.roles[u.Fn] != 0 {
			continue
		}
		sig := st.unitSig(u)
		if sig == nil {
			continue
		}
		root := sig.Results().Len() > 0 && registrable(sig.Results().At(0).Type())
		for i := 0; i < sig.Params().Len() && !root; i++ {
			root = st.routerish(sig.Params().At(i).Type())
		}
		if root {
			out = append(out, u)
		}
	}
	return out
}

// useCall handles r.M(..., w, ...) where w holds a wrapper, as a value
// (r.Use(m.Middleware), e.Use(echo.WrapMiddleware(m.Middleware))) or as
// the middleware a wrapper returns (r.Use(ginsession.Middleware(m))).
// What it serves depends on the method, as routers share these shapes:
// Use serves everything registered on r; Group, With and Route serve the
// router they return (g := e.Group("/g", w); r.With(w).Get(p, h)); any
// other method given handlers too serves those (e.GET(p, h, w),
// r.GET(p, w, h)); else r.
func (sv *serving) useCall(call *ast.CallExpr) {
	info := sv.st.pass.TypesInfo
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if s := info.Selections[sel]; !ok || s == nil || s.Kind() != types.MethodVal {
		sv.chainCall(call)
		return
	}
	var modes []mode
	var handlers []ast.Expr
	for _, a := range call.Args {
		if ms := sv.wrapperValue(a); len(ms) > 0 {
			modes = append(modes, ms...)
		} else if t := info.TypeOf(a); registrable(t) && !isMiddlewareType(t) {
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
			sv.serveOn(sel.X, m, call)
			sv.serveResult(call, m, call)
		case name == "Group" || name == "With" || name == "Route" || strings.HasPrefix(name, "SubGroup"):
			sv.serveResult(call, m, call)
		case len(handlers) > 0:
			for _, h := range handlers {
				sv.serve(h, m, h)
			}
		default:
			sv.serveOn(sel.X, m, call)
		}
	}
}

// chainCall handles a function given a wrapper as a value that returns a
// chain of middleware, not a handler (alice.New(m.Middleware, auth)):
// what the chain is then applied to (common.ThenFunc(h),
// alice.New(m.ReadOnly).Then(h)) is served in the wrapper's mode.
func (sv *serving) chainCall(call *ast.CallExpr) {
	info := sv.st.pass.TypesInfo
	if t := info.TypeOf(call); t == nil || registrable(t) {
		return
	}
	for _, a := range call.Args {
		for _, m := range sv.wrapperValue(a) {
			sv.serveResult(call, m, call)
		}
	}
}

// wrapperValue returns the modes of the wrappers a middleware argument
// holds: a wrapper as a value (m.Middleware, also through adapters such
// as echo.WrapMiddleware), or the middleware a wrapper returns when what
// it serves is not a handler (ginsession.Middleware(m) serves the rest of
// gin's chain).
func (sv *serving) wrapperValue(a ast.Expr) []mode {
	st := sv.st
	info := st.pass.TypesInfo
	if !registrable(info.TypeOf(a)) {
		return nil
	}
	if call, ok := ast.Unparen(a).(*ast.CallExpr); ok {
		if fn := st.calleeOf(call); fn != nil {
			if w, ok := st.wrapperOf(fn); ok {
				if w.arg >= len(call.Args) || !registrable(info.TypeOf(call.Args[w.arg])) {
					return []mode{w.m}
				}
				return nil // applied to a handler: served by the wrapper itself
			}
		}
	}
	var modes []mode
	sv.values(a, make(map[any]bool), func(t target) {
		if fn := t.function(); fn != nil {
			if w, ok := st.wrapperOf(fn); ok {
				modes = append(modes, w.m)
			}
		}
	})
	return modes
}

// serveOn serves the router an expression denotes: a variable, field or
// parameter, or the result of a call (r.Group("/x").Use(w)).
func (sv *serving) serveOn(x ast.Expr, m mode, at ast.Expr) {
	if call, ok := ast.Unparen(x).(*ast.CallExpr); ok {
		sv.serveResult(call, m, at)
		return
	}
	if recv := sv.vf.objOf(x); recv != nil {
		sv.serveTarget(target{box: recv}, m, at)
	}
}

// serveResult serves the router a call returns: the variables it is
// assigned to, and the calls made on it directly (r.With(w).Get(p, h)).
func (sv *serving) serveResult(call *ast.CallExpr, m mode, at ast.Expr) {
	for _, sub := range sv.vf.results[call] {
		sv.serveTarget(target{box: sub}, m, at)
	}
	for _, c := range sv.vf.chained[call] {
		sv.serveCallOn(c, m, c)
	}
	for _, p := range sv.vf.callArgs[call] {
		sv.serveTarget(target{box: p}, m, at) // NewRouter(e.Group(""))
	}
}

// serveCallOn serves what a call on a served router registers: its
// handler arguments, and the router it returns (at is the registration
// that served the router).
func (sv *serving) serveCallOn(call *ast.CallExpr, m mode, at ast.Expr) {
	st := sv.st
	if fn := st.calleeOf(call); fn != nil {
		if _, ok := st.wrapperOf(fn); ok {
			return
		}
	}
	for _, a := range call.Args {
		if registrable(st.pass.TypesInfo.TypeOf(a)) {
			sv.serve(a, m, a)
		}
	}
	sv.serveResult(call, m, at)
}

// isMiddlewareType reports whether t adapts a handler into another
// (echo.MiddlewareFunc, func(http.Handler) http.Handler).
func isMiddlewareType(t types.Type) bool {
	sig, ok := t.Underlying().(*types.Signature)
	return ok && isMiddlewareSig(sig)
}

// wrapperCall reports whether call applies a serve wrapper: statically,
// through an interface whose implementations in sight wrap, or through a
// function value that holds one.
func (sv *serving) wrapperCall(call *ast.CallExpr) (wrap, bool) {
	st := sv.st
	if w, ok, named := st.namedWrapperCall(call); named {
		return w, ok
	}
	var found wrap
	ok := false
	sv.values(call.Fun, make(map[any]bool), func(t target) {
		if fn := t.function(); fn != nil && !ok {
			found, ok = st.wrapperOf(fn)
		}
	})
	return found, ok
}

// namedWrapperCall reports whether call applies a serve wrapper it names:
// statically, or through an interface whose implementations in sight
// wrap. named is false for a call of a function value, which it leaves to
// the caller.
func (st *state) namedWrapperCall(call *ast.CallExpr) (w wrap, ok, named bool) {
	if fn := st.calleeOf(call); fn != nil {
		w, ok = st.wrapperOf(fn)
		return w, ok, true
	}
	m := st.ifaceMethod(call.Fun)
	if m == nil {
		return wrap{}, false, false
	}
	for _, impl := range st.implsOf(m) {
		if w, ok := st.wrapperOf(impl); ok {
			return w, true, true
		}
	}
	return wrap{}, false, true
}

// wrapperOf reports whether fn is a serve wrapper: by directive, by fact,
// or derived in this package (a function that passes a parameter to one).
func (st *state) wrapperOf(fn *types.Func) (wrap, bool) {
	if w, ok := st.wrappers[fn]; ok {
		return w, true
	}
	f := st.factOf(fn)
	if f == nil {
		return wrap{}, false
	}
	if m := roleMode(f.Role); m != 0 {
		return wrap{m, 0}, true
	}
	if f.Serve != 0 {
		return wrap{mode(f.Serve), int(f.ServeArg)}, true
	}
	return wrap{}, false
}

// deriveWrappers finds the package's functions that hand a parameter to a
// wrapper, as in an app type hiding the Manager behind its own Middleware
// method. They are wrappers in their own right, here and, through facts,
// in importers.
func (st *state) deriveWrappers(vf *valueFlow) {
	st.wrappers = make(map[*types.Func]wrap)
	for changed := true; changed; {
		changed = false
		for _, call := range vf.all {
			u := vf.owner[call]
			if u == nil || u.Fn == nil || u.Decl == nil {
				continue
			}
			if _, done := st.wrappers[u.Fn]; done {
				continue
			}
			w, ok, _ := st.namedWrapperCall(call)
			if !ok || w.arg >= len(call.Args) {
				continue
			}
			v, _ := vf.objOf(call.Args[w.arg]).(*types.Var)
			if v == nil || vf.params[v] != u {
				continue
			}
			if i := paramIndex(u.Fn, v); i >= 0 {
				st.wrappers[u.Fn] = wrap{w.m, i}
				changed = true
			}
		}
	}
}

// deriveChainWrappers finds the package's functions that return a
// framework middleware running the rest of the framework's chain inside a
// wrapper, as an app's own gin adapter does:
//
//	func sessions(m *session.Manager) gin.HandlerFunc {
//		return func(c *gin.Context) {
//			m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//				c.Request = r
//				c.Next()
//			})).ServeHTTP(c.Writer, c.Request)
//		}
//	}
//
// Such a function serves no parameter: the middleware it returns serves
// whatever the router it is given to runs after it (r.Use(sessions(m))).
func (st *state) deriveChainWrappers(vf *valueFlow) {
	info := st.pass.TypesInfo
	for _, call := range vf.all {
		w, ok, _ := st.namedWrapperCall(call)
		if !ok || w.arg >= len(call.Args) {
			continue
		}
		lit := litOf(info, call.Args[w.arg])
		if lit == nil || !callsNext(info, lit.Body) {
			continue
		}
		top := vf.owner[call]
		for top != nil && top.Parent != nil {
			top = st.parentOf(top)
		}
		if top == nil || top.Fn == nil {
			continue
		}
		sig := top.Fn.Type().(*types.Signature)
		if sig.Results().Len() == 1 && registrable(sig.Results().At(0).Type()) {
			if _, done := st.wrappers[top.Fn]; !done {
				st.wrappers[top.Fn] = wrap{w.m, sig.Params().Len()} // past the parameters: no handler argument
			}
		}
	}
}

// litOf returns the function literal e is, also through a conversion such
// as http.HandlerFunc(func(w, r) {...}).
func litOf(info *types.Info, e ast.Expr) *ast.FuncLit {
	switch x := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return x
	case *ast.CallExpr:
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return litOf(info, x.Args[0])
		}
	}
	return nil
}

// callsNext reports whether body calls Next on a framework context
// (gin's c.Next()): the rest of the framework's chain runs there.
func callsNext(info *types.Info, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && !found {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Next" && len(call.Args) == 0 {
				if t := info.TypeOf(sel.X); t != nil && carriesRequest(t) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

func paramIndex(fn *types.Func, v *types.Var) int {
	sig := fn.Type().(*types.Signature)
	for i := 0; i < sig.Params().Len(); i++ {
		if sig.Params().At(i) == v {
			return i
		}
	}
	return -1
}

// ifaceMethod returns the interface method a call or method value names,
// or nil.
func (st *state) ifaceMethod(e ast.Expr) *types.Func {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := st.pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal || !types.IsInterface(s.Recv()) {
		return nil
	}
	fn, _ := s.Obj().(*types.Func)
	return fn
}

// implsOf returns the methods that implement interface method m among the
// named types of this package and of the packages it imports. Only
// adapter-shaped methods are looked up: the analyzer follows interfaces
// only to find wrappers hidden behind an app's own Session type.
func (st *state) implsOf(m *types.Func) []*types.Func {
	if impls, ok := st.impls[m]; ok {
		return impls
	}
	if st.impls == nil {
		st.impls = make(map[*types.Func][]*types.Func)
	}
	sig := m.Type().(*types.Signature)
	var iface *types.Interface
	if sig.Recv() != nil {
		iface, _ = sig.Recv().Type().Underlying().(*types.Interface)
	}
	if iface == nil || !isMiddlewareSig(sig) {
		st.impls[m] = nil
		return nil
	}
	if st.named == nil {
		for _, p := range append([]*types.Package{st.pass.Pkg}, st.pass.Pkg.Imports()...) {
			scope := p.Scope()
			for _, name := range scope.Names() {
				tn, ok := scope.Lookup(name).(*types.TypeName)
				if !ok || tn.IsAlias() || types.IsInterface(tn.Type()) {
					continue
				}
				if n, ok := tn.Type().(*types.Named); ok && n.TypeParams().Len() == 0 && n.NumMethods() > 0 {
					st.named = append(st.named, n)
				}
			}
		}
	}
	var out []*types.Func
	for _, n := range st.named {
		ptr := types.NewPointer(n)
		if !types.Implements(ptr, iface) {
			continue
		}
		if obj, _, _ := types.LookupFieldOrMethod(ptr, true, m.Pkg(), m.Name()); obj != nil {
			if fn, ok := obj.(*types.Func); ok {
				out = append(out, fn)
			}
		}
	}
	st.impls[m] = out
	return out
}

// serve follows handler expression e, served in mode m; at is the
// registration, where handlers of other packages are judged.
func (sv *serving) serve(e ast.Expr, m mode, at ast.Expr) {
	seen := sv.seen[m]
	if seen == nil {
		seen = make(map[any]bool)
		sv.seen[m] = seen
	}
	sv.values(e, seen, func(t target) { sv.serveTarget(t, m, at) })
}

func (sv *serving) serveTarget(t target, m mode, at ast.Expr) {
	st := sv.st
	switch {
	case t.box != nil:
		if sv.boxes[t.box].has(m) {
			return
		}
		sv.boxes[t.box] |= 1 << m
		for _, call := range sv.vf.calls[t.box] {
			sv.serveCallOn(call, m, at) // routes, sub-routers, r.With(w).Get(p, h)
		}
		for _, p := range sv.vf.passed[t.box] {
			sv.serveTarget(target{box: p}, m, at) // addRoutes(mux)
		}
		for _, w := range sv.vf.into[t.box] {
			sv.serveTarget(target{box: w}, m, at) // &Router{Group: g}
		}
		if m != modeRemote {
			for _, use := range sv.vf.passedOut[t.box] {
				// api.Register(mux): the handlers another package registers.
				fn := st.calleeOf(use.call)
				if f := st.factOf(fn); f != nil && int(f.RegistersArg) == use.arg+1 && f.Registers != nil {
					st.judgeRemote(fn, f.Registers, "a handler registered by "+shortName(fn, st.pass.Pkg), m, use.call.Args[use.arg])
				}
			}
		}
	case t.u != nil:
		u := t.u
		if u.NotHandler {
			return // run by go or defer: never in a request's lock state of its own
		}
		sig := st.unitSig(u)
		if sig != nil && isMiddlewareSig(sig) {
			for _, r := range sv.vf.returns[u] {
				sv.serve(r, m, at) // an adapter: what it returns is served
			}
			return
		}
		if boxes := sv.setupParams(sig); len(boxes) > 0 {
			for _, b := range boxes {
				sv.serveTarget(target{box: b}, m, at) // r.Route("/x", func(r Router) {...})
			}
			return
		}
		first := !sv.units[u].has(m)
		sv.units[u] |= 1 << m
		if first && sv.collect != nil {
			sv.collect(u)
		}
		if t.via != nil {
			if sv.bound[boundKey{t.via, m}] {
				t.via = nil
			} else {
				sv.bound[boundKey{t.via, m}] = true
			}
		}
		if !first && t.via == nil || m == modeRemote {
			return // an importer binds what the handler calls through values
		}
		// What a handler calls through a function value or a handler
		// interface runs in its mode too: next.ServeHTTP(w, r), f(app, w, r).
		// A parameter of the factory that returned the handler is what
		// that factory call passed (Web(a, viewLogin)).
		for _, call := range sv.vf.dyn[u] {
			fun := call.Fun
			if sel, ok := ast.Unparen(fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "ServeHTTP" && st.ifaceMethod(sel) != nil {
				fun = sel.X
			}
			if a := sv.boundArg(t.via, fun); a != nil {
				sv.serve(a, m, at)
			} else if first {
				sv.serve(fun, m, at)
			}
		}
	case t.fn != nil:
		if m == modeRemote {
			return
		}
		if _, ok := st.wrapperOf(t.fn); ok {
			return
		}
		if sig, ok := t.fn.Type().(*types.Signature); ok && isMiddlewareSig(sig) {
			return
		}
		if t.named != nil {
			at = t.named // reported where the handler is named, not where an adapter serves it
		}
		st.judgeRemote(t.fn, st.factOf(t.fn), "handler "+shortName(t.fn, st.pass.Pkg), m, at)
	case t.result != nil:
		if m == modeRemote {
			return
		}
		if f := st.factOf(t.result); f != nil && f.Result != nil {
			st.judgeRemote(t.result, f.Result, "handler returned by "+shortName(t.result, st.pass.Pkg), m, at)
		}
	}
}

// boundArg returns the argument that factory call via passed for the
// parameter e names, or nil.
func (sv *serving) boundArg(via *ast.CallExpr, e ast.Expr) ast.Expr {
	if via == nil {
		return nil
	}
	v, _ := sv.vf.objOf(e).(*types.Var)
	if ru := sv.vf.recvs[v]; ru != nil && sv.st.byFunc[sv.st.calleeOf(via)] == ru {
		if sel, ok := ast.Unparen(via.Fun).(*ast.SelectorExpr); ok {
			return sel.X // Handler(h).toEchoHandler(): the receiver is the handler
		}
	}
	fu := sv.vf.params[v]
	if v == nil || fu == nil || fu.Fn == nil || sv.st.byFunc[sv.st.calleeOf(via)] != fu {
		return nil
	}
	if i := paramIndex(fu.Fn, v); i >= 0 && i < len(via.Args) {
		return via.Args[i]
	}
	return nil
}

// setupParams returns the router parameters of a route callback, such as
// r.Route("/x", func(r Router) {...}): a function that takes a router is
// setup code, and handlers registered on its parameter are served.
func (sv *serving) setupParams(sig *types.Signature) []types.Object {
	if sig == nil || handlerParams(sig) {
		return nil
	}
	var out []types.Object
	for i := 0; i < sig.Params().Len(); i++ {
		if p := sig.Params().At(i); sv.st.routerish(p.Type()) {
			out = append(out, p)
		}
	}
	return out
}

// routerish reports whether t registers handlers: it has a method taking a
// pattern and a handler, as Get(pattern string, h http.HandlerFunc) does.
// Answers are cached per type.
func (st *state) routerish(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic, *types.Signature, *types.Slice, *types.Map, *types.Array, *types.Chan:
		return false
	case *types.Pointer:
		if _, ok := types.Unalias(u.Elem()).(*types.Named); !ok {
			return false
		}
	}
	if r, ok := st.routers[t]; ok {
		return r
	}
	r := routerMethods(t)
	if st.routers == nil {
		st.routers = make(map[types.Type]bool)
	}
	st.routers[t] = r
	return r
}

func routerMethods(t types.Type) bool {
	ms := types.NewMethodSet(t)
	if !types.IsInterface(t) {
		if _, isPtr := t.(*types.Pointer); !isPtr {
			ms = types.NewMethodSet(types.NewPointer(t))
		}
	}
	for i := 0; i < ms.Len(); i++ {
		sig, ok := ms.At(i).Type().(*types.Signature)
		if !ok {
			continue
		}
		str, h := false, false
		for j := 0; j < sig.Params().Len(); j++ {
			pt := sig.Params().At(j).Type()
			if b, ok := pt.Underlying().(*types.Basic); ok && b.Kind() == types.String {
				str = true
			} else if registrable(pt) {
				h = true
			}
		}
		if str && h {
			return true
		}
	}
	return false
}

// values calls visit for every target expression e may evaluate to.
func (sv *serving) values(e ast.Expr, seen map[any]bool, visit func(target)) {
	if e == nil || seen[e] {
		return
	}
	seen[e] = true
	st, vf := sv.st, sv.vf
	info := st.pass.TypesInfo
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.FuncLit:
		if u := st.byLit[x]; u != nil {
			visit(target{u: u})
		}
		return
	case *ast.Ident, *ast.SelectorExpr:
		id, _ := x.(*ast.Ident)
		if sel, ok := x.(*ast.SelectorExpr); ok {
			id = sel.Sel
		}
		if fn, ok := info.Uses[id].(*types.Func); ok {
			if sel, ok := x.(*ast.SelectorExpr); ok && fn.Name() == "ServeHTTP" {
				if recv := vf.objOf(sel.X); recv != nil && st.routerish(recv.Type()) {
					visit(target{box: recv}) // mid.Use(router.ServeHTTP, ...): the router is served
					return
				}
			}
			sv.funcTargets(fn, x, visit)
			return
		}
		if sel, ok := x.(*ast.SelectorExpr); ok && sv.fieldValues(sel, seen, visit) {
			return
		}
		if obj := vf.objOf(x); obj != nil {
			sv.varValues(obj, seen, visit)
		}
	case *ast.CallExpr:
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() {
			if len(x.Args) == 1 {
				sv.values(x.Args[0], seen, visit) // http.HandlerFunc(f)
			}
			return
		}
		sv.callValues(x, seen, visit)
		return
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			sv.values(x.X, seen, visit)
		}
	case *ast.StarExpr:
		sv.values(x.X, seen, visit)
	case *ast.TypeAssertExpr:
		sv.values(x.X, seen, visit)
	case *ast.IndexExpr:
		if _, ok := info.Types[x.X].Type.(*types.Signature); ok {
			sv.values(x.X, seen, visit) // an instantiated generic function
			return
		}
		sv.elemValues(x.X, seen, visit)
	case *ast.IndexListExpr:
		sv.values(x.X, seen, visit)
		return
	}
	// A value of a concrete type with a ServeHTTP method: that method serves.
	if t := info.TypeOf(e); t != nil && !types.IsInterface(t) {
		if m := serveHTTPOf(t, st.pass.Pkg); m != nil {
			sv.funcTargets(m, nil, visit)
		}
	}
}

// funcTargets visits a function named as a value: its unit when declared
// here, the implementations in sight of an interface method value.
func (sv *serving) funcTargets(fn *types.Func, at ast.Expr, visit func(target)) {
	st := sv.st
	if at != nil {
		if m := st.ifaceMethod(at); m != nil {
			for _, impl := range st.implsOf(m) {
				sv.funcTargets(impl, nil, visit)
			}
			return
		}
	}
	fn = fn.Origin()
	if u := st.byFunc[fn]; u != nil {
		visit(target{u: u})
		return
	}
	visit(target{fn: fn, named: at})
}

// callValues visits what a call may return: what a factory of this
// package returns, the handlers a function of another package returns
// (from its fact), and, for a call whose body is not in sight, the handler
// arguments it is given (an adapter such as http.StripPrefix wraps them).
func (sv *serving) callValues(call *ast.CallExpr, seen map[any]bool, visit func(target)) {
	st, vf := sv.st, sv.vf
	info := st.pass.TypesInfo
	if st.ifaceMethod(call.Fun) != nil {
		return
	}
	adapter := func() {
		for _, a := range call.Args {
			if registrable(info.TypeOf(a)) {
				sv.values(a, seen, visit)
			}
		}
	}
	if fn := st.calleeOf(call); fn != nil {
		if _, ok := st.wrapperOf(fn); ok {
			return // served by the wrapper, in its mode
		}
		if u := st.byFunc[fn]; u != nil && u.Decl != nil {
			for _, t := range sv.factoryTargets(u) {
				if t.u != nil && t.u.Lit != nil && t.via == nil {
					t.via = call // this call binds the factory's parameters
				}
				visit(t)
			}
			return
		}
		if fn.Pkg() != nil && fn.Pkg() != st.pass.Pkg {
			visit(target{result: fn})
		}
		adapter()
		return
	}
	// A call of a function value: what its possible targets return.
	sv.values(call.Fun, seen, func(t target) {
		switch {
		case t.u != nil:
			for _, r := range vf.returns[t.u] {
				sv.values(r, seen, visit)
			}
		case t.fn != nil:
			if _, ok := st.wrapperOf(t.fn); !ok {
				visit(target{result: t.fn})
			}
		}
	})
	adapter()
}

// factoryTargets returns what a function of this package returns,
// computed once per function.
func (sv *serving) factoryTargets(u *unit) []target {
	if ts, ok := sv.factories[u]; ok {
		return ts
	}
	sv.factories[u] = nil // a recursive factory sees nothing more of itself
	var ts []target
	seen := make(map[any]bool)
	for _, r := range sv.vf.returns[u] {
		sv.values(r, seen, func(t target) { ts = append(ts, t) })
	}
	sv.factories[u] = ts
	return ts
}

// varValues visits what a variable, field or parameter may hold, and the
// variable itself as a router when it is not a function.
func (sv *serving) varValues(obj types.Object, seen map[any]bool, visit func(target)) {
	if seen[obj] {
		return
	}
	seen[obj] = true
	vf := sv.vf
	if _, isFunc := obj.Type().Underlying().(*types.Signature); !isFunc {
		visit(target{box: obj})
	}
	for _, s := range vf.stores[obj] {
		sv.values(s, seen, visit)
	}
	if x := vf.ranged[obj]; x != nil {
		sv.elemValues(x, seen, visit)
	}
	if v, ok := obj.(*types.Var); ok {
		for _, a := range vf.args[v] {
			sv.values(a, seen, visit)
		}
	}
}

// fieldValues visits the values of field selection sel when its operand
// is known to be one of some composite literals (rt.handler, rt ranging
// over a route table): the field of those literals, not every value ever
// stored in that field of any struct. It reports false when the operand's
// literals are not all in sight.
func (sv *serving) fieldValues(sel *ast.SelectorExpr, seen map[any]bool, visit func(target)) bool {
	s := sv.st.pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal || len(s.Index()) != 1 {
		return false
	}
	var lits []*ast.CompositeLit
	if !sv.structLits(sel.X, 0, &lits) || len(lits) == 0 {
		return false
	}
	field := s.Obj().(*types.Var)
	for _, lit := range lits {
		for i, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && id.Name == field.Name() {
					sv.values(kv.Value, seen, visit)
				}
			} else if i == s.Index()[0] {
				sv.values(elt, seen, visit)
			}
		}
	}
	return true
}

// structLits collects the composite literals a struct value may be; it
// reports false when some source is not a literal in sight.
func (sv *serving) structLits(e ast.Expr, depth int, out *[]*ast.CompositeLit) bool {
	if depth > 8 {
		return false
	}
	vf := sv.vf
	switch x := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		*out = append(*out, x)
		return true
	case *ast.UnaryExpr:
		return x.Op == token.AND && sv.structLits(x.X, depth+1, out)
	case *ast.IndexExpr:
		return sv.elemLits(x.X, depth+1, out)
	case *ast.Ident:
		obj := vf.objOf(x)
		if obj == nil {
			return false
		}
		if v, ok := obj.(*types.Var); ok && vf.params[v] != nil {
			return false
		}
		if r := vf.ranged[obj]; r != nil {
			return sv.elemLits(r, depth+1, out)
		}
		if len(vf.stores[obj]) == 0 {
			return false
		}
		for _, st := range vf.stores[obj] {
			if !sv.structLits(st, depth+1, out) {
				return false
			}
		}
		return true
	}
	return false
}

// elemLits collects the composite literals stored as elements of a slice,
// array or map expression.
func (sv *serving) elemLits(e ast.Expr, depth int, out *[]*ast.CompositeLit) bool {
	if depth > 8 {
		return false
	}
	vf := sv.vf
	switch x := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		for _, elt := range x.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if !sv.structLits(elt, depth+1, out) {
				return false
			}
		}
		return true
	case *ast.Ident, *ast.SelectorExpr:
		obj := vf.objOf(x)
		if obj == nil || len(vf.stores[obj]) == 0 {
			return false
		}
		if v, ok := obj.(*types.Var); ok && vf.params[v] != nil {
			return false
		}
		for _, st := range vf.stores[obj] {
			if !sv.elemLits(st, depth+1, out) {
				return false
			}
		}
		for _, st := range vf.elems[obj] {
			if !sv.structLits(st, depth+1, out) {
				return false
			}
		}
		return true
	}
	return false
}

// elemValues visits the targets stored as elements of a slice, array or
// map expression: route tables.
func (sv *serving) elemValues(e ast.Expr, seen map[any]bool, visit func(target)) {
	k := elemKey{e}
	if seen[k] {
		return
	}
	seen[k] = true
	st, vf := sv.st, sv.vf
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.CompositeLit:
		for _, elt := range x.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			sv.values(elt, seen, visit)
		}
		return
	case *ast.CallExpr:
		if isBuiltin(st.pass.TypesInfo, ast.Unparen(x.Fun)) && len(x.Args) > 0 {
			sv.elemValues(x.Args[0], seen, visit) // append(routes, r...)
			for _, a := range x.Args[1:] {
				if x.Ellipsis.IsValid() {
					sv.elemValues(a, seen, visit)
				} else {
					sv.values(a, seen, visit)
				}
			}
			return
		}
		if fn := st.calleeOf(x); fn != nil {
			if u := st.byFunc[fn]; u != nil {
				for _, r := range vf.returns[u] {
					sv.elemValues(r, seen, visit)
				}
			}
		}
		return
	}
	obj := vf.objOf(e)
	if obj == nil {
		return
	}
	ko := elemKey{obj}
	if seen[ko] {
		return
	}
	seen[ko] = true
	for _, s := range vf.stores[obj] {
		sv.elemValues(s, seen, visit)
	}
	for _, s := range vf.elems[obj] {
		sv.values(s, seen, visit)
	}
	if v, ok := obj.(*types.Var); ok {
		for _, a := range vf.args[v] {
			sv.elemValues(a, seen, visit)
		}
	}
}

// exportedResult follows what an exported function returns: handlers an
// importer may serve in any mode. They are not judged here; the function's
// fact describes them for the importer to judge at its registration.
func (st *state) exportedResult(sv *serving, u *unit) {
	var served []*unit
	sv.collect = func(h *unit) { served = append(served, h) }
	seen := make(map[any]bool)
	for _, r := range sv.vf.returns[u] {
		sv.values(r, seen, func(t target) { sv.serveTarget(t, modeRemote, r) })
	}
	sv.collect = nil
	if len(served) > 0 {
		st.results[u.Fn] = served
	}
}

// exportedRegistrations follows the handlers an exported function
// registers on a router it is given (Register(mux)): the importer that
// passes its router knows their mode.
func (st *state) exportedRegistrations(sv *serving, u *unit) {
	sig := st.unitSig(u)
	if sig == nil {
		return
	}
	for i := 0; i < sig.Params().Len(); i++ {
		p := sig.Params().At(i)
		if len(sv.vf.calls[p]) == 0 && len(sv.vf.passed[p]) == 0 || !st.routerish(p.Type()) {
			continue
		}
		var served []*unit
		sv.collect = func(h *unit) { served = append(served, h) }
		sv.serveTarget(target{box: p}, modeRemote, nil)
		sv.collect = nil
		if len(served) > 0 {
			st.registers[u.Fn] = registered{i, served}
			return
		}
	}
}

// serveHTTPOf returns the ServeHTTP method of a concrete type, or nil.
func serveHTTPOf(t types.Type, from *types.Package) *types.Func {
	obj, _, _ := types.LookupFieldOrMethod(t, true, from, "ServeHTTP")
	fn, ok := obj.(*types.Func)
	if !ok || !isHandlerSig(fn.Type()) {
		return nil
	}
	return fn
}

// registrable reports whether a value of type t can be registered as a
// handler: a function, or a type with a ServeHTTP method.
func registrable(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, ok := t.Underlying().(*types.Signature); ok {
		return true
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "ServeHTTP")
	_, ok := obj.(*types.Func)
	return ok
}

// isMiddlewareSig reports whether sig adapts one handler into another, as
// func(http.Handler) http.Handler does: its result, not itself, is served.
func isMiddlewareSig(sig *types.Signature) bool {
	return sig.Params().Len() == 1 && sig.Results().Len() == 1 &&
		registrable(sig.Params().At(0).Type()) && registrable(sig.Results().At(0).Type())
}
