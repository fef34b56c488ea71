package analyzer

import (
	"go/ast"
	"go/token"
)

// check reports findings in the functions whose lock state is known:
// handlers, in each mode they are served in (handlerModes), and functions
// that release the lock themselves.
func (st *state) check() {
	for _, u := range st.units {
		u.litSum = nil // summaries are final now: recompute literals' from them
	}
	for _, u := range st.units {
		if u.Fn != nil && st.roles[u.Fn] != 0 {
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
				if m != modeHelper && s&sHeld != 0 && e.viaParam == nil {
					f := eventFinding(CategoryLongCall, e)
					f.u, f.fixes = u, st.fixFor(u, e, i, k)
					st.emit(f)
				}
			case evWrite:
				st.judgeWrite(e, s, m)
			case evGo:
				if m != modeHelper && !joinedAfter(u, e.pos) {
					st.checkGo(e)
				}
			case evOpaque:
				if m != modeHelper && s&sHeld != 0 {
					st.notePending(u, e) // wiring.go
				}
			case evInPlace:
				if m != modeHelper && s&sHeld != 0 {
					st.checkInPlace(e.body)
				}
			}
			s = transfer(s, e)
		}
	}
	// Deferred calls run at the exits, last deferred first.
	st.runDefers(u, st.exitState(u, in), func(e *event, s lockSet) {
		switch e.kind {
		case evBlock:
			if m != modeHelper && s&sHeld != 0 && e.viaParam == nil {
				f := eventFinding(CategoryLongCall, e)
				f.name, f.u = "deferred "+e.name, u
				st.emit(f)
			}
		case evWrite:
			st.judgeWrite(e, s, m)
		case evInPlace:
			if m != modeHelper && s&sHeld != 0 {
				st.checkInPlace(e.body)
			}
		}
	})
}

// checkInPlace checks, as part of a held handler, a literal it runs in
// place (func() error {...}(), a deferred literal, a local closure called
// by name), from a held entry: its blocking calls are reported where they
// are written, as well as at the call of the literal. Each literal is
// checked once.
func (st *state) checkInPlace(lit *ast.FuncLit) {
	lu := st.literal(lit)
	if lu == nil || st.inPlaceDone[lu] {
		return
	}
	if st.inPlaceDone == nil {
		st.inPlaceDone = make(map[*unit]bool)
	}
	st.inPlaceDone[lu] = true
	st.eventsOf(lu)
	st.checkUnit(lu, modeHeld)
}

// judgeWrite reports a write made in lock state s by a function checked in
// mode m: after a release, or where the lock was never taken.
func (st *state) judgeWrite(e *event, s lockSet, m mode) {
	if s&sReleased != 0 {
		st.emit(eventFinding(CategoryWriteAfterRelease, e))
	} else if m != modeHelper && s&sUnlocked != 0 {
		f := eventFinding(CategoryWriteWithoutLock, e)
		f.mode = m
		st.emit(f)
	}
}

// joinedAfter reports whether u waits for its goroutines (wg.Wait())
// somewhere after pos: a goroutine it joins runs under the handler's lock.
func joinedAfter(u *unit, pos token.Pos) bool {
	for _, b := range u.events {
		for k := range b {
			if e := &b[k]; e.kind == evBlock && e.pos > pos && isJoin(e.fn) {
				return true
			}
		}
	}
	return false
}

// checkGo reports session writes in a goroutine a handler starts (go
// statement or time.AfterFunc callback): they run after the handler
// returned and the lock is gone.
func (st *state) checkGo(e *event) {
	if e.lit != nil {
		ast.Inspect(e.lit.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				st.goCall(call)
			}
			return true
		})
		return
	}
	st.goCall(e.spawn)
}

func (st *state) goCall(call *ast.CallExpr) {
	for _, e := range st.callEvents(call, call, nil) {
		if e.kind == evWrite {
			st.emit(eventFinding(CategoryWriteInGoroutine, &e))
		}
	}
}
