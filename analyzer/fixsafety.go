package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// The suggested fix releases the lock before a long call. Releasing is
// only safe when nothing after it writes the session: after ReleaseLock a
// write panics (runtime/session) or is lost. Besides the writes the
// analysis sees, a write may hide behind a call it cannot see into:
//
//   - next.ServeHTTP(w, r) in a middleware, or any call through an
//     interface of the user's code without a visible implementation (or
//     with one that writes, releases or acquires);
//   - a call of a function value (a handler passed in, a callback);
//   - a call of a library's handler-shaped function or method (a router's
//     ServeHTTP, http.HandlerFunc.ServeHTTP), which runs handlers.
//
// Those calls are evOpaque events, which count as mutations for the fix
// (and for nothing else).

// isFuncValueCall reports whether call, which has no static callee and is
// not through an interface, invokes a function value: a variable, a
// field, a parameter, an immediately called literal, a function returned
// by a call. Conversions and builtins are not values.
func (st *state) isFuncValueCall(call *ast.CallExpr) bool {
	if st.isDependency() {
		return false
	}
	tv, ok := st.pass.TypesInfo.Types[ast.Unparen(call.Fun)]
	return ok && tv.IsValue()
}

// ifaceOpaque reports whether a call of interface method m (through static
// type t) may reach a session write the analysis cannot see.
func (st *state) ifaceOpaque(m *types.Func, t types.Type) bool {
	if st.isDependency() {
		return false
	}
	if m.Name() == "ServeHTTP" && httpshape.IsHandlerFunc(m.Type()) {
		return true // the next handler, whatever it is
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || !st.isUserPkg(n.Obj().Pkg()) {
		// A library's interface (io.Writer, http.ResponseWriter,
		// context.Context) is not implemented to write a session.
		return false
	}
	impls := st.ifaceImpls(t, m.Name())
	if len(impls) == 0 {
		return true
	}
	for _, impl := range impls {
		if f := st.factOf(impl); f != nil && (len(f.Writes) > 0 || f.Releases || f.Acquires || f.Role&(roleWrite|roleRelease|roleAcquire) != 0) {
			return true
		}
	}
	return false
}

// unknownCallEvents appends the event of a static call of fn, which has no
// fact: opaque when fn runs handlers, as a library's handler-shaped
// function does (a router's ServeHTTP).
func (st *state) unknownCallEvents(call *ast.CallExpr, fn *types.Func, stmt ast.Node, out []event) []event {
	if fn.Pkg() == nil || fn.Pkg() == st.pass.Pkg || !httpshape.IsHandlerFunc(fn.Type()) || st.isDependency() || st.isUserPkg(fn.Pkg()) {
		return out
	}
	return append(out, event{kind: evOpaque, pos: call.Pos(), stmt: stmt, fn: fn})
}
