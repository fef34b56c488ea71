// Package valueflow records where a package's values go, as far as
// following handler values needs it: what is stored in variables, struct
// fields, slice and map elements, what parameters receive at calls, what
// functions return, and which methods are called on a variable
// (registrations on a mux or router). It is field-based and
// flow-insensitive: a field or variable holds everything ever stored in
// it. The serving model (package serving) walks it backwards from the
// places handlers are served.
package valueflow

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// Flow is the value flow of one package, indexed in one walk of its
// syntax.
type Flow struct {
	info    *types.Info
	pkg     *types.Package
	funcs   *funcs.Index
	routers *httpshape.Routers
	impls   func(iface types.Type, method string) []*types.Func

	Stores    map[types.Object][]ast.Expr       // v = e, v := e, var v = e, T{f: e}
	Elems     map[types.Object][]ast.Expr       // v[k] = e
	Ranged    map[types.Object]ast.Expr         // for _, v := range x
	Calls     map[types.Object][]*ast.CallExpr  // v.M(...)
	Results   map[*ast.CallExpr][]types.Object  // v := v0.M(...): sub-routers
	Chained   map[*ast.CallExpr][]*ast.CallExpr // r.With(mw).Get(...): the calls made on a call's result
	Args      map[*types.Var][]ast.Expr         // parameter ← arguments at static calls
	Passed    map[types.Object][]*types.Var     // v passed to a parameter of a function of this package
	Params    map[*types.Var]*funcs.Func        // parameter → its function
	Recvs     map[*types.Var]*funcs.Func        // receiver → its method
	Into      map[types.Object][]types.Object   // v stored into w (w = v, T{f: v}): a router that moves
	CallArgs  map[*ast.CallExpr][]*types.Var    // f(r.Group("")): the parameters a call's result is passed to
	PassedOut map[types.Object][]ArgUse         // v passed to a function of another package
	Returns   map[*funcs.Func][]ast.Expr
	Dyn       map[*funcs.Func][]*ast.CallExpr // calls of function values, and ServeHTTP on handler values
	All       []*ast.CallExpr                 // every call but conversions and builtins, where wrappers may be applied
	Owner     map[*ast.CallExpr]*funcs.Func   // the function a call of All is in (nil at package level)
}

// ArgUse is an argument position of a call.
type ArgUse struct {
	Call *ast.CallExpr
	Arg  int
}

// New indexes a package in one walk of files, whose functions are fs.
// routers tells routers from other types; impls returns the
// implementations in sight of an interface method, through which routers
// are passed (h.RegisterRoutes(r) for the endpoints of a loop).
func New(info *types.Info, pkg *types.Package, files []*ast.File, fs *funcs.Index, routers *httpshape.Routers, impls func(iface types.Type, method string) []*types.Func) *Flow {
	vf := &Flow{
		info:      info,
		pkg:       pkg,
		funcs:     fs,
		routers:   routers,
		impls:     impls,
		Stores:    make(map[types.Object][]ast.Expr),
		Elems:     make(map[types.Object][]ast.Expr),
		Ranged:    make(map[types.Object]ast.Expr),
		Calls:     make(map[types.Object][]*ast.CallExpr),
		Results:   make(map[*ast.CallExpr][]types.Object),
		Chained:   make(map[*ast.CallExpr][]*ast.CallExpr),
		Args:      make(map[*types.Var][]ast.Expr),
		Passed:    make(map[types.Object][]*types.Var),
		Params:    make(map[*types.Var]*funcs.Func),
		Recvs:     make(map[*types.Var]*funcs.Func),
		Into:      make(map[types.Object][]types.Object),
		CallArgs:  make(map[*ast.CallExpr][]*types.Var),
		PassedOut: make(map[types.Object][]ArgUse),
		Returns:   make(map[*funcs.Func][]ast.Expr),
		Dyn:       make(map[*funcs.Func][]*ast.CallExpr),
		Owner:     make(map[*ast.CallExpr]*funcs.Func),
	}
	for _, u := range fs.All {
		if u.Decl != nil && u.Decl.Recv != nil {
			for _, fl := range u.Decl.Recv.List {
				for _, id := range fl.Names {
					if v, ok := info.Defs[id].(*types.Var); ok {
						vf.Recvs[v] = u
					}
				}
			}
		}
		if ft := u.Type(); ft != nil && ft.Params != nil {
			for _, fl := range ft.Params.List {
				for _, id := range fl.Names {
					if v, ok := info.Defs[id].(*types.Var); ok {
						vf.Params[v] = u
					}
				}
			}
		}
	}
	for _, f := range files {
		var stack []*funcs.Func // enclosing units; nil at package level
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
				var u *funcs.Func
				if fn, ok := info.Defs[n.Name].(*types.Func); ok {
					u = fs.ByFunc[fn]
				}
				stack = append(stack, u)
			case *ast.FuncLit:
				stack = append(stack, fs.ByLit[n])
			default:
				var cur *funcs.Func
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

func (vf *Flow) node(n ast.Node, cur *funcs.Func) {
	info := vf.info
	switch n := n.(type) {
	case *ast.AssignStmt:
		if n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
			return
		}
		if len(n.Lhs) != len(n.Rhs) {
			if len(n.Rhs) == 1 {
				if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
					for _, l := range n.Lhs {
						if obj := vf.ObjOf(l); obj != nil {
							vf.Results[call] = append(vf.Results[call], obj)
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
			if obj := vf.ObjOf(n.Value); obj != nil {
				vf.Ranged[obj] = n.X
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
							vf.Stores[s.Field(j)] = append(vf.Stores[s.Field(j)], kv.Value)
							vf.noteInto(s.Field(j), kv.Value)
						}
					}
				}
			} else if i < s.NumFields() {
				vf.Stores[s.Field(i)] = append(vf.Stores[s.Field(i)], elt)
				vf.noteInto(s.Field(i), elt)
			}
		}
	case *ast.ReturnStmt:
		if cur == nil {
			return
		}
		for _, r := range n.Results {
			if httpshape.MayHoldHandler(info.TypeOf(r)) {
				vf.Returns[cur] = append(vf.Returns[cur], r)
			}
		}
	case *ast.CallExpr:
		vf.call(n, cur)
	}
}

// store records that e is assigned to lhs (a variable, a field or an
// element).
func (vf *Flow) store(lhs, e ast.Expr) {
	lhs = ast.Unparen(lhs)
	if ix, ok := lhs.(*ast.IndexExpr); ok {
		if obj := vf.ObjOf(ix.X); obj != nil {
			vf.Elems[obj] = append(vf.Elems[obj], e)
		}
		return
	}
	obj := vf.ObjOf(lhs)
	if obj == nil {
		return
	}
	vf.Stores[obj] = append(vf.Stores[obj], e)
	vf.noteInto(obj, e)
	if call, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		vf.Results[call] = append(vf.Results[call], obj)
	}
}

