package fix

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
)

// stubs stand in for the packages the fixes' code refers to: only the
// names matter, and type-checking them is instant.
var stubs = map[string]string{
	"net/http": `package http
type ResponseWriter interface {
	Header() map[string][]string
	Write([]byte) (int, error)
	WriteHeader(int)
}
type Request struct{}
const StatusInternalServerError = 500
func Error(w ResponseWriter, msg string, code int) {}
func StatusText(code int) string { return "" }
`,
	"example.com/gin": `package gin
import "net/http"
type ResponseWriter interface {
	http.ResponseWriter
	Size() int
}
type Context struct{ Writer ResponseWriter }
`,
	"example.com/web": `package web
type Writer struct{}
type Context struct{ Writer Writer }
`,
	"example.com/session": `package session
type Session struct{}
func (*Session) Release() {}
func (*Session) Save() error { return nil }
func (*Session) Flush() (int, error) { return 0, nil }
func (*Session) Err() error { return nil }
`,
}

type stubImporter struct {
	fset *token.FileSet
	pkgs map[string]*types.Package
}

func (im *stubImporter) Import(path string) (*types.Package, error) {
	if p := im.pkgs[path]; p != nil {
		return p, nil
	}
	src, ok := stubs[path]
	if !ok {
		return nil, fmt.Errorf("no stub for %s", path)
	}
	f, err := parser.ParseFile(im.fset, path+".go", src, 0)
	if err != nil {
		return nil, err
	}
	p, err := (&types.Config{Importer: im}).Check(path, im.fset, []*ast.File{f}, nil)
	im.pkgs[path] = p
	return p, err
}

// load type-checks src, a file of package p, and returns a Writer for it,
// the function (or literal) holding the statement block(), and that
// statement's position. readable says whether the Writer can read the
// file's source.
func load(t *testing.T, src string, readable bool) (*Writer, *funcs.Func, token.Pos) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:     make(map[ast.Expr]types.TypeAndValue),
		Defs:      make(map[*ast.Ident]types.Object),
		Uses:      make(map[*ast.Ident]types.Object),
		Implicits: make(map[ast.Node]types.Object),
	}
	conf := &types.Config{Importer: &stubImporter{fset, make(map[string]*types.Package)}}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	w := &Writer{Fset: fset, Files: []*ast.File{f}, Pkg: pkg, Info: info}
	if readable {
		w.ReadFile = func(name string) ([]byte, error) {
			if name != "p.go" {
				return nil, fmt.Errorf("read %s: not the test's file", name)
			}
			return []byte(src), nil
		}
	}
	pos := token.NoPos
	ast.Inspect(f, func(n ast.Node) bool {
		if s, ok := n.(*ast.ExprStmt); ok && pos == token.NoPos {
			if c, ok := s.X.(*ast.CallExpr); ok && name(c) == "block" {
				pos = s.Pos()
			}
		}
		return true
	})
	if pos == token.NoPos {
		t.Fatal("no block() statement")
	}
	// The innermost function holding pos, with the literals around it.
	var fn *funcs.Func
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if n.Body != nil && n.Body.Pos() < pos && pos < n.Body.End() {
				fn = &funcs.Func{Decl: n, Body: n.Body}
			}
		case *ast.FuncLit:
			if n.Body.Pos() < pos && pos < n.Body.End() {
				fn = &funcs.Func{Lit: n, Parent: fn, Body: n.Body}
			}
		}
		return true
	})
	return w, fn, pos
}

const handlerErr = `if err := s.Save(); err != nil {
	%[1]s.Error(%[2]s, %[1]s.StatusText(%[1]s.StatusInternalServerError), %[1]s.StatusInternalServerError)
	return
}
`

// indented indents every line of text but the first by indent, and ends
// it with indent: the text is inserted where the statement starts.
func indented(text, indent string) string {
	return strings.ReplaceAll(text, "\n", "\n"+indent)
}

