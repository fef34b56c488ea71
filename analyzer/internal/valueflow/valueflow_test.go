package valueflow_test

import (
	"go/ast"
	"go/types"
	"testing"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
	"github.com/sessionlock/sessionlock/analyzer/internal/typestest"
	"github.com/sessionlock/sessionlock/analyzer/internal/valueflow"
)

const app = `package app

import "net/http"

type Server struct {
	mux  *http.ServeMux
	page http.HandlerFunc
}

type Registrar interface{ RegisterRoutes(m *http.ServeMux) }

type Users struct{}

func (u *Users) RegisterRoutes(m *http.ServeMux) { m.HandleFunc("/users", list) }

func list(w http.ResponseWriter, r *http.Request) {}

func sub(m *http.ServeMux) *http.ServeMux { return m }

func addRoutes(m *http.ServeMux) { m.HandleFunc("/a", list) }

func New() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {}
}

func main() {
	mux := http.NewServeMux()
	s := &Server{mux: mux, page: list}
	routes := map[string]http.HandlerFunc{}
	routes["/x"] = New()
	for _, h := range []http.HandlerFunc{list} {
		mux.HandleFunc("/r", h)
	}
	addRoutes(mux)
	addRoutes(sub(mux))
	var regs []Registrar
	for _, reg := range regs {
		reg.RegisterRoutes(mux)
	}
	http.StripPrefix("/p", mux)
	f := s.page
	f(nil, nil)
	_ = len(routes)
}
`

type fixture struct {
	p    *typestest.Package
	fs   *funcs.Index
	flow *valueflow.Flow
}

func build(t *testing.T) fixture {
	p := typestest.Check(t, "app", map[string]string{"app": app, "net/http": typestest.HTTP})
	fs := p.Funcs()
	impls := func(iface types.Type, method string) []*types.Func {
		if method != "RegisterRoutes" {
			return nil
		}
		return []*types.Func{p.Func(t, "Users.RegisterRoutes")}
	}
	var routers httpshape.Routers
	return fixture{p, fs, valueflow.New(p.Info, p.Pkg, p.Files, fs, &routers, impls)}
}

// local returns the local variable named name in function fn.
func (fx fixture) local(t *testing.T, fn, name string) types.Object {
	t.Helper()
	var found types.Object
	ast.Inspect(fx.fs.ByFunc[fx.p.Func(t, fn)].Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			if obj := fx.p.Info.Defs[id]; obj != nil {
				found = obj
			}
		}
		return found == nil
	})
	if found == nil {
		t.Fatalf("no variable %s in %s", name, fn)
	}
	return found
}

func (fx fixture) field(t *testing.T, typ, name string) types.Object {
	obj, _, _ := types.LookupFieldOrMethod(fx.p.Type(t, typ), true, fx.p.Pkg, name)
	return obj
}

func (fx fixture) param(t *testing.T, fn string, i int) *types.Var {
	return fx.p.Func(t, fn).Type().(*types.Signature).Params().At(i)
}

// text is the source of a node, for readable expectations.
func (fx fixture) text(n ast.Node) string {
	f := fx.p.Fset.File(n.Pos())
	src := []byte(app)
	return string(src[f.Offset(n.Pos()):f.Offset(n.End())])
}

func (fx fixture) texts(ns []ast.Expr) []string {
	var out []string
	for _, n := range ns {
		out = append(out, fx.text(n))
	}
	return out
}

