package analyzer

import (
	"go/ast"
	"go/types"
)

// Lock states, as bits of a may-set: the flow keeps every state the lock
// can be in at a point, so "released" there means "released on some path".
const (
	sEntry    uint8 = 1 << iota // whatever the caller had (helpers, summaries)
	sHeld                       // the lock is held
	sReleased                   // released and not re-acquired
	sUnlocked                   // never taken (explicit before acquire, read-only)
)

// transfer applies one event to a state set.
func transfer(s uint8, e *event) uint8 {
	if s == 0 {
		return 0
	}
	switch e.kind {
	case evRelease:
		return sReleased
	case evAcquire:
		return sHeld
	case evEffect:
		var out uint8
		if !e.fact.Always {
			out = s
		}
		if e.fact.Releases {
			out |= sReleased
		}
		if e.fact.Acquires {
			out |= sHeld
		}
		return out
	}
	return s
}

// flow computes the state set at the start of each CFG block of u from the
// set at entry, iterating to a fixed point (sets only grow, so it ends).
func (st *state) flow(u *unit, entry uint8) []uint8 {
	g := st.cfgOf(u)
	evs := u.events
	in := make([]uint8, len(g.Blocks))
	if len(g.Blocks) == 0 {
		return in
	}
	in[0] = entry
	work := []int32{0}
	queued := make([]bool, len(g.Blocks))
	queued[0] = true
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		queued[i] = false
		s := in[i]
		for k := range evs[i] {
			s = transfer(s, &evs[i][k])
		}
		for _, succ := range g.Blocks[i].Succs {
			j := succ.Index
			if in[j]|s != in[j] {
				in[j] |= s
				if !queued[j] {
					queued[j] = true
					work = append(work, j)
				}
			}
		}
	}
	return in
}

// exitState is the union of the states at u's returns.
func (st *state) exitState(u *unit, in []uint8) uint8 {
	var exit uint8
	for i, b := range u.g.Blocks {
		if len(b.Succs) != 0 || in[i] == 0 || endsInPanic(st.pass.TypesInfo, b.Nodes) {
			continue
		}
		s := in[i]
		for k := range u.events[i] {
			s = transfer(s, &u.events[i][k])
		}
		exit |= s
	}
	return exit
}

func endsInPanic(info *types.Info, nodes []ast.Node) bool {
	if len(nodes) == 0 {
		return false
	}
	es, ok := nodes[len(nodes)-1].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	_, builtin := info.Uses[id].(*types.Builtin)
	return builtin && id.Name == "panic"
}
