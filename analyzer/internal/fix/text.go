package fix

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// Release is the call a fix inserts: Recv.Method().
type Release struct {
	Recv         string // the session: a variable, or an expression that obtains it
	Method       string // its release method
	ReturnsError bool   // the method's only result is an error (ReturnsError)
}

// ReturnsError reports whether a release method's only result is an
// error: a failed save the fix must not ignore.
func ReturnsError(m *types.Func) bool {
	sig, ok := m.Type().(*types.Signature)
	return ok && sig.Results().Len() == 1 && isError(sig.Results().At(0).Type())
}

// Writer writes the code of fixes in one package. It reads each file's
// source once, for indentation.
type Writer struct {
	Fset     *token.FileSet
	Files    []*ast.File                           // the package's files, for their imports
	Pkg      *types.Package                        // for the scopes that may shadow a name
	Info     *types.Info                           // Defs, Implicits and Types of Files
	ReadFile func(filename string) ([]byte, error) // nil: indent by column alone

	srcs map[*token.File][]byte
}

// Text is the code to insert at pos, the start of a statement of fn, to
// release before it: the release call, with its error checked when it
// returns one, so that the fix adds no errcheck finding and a failed save
// is not ignored. On that error a handler that returns nothing answers 500
// and returns, and a function returning only an error returns it.
// Elsewhere there is no safe text and Text returns false.
func (w *Writer) Text(fn *funcs.Func, pos token.Pos, r Release) (string, bool) {
	tf := w.Fset.File(pos)
	if tf == nil {
		return "", false
	}
	indent := w.indentAt(tf, pos)
	call := r.Recv + "." + r.Method + "()"
	if !r.ReturnsError {
		return call + "\n" + indent, true
	}
	ft := fn.Type()
	if ft == nil {
		return "", false
	}
	open := "if err := " + call + "; err != nil {\n" + indent + "\t"
	closing := "\n" + indent + "}\n" + indent
	switch {
	case ft.Results == nil || len(ft.Results.List) == 0:
		rw := w.ResponseWriterAt(fn, pos)
		http := w.ImportName(pos, "net/http")
		if rw == "" || http == "" {
			return "", false
		}
		status := http + ".StatusInternalServerError"
		return open + http + ".Error(" + rw + ", " + http + ".StatusText(" + status + "), " + status + ")\n" +
			indent + "\treturn" + closing, true
	case len(ft.Results.List) == 1 && len(ft.Results.List[0].Names) <= 1 && isError(w.Info.TypeOf(ft.Results.List[0].Type)):
		return open + "return err" + closing, true
	}
	return "", false
}

// indentAt returns the blanks that precede pos on its line, so that the
// inserted lines line up with the statement whatever the file indents
// with.
func (w *Writer) indentAt(tf *token.File, pos token.Pos) string {
	line := tf.Line(pos)
	start, end := tf.Offset(tf.LineStart(line)), tf.Offset(pos)
	if src := w.source(tf); src != nil && start <= end && end <= len(src) {
		if prefix := string(src[start:end]); strings.TrimSpace(prefix) == "" {
			return prefix
		}
	}
	if end < start {
		return ""
	}
	return strings.Repeat("\t", end-start) // gofmt indents with tabs
}

// source returns a file's content, read once: a body with many findings
// would otherwise read its file once per fix.
func (w *Writer) source(tf *token.File) []byte {
	if src, ok := w.srcs[tf]; ok {
		return src
	}
	var src []byte
	if w.ReadFile != nil {
		src, _ = w.ReadFile(tf.Name())
	}
	if w.srcs == nil {
		w.srcs = make(map[*token.File][]byte)
	}
	w.srcs[tf] = src
	return src
}

// ResponseWriterAt returns an expression for the http.ResponseWriter that
// a parameter of fn (or of the functions enclosing a literal) provides at
// pos: the parameter itself, or its Writer field for a framework context
// such as gin's *gin.Context. It returns "" when there is none or it is
// shadowed.
func (w *Writer) ResponseWriterAt(fn *funcs.Func, pos token.Pos) string {
	for ; fn != nil; fn = fn.Parent {
		ft := fn.Type()
		if ft == nil || ft.Params == nil {
			continue
		}
		for _, fl := range ft.Params.List {
			for _, id := range fl.Names {
				v, ok := w.Info.Defs[id].(*types.Var)
				if !ok || id.Name == "_" || !w.visibleAt(id.Name, v, pos) {
					continue
				}
				if httpshape.IsNamed(v.Type(), "net/http", "ResponseWriter") {
					return id.Name
				}
				if writerField(v.Type()) {
					return id.Name + ".Writer" // gin's c.Writer
				}
			}
		}
	}
	return ""
}

// writerField reports whether t (a framework context such as
// *gin.Context) has a Writer field that is an http.ResponseWriter.
func writerField(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Writer")
	f, ok := obj.(*types.Var)
	if !ok || !f.IsField() {
		return false
	}
	rw, _ := types.Unalias(f.Type()).(*types.Named)
	if rw == nil {
		return false
	}
	if httpshape.IsNamed(rw, "net/http", "ResponseWriter") {
		return true
	}
	// gin.ResponseWriter embeds http.ResponseWriter: it has its methods.
	for _, m := range []string{"Header", "Write", "WriteHeader"} {
		if obj, _, _ := types.LookupFieldOrMethod(rw, true, nil, m); obj == nil {
			return false
		}
	}
	return true
}

// ImportName returns the name under which the file holding pos imports
// path, if that name still denotes the package at pos, or "": the fix
// must not call a local variable named http.
func (w *Writer) ImportName(pos token.Pos, path string) string {
	for _, f := range w.Files {
		if pos < f.FileStart || pos > f.FileEnd {
			continue
		}
		for _, spec := range f.Imports {
			if p, err := strconv.Unquote(spec.Path.Value); err != nil || p != path {
				continue
			}
			if pn := ImportedAs(w.Info, spec); pn != nil && pn.Name() != "_" && pn.Name() != "." && w.visibleAt(pn.Name(), pn, pos) {
				return pn.Name()
			}
		}
	}
	return ""
}

// ImportedAs is the package name an import declares in its file, whether
// the import names it or not, or nil without type information.
func ImportedAs(info *types.Info, spec *ast.ImportSpec) *types.PkgName {
	var pn *types.PkgName
	if spec.Name != nil {
		pn, _ = info.Defs[spec.Name].(*types.PkgName)
	} else {
		pn, _ = info.Implicits[spec].(*types.PkgName)
	}
	return pn
}

// visibleAt reports whether name resolves to obj at pos (no inner
// declaration shadows it).
func (w *Writer) visibleAt(name string, obj types.Object, pos token.Pos) bool {
	inner := w.Pkg.Scope().Innermost(pos)
	if inner == nil {
		return true
	}
	_, found := inner.LookupParent(name, pos)
	return found == obj
}

func isError(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}