// passesRouter reports whether some argument of call is a router.
func (vf *Flow) passesRouter(call *ast.CallExpr) bool {
	for _, a := range call.Args {
		if t := vf.info.TypeOf(a); t != nil && vf.routers.Is(t) {
			return true
		}
	}
	return false
}

// noteInto records that the value of e, a variable, is stored into w.
func (vf *Flow) noteInto(w types.Object, e ast.Expr) {
	if v := vf.ObjOf(e); v != nil && v != w {
		vf.Into[v] = append(vf.Into[v], w)
	}
}

// bindArgs records the arguments a call passes to the parameters of u, a
// function of this package (a static call, or an implementation of the
// interface method called).
func (vf *Flow) bindArgs(call *ast.CallExpr, u *funcs.Func) {
	info := vf.info
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
		vf.Args[ps[j]] = append(vf.Args[ps[j]], a)
		if obj := vf.ObjOf(a); obj != nil {
			vf.Passed[obj] = append(vf.Passed[obj], ps[j])
		}
		if inner, ok := ast.Unparen(a).(*ast.CallExpr); ok {
			vf.CallArgs[inner] = append(vf.CallArgs[inner], ps[j])
		}
	}
}

func (vf *Flow) call(call *ast.CallExpr, cur *funcs.Func) {
	info := vf.info
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return // a conversion
	}
	fun := ast.Unparen(call.Fun)
	fn := funcs.Callee(info, call)
	if fn == nil && funcs.IsBuiltin(info, fun) {
		return
	}
	vf.All = append(vf.All, call)
	vf.Owner[call] = cur
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			if obj := vf.ObjOf(sel.X); obj != nil {
				vf.Calls[obj] = append(vf.Calls[obj], call)
			}
			if inner, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
				vf.Chained[inner] = append(vf.Chained[inner], call)
			}
			if types.IsInterface(s.Recv()) {
				if cur != nil && sel.Sel.Name == "ServeHTTP" {
					vf.Dyn[cur] = append(vf.Dyn[cur], call)
				}
				// h.RegisterRoutes(r) for the endpoints of a loop: what the
				// implementations in sight are given, when it is a router
				// (looking implementations up for every interface call
				// would cost more than the rest of the analysis).
				if vf.passesRouter(call) {
					for _, impl := range vf.impls(s.Recv(), sel.Sel.Name) {
						if u := vf.funcs.ByFunc[impl]; u != nil && u.Decl != nil {
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
			vf.Dyn[cur] = append(vf.Dyn[cur], call)
		}
		return
	}
	u := vf.funcs.ByFunc[fn]
	if u == nil || u.Decl == nil {
		if fn.Pkg() != vf.pkg {
			for i, a := range call.Args {
				if obj := vf.ObjOf(a); obj != nil {
					vf.PassedOut[obj] = append(vf.PassedOut[obj], ArgUse{call, i})
				}
			}
		}
		return
	}
	vf.bindArgs(call, u)
}

// ObjOf is the variable or field an expression names, or nil.
func (vf *Flow) ObjOf(e ast.Expr) types.Object {
	info := vf.info
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