func same(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func TestStores(t *testing.T) {
	fx := build(t)
	vf := fx.flow
	mux := fx.local(t, "main", "mux")
	for _, tc := range []struct {
		obj  types.Object
		want []string
	}{
		{mux, []string{"http.NewServeMux()"}},
		{fx.field(t, "Server", "mux"), []string{"mux"}},   // T{f: e}
		{fx.field(t, "Server", "page"), []string{"list"}}, // a handler kept in a field
		{fx.local(t, "main", "f"), []string{"s.page"}},
	} {
		if got := fx.texts(vf.Stores[tc.obj]); !same(got, tc.want) {
			t.Errorf("Stores[%s] = %q, want %q", tc.obj.Name(), got, tc.want)
		}
	}
	if got := fx.texts(vf.Elems[fx.local(t, "main", "routes")]); !same(got, []string{"New()"}) {
		t.Errorf("Elems[routes] = %q, want [New()]", got)
	}
	if x := vf.Ranged[fx.local(t, "main", "h")]; x == nil || fx.text(x) != "[]http.HandlerFunc{list}" {
		t.Errorf("Ranged[h] = %v, want the route table", x)
	}
	if into := vf.Into[mux]; len(into) != 1 || into[0] != fx.field(t, "Server", "mux") {
		t.Errorf("Into[mux] = %v, want [Server.mux]: the router moves into the struct", into)
	}
}

func TestCalls(t *testing.T) {
	fx := build(t)
	vf := fx.flow
	mux := fx.local(t, "main", "mux")
	var methods []string
	for _, c := range vf.Calls[mux] {
		methods = append(methods, c.Fun.(*ast.SelectorExpr).Sel.Name)
	}
	if !same(methods, []string{"HandleFunc"}) {
		t.Errorf("Calls[mux] = %q, want [HandleFunc]", methods)
	}
	addParam := fx.param(t, "addRoutes", 0)
	if ps := vf.Passed[mux]; len(ps) != 3 || ps[0] != addParam || ps[1] != fx.param(t, "sub", 0) || ps[2] != fx.param(t, "Users.RegisterRoutes", 0) {
		t.Errorf("Passed[mux] = %v, want the parameters of addRoutes, sub and Users.RegisterRoutes", ps)
	}
	if got := fx.texts(vf.Args[addParam]); !same(got, []string{"mux", "sub(mux)"}) {
		t.Errorf("Args[addRoutes.m] = %q, want [mux sub(mux)]", got)
	}
	// A router given to an interface method reaches the implementations
	// in sight: reg.RegisterRoutes(mux) binds Users.RegisterRoutes's m.
	if got := fx.texts(vf.Args[fx.param(t, "Users.RegisterRoutes", 0)]); !same(got, []string{"mux"}) {
		t.Errorf("Args[Users.RegisterRoutes.m] = %q, want [mux]", got)
	}
	var subCall *ast.CallExpr
	for _, c := range vf.All {
		if fx.text(c) == "sub(mux)" {
			subCall = c
		}
	}
	if subCall == nil || len(vf.CallArgs[subCall]) != 1 || vf.CallArgs[subCall][0] != addParam {
		t.Errorf("CallArgs[sub(mux)] = %v, want addRoutes's parameter", vf.CallArgs[subCall])
	}
	var out []string
	for _, u := range vf.PassedOut[mux] {
		out = append(out, fx.text(u.Call))
	}
	if !same(out, []string{`http.StripPrefix("/p", mux)`}) {
		t.Errorf("PassedOut[mux] = %q, want the call into net/http", out)
	}
	for _, c := range vf.All {
		if tv := fx.p.Info.Types[c.Fun]; tv.IsType() || funcs.IsBuiltin(fx.p.Info, c.Fun) {
			t.Errorf("All holds %s: conversions and builtins apply no wrapper", fx.text(c))
		}
	}
}

func TestFunctions(t *testing.T) {
	fx := build(t)
	vf := fx.flow
	newFn := fx.fs.ByFunc[fx.p.Func(t, "New")]
	if rs := vf.Returns[newFn]; len(rs) != 1 {
		t.Fatalf("Returns[New] = %d values, want the literal", len(rs))
	} else if _, ok := rs[0].(*ast.FuncLit); !ok {
		t.Errorf("Returns[New] = %s, want the literal", fx.text(rs[0]))
	}
	mainFn := fx.fs.ByFunc[fx.p.Func(t, "main")]
	var dyn []string
	for _, c := range vf.Dyn[mainFn] {
		dyn = append(dyn, fx.text(c))
	}
	if !same(dyn, []string{"f(nil, nil)"}) {
		t.Errorf("Dyn[main] = %q, want the call of the function value", dyn)
	}
	if p := fx.param(t, "sub", 0); vf.Params[p] != fx.fs.ByFunc[fx.p.Func(t, "sub")] {
		t.Errorf("Params[sub.m] = %v, want sub", vf.Params[p])
	}
	recv := fx.p.Func(t, "Users.RegisterRoutes").Type().(*types.Signature).Recv()
	if vf.Recvs[recv] != fx.fs.ByFunc[fx.p.Func(t, "Users.RegisterRoutes")] {
		t.Errorf("Recvs[u] = %v, want Users.RegisterRoutes", vf.Recvs[recv])
	}
	for _, c := range vf.All {
		if fx.text(c) == "addRoutes(mux)" && vf.Owner[c] != mainFn {
			t.Errorf("Owner[addRoutes(mux)] = %v, want main", vf.Owner[c])
		}
	}
	if obj := vf.ObjOf(ast.NewIdent("_")); obj != nil {
		t.Errorf("ObjOf(_) = %v, want nil", obj)
	}
}
