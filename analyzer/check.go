package analyzer

import (
	"go/ast"
)

// check reports findings in the functions whose lock state is known:
// handlers, in each mode they are served in (handlerModes), and functions
// that release the lock themselves.
func (st *state) check() {
	for _, u := range st.units {
		if u.fn != nil && st.roles[u.fn] != 0 {
			continue // the library's own API: taken at its word
		}
		if modes := st.modes[u]; len(modes) > 0 {
			st.eventsOf(u)
			for _, m := range modes {
				st.checkUnit(u, m)
			}
			continue
		}
		if !u.releases && !st.callsReleaser(u) {
			continue // cheap pre-filter: no CFG for functions that cannot release
		}
		if st.releases(st.eventsOf(u)) {
			st.checkUnit(u, modeHelper)
		}
	}
}

func (st *state) callsReleaser(u *unit) bool {
	for _, c := range u.callees {
		if f := st.sums[c]; f != nil && f.Releases {
			return true
		}
	}
	return false
}

func (st *state) releases(evs [][]event) bool {
	for _, b := range evs {
		for _, e := range b {
			if e.kind == evRelease || e.kind == evEffect && e.fact.Releases {
				return true
			}
		}
	}
	return false
}

// checkUnit runs u's flow from the entry state of mode m and reports what
// happens in a wrong state.
func (st *state) checkUnit(u *unit, m mode) {
	entry := sEntry
	switch m {
	case modeHeld:
		entry = sHeld
	case modeExplicit, modeReadOnly:
		entry = sUnlocked
	}
	in := st.flow(u, entry)
	for i, evs := range u.events {
		s := in[i]
		for k := range evs {
			e := &evs[k]
			switch e.kind {
			case evBlock:
				if m != modeHelper && s&sHeld != 0 && !st.checkedHeld(e.fn) {
					st.reportLong(u, e.pos, 0, e.name, e.trace, e.rel, st.fixFor(u, e, i, k))
				}
			case evWrite:
				if s&sReleased != 0 {
					st.reportWriteAfterRelease(u, e)
				} else if m != modeHelper && s&sUnlocked != 0 {
					st.reportWriteWithoutLock(e.pos, 0, e.name, e.trace, e.rel, m)
				}
			case evGo:
				if m != modeHelper {
					st.checkGo(e.goes)
				}
			case evOpaque:
				if m != modeHelper && s&sHeld != 0 {
					st.notePending(u, e) // wiring.go
				}
			}
			s = transfer(s, e)
		}
	}
}

// checkGo reports session writes in a goroutine a handler starts: they run
// after the handler returned and the lock is gone.
func (st *state) checkGo(g *ast.GoStmt) {
	if lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit); ok {
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				st.goCall(call)
			}
			return true
		})
		return
	}
	st.goCall(g.Call)
}

func (st *state) goCall(call *ast.CallExpr) {
	for _, e := range st.callEvents(call, call, nil) {
		if e.kind == evWrite {
			st.reportGoWrite(e)
		}
	}
}
