package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/fix"
	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// sessVar is a variable holding the session, with the name of its release
// method (learnt from the //sessionlock:release directive).
type sessVar struct {
	v       *types.Var
	release string
}

// sessionVarAt returns a session variable of u (or of the functions
// enclosing a literal) that is in scope at pos, or nil.
func (st *state) sessionVarAt(u *unit, pos token.Pos) *sessVar {
	for ; u != nil; u = st.parentOf(u) {
		if !u.varsOK {
			u.varsOK = true
			st.collectVars(u)
		}
		for i := range u.vars {
			v := u.vars[i].v
			if v.Pos() < pos && v.Parent() != nil && v.Parent().Contains(pos) {
				return &u.vars[i]
			}
		}
	}
	return nil
}

func (st *state) collectVars(u *unit) {
	add := func(id *ast.Ident) {
		v, ok := st.pass.TypesInfo.Defs[id].(*types.Var)
		if !ok || v == nil {
			return
		}
		if name := st.releaseMethod(v.Type()); name != "" {
			u.vars = append(u.vars, sessVar{v: v, release: name})
		}
	}
	ft := u.Type()
	if ft == nil || ft.Params == nil {
		return
	}
	for _, fl := range ft.Params.List {
		for _, id := range fl.Names {
			add(id)
		}
	}
	inspectOwn(u.Body, func(n ast.Node) {
		if id, ok := n.(*ast.Ident); ok {
			add(id)
		}
	})
}

// releaseMethod returns the name of the release method of t (or *t).
func (st *state) releaseMethod(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return ""
	}
	for i := 0; i < n.NumMethods(); i++ {
		m := n.Method(i).Origin()
		if f := st.factOf(m); f != nil && f.Role&roleRelease != 0 {
			return m.Name()
		}
	}
	return ""
}

// sourceExpr builds an expression that obtains the session in a handler
// that never names it, such as session.FromContext(r.Context()): a source
// function of a package the file imports, applied to the handler's request
// (or its context). It returns the expression and the release method's
// name, or "" when there is no such function or request parameter.
func (st *state) sourceExpr(u *unit, pos token.Pos) (string, string) {
	req := ""
	var fwName string     // the framework context parameter (c), if any
	var fwType types.Type // and its type, for a source taking it (ginsession.From(c))
	for w := u; w != nil && req == ""; w = st.parentOf(w) {
		if ft := w.Type(); ft != nil && ft.Params != nil {
			for _, fl := range ft.Params.List {
				for _, id := range fl.Names {
					v, ok := st.pass.TypesInfo.Defs[id].(*types.Var)
					if !ok || id.Name == "_" || req != "" {
						continue
					}
					if httpshape.IsNamedPtr(v.Type(), "", "Request") {
						req = id.Name
					} else if sel := httpshape.RequestSelector(v.Type()); sel != "" {
						req = id.Name + sel // c.Request (gin), c.Request() (echo)
						fwName, fwType = id.Name, v.Type()
					}
				}
			}
		}
	}
	if req == "" {
		return "", ""
	}
	var fromCtx, fromRelease string // a source taking the request, if no better one
	for _, f := range st.pass.Files {
		if pos < f.FileStart || pos > f.FileEnd {
			continue
		}
		for _, spec := range f.Imports {
			pn := fix.ImportedAs(st.pass.TypesInfo, spec)
			if pn == nil || pn.Name() == "_" || pn.Name() == "." {
				continue
			}
			scope := pn.Imported().Scope()
			for _, name := range scope.Names() {
				fn, ok := scope.Lookup(name).(*types.Func)
				if !ok || !fn.Exported() {
					continue
				}
				f := st.factOf(fn)
				if f == nil || f.Role&roleSource == 0 {
					continue
				}
				sig := fn.Type().(*types.Signature)
				if sig.Params().Len() != 1 || sig.Results().Len() != 1 {
					continue
				}
				release := st.releaseMethod(sig.Results().At(0).Type())
				if release == "" {
					continue
				}
				switch pt := sig.Params().At(0).Type(); {
				case fwType != nil && types.Identical(pt, fwType):
					return pn.Name() + "." + name + "(" + fwName + ")", release // the framework's own: ginsession.From(c)
				case fromCtx != "":
				case httpshape.IsNamed(pt, "context", "Context"):
					fromCtx, fromRelease = pn.Name()+"."+name+"("+req+".Context())", release
				case httpshape.IsNamedPtr(pt, "", "Request"):
					fromCtx, fromRelease = pn.Name()+"."+name+"("+req+")", release
				}
			}
		}
	}
	return fromCtx, fromRelease
}
