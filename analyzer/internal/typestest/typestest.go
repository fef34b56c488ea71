// Package typestest type-checks small Go sources for the analyzer's unit
// tests: packages written inline, importing each other by path, with a
// stand-in for net/http (HTTP) so that tests need neither export data
// nor the standard library's sources.
package typestest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"testing"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
)

// HTTP is a stand-in for the part of net/http the analyzer looks at, for
// tests to pass as the "net/http" source.
const HTTP = `package http

type Header map[string][]string

type ResponseWriter interface {
	Header() Header
	Write([]byte) (int, error)
	WriteHeader(int)
}

type Request struct{ Method string }

type Handler interface{ ServeHTTP(ResponseWriter, *Request) }

type HandlerFunc func(ResponseWriter, *Request)

func (f HandlerFunc) ServeHTTP(w ResponseWriter, r *Request) { f(w, r) }

type ServeMux struct{}

func NewServeMux() *ServeMux                                            { return &ServeMux{} }
func (m *ServeMux) Handle(pattern string, h Handler)                    {}
func (m *ServeMux) HandleFunc(pattern string, h func(ResponseWriter, *Request)) {}
func (m *ServeMux) ServeHTTP(w ResponseWriter, r *Request)              {}

func StripPrefix(prefix string, h Handler) Handler { return h }

const StatusInternalServerError = 500

func Error(w ResponseWriter, msg string, code int) {}
func StatusText(code int) string                   { return "" }
`

// Package is one type-checked package.
type Package struct {
	Fset  *token.FileSet
	Pkg   *types.Package
	Info  *types.Info
	Files []*ast.File
}

// Check type-checks the package at path from srcs, which maps import paths
// to the source of a one-file package; the packages it imports are
// checked first, from srcs too. It fails the test on any error.
func Check(t testing.TB, path string, srcs map[string]string) *Package {
	t.Helper()
	c := &checker{fset: token.NewFileSet(), srcs: srcs, done: make(map[string]*Package)}
	p, err := c.check(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type checker struct {
	fset *token.FileSet
	srcs map[string]string
	done map[string]*Package
	busy []string
}

func (c *checker) check(path string) (*Package, error) {
	if p := c.done[path]; p != nil {
		return p, nil
	}
	for _, b := range c.busy {
		if b == path {
			return nil, fmt.Errorf("import cycle through %s", path)
		}
	}
	src, ok := c.srcs[path]
	if !ok {
		paths := make([]string, 0, len(c.srcs))
		for p := range c.srcs {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		return nil, fmt.Errorf("no source for package %q (have %q)", path, paths)
	}
	c.busy = append(c.busy, path)
	defer func() { c.busy = c.busy[:len(c.busy)-1] }()
	f, err := parser.ParseFile(c.fset, path+"/src.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Defs:       make(map[*ast.Ident]types.Object),
		Uses:       make(map[*ast.Ident]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
		Implicits:  make(map[ast.Node]types.Object),
	}
	conf := &types.Config{Importer: importerFunc(func(p string) (*types.Package, error) {
		dep, err := c.check(p)
		if err != nil {
			return nil, err
		}
		return dep.Pkg, nil
	})}
	pkg, err := conf.Check(path, c.fset, []*ast.File{f}, info)
	if err != nil {
		return nil, fmt.Errorf("type-checking %s: %v", path, err)
	}
	p := &Package{Fset: c.fset, Pkg: pkg, Info: info, Files: []*ast.File{f}}
	c.done[path] = p
	return p, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// Type returns the type of the package-level name in p, failing the test
// when there is none.
func (p *Package) Type(t testing.TB, name string) types.Type {
	t.Helper()
	obj := p.Pkg.Scope().Lookup(name)
	if obj == nil {
		t.Fatalf("no %s in package %s", name, p.Pkg.Path())
	}
	return obj.Type()
}

// Func returns the function or method named "F" or "T.M" in p, failing
// the test when there is none.
func (p *Package) Func(t testing.TB, name string) *types.Func {
	t.Helper()
	for i := 0; i < len(name); i++ {
		if name[i] == '.' {
			obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(p.Type(t, name[:i])), true, p.Pkg, name[i+1:])
			if fn, ok := obj.(*types.Func); ok {
				return fn
			}
			t.Fatalf("no method %s in package %s", name, p.Pkg.Path())
		}
	}
	fn, ok := p.Pkg.Scope().Lookup(name).(*types.Func)
	if !ok {
		t.Fatalf("no func %s in package %s", name, p.Pkg.Path())
	}
	return fn
}

// Funcs indexes p's functions as the analyzer does: every declared
// function and every literal, a literal named after its declared function
// ("f.func1") and marked NotHandler when go or defer runs it.
func (p *Package) Funcs() *funcs.Index {
	x := &funcs.Index{}
	notHandler := make(map[*ast.FuncLit]bool)
	nlits := make(map[*funcs.Func]int) // per declared function, as traces number them
	var walk func(parent *funcs.Func, n ast.Node)
	walk = func(parent *funcs.Func, n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				if lit, ok := n.Call.Fun.(*ast.FuncLit); ok {
					notHandler[lit] = true
				}
			case *ast.DeferStmt:
				if lit, ok := n.Call.Fun.(*ast.FuncLit); ok {
					notHandler[lit] = true
				}
			case *ast.FuncLit:
				f := &funcs.Func{Lit: n, Body: n.Body, Parent: parent, NotHandler: notHandler[n], Name: "func literal"}
				if parent != nil {
					top := parent.Top()
					nlits[top]++
					f.Name = fmt.Sprintf("%s.func%d", top.Name, nlits[top])
				}
				x.Add(f)
				walk(f, n.Body)
				return false
			}
			return true
		})
	}
	for _, file := range p.Files {
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				walk(nil, d)
				continue
			}
			if fd.Body == nil {
				continue
			}
			f := &funcs.Func{Decl: fd, Body: fd.Body, Name: fd.Name.Name}
			f.Fn, _ = p.Info.Defs[fd.Name].(*types.Func)
			x.Add(f)
			walk(f, fd.Body)
		}
	}
	return x
}
