package serving

import (
	"go/ast"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// Wrappers: the functions that serve a handler in a mode, by directive or
// fact, derived from the package's own functions, or found behind an
// interface of the app.

// wrapperCall reports whether call applies a serve wrapper: statically,
// through an interface whose implementations in sight wrap, or through a
// function value that holds one.
func (b *builder) wrapperCall(call *ast.CallExpr) (Wrap, bool) {
	if w, ok, named := b.namedWrapperCall(call); named {
		return w, ok
	}
	var found Wrap
	ok := false
	b.values(call.Fun, make(map[any]bool), func(t target) {
		if fn := t.function(); fn != nil && !ok {
			found, ok = b.wrapperOf(fn)
		}
	})
	return found, ok
}

// namedWrapperCall reports whether call applies a serve wrapper it names:
// statically, or through an interface whose implementations in sight
// wrap. named is false for a call of a function value, which it leaves to
// the caller.
func (b *builder) namedWrapperCall(call *ast.CallExpr) (w Wrap, ok, named bool) {
	if fn := b.callee(call); fn != nil {
		w, ok = b.wrapperOf(fn)
		return w, ok, true
	}
	m := b.ifaceMethod(call.Fun)
	if m == nil {
		return Wrap{}, false, false
	}
	for _, impl := range b.implsOf(m) {
		if w, ok := b.wrapperOf(impl); ok {
			return w, true, true
		}
	}
	return Wrap{}, false, true
}

// wrapperOf reports whether fn is a serve wrapper: derived in this package
// (a function that passes a parameter to one), or by directive or fact.
func (b *builder) wrapperOf(fn *types.Func) (Wrap, bool) {
	if w, ok := b.out.Wrappers[fn]; ok {
		return w, true
	}
	return b.p.Facts.Wrapper(fn)
}

// deriveWrappers finds the package's functions that hand a parameter to a
// wrapper, as in an app type hiding the Manager behind its own Middleware
// method. They are wrappers in their own right, here and, through facts,
// in importers.
func (b *builder) deriveWrappers() {
	vf := b.vf
	for changed := true; changed; {
		changed = false
		for _, call := range vf.All {
			u := vf.Owner[call]
			if u == nil || u.Fn == nil || u.Decl == nil {
				continue
			}
			if _, done := b.out.Wrappers[u.Fn]; done {
				continue
			}
			w, ok, _ := b.namedWrapperCall(call)
			if !ok || w.Arg >= len(call.Args) {
				continue
			}
			v, _ := vf.ObjOf(call.Args[w.Arg]).(*types.Var)
			if v == nil || vf.Params[v] != u {
				continue
			}
			if i := funcs.ParamIndex(u.Fn, v); i >= 0 {
				b.out.Wrappers[u.Fn] = Wrap{w.Mode, i}
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
func (b *builder) deriveChainWrappers() {
	info, vf := b.p.Info, b.vf
	for _, call := range vf.All {
		w, ok, _ := b.namedWrapperCall(call)
		if !ok || w.Arg >= len(call.Args) {
			continue
		}
		lit := litOf(info, call.Args[w.Arg])
		if lit == nil || !callsNext(info, lit.Body) {
			continue
		}
		top := vf.Owner[call]
		if top == nil || top.Top().Fn == nil {
			continue
		}
		top = top.Top()
		sig := top.Fn.Type().(*types.Signature)
		if sig.Results().Len() == 1 && httpshape.Registrable(sig.Results().At(0).Type()) {
			if _, done := b.out.Wrappers[top.Fn]; !done {
				b.out.Wrappers[top.Fn] = Wrap{w.Mode, sig.Params().Len()} // past the parameters: no handler argument
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
				if t := info.TypeOf(sel.X); t != nil && httpshape.CarriesRequest(t) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// implsOf returns the methods that implement interface method m among the
// named types of this package and of the packages it imports. Only
// adapter-shaped methods are looked up: the analyzer follows interfaces
// only to find wrappers hidden behind an app's own Session type.
func (b *builder) implsOf(m *types.Func) []*types.Func {
	if impls, ok := b.impls[m]; ok {
		return impls
	}
	if b.impls == nil {
		b.impls = make(map[*types.Func][]*types.Func)
	}
	sig := m.Type().(*types.Signature)
	var iface *types.Interface
	if sig.Recv() != nil {
		iface, _ = sig.Recv().Type().Underlying().(*types.Interface)
	}
	if iface == nil || !httpshape.IsMiddleware(sig) {
		b.impls[m] = nil
		return nil
	}
	if b.named == nil {
		for _, p := range append([]*types.Package{b.p.Pkg}, b.p.Pkg.Imports()...) {
			scope := p.Scope()
			for _, name := range scope.Names() {
				tn, ok := scope.Lookup(name).(*types.TypeName)
				if !ok || tn.IsAlias() || types.IsInterface(tn.Type()) {
					continue
				}
				if n, ok := tn.Type().(*types.Named); ok && n.TypeParams().Len() == 0 && n.NumMethods() > 0 {
					b.named = append(b.named, n)
				}
			}
		}
	}
	var out []*types.Func
	for _, n := range b.named {
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
	b.impls[m] = out
	return out
}
