package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
)

// releaseText is the code the fix inserts before stmt: the release call,
// with its error checked when it returns one, so that the fix adds no
// errcheck finding and a failed save is not ignored. A handler that
// returns nothing answers 500 and returns (w being its ResponseWriter); a
// function returning only an error returns it. Elsewhere there is no safe
// text and no fix.
func (st *state) releaseText(u *unit, stmt ast.Stmt, recv, release, indent string) (string, bool) {
	call := recv + "." + release + "()"
	if !st.releaseReturnsError(release) {
		return call + "\n" + indent, true
	}
	ft := u.Type()
	if ft == nil {
		return "", false
	}
	open := "if err := " + call + "; err != nil {\n" + indent + "\t"
	closing := "\n" + indent + "}\n" + indent
	switch {
	case ft.Results == nil || len(ft.Results.List) == 0:
		w := st.responseWriterAt(u, stmt.Pos())
		http := st.importName(stmt.Pos(), "net/http")
		if w == "" || http == "" {
			return "", false
		}
		status := http + ".StatusInternalServerError"
		return open + http + ".Error(" + w + ", " + http + ".StatusText(" + status + "), " + status + ")\n" +
			indent + "\treturn" + closing, true
	case len(ft.Results.List) == 1 && len(ft.Results.List[0].Names) <= 1 && isErrorType(st.pass.TypesInfo.TypeOf(ft.Results.List[0].Type)):
		return open + "return err" + closing, true
	}
	return "", false
}

func isErrorType(t types.Type) bool {
	return t != nil && types.Identical(t, types.Universe.Lookup("error").Type())
}

// releaseReturnsError reports whether the release method called name (a
// //sessionlock:release of this package or of an import) returns an
// error. Cached per name.
func (st *state) releaseReturnsError(name string) bool {
	if v, ok := st.releaseErr[name]; ok {
		return v
	}
	v := false
	check := func(fn *types.Func, r role) {
		if r&roleRelease != 0 && fn.Name() == name {
			if sig, ok := fn.Type().(*types.Signature); ok && sig.Results().Len() == 1 && isErrorType(sig.Results().At(0).Type()) {
				v = true
			}
		}
	}
	for fn, r := range st.roles {
		check(fn, r)
	}
	for fn, f := range st.imports {
		if f != nil {
			check(fn, f.Role)
		}
	}
	if st.releaseErr == nil {
		st.releaseErr = make(map[string]bool)
	}
	st.releaseErr[name] = v
	return v
}

// responseWriterAt returns the name of an http.ResponseWriter parameter of
// u (or of the functions enclosing a literal) visible at pos, or "".
func (st *state) responseWriterAt(u *unit, pos token.Pos) string {
	for w := u; w != nil; w = st.parentOf(w) {
		ft := w.Type()
		if ft == nil || ft.Params == nil {
			continue
		}
		for _, fl := range ft.Params.List {
			for _, id := range fl.Names {
				v, ok := st.pass.TypesInfo.Defs[id].(*types.Var)
				if !ok || id.Name == "_" || !st.visibleAt(id.Name, v, pos) {
					continue
				}
				if isNamed(v.Type(), "net/http", "ResponseWriter") {
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
	if isNamed(rw, "net/http", "ResponseWriter") {
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

// importName returns the name under which the file holding pos imports
// path, if that name still denotes the package at pos, or "".
func (st *state) importName(pos token.Pos, path string) string {
	for _, f := range st.pass.Files {
		if pos < f.FileStart || pos > f.FileEnd {
			continue
		}
		for _, spec := range f.Imports {
			if p, err := strconv.Unquote(spec.Path.Value); err != nil || p != path {
				continue
			}
			var pn *types.PkgName
			if spec.Name != nil {
				pn, _ = st.pass.TypesInfo.Defs[spec.Name].(*types.PkgName)
			} else {
				pn, _ = st.pass.TypesInfo.Implicits[spec].(*types.PkgName)
			}
			if pn != nil && pn.Name() != "_" && pn.Name() != "." && st.visibleAt(pn.Name(), pn, pos) {
				return pn.Name()
			}
		}
	}
	return ""
}

// visibleAt reports whether name resolves to obj at pos (no inner
// declaration shadows it).
func (st *state) visibleAt(name string, obj types.Object, pos token.Pos) bool {
	inner := st.pass.Pkg.Scope().Innermost(pos)
	if inner == nil {
		return true
	}
	_, found := inner.LookupParent(name, pos)
	return found == obj
}
