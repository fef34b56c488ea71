package fix

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/typestest"
)

// stubs stand in for the packages the fixes' code refers to: only the
// names matter, and type-checking them is instant.
var stubs = map[string]string{
	"net/http": typestest.HTTP,
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

// load type-checks src, a file of package p, and returns a Writer for it,
// the function (or literal) holding the statement block(), and that
// statement's position. readable says whether the Writer can read the
// file's source.
func load(t *testing.T, src string, readable bool) (*Writer, *funcs.Func, token.Pos) {
	t.Helper()
	srcs := map[string]string{"p": src}
	for path, s := range stubs {
		srcs[path] = s
	}
	p := typestest.Check(t, "p", srcs)
	f := p.Files[0]
	w := &Writer{Fset: p.Fset, Files: p.Files, Pkg: p.Pkg, Info: p.Info}
	if readable {
		file := p.Fset.File(f.Pos()).Name()
		w.ReadFile = func(name string) ([]byte, error) {
			if name != file {
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
	s := typestest.Check(t, "example.com/session", stubs).Type(t, "Session").(*types.Named)
	want := map[string]bool{"Release": false, "Save": true, "Flush": false, "Err": true}
	for i := 0; i < s.NumMethods(); i++ {
		m := s.Method(i)
		if got := ReturnsError(m); got != want[m.Name()] {
			t.Errorf("ReturnsError(%s) = %v, want %v", m.Name(), got, want[m.Name()])
		}
	}
}
