package analyzer

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"

	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// summarize computes the facts of this package's functions bottom-up over
// the strongly connected components of the package's call graph: callees
// before callers, so that each function is analysed once, except in
// recursive cycles, which are iterated until their summaries stop growing.
// Only functions that call something known get a CFG.
func (st *state) summarize() {
	for _, scc := range st.sccs() {
		cyclic := len(scc) > 1 || calls(scc[0], scc[0].Fn)
		if !cyclic {
			st.summarizeOne(scc[0], true)
			continue
		}
		// Every field but Always only grows, and only from nothing to
		// something, so the loop ends; Always, which can shrink as a cycle's
		// other paths are found, is computed once the rest is stable.
		for changed := true; changed; {
			changed = false
			for _, u := range scc {
				if st.summarizeOne(u, false) {
					changed = true
				}
			}
		}
		always := make([]bool, len(scc))
		for i, u := range scc {
			if st.sums[u.Fn] != nil {
				f, _, _ := st.summaryOf(u)
				always[i] = f.Always
			}
		}
		for i, u := range scc {
			if f := st.sums[u.Fn]; f != nil {
				f.Always = always[i]
			}
		}
	}
}

func calls(u *unit, fn *types.Func) bool {
	for _, c := range u.dependsOn() {
		if c == fn {
			return true
		}
	}
	return false
}

// summarizeOne (re)computes u's summary and reports whether it grew.
// Functions that call nothing known are skipped without a CFG.
func (st *state) summarizeOne(u *unit, withAlways bool) bool {
	if _, ok := st.roles[u.Fn]; ok || st.isLong(u.Fn) {
		return false // a directive is taken at its word
	}
	if !u.interesting {
		known := false
		for _, c := range u.dependsOn() {
			if st.sums[c] != nil {
				known = true
				break
			}
		}
		if !known {
			return false
		}
	}
	nf, bp, wp := st.summaryOf(u)
	if !withAlways {
		nf.Always = false
	}
	old := st.sums[u.Fn]
	if old == nil {
		if nf.empty() {
			return false
		}
		st.sums[u.Fn] = nf
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
		{&old.AcquireFirst, &nf.AcquireFirst},
		{&old.Obtains, &nf.Obtains},
	} {
		if !*p.old && *p.new {
			*p.old = true
			changed = true
		}
	}
	return changed
}

// sccs returns the strongly connected components of the call graph of the
// package's declared functions, callees before callers (Tarjan).
func (st *state) sccs() [][]*unit {
	index := make(map[*unit]int)
	low := make(map[*unit]int)
	onStack := make(map[*unit]bool)
	var stack []*unit
	var out [][]*unit
	var visit func(u *unit)
	visit = func(u *unit) {
		index[u] = len(index) + 1
		low[u] = index[u]
		stack = append(stack, u)
		onStack[u] = true
		for _, c := range u.dependsOn() {
			w := st.declared(c)
			if w == nil {
				continue
			}
			if index[w] == 0 {
				visit(w)
				low[u] = min(low[u], low[w])
			} else if onStack[w] {
				low[u] = min(low[u], index[w])
			}
		}
		if low[u] == index[u] {
			var scc []*unit
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				scc = append(scc, w)
				if w == u {
					break
				}
			}
			out = append(out, scc)
		}
	}
	for _, u := range st.units {
		if u.Fn != nil && index[u] == 0 {
			visit(u)
		}
	}
	return out
}

// summaryOf runs u's flow from an unknown entry state and describes what a
// caller sees. It also fills u.events.
func (st *state) summaryOf(u *unit) (f *funcFact, blockPos, writePos []token.Pos) {
	return st.summaryFor(u, u.Fn)
}

// ownParamCall reports whether e is a call of a function-typed parameter
// of fn: it blocks with what fn's caller passes, which fn's summary cannot
// know.
func ownParamCall(e *event, fn *types.Func) bool {
	return e.viaParam != nil && e.viaParam == fn
}

