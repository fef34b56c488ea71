package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
)

// valueFlow records where the package's values go, as far as handler
// values need it: what is stored in variables, struct fields, slice and
// map elements, what parameters receive at calls, what functions return,
// and which methods are called on a variable (registrations on a mux or
// router). It is field-based and flow-insensitive: a field or variable
// holds everything ever stored in it.
type valueFlow struct {
	st        *state
	stores    map[types.Object][]ast.Expr       // v = e, v := e, var v = e, T{f: e}
	elems     map[types.Object][]ast.Expr       // v[k] = e
	ranged    map[types.Object]ast.Expr         // for _, v := range x
	calls     map[types.Object][]*ast.CallExpr  // v.M(...)
	results   map[*ast.CallExpr][]types.Object  // v := v0.M(...): sub-routers
	chained   map[*ast.CallExpr][]*ast.CallExpr // r.With(mw).Get(...): the calls made on a call's result
	args      map[*types.Var][]ast.Expr         // parameter ← arguments at static calls
	passed    map[types.Object][]*types.Var     // v passed to a parameter of a function of this package
	params    map[*types.Var]*unit              // parameter → its function
	recvs     map[*types.Var]*unit              // receiver → its method
	into      map[types.Object][]types.Object   // v stored into w (w = v, T{f: v}): a router that moves
	callArgs  map[*ast.CallExpr][]*types.Var    // f(r.Group("")): the parameters a call's result is passed to
	passedOut map[types.Object][]argUse         // v passed to a function of another package
	returns   map[*unit][]ast.Expr
	dyn       map[*unit][]*ast.CallExpr // calls of function values, and ServeHTTP on handler values
	all       []*ast.CallExpr           // every call but conversions and builtins, where wrappers may be applied
	owner     map[*ast.CallExpr]*unit   // the unit a call of all is in (nil at package level)
}

// argUse is an argument position of a call.
type argUse struct {
	call *ast.CallExpr
	arg  int
}

// newValueFlow indexes the package in one walk.
func (st *state) newValueFlow() *valueFlow {
	vf := &valueFlow{
		st:        st,
		stores:    make(map[types.Object][]ast.Expr),
		elems:     make(map[types.Object][]ast.Expr),
		ranged:    make(map[types.Object]ast.Expr),
		calls:     make(map[types.Object][]*ast.CallExpr),
		results:   make(map[*ast.CallExpr][]types.Object),
		chained:   make(map[*ast.CallExpr][]*ast.CallExpr),
		args:      make(map[*types.Var][]ast.Expr),
		passed:    make(map[types.Object][]*types.Var),
		params:    make(map[*types.Var]*unit),
		recvs:     make(map[*types.Var]*unit),
		into:      make(map[types.Object][]types.Object),
		callArgs:  make(map[*ast.CallExpr][]*types.Var),
		passedOut: make(map[types.Object][]argUse),
		returns:   make(map[*unit][]ast.Expr),
		dyn:       make(map[*unit][]*ast.CallExpr),
		owner:     make(map[*ast.CallExpr]*unit),
	}
	for _, u := range st.units {
		if u.Decl != nil && u.Decl.Recv != nil {
			for _, fl := range u.Decl.Recv.List {
				for _, id := range fl.Names {
					if v, ok := st.pass.TypesInfo.Defs[id].(*types.Var); ok {
						vf.recvs[v] = u
					}
				}
			}
		}
		if ft := u.Type(); ft != nil && ft.Params != nil {
			for _, fl := range ft.Params.List {
				for _, id := range fl.Names {
					if v, ok := st.pass.TypesInfo.Defs[id].(*types.Var); ok {
						vf.params[v] = u
					}
				}
			}
		}
	}
	for _, f := range st.pass.Files {
		var stack []*unit // enclosing units; nil at package level
		var nodes []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				top := nodes[len(nodes)-1]
				nodes = nodes[:len(nodes)-1]
				switch top.(type) {
				case *ast.FuncDecl, *ast.FuncLit:
					stack = stack[:len(stack)-1]
				}
				return true
			}
			nodes = append(nodes, n)
			switch n := n.(type) {
			case *ast.FuncDecl:
				var u *unit
				if fn, ok := st.pass.TypesInfo.Defs[n.Name].(*types.Func); ok {
					u = st.byFunc[fn]
				}
				stack = append(stack, u)
			case *ast.FuncLit:
				stack = append(stack, st.byLit[n])
			default:
				var cur *unit
				if len(stack) > 0 {
					cur = stack[len(stack)-1]
				}
				vf.node(n, cur)
			}
			return true
		})
	}
	return vf
}