func TestText(t *testing.T) {
	release := Release{Recv: "s", Method: "Release"}
	save := Release{Recv: "s", Method: "Save", ReturnsError: true}
	for _, c := range []struct {
		name, src string
		r         Release
		want      string // "": no fix
	}{
		{"a release without error", `package p
import "example.com/session"
func block() {}
func f(s *session.Session) (int, string) {
	block()
	return 0, ""
}`, release, "s.Release()\n\t"},

		{"a handler", `package p
import ("net/http"; "example.com/session")
func block() {}
func h(w http.ResponseWriter, r *http.Request, s *session.Session) {
	if r != nil {
		block()
	}
}`, save, indented(fmt.Sprintf(handlerErr, "http", "w"), "\t\t")},

		{"a handler importing net/http under another name", `package p
import (nethttp "net/http"; "example.com/session")
func block() {}
func h(w nethttp.ResponseWriter, r *nethttp.Request, s *session.Session) {
	block()
}`, save, indented(fmt.Sprintf(handlerErr, "nethttp", "w"), "\t")},

		{"a handler where a variable shadows http", `package p
import ("net/http"; "example.com/session")
func block() {}
func h(w http.ResponseWriter, r *http.Request, s *session.Session) {
	http := r
	_ = http
	block()
}`, save, ""},

		{"a handler where http is shadowed after the statement only", `package p
import ("net/http"; "example.com/session")
func block() {}
func h(w http.ResponseWriter, r *http.Request, s *session.Session) {
	block()
	http := r
	_ = http
}`, save, indented(fmt.Sprintf(handlerErr, "http", "w"), "\t")},

		{"a handler where a variable shadows the writer", `package p
import ("net/http"; "example.com/session")
func block() {}
func h(w http.ResponseWriter, r *http.Request, s *session.Session) {
	if r != nil {
		w := 0
		_ = w
		block()
	}
}`, save, ""},

		{"a handler whose file dot-imports net/http", `package p
import (. "net/http"; "example.com/session")
func block() {}
func h(w ResponseWriter, r *Request, s *session.Session) {
	block()
}`, save, ""},

		{"a literal in a handler", `package p
import ("net/http"; "example.com/session")
func block() {}
func h(rw http.ResponseWriter, r *http.Request, s *session.Session) {
	f := func() {
		block()
	}
	f()
}`, save, indented(fmt.Sprintf(handlerErr, "http", "rw"), "\t\t")},

		{"a gin handler", `package p
import ("net/http"; "example.com/gin"; "example.com/session")
var _ http.ResponseWriter
func block() {}
func h(c *gin.Context, s *session.Session) {
	block()
}`, save, indented(fmt.Sprintf(handlerErr, "http", "c.Writer"), "\t")},

		{"a gin handler in a file without net/http", `package p
import ("example.com/gin"; "example.com/session")
func block() {}
func h(c *gin.Context, s *session.Session) {
	block()
}`, save, ""},

		{"a context whose Writer is no ResponseWriter", `package p
import ("net/http"; "example.com/web"; "example.com/session")
var _ http.ResponseWriter
func block() {}
func h(c *web.Context, s *session.Session) {
	block()
}`, save, ""},

		{"no results and no writer", `package p
import ("net/http"; "example.com/session")
var _ http.ResponseWriter
func block() {}
func f(s *session.Session) {
	block()
}`, save, ""},

		{"a function returning an error", `package p
import "example.com/session"
func block() {}
func f(s *session.Session) error {
	block()
	return nil
}`, save, "if err := s.Save(); err != nil {\n\t\treturn err\n\t}\n\t"},

		{"a function returning a named error", `package p
import "example.com/session"
func block() {}
func f(s *session.Session) (err error) {
	block()
	return nil
}`, save, "if err := s.Save(); err != nil {\n\t\treturn err\n\t}\n\t"},

		{"a function returning two errors", `package p
import "example.com/session"
func block() {}
func f(s *session.Session) (a, b error) {
	block()
	return nil, nil
}`, save, ""},

		{"a function returning other results", `package p
import "example.com/session"
func block() {}
func f(s *session.Session) (int, error) {
	block()
	return 0, nil
}`, save, ""},

		{"a function returning something else", `package p
import "example.com/session"
func block() {}
func f(s *session.Session) string {
	block()
	return ""
}`, save, ""},
	} {
		w, fn, pos := load(t, c.src, true)
		got, ok := w.Text(fn, pos, c.r)
		if ok != (c.want != "") || got != c.want {
			t.Errorf("%s: got %q (%v), want %q", c.name, got, ok, c.want)
		}
	}
}

func TestIndent(t *testing.T) {
	src := `package p
func block() {}
func f() {
    if true {
        block()
    }
}`
	for _, c := range []struct {
		name     string
		readable bool
		want     string
	}{
		{"spaces, as the file has them", true, "        "},
		{"a tab a column, without the source", false, "\t\t\t\t\t\t\t\t"},
	} {
		w, fn, pos := load(t, src, c.readable)
		got, _ := w.Text(fn, pos, Release{Recv: "s", Method: "Release"})
		if want := "s.Release()\n" + c.want; got != want {
			t.Errorf("%s: got %q, want %q", c.name, got, want)
		}
	}
}

func TestSourceReadOnce(t *testing.T) {
	src := "package p\nfunc block() {}\nfunc f() {\n\tblock()\n\tblock()\n}"
	w, fn, pos := load(t, src, true)
	reads := 0
	read := w.ReadFile
	w.ReadFile = func(name string) ([]byte, error) {
		reads++
		return read(name)
	}
	for range 3 {
		w.Text(fn, pos, Release{Recv: "s", Method: "Release"})
	}
	if reads != 1 {
		t.Errorf("read the file %d times, want once", reads)
	}
}

func TestReturnsError(t *testing.T) {
	im := &stubImporter{token.NewFileSet(), make(map[string]*types.Package)}
	pkg, err := im.Import("example.com/session")
	if err != nil {
		t.Fatal(err)
	}
	s := pkg.Scope().Lookup("Session").Type().(*types.Named)
	want := map[string]bool{"Release": false, "Save": true, "Flush": false, "Err": true}
	for i := 0; i < s.NumMethods(); i++ {
		m := s.Method(i)
		if got := ReturnsError(m); got != want[m.Name()] {
			t.Errorf("ReturnsError(%s) = %v, want %v", m.Name(), got, want[m.Name()])
		}
	}
}
