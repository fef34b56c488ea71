package serving

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// Values: the targets an expression may evaluate to, followed backwards
// through the package's value flow.

// values calls visit for every target expression e may evaluate to.
func (b *builder) values(e ast.Expr, seen map[any]bool, visit func(target)) {
	if e == nil || seen[e] {
		return
	}
	seen[e] = true
	vf := b.vf
	info := b.p.Info
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.FuncLit:
		if u := b.p.Funcs.ByLit[x]; u != nil {
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
				if recv := vf.ObjOf(sel.X); recv != nil && b.routers.Is(recv.Type()) {
					visit(target{box: recv}) // mid.Use(router.ServeHTTP, ...): the router is served
					return
				}
			}
			b.funcTargets(fn, x, visit)
			return
		}
		if sel, ok := x.(*ast.SelectorExpr); ok && b.fieldValues(sel, seen, visit) {
			return
		}
		if obj := vf.ObjOf(x); obj != nil {
			b.varValues(obj, seen, visit)
		}
	case *ast.CallExpr:
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() {
			if len(x.Args) == 1 {
				b.values(x.Args[0], seen, visit) // http.HandlerFunc(f)
			}
			return
		}
		b.callValues(x, seen, visit)
		return
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			b.values(x.X, seen, visit)
		}
	case *ast.StarExpr:
		b.values(x.X, seen, visit)
	case *ast.TypeAssertExpr:
		b.values(x.X, seen, visit)
	case *ast.IndexExpr:
		if _, ok := info.Types[x.X].Type.(*types.Signature); ok {
			b.values(x.X, seen, visit) // an instantiated generic function
			return
		}
		b.elemValues(x.X, seen, visit)
	case *ast.IndexListExpr:
		b.values(x.X, seen, visit)
		return
	}
	// A value of a concrete type with a ServeHTTP method: that method serves.
	if t := info.TypeOf(e); t != nil && !types.IsInterface(t) {
		if m := httpshape.ServeHTTPOf(t, b.p.Pkg); m != nil {
			b.funcTargets(m, nil, visit)
		}
	}
}

// funcTargets visits a function named as a value: its unit when declared
// here, the implementations in sight of an interface method value.
func (b *builder) funcTargets(fn *types.Func, at ast.Expr, visit func(target)) {
	if at != nil {
		if m := b.ifaceMethod(at); m != nil {
			for _, impl := range b.implsOf(m) {
				b.funcTargets(impl, nil, visit)
			}
			return
		}
	}
	fn = fn.Origin()
	if u := b.p.Funcs.ByFunc[fn]; u != nil {
		visit(target{u: u})
		return
	}
	visit(target{fn: fn, named: at})
}

// callValues visits what a call may return: what a factory of this
// package returns, the handlers a function of another package returns
// (from its fact), and, for a call whose body is not in sight, the handler
// arguments it is given (an adapter such as http.StripPrefix wraps them).
func (b *builder) callValues(call *ast.CallExpr, seen map[any]bool, visit func(target)) {
	vf := b.vf
	info := b.p.Info
	if b.ifaceMethod(call.Fun) != nil {
		return
	}
	adapter := func() {
		for _, a := range call.Args {
			if httpshape.Registrable(info.TypeOf(a)) {
				b.values(a, seen, visit)
			}
		}
	}
	if fn := b.callee(call); fn != nil {
		if _, ok := b.wrapperOf(fn); ok {
			return // served by the wrapper, in its mode
		}
		if u := b.p.Funcs.ByFunc[fn]; u != nil && u.Decl != nil {
			for _, t := range b.factoryTargets(u) {
				if t.u != nil && t.u.Lit != nil && t.via == nil {
					t.via = call // this call binds the factory's parameters
				}
				visit(t)
			}
			return
		}
		if fn.Pkg() != nil && fn.Pkg() != b.p.Pkg {
			visit(target{result: fn})
		}
		adapter()
		return
	}
	// A call of a function value: what its possible targets return.
	b.values(call.Fun, seen, func(t target) {
		switch {
		case t.u != nil:
			for _, r := range vf.Returns[t.u] {
				b.values(r, seen, visit)
			}
		case t.fn != nil:
			if _, ok := b.wrapperOf(t.fn); !ok {
				visit(target{result: t.fn})
			}
		}
	})
	adapter()
}

// factoryTargets returns what a function of this package returns,
// computed once per function.
func (b *builder) factoryTargets(u *funcs.Func) []target {
	if ts, ok := b.factories[u]; ok {
		return ts
	}
	b.factories[u] = nil // a recursive factory sees nothing more of itself
	var ts []target
	seen := make(map[any]bool)
	for _, r := range b.vf.Returns[u] {
		b.values(r, seen, func(t target) { ts = append(ts, t) })
	}
	b.factories[u] = ts
	return ts
}