// summaryFor is u's summary as the callers of fn see it: fn is u itself,
// or the factory that returned u (its importers pass their own handlers).
func (st *state) summaryFor(u *unit, fn *types.Func) (f *funcFact, blockPos, writePos []token.Pos) {
	st.eventsOf(u)
	in := st.flow(u, sEntry)
	f = &funcFact{Obtains: st.obtains(u)}
	// A call of one of u's own function-typed parameters blocks for u
	// (it is checked where u is checked) but not for u's callers, who may
	// pass something else: it is left out of the summary. A literal's
	// call of its enclosing function's parameter is kept: the literal
	// runs with the value its function was given. Such a trace is kept
	// only when no call the body names blocks as well: the direct one
	// reads better.
	viaParam := false
	for i, evs := range u.events {
		s := in[i]
		for k := range evs {
			e := &evs[k]
			if s&sEntry != 0 && !ownParamCall(e, fn) {
				switch e.kind {
				case evBlock:
					// An I/O trace wins over a wait for goroutines: it
					// is the one a reader can act on.
					if f.Blocks == nil || f.BlocksWait && !e.wait || viaParam && e.viaParam == nil && e.wait == f.BlocksWait {
						viaParam = e.viaParam != nil
						f.BlocksWait = e.wait
						f.Blocks = st.factTrace(e)
						blockPos = append([]token.Pos{e.pos}, st.localTracePos(e.fn, true)...)
						if e.viaParam != nil {
							// f(...) is also where the function passed for f is called.
							blockPos = append([]token.Pos{e.pos}, blockPos...)
						}
					}
				case evWrite:
					if f.Writes == nil {
						f.Writes = st.factTrace(e)
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
	exit := st.runDefers(u, st.exitState(u, in), func(e *event, s lockSet) {
		if s&sEntry == 0 {
			return
		}
		switch {
		case e.kind == evWrite && f.Writes == nil:
			f.Writes = st.factTrace(e)
		case e.kind == evBlock && !ownParamCall(e, fn) && (f.Blocks == nil || viaParam && e.viaParam == nil && e.wait == f.BlocksWait):
			// A deferred call blocks at the function's exit, before the
			// caller goes on: to the caller, the call blocks.
			f.Blocks, f.BlocksWait = st.factTrace(e), e.wait
			blockPos = []token.Pos{e.pos}
			viaParam = e.viaParam != nil
		}
	})
	f.Releases = exit&sReleased != 0
	f.Acquires = exit&sHeld != 0
	f.Always = exit != 0 && exit&sEntry == 0
	return f, blockPos, writePos
}

// factTrace is the trace a summary keeps for event e: the calls in this
// package in full, but of a call into another package only that call and
// the last one ("store.Load → … → net.Dial"), so that facts stay the same
// size however deep the chain of packages is.
func (st *state) factTrace(e *event) []string {
	tr := append([]string{e.name}, e.trace[min(1, len(e.trace)):]...)
	if e.fn != nil && e.fn.Pkg() != st.pass.Pkg && len(tr) > 3 {
		tr = []string{tr[0], "…", tr[len(tr)-1]}
	}
	return tr
}

// localTracePos continues a trace's positions into a helper of this package.
func (st *state) localTracePos(fn *types.Func, blocks bool) []token.Pos {
	if fn == nil {
		return nil
	}
	if u := st.declared(fn); u != nil {
		if blocks {
			return u.blockPos
		}
		return u.writePos
	}
	return nil
}

// exportFacts publishes the summaries and directives for importers.
func (st *state) exportFacts() {
	// Other packages can only call exported names, so only those get facts
	// (traces already carry the unexported steps by name).
	for fn, r := range st.roles {
		if fn.Exported() {
			st.pass.ExportObjectFact(fn, &funcFact{Role: r})
		}
	}
	for fn, w := range st.served.Wrappers {
		f := st.sumFor(fn)
		f.Serve, f.ServeArg = uint8(w.Mode), uint8(w.Arg)
	}
	for fn, hs := range st.served.Results {
		if res := st.resultFact(fn, hs); res != nil {
			st.sumFor(fn).Result = res
		}
	}
	for fn, r := range st.served.Registers {
		if res := st.resultFact(fn, r.Funcs); res != nil {
			f := st.sumFor(fn)
			f.Registers, f.RegistersArg = res, uint8(r.Arg+1)
		}
	}
	for fn, f := range st.sums {
		if !fn.Exported() {
			continue
		}
		if st.heldHere(st.declared(fn)) {
			f.Handler = true
		} else if len(f.Blocks) > 0 && !st.isDependency() && httpshape.HandlerParams(fn.Type().(*types.Signature)) {
			// A handler of the user's that another package may serve;
			// libraries' functions keep the first blocking call only,
			// so that their facts stay small.
			f.Sites = st.sites(st.declared(fn))
		}
	}
	for fn, f := range st.sums {
		if fn.Exported() && !f.empty() {
			st.pass.ExportObjectFact(fn, f)
		}
	}
}

// sites lists the blocking calls u makes while the lock it was called
// with is still held, deferred calls included.
func (st *state) sites(u *unit) []site {
	if u == nil {
		return nil
	}
	return st.sitesFor(u, u.Fn)
}

// sitesFor is sites as the callers of fn see them (see summaryFor). A call
// of a function passed in is not a site: that function is judged where it
// is written.
func (st *state) sitesFor(u *unit, fn *types.Func) []site {
	st.eventsOf(u)
	in := st.flow(u, sEntry)
	var out []site
	add := func(e *event, s lockSet) {
		if e.kind == evBlock && s&sEntry != 0 && e.viaParam == nil {
			out = append(out, site{At: st.shortPos(e.pos), Trace: st.factTrace(e)})
		}
	}
	for i, evs := range u.events {
		s := in[i]
		for k := range evs {
			add(&evs[k], s)
			s = transfer(s, &evs[k])
		}
	}
	st.runDefers(u, st.exitState(u, in), func(e *event, s lockSet) { add(e, s) })
	return out
}

// shortPos is pos as dir/file.go:line, the form messages name a place of
// another package by.
func (st *state) shortPos(pos token.Pos) string {
	p := st.pass.Fset.Position(pos)
	return fmt.Sprintf("%s/%s:%d", filepath.Base(filepath.Dir(p.Filename)), filepath.Base(p.Filename), p.Line)
}

// sumFor returns fn's summary, creating an empty one.
func (st *state) sumFor(fn *types.Func) *funcFact {
	f := st.sums[fn]
	if f == nil {
		f = &funcFact{}
		st.sums[fn] = f
	}
	return f
}
