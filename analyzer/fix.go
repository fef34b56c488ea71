package analyzer

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/sessionlock/sessionlock/analyzer/internal/fix"
)

// fixFor offers to release the lock right before the statement of a
// blocking call, when a session variable is in scope, the statement stands
// in a statement list, and nothing after it on any path (nor any deferred
// call) writes, releases, acquires or calls what the analysis cannot see
// into: then releasing early changes nothing but the wait of the session's
// other requests. Only the first such call on a path gets the fix, so
// applying every fix releases once per path.
//
// Where the fix may go is computed once per unit (fixFacts, fix.Place),
// so a body with many findings costs one walk, not one per finding.
func (st *state) fixFor(u *unit, e *event, bi, k int) []analysis.SuggestedFix {
	stmt, ok := e.stmt.(ast.Stmt)
	if !ok {
		return nil
	}
	if !st.fixFactsOf(u).places.Fix(bi, k) {
		return nil
	}
	recv, release := "", ""
	if v := st.sessionVarAt(u, stmt.Pos()); v != nil {
		recv, release = v.v.Name(), v.release
	} else if recv, release = st.sourceExprOf(u, stmt.Pos()); recv == "" {
		return nil
	}
	tf := st.pass.Fset.File(stmt.Pos())
	if tf == nil {
		return nil
	}
	text, ok := st.releaseText(u, stmt, recv, release, st.indentAt(tf, stmt.Pos()))
	if !ok {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   "Release the session lock before the blocking call",
		TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.Pos(), NewText: []byte(text)}},
	}}
}

// fixFacts is what fixFor needs to know about a unit, for its current
// events.
type fixFacts struct {
	places *fix.Places // where a release may go
	source *sourceFix  // how to obtain the session in a handler that never names it
}

type sourceFix struct{ recv, release string }

// fixFactsOf hands the unit's events to fix.Place, one item per event so
// that an event's block and index name its item.
func (st *state) fixFactsOf(u *unit) *fixFacts {
	if u.fix != nil {
		return u.fix
	}
	items := make([][]fix.Item, len(u.events))
	for i, evs := range u.events {
		items[i] = make([]fix.Item, len(evs))
		for k := range evs {
			e := &evs[k]
			items[i][k] = fix.Item{Node: e.stmt, Mutates: mutates(e), Candidate: e.kind == evBlock}
		}
	}
	u.fix = &fixFacts{places: fix.Place(fix.Body{Syntax: u.Body, Blocks: u.g.Blocks, Items: items, DeferMutates: st.defersMutation})}
	return u.fix
}

// mutates reports whether e may change the session or its lock, or may
// hide such a change (evOpaque, see fixsafety.go).
func mutates(e *event) bool {
	switch e.kind {
	case evWrite, evRelease, evAcquire, evEffect, evOpaque:
		return true
	}
	return false
}

// defersMutation reports whether a deferred call writes or acquires (a
// deferred release is fine: releasing twice is harmless).
func (st *state) defersMutation(d *ast.DeferStmt) bool {
	found := false
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
	return found
}

// sourceExprOf is sourceExpr, computed once per unit: every finding of a
// handler that never names the session gets the same expression.
func (st *state) sourceExprOf(u *unit, pos token.Pos) (string, string) {
	ff := st.fixFactsOf(u)
	if ff.source == nil {
		recv, release := st.sourceExpr(u, pos)
		ff.source = &sourceFix{recv, release}
	}
	return ff.source.recv, ff.source.release
}

// indentAt returns the blanks that precede pos on its line.
func (st *state) indentAt(tf *token.File, pos token.Pos) string {
	line := tf.Line(pos)
	start, end := tf.Offset(tf.LineStart(line)), tf.Offset(pos)
	if src := st.source(tf); src != nil && start <= end && end <= len(src) {
		if prefix := string(src[start:end]); strings.TrimSpace(prefix) == "" {
			return prefix
		}
	}
	if end < start {
		return ""
	}
	return strings.Repeat("\t", end-start) // gofmt indents with tabs
}

// source returns a file's content, read once per run.
func (st *state) source(tf *token.File) []byte {
	if src, ok := st.srcs[tf]; ok {
		return src
	}
	var src []byte
	if st.pass.ReadFile != nil {
		src, _ = st.pass.ReadFile(tf.Name())
	}
	if st.srcs == nil {
		st.srcs = make(map[*token.File][]byte)
	}
	st.srcs[tf] = src
	return src
}