// varValues visits what a variable, field or parameter may hold, and the
// variable itself as a router when it is not a function.
func (b *builder) varValues(obj types.Object, seen map[any]bool, visit func(target)) {
	if seen[obj] {
		return
	}
	seen[obj] = true
	vf := b.vf
	if _, isFunc := obj.Type().Underlying().(*types.Signature); !isFunc {
		visit(target{box: obj})
	}
	for _, s := range vf.Stores[obj] {
		b.values(s, seen, visit)
	}
	if x := vf.Ranged[obj]; x != nil {
		b.elemValues(x, seen, visit)
	}
	if v, ok := obj.(*types.Var); ok {
		for _, a := range vf.Args[v] {
			b.values(a, seen, visit)
		}
	}
}

// fieldValues visits the values of field selection sel when its operand
// is known to be one of some composite literals (rt.handler, rt ranging
// over a route table): the field of those literals, not every value ever
// stored in that field of any struct. It reports false when the operand's
// literals are not all in sight.
func (b *builder) fieldValues(sel *ast.SelectorExpr, seen map[any]bool, visit func(target)) bool {
	s := b.p.Info.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal || len(s.Index()) != 1 {
		return false
	}
	var lits []*ast.CompositeLit
	if !b.structLits(sel.X, 0, &lits) || len(lits) == 0 {
		return false
	}
	field := s.Obj().(*types.Var)
	for _, lit := range lits {
		for i, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && id.Name == field.Name() {
					b.values(kv.Value, seen, visit)
				}
			} else if i == s.Index()[0] {
				b.values(elt, seen, visit)
			}
		}
	}
	return true
}

// structLits collects the composite literals a struct value may be; it
// reports false when some source is not a literal in sight.
func (b *builder) structLits(e ast.Expr, depth int, out *[]*ast.CompositeLit) bool {
	if depth > 8 {
		return false
	}
	vf := b.vf
	switch x := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		*out = append(*out, x)
		return true
	case *ast.UnaryExpr:
		return x.Op == token.AND && b.structLits(x.X, depth+1, out)
	case *ast.IndexExpr:
		return b.elemLits(x.X, depth+1, out)
	case *ast.Ident:
		obj := vf.ObjOf(x)
		if obj == nil {
			return false
		}
		if v, ok := obj.(*types.Var); ok && vf.Params[v] != nil {
			return false
		}
		if r := vf.Ranged[obj]; r != nil {
			return b.elemLits(r, depth+1, out)
		}
		if len(vf.Stores[obj]) == 0 {
			return false
		}
		for _, s := range vf.Stores[obj] {
			if !b.structLits(s, depth+1, out) {
				return false
			}
		}
		return true
	}
	return false
}

// elemLits collects the composite literals stored as elements of a slice,
// array or map expression.
func (b *builder) elemLits(e ast.Expr, depth int, out *[]*ast.CompositeLit) bool {
	if depth > 8 {
		return false
	}
	vf := b.vf
	switch x := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		for _, elt := range x.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			if !b.structLits(elt, depth+1, out) {
				return false
			}
		}
		return true
	case *ast.Ident, *ast.SelectorExpr:
		obj := vf.ObjOf(x)
		if obj == nil || len(vf.Stores[obj]) == 0 {
			return false
		}
		if v, ok := obj.(*types.Var); ok && vf.Params[v] != nil {
			return false
		}
		for _, s := range vf.Stores[obj] {
			if !b.elemLits(s, depth+1, out) {
				return false
			}
		}
		for _, s := range vf.Elems[obj] {
			if !b.structLits(s, depth+1, out) {
				return false
			}
		}
		return true
	}
	return false
}

// elemValues visits the targets stored as elements of a slice, array or
// map expression: route tables.
func (b *builder) elemValues(e ast.Expr, seen map[any]bool, visit func(target)) {
	k := elemKey{e}
	if seen[k] {
		return
	}
	seen[k] = true
	vf := b.vf
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.CompositeLit:
		for _, elt := range x.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				elt = kv.Value
			}
			b.values(elt, seen, visit)
		}
		return
	case *ast.CallExpr:
		if funcs.IsBuiltin(b.p.Info, ast.Unparen(x.Fun)) && len(x.Args) > 0 {
			b.elemValues(x.Args[0], seen, visit) // append(routes, r...)
			for _, a := range x.Args[1:] {
				if x.Ellipsis.IsValid() {
					b.elemValues(a, seen, visit)
				} else {
					b.values(a, seen, visit)
				}
			}
			return
		}
		if fn := b.callee(x); fn != nil {
			if u := b.p.Funcs.ByFunc[fn]; u != nil {
				for _, r := range vf.Returns[u] {
					b.elemValues(r, seen, visit)
				}
			}
		}
		return
	}
	obj := vf.ObjOf(e)
	if obj == nil {
		return
	}
	ko := elemKey{obj}
	if seen[ko] {
		return
	}
	seen[ko] = true
	for _, s := range vf.Stores[obj] {
		b.elemValues(s, seen, visit)
	}
	for _, s := range vf.Elems[obj] {
		b.values(s, seen, visit)
	}
	if v, ok := obj.(*types.Var); ok {
		for _, a := range vf.Args[v] {
			b.elemValues(a, seen, visit)
		}
	}
}
