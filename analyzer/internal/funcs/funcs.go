// Package funcs names the function bodies of a package that the analyzer
// analyses one at a time, declared functions and methods and function
// literals, and answers what the type information says about calls and
// parameters in them. A literal's body is never part of the enclosing
// function's flow: it runs when it is called, if ever.
package funcs

import (
	"go/ast"
	"go/types"
)

// Func is one function body: a declared function or method, or a function
// literal.
type Func struct {
	Decl   *ast.FuncDecl // nil for literals
	Lit    *ast.FuncLit  // nil for declared functions
	Fn     *types.Func   // nil for literals
	Parent *Func         // the function a literal is written in; nil for declared functions
	Body   *ast.BlockStmt
	Name   string // as traces name it: "page", "T.ServeHTTP", "handleX.func1"

	// NotHandler marks a literal run by go or defer (or time.AfterFunc):
	// its lock state is not the request's at entry, so it is never served
	// as a handler.
	NotHandler bool
}

// Type is the syntax of f's signature, or nil.
func (f *Func) Type() *ast.FuncType {
	switch {
	case f.Decl != nil:
		return f.Decl.Type
	case f.Lit != nil:
		return f.Lit.Type
	}
	return nil
}

// Sig is f's signature, or nil without type information.
func (f *Func) Sig(info *types.Info) *types.Signature {
	var t types.Type
	if f.Fn != nil {
		t = f.Fn.Type()
	} else if f.Lit != nil {
		t = info.TypeOf(f.Lit)
	}
	sig, _ := t.(*types.Signature)
	return sig
}

// Top is the declared function f is written in (f itself when declared),
// or the outermost literal of a package-level initialiser.
func (f *Func) Top() *Func {
	for f.Parent != nil {
		f = f.Parent
	}
	return f
}

// Index is the functions of one package, in source order, with lookups.
type Index struct {
	All    []*Func
	ByFunc map[*types.Func]*Func
	ByLit  map[*ast.FuncLit]*Func
}

// Add appends f to the index.
func (x *Index) Add(f *Func) {
	x.All = append(x.All, f)
	if f.Fn != nil {
		if x.ByFunc == nil {
			x.ByFunc = make(map[*types.Func]*Func)
		}
		x.ByFunc[f.Fn] = f
	}
	if f.Lit != nil {
		if x.ByLit == nil {
			x.ByLit = make(map[*ast.FuncLit]*Func)
		}
		x.ByLit[f.Lit] = f
	}
}

// Callee returns the statically known function a call invokes, or nil
// (dynamic calls, interface methods, conversions, builtins). Generic
// functions are returned uninstantiated.
func Callee(info *types.Info, call *ast.CallExpr) *types.Func {
	return Named(info, call.Fun)
}

// Named returns the function e names (f, pkg.F, v.Method, F[int]) with a
// body known from its declaration, uninstantiated, or nil: interface
// methods, whose body depends on the receiver, and anything else.
func Named(info *types.Info, e ast.Expr) *types.Func {
	fun := ast.Unparen(e)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	if fn == nil {
		return nil
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
		return nil
	}
	return fn.Origin()
}

// IfaceMethod returns the interface method a call's function or a method
// value names (h.ServeHTTP with h an http.Handler), or nil.
func IfaceMethod(info *types.Info, e ast.Expr) *types.Func {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal || !types.IsInterface(s.Recv()) {
		return nil
	}
	fn, _ := s.Obj().(*types.Func)
	return fn
}

// ParamIndex is the position of parameter v in fn's signature, or -1.
func ParamIndex(fn *types.Func, v *types.Var) int {
	sig := fn.Type().(*types.Signature)
	for i := 0; i < sig.Params().Len(); i++ {
		if sig.Params().At(i) == v {
			return i
		}
	}
	return -1
}

// IsBuiltin reports whether fun names a builtin function (append, len).
func IsBuiltin(info *types.Info, fun ast.Expr) bool {
	id, ok := fun.(*ast.Ident)
	if !ok {
		return false
	}
	_, b := info.Uses[id].(*types.Builtin)
	return b
}