func (vf *valueFlow) node(n ast.Node, cur *unit) {
	info := vf.st.pass.TypesInfo
	switch n := n.(type) {
	case *ast.AssignStmt:
		if n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
			return
		}
		if len(n.Lhs) != len(n.Rhs) {
			if len(n.Rhs) == 1 {
				if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
					for _, l := range n.Lhs {
						if obj := vf.objOf(l); obj != nil {
							vf.results[call] = append(vf.results[call], obj)
						}
					}
				}
			}
			return
		}
		for i, l := range n.Lhs {
			vf.store(l, n.Rhs[i])
		}
	case *ast.ValueSpec:
		if len(n.Names) != len(n.Values) {
			return
		}
		for i, id := range n.Names {
			vf.store(id, n.Values[i])
		}
	case *ast.RangeStmt:
		if n.Value != nil {
			if obj := vf.objOf(n.Value); obj != nil {
				vf.ranged[obj] = n.X
			}
		}
	case *ast.CompositeLit:
		t := info.TypeOf(n)
		if t == nil {
			return
		}
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		s, ok := t.Underlying().(*types.Struct)
		if !ok {
			return
		}
		for i, elt := range n.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok {
					for j := 0; j < s.NumFields(); j++ {
						if s.Field(j).Name() == id.Name {
							vf.stores[s.Field(j)] = append(vf.stores[s.Field(j)], kv.Value)
							vf.noteInto(s.Field(j), kv.Value)
						}
					}
				}
			} else if i < s.NumFields() {
				vf.stores[s.Field(i)] = append(vf.stores[s.Field(i)], elt)
				vf.noteInto(s.Field(i), elt)
			}
		}
	case *ast.ReturnStmt:
		if cur == nil {
			return
		}
		for _, r := range n.Results {
			if handlerish(info.TypeOf(r)) {
				vf.returns[cur] = append(vf.returns[cur], r)
			}
		}
	case *ast.CallExpr:
		vf.call(n, cur)
	}
}

// store records that e is assigned to lhs (a variable, a field or an
// element).
func (vf *valueFlow) store(lhs, e ast.Expr) {
	lhs = ast.Unparen(lhs)
	if ix, ok := lhs.(*ast.IndexExpr); ok {
		if obj := vf.objOf(ix.X); obj != nil {
			vf.elems[obj] = append(vf.elems[obj], e)
		}
		return
	}
	obj := vf.objOf(lhs)
	if obj == nil {
		return
	}
	vf.stores[obj] = append(vf.stores[obj], e)
	vf.noteInto(obj, e)
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		vf.results[call] = append(vf.results[call], obj)
	}
}

// passesRouter reports whether some argument of call is a router.
func (vf *valueFlow) passesRouter(call *ast.CallExpr) bool {
	for _, a := range call.Args {
		if t := vf.st.pass.TypesInfo.TypeOf(a); t != nil && vf.st.routerish(t) {
			return true
		}
	}
	return false
}

// noteInto records that the value of e, a variable, is stored into w.
func (vf *valueFlow) noteInto(w types.Object, e ast.Expr) {
	if v := vf.objOf(e); v != nil && v != w {
		vf.into[v] = append(vf.into[v], w)
	}
}

