package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/blocking"
)

// A receive from a context's Done channel in a handler, as in
// <-r.Context().Done(), waits for the client to leave: an SSE stream, a
// long poll or a websocket holds the session lock for its whole life. The
// receive is a long call, alone or in a select whose other cases are
// channels the analyzer knows nothing of. A select that also waits on a
// timer is reported once, at the timer's case; one with a default case
// does not wait at all. Libraries wait on Done to cancel their own I/O,
// which their models cover, so in a dependency the receive is not long.

// isCtxDone reports whether call is the Done method of a context.Context
// (or of a type in package context), in the user's own code.
func (st *state) isCtxDone(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Done" || len(call.Args) != 0 {
		return false
	}
	fn, ok := st.pass.TypesInfo.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "context" {
		return false
	}
	return !st.isDependency()
}

// dropTimedDoneReceives removes the Done receives that are cases of a
// select with a timer case: the timer's case carries the select's one
// report. It walks the body only when a Done receive was found.
func (st *state) dropTimedDoneReceives(body *ast.BlockStmt, evs [][]event) {
	var done []token.Pos
	for _, b := range evs {
		for _, e := range b {
			if e.ctxDone {
				done = append(done, e.pos)
			}
		}
	}
	if len(done) == 0 {
		return
	}
	timed := make(map[token.Pos]bool)
	inspectOwn(body, func(n ast.Node) {
		sel, ok := n.(*ast.SelectStmt)
		if !ok || !blocking.HasTimerCase(st.pass.TypesInfo, sel) {
			return
		}
		for _, p := range done {
			if sel.Pos() <= p && p < sel.Body.Rbrace && st.isCaseReceive(sel, p) {
				timed[p] = true
			}
		}
	})
	if len(timed) == 0 {
		return
	}
	for i := range evs {
		out := evs[i][:0]
		for _, e := range evs[i] {
			if !(e.ctxDone && timed[e.pos]) {
				out = append(out, e)
			}
		}
		evs[i] = out
	}
}

// isCaseReceive reports whether the receive at p is the communication of
// one of sel's cases (not a receive nested in a case body).
func (st *state) isCaseReceive(sel *ast.SelectStmt, p token.Pos) bool {
	for _, c := range sel.Body.List {
		if cc, ok := c.(*ast.CommClause); ok && cc.Comm != nil && cc.Comm.Pos() <= p && p < cc.Comm.End() {
			return true
		}
	}
	return false
}
