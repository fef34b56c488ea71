package analyzer

import (
	"go/token"
	"go/types"
)

// summarize computes the facts of this package's functions: a worklist
// fixed point over the intra-package call graph, starting from the
// functions that call something known and revisiting the callers of every
// function whose summary grows. Only functions that matter get a CFG.
func (st *state) summarize() {
	callers := make(map[*types.Func][]*unit)
	for _, u := range st.units {
		for _, c := range u.callees {
			if u.fn != nil {
				callers[c] = append(callers[c], u)
			}
		}
	}
	var work []*unit
	queued := make(map[*unit]bool)
	for _, u := range st.units {
		if u.fn != nil && u.interesting {
			work = append(work, u)
			queued[u] = true
		}
	}
	// Summaries only grow, except for Always, which can flip in recursive
	// cycles; the budget bounds those pathological cases.
	budget := 8*len(st.units) + 64
	for len(work) > 0 && budget > 0 {
		budget--
		u := work[0]
		work = work[1:]
		queued[u] = false
		if _, ok := st.roles[u.fn]; ok || st.isLong(u.fn) {
			continue // a directive is taken at its word
		}
		if !st.updateSummary(u) {
			continue
		}
		for _, c := range callers[u.fn] {
			if !queued[c] {
				queued[c] = true
				work = append(work, c)
			}
		}
	}
}

// summaryOf runs u's flow from an unknown entry state and describes what a
// caller sees. It also fills u.events.
func (st *state) summaryOf(u *unit) (f *FuncFact, blockPos, writePos []token.Pos) {
	st.eventsOf(u)
	in := st.flow(u, sEntry)
	f = &FuncFact{Handler: u.callsSource}
	for i, evs := range u.events {
		s := in[i]
		for k := range evs {
			e := &evs[k]
			if s&sEntry != 0 {
				switch e.kind {
				case evBlock:
					// An I/O trace wins over a wait for goroutines: it
					// is the one a reader can act on.
					if f.Blocks == nil || f.BlocksWait && !e.wait {
						f.BlocksWait = e.wait
						f.Blocks = append([]string{e.name}, e.trace[min(1, len(e.trace)):]...)
						blockPos = append([]token.Pos{e.pos}, st.localTracePos(e.fn, true)...)
					}
				case evWrite:
					if f.Writes == nil {
						f.Writes = append([]string{e.name}, e.trace[min(1, len(e.trace)):]...)
						writePos = append([]token.Pos{e.pos}, st.localTracePos(e.fn, false)...)
					}
				case evAcquire:
					f.AcquireFirst = true
				case evEffect:
					if e.fact.Acquires {
						f.AcquireFirst = true
					}
				}
			}
			s = transfer(s, e)
		}
	}
	exit := st.exitState(u, in)
	f.Releases = exit&sReleased != 0
	f.Acquires = exit&sHeld != 0
	f.Always = exit != 0 && exit&sEntry == 0
	return f, blockPos, writePos
}

// localTracePos continues a trace's positions into a helper of this package.
func (st *state) localTracePos(fn *types.Func, blocks bool) []token.Pos {
	if fn == nil {
		return nil
	}
	if u := st.byFunc[fn]; u != nil {
		if blocks {
			return u.blockPos
		}
		return u.writePos
	}
	return nil
}

// updateSummary recomputes u's summary and reports whether it changed. The
// first trace found is kept so that traces cannot oscillate.
func (st *state) updateSummary(u *unit) bool {
	nf, bp, wp := st.summaryOf(u)
	old := st.sums[u.fn]
	if old == nil {
		if nf.empty() {
			return false
		}
		st.sums[u.fn] = nf
		u.blockPos, u.writePos = bp, wp
		return true
	}
	changed := false
	if old.Blocks == nil && nf.Blocks != nil || old.BlocksWait && nf.Blocks != nil && !nf.BlocksWait {
		old.Blocks, old.BlocksWait, u.blockPos, changed = nf.Blocks, nf.BlocksWait, bp, true
	}
	if old.Writes == nil && nf.Writes != nil {
		old.Writes, u.writePos, changed = nf.Writes, wp, true
	}
	for _, p := range []struct{ old, new *bool }{
		{&old.Releases, &nf.Releases},
		{&old.Acquires, &nf.Acquires},
		{&old.Always, &nf.Always},
		{&old.AcquireFirst, &nf.AcquireFirst},
	} {
		if *p.old != *p.new {
			*p.old = *p.new
			changed = true
		}
	}
	return changed
}

// exportFacts publishes the summaries and directives for importers.
func (st *state) exportFacts() {
	// Other packages can only call exported names, so only those get facts
	// (traces already carry the unexported steps by name).
	for fn, r := range st.roles {
		if fn.Exported() {
			st.pass.ExportObjectFact(fn, &FuncFact{Role: r})
		}
	}
	for fn, f := range st.sums {
		if fn.Exported() && !f.empty() {
			st.pass.ExportObjectFact(fn, f)
		}
	}
}
