package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/blocking"
)

// What blocks is decided by internal/blocking. These are the analyzer's
// names for its answers, so that call sites in the analysis read as
// before.

func isModelBlocking(fn *types.Func) bool { return blocking.IsModel(fn) }
func isSyncWait(fn *types.Func) bool      { return blocking.IsSyncWait(fn) }
func isTimerFunc(fn *types.Func) bool     { return blocking.IsTimerFunc(fn) }
func isAfterFunc(fn *types.Func) bool     { return blocking.IsAfterFunc(fn) }
func isJoin(fn *types.Func) bool          { return blocking.IsJoin(fn) }
func fullName(fn *types.Func) string      { return blocking.FullName(fn) }

// timerRecv names the wait of a receive from ch when ch is a timer's
// channel, or returns "" (see blocking.TimerRecv).
func (st *state) timerRecv(ch ast.Expr) string { return blocking.TimerRecv(st.pass.TypesInfo, ch) }

// shortName is fn as written from package from: "fetchRates", "T.Get",
// "reports.Build", "store.DB.Load".
func shortName(fn *types.Func, from *types.Package) string {
	name := fn.Name()
	if r := blocking.RecvName(fn); r != "" {
		name = r + "." + name
	}
	if fn.Pkg() != nil && fn.Pkg() != from {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}

// modelFact is the fact of a function of another package that the
// analyzer knows blocks without analysing it: a shipped model, a -long
// entry, or a sync wait where waits count (see syncWaitIsLong). It
// returns nil for any other function.
func (st *state) modelFact(fn *types.Func) *funcFact {
	switch {
	case st.isLong(fn) || blocking.IsModel(fn):
		return &funcFact{Role: roleLong}
	case blocking.IsSyncWait(fn) && st.syncWaitIsLong():
		return &funcFact{Role: roleLong, BlocksWait: true}
	}
	return nil
}
