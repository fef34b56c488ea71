package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/cfg"

	"github.com/sessionlock/sessionlock/analyzer/internal/lockstate"
)

// Lock states, as bits of a may-set (internal/lockstate): the flow keeps
// every state the lock can be in at a point, so "released" there means
// "released on some path".
type lockSet = lockstate.Set

const (
	sEntry    = lockstate.Entry    // whatever the caller had (helpers, summaries)
	sHeld     = lockstate.Held     // the lock is held
	sReleased = lockstate.Released // released and not re-acquired
	sUnlocked = lockstate.Unlocked // never taken (explicit before acquire, read-only)
)

// transfer applies one event to a state set.
func transfer(s lockSet, e *event) lockSet {
	switch e.kind {
	case evRelease:
		return lockstate.Release(s)
	case evAcquire:
		return lockstate.Acquire(s)
	case evEffect:
		return lockstate.Call(s, e.fact.Releases, e.fact.Acquires, e.fact.Always)
	}
	return s
}

// applyBlock runs the events of one of u's blocks on a state set.
func applyBlock(u *unit) func(int32, lockSet) lockSet {
	return func(i int32, s lockSet) lockSet {
		for k := range u.events[i] {
			s = transfer(s, &u.events[i][k])
		}
		return s
	}
}

// flow computes the state set at the start of each CFG block of u from the
// set at entry.
func (st *state) flow(u *unit, entry lockSet) []lockSet {
	return lockstate.Flow(st.cfgOf(u), entry, applyBlock(u))
}

// exitState is the union of the states at u's returns.
func (st *state) exitState(u *unit, in []lockSet) lockSet {
	return lockstate.Exit(u.g, in, applyBlock(u), func(b *cfg.Block) bool {
		return endsInPanic(st.pass.TypesInfo, b.Nodes)
	})
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