// bindArgs records the arguments a call passes to the parameters of u, a
// function of this package (a static call, or an implementation of the
// interface method called).
func (vf *valueFlow) bindArgs(call *ast.CallExpr, u *unit) {
	info := vf.st.pass.TypesInfo
	var ps []*types.Var
	for _, fl := range u.Decl.Type.Params.List {
		for _, id := range fl.Names {
			v, _ := info.Defs[id].(*types.Var)
			ps = append(ps, v)
		}
		if len(fl.Names) == 0 {
			ps = append(ps, nil)
		}
	}
	for i, a := range call.Args {
		j := min(i, len(ps)-1)
		if j < 0 || ps[j] == nil {
			continue
		}
		vf.args[ps[j]] = append(vf.args[ps[j]], a)
		if obj := vf.objOf(a); obj != nil {
			vf.passed[obj] = append(vf.passed[obj], ps[j])
		}
		if inner, ok := ast.Unparen(a).(*ast.CallExpr); ok {
			vf.callArgs[inner] = append(vf.callArgs[inner], ps[j])
		}
	}
}

func (vf *valueFlow) call(call *ast.CallExpr, cur *unit) {
	st := vf.st
	info := st.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return // a conversion
	}
	fun := ast.Unparen(call.Fun)
	fn := st.calleeOf(call)
	if fn == nil && isBuiltin(info, fun) {
		return
	}
	vf.all = append(vf.all, call)
	vf.owner[call] = cur
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			if obj := vf.objOf(sel.X); obj != nil {
				vf.calls[obj] = append(vf.calls[obj], call)
			}
			if inner, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
				vf.chained[inner] = append(vf.chained[inner], call)
			}
			if types.IsInterface(s.Recv()) {
				if cur != nil && sel.Sel.Name == "ServeHTTP" {
					vf.dyn[cur] = append(vf.dyn[cur], call)
				}
				// h.RegisterRoutes(r) for the endpoints of a loop: what the
				// implementations in sight are given, when it is a router
				// (looking implementations up for every interface call
				// would cost more than the rest of the analysis).
				if vf.passesRouter(call) {
					for _, impl := range st.ifaceImpls(s.Recv(), sel.Sel.Name) {
						if u := st.byFunc[impl]; u != nil && u.Decl != nil {
							vf.bindArgs(call, u)
						}
					}
				}
				return
			}
		}
	}
	if fn == nil {
		if cur != nil {
			vf.dyn[cur] = append(vf.dyn[cur], call)
		}
		return
	}
	u := st.byFunc[fn]
	if u == nil || u.Decl == nil {
		if fn.Pkg() != st.pass.Pkg {
			for i, a := range call.Args {
				if obj := vf.objOf(a); obj != nil {
					vf.passedOut[obj] = append(vf.passedOut[obj], argUse{call, i})
				}
			}
		}
		return
	}
	vf.bindArgs(call, u)
}

func isBuiltin(info *types.Info, fun ast.Expr) bool {
	id, ok := fun.(*ast.Ident)
	if !ok {
		return false
	}
	_, b := info.Uses[id].(*types.Builtin)
	return b
}

// objOf is the variable or field an expression names, or nil.
func (vf *valueFlow) objOf(e ast.Expr) types.Object {
	info := vf.st.pass.TypesInfo
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		if x.Name == "_" {
			return nil
		}
		if v, ok := info.Uses[x].(*types.Var); ok {
			return v
		}
		if v, ok := info.Defs[x].(*types.Var); ok {
			return v
		}
	case *ast.SelectorExpr:
		if s := info.Selections[x]; s != nil {
			if s.Kind() == types.FieldVal {
				return s.Obj()
			}
			return nil
		}
		if v, ok := info.Uses[x.Sel].(*types.Var); ok {
			return v // pkg.Var
		}
	}
	return nil
}

// handlerish reports whether a value of type t can be, or hold, a handler:
// a function, an interface, or a type with methods (a handler, a mux, a
// router).
func handlerish(t types.Type) bool {
	if t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Signature, *types.Interface:
		return true
	case *types.Pointer:
		_, isNamed := types.Unalias(u.Elem()).(*types.Named)
		return isNamed
	case *types.Slice, *types.Map, *types.Array:
		return true // route tables
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.NumMethods() > 0
}
