package funcs_test

import (
	"go/ast"
	"go/types"
	"testing"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/typestest"
)

const src = `package p

type T struct{}

func (T) M(a int, b string) {}

type I interface{ M(int, string) }

func G[X any](x X) {}

func f(i I) {
	var t T
	t.M(1, "")
	i.M(1, "")
	G(1)
	g := func() { _ = len("x") }
	g()
	_ = []int(nil)
}
`

func load(t *testing.T) (*ast.File, *types.Info, *types.Package) {
	p := typestest.Check(t, "p", map[string]string{"p": src})
	return p.Files[0], p.Info, p.Pkg
}

// calls returns the calls of the file by the source text of their function.
func calls(f *ast.File) map[string]*ast.CallExpr {
	out := make(map[string]*ast.CallExpr)
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			switch fun := c.Fun.(type) {
			case *ast.Ident:
				out[fun.Name] = c
			case *ast.SelectorExpr:
				out[fun.X.(*ast.Ident).Name+"."+fun.Sel.Name] = c
			case *ast.ArrayType:
				out["[]int"] = c
			}
		}
		return true
	})
	return out
}

func TestCallee(t *testing.T) {
	f, info, _ := load(t)
	cs := calls(f)
	for call, want := range map[string]string{
		"t.M":   "M", // a concrete method
		"i.M":   "",  // through an interface: dynamic
		"G":     "G", // generic: the origin, not the instance
		"g":     "",  // a function value
		"len":   "",  // a builtin
		"[]int": "",  // a conversion
	} {
		fn := funcs.Callee(info, cs[call])
		got := ""
		if fn != nil {
			got = fn.Name()
			if fn != fn.Origin() {
				t.Errorf("funcs.Callee(%s) = an instance, want the origin", call)
			}
		}
		if got != want {
			t.Errorf("funcs.Callee(%s) = %q, want %q", call, got, want)
		}
	}
	if m := funcs.IfaceMethod(info, cs["i.M"].Fun); m == nil || m.Name() != "M" {
		t.Errorf("funcs.IfaceMethod(i.M) = %v, want I.M", m)
	}
	if m := funcs.IfaceMethod(info, cs["t.M"].Fun); m != nil {
		t.Errorf("funcs.IfaceMethod(t.M) = %v, want nil (a concrete method)", m)
	}
	if !funcs.IsBuiltin(info, cs["len"].Fun) || funcs.IsBuiltin(info, cs["g"].Fun) {
		t.Error("IsBuiltin: want true for len only")
	}
}

func TestIndexAndTop(t *testing.T) {
	f, info, pkg := load(t)
	var x funcs.Index
	var decl *funcs.Func
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != "f" {
			continue
		}
		decl = &funcs.Func{Decl: fd, Fn: info.Defs[fd.Name].(*types.Func), Body: fd.Body, Name: "f"}
		x.Add(decl)
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok {
				x.Add(&funcs.Func{Lit: lit, Parent: decl, Body: lit.Body, Name: "f.func1"})
			}
			return true
		})
	}
	if len(x.All) != 2 || x.ByFunc[decl.Fn] != decl || len(x.ByLit) != 1 {
		t.Fatalf("index: %d funcs, %d literals; want 2 and 1", len(x.All), len(x.ByLit))
	}
	lit := x.All[1]
	if lit.Top() != decl || decl.Top() != decl {
		t.Error("Top: want the declared function for both")
	}
	if lit.Type() != lit.Lit.Type || decl.Type() != decl.Decl.Type {
		t.Error("Type: want the syntax of each signature")
	}
	if sig := lit.Sig(info); sig == nil || sig.Params().Len() != 0 {
		t.Errorf("Sig(literal) = %v, want func()", sig)
	}
	m := pkg.Scope().Lookup("T").Type().(*types.Named).Method(0)
	b := m.Type().(*types.Signature).Params().At(1)
	if got := funcs.ParamIndex(m, b); got != 1 {
		t.Errorf("funcs.ParamIndex(M, b) = %d, want 1", got)
	}
	if got := funcs.ParamIndex(decl.Fn, b); got != -1 {
		t.Errorf("funcs.ParamIndex(f, b) = %d, want -1", got)
	}
}
