package analyzer

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// fixFor offers to release the lock right before the statement of a
// blocking call, when a session variable is in scope, the statement stands
// in a statement list, and nothing after it on any path (nor any deferred
// call) writes, releases or acquires: then releasing early changes nothing
// but the wait of the session's other requests.
func (st *state) fixFor(u *unit, e *event, bi, k int) []analysis.SuggestedFix {
	stmt, ok := e.stmt.(ast.Stmt)
	if !ok || !st.inList(u, stmt) {
		return nil
	}
	var recv, release string
	if v := st.sessionVarAt(u, stmt.Pos()); v != nil {
		recv, release = v.v.Name(), v.release
	} else if recv, release = st.sourceExpr(u, stmt.Pos()); recv == "" {
		return nil
	}
	for j := 0; j < len(u.events[bi]); j++ {
		other := &u.events[bi][j]
		if (j > k || other.stmt == e.stmt) && mutates(other) {
			return nil
		}
	}
	if st.mutationReachable(u, bi) || st.defersMutation(u) {
		return nil
	}
	tf := st.pass.Fset.File(stmt.Pos())
	if tf == nil {
		return nil
	}
	indent := st.indentAt(tf, stmt.Pos())
	text := recv + "." + release + "()\n" + indent
	return []analysis.SuggestedFix{{
		Message:   "Release the session lock before the blocking call",
		TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.Pos(), NewText: []byte(text)}},
	}}
}

func mutates(e *event) bool {
	switch e.kind {
	case evWrite, evRelease, evAcquire, evEffect:
		return true
	}
	return false
}

// mutationReachable reports whether a mutating event is reachable from the
// successors of block bi (including bi itself again, through a loop).
func (st *state) mutationReachable(u *unit, bi int) bool {
	seen := make([]bool, len(u.g.Blocks))
	stack := make([]int32, 0, 8)
	for _, s := range u.g.Blocks[bi].Succs {
		stack = append(stack, s.Index)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[i] {
			continue
		}
		seen[i] = true
		for k := range u.events[i] {
			if mutates(&u.events[i][k]) {
				return true
			}
		}
		for _, s := range u.g.Blocks[i].Succs {
			stack = append(stack, s.Index)
		}
	}
	return false
}

// defersMutation reports whether u defers a call that writes, releases or
// acquires (a deferred release is fine: releasing twice is harmless).
func (st *state) defersMutation(u *unit) bool {
	found := false
	inspectOwn(u.body, func(n ast.Node) {
		d, ok := n.(*ast.DeferStmt)
		if !ok || found {
			return
		}
		ast.Inspect(d.Call, func(x ast.Node) bool {
			if call, ok := x.(*ast.CallExpr); ok {
				for _, e := range st.callEvents(call, call, nil) {
					if e.kind == evWrite || e.kind == evAcquire || e.kind == evEffect && e.fact.Acquires {
						found = true
					}
				}
			}
			return !found
		})
	})
	return found
}

// inList reports whether stmt is directly in a block or case body, where a
// statement can be inserted before it.
func (st *state) inList(u *unit, stmt ast.Stmt) bool {
	found := false
	inspectOwn(u.body, func(n ast.Node) {
		if found {
			return
		}
		var list []ast.Stmt
		switch x := n.(type) {
		case *ast.BlockStmt:
			list = x.List
		case *ast.CaseClause:
			list = x.Body
		case *ast.CommClause:
			list = x.Body
		default:
			return
		}
		for _, s := range list {
			if s == stmt {
				found = true
			}
		}
	})
	return found
}

// indentAt returns the blanks that precede pos on its line.
func (st *state) indentAt(tf *token.File, pos token.Pos) string {
	line := tf.Line(pos)
	start, end := tf.Offset(tf.LineStart(line)), tf.Offset(pos)
	if st.pass.ReadFile != nil {
		if src, err := st.pass.ReadFile(tf.Name()); err == nil && start <= end && end <= len(src) {
			if prefix := string(src[start:end]); strings.TrimSpace(prefix) == "" {
				return prefix
			}
		}
	}
	if end < start {
		return ""
	}
	return strings.Repeat("\t", end-start) // gofmt indents with tabs
}
