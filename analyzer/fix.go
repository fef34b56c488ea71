package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

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
	r := fix.Release{Recv: recv, Method: release, ReturnsError: st.releaseReturnsError(release)}
	text, ok := st.fixWriter().Text(u.Func, stmt.Pos(), r)
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

// fixWriter writes the fixes of this package, reading each file once.
func (st *state) fixWriter() *fix.Writer {
	if st.writer == nil {
		st.writer = &fix.Writer{Fset: st.pass.Fset, Files: st.pass.Files, Pkg: st.pass.Pkg, Info: st.pass.TypesInfo, ReadFile: st.pass.ReadFile}
	}
	return st.writer
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
		if r&roleRelease != 0 && fn.Name() == name && fix.ReturnsError(fn) {
			v = true
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
