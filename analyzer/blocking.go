package analyzer

import (
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/blocking"
)

// isModelBlocking reports whether fn is a shipped model of a blocking call
// (see blocking.IsModel).
func isModelBlocking(fn *types.Func) bool { return blocking.IsModel(fn) }

// isSyncWait reports whether fn waits for other goroutines: WaitGroup.Wait
// and Cond.Wait. Such a wait is long in the user's own code, where the
// goroutines may do anything; in a dependency that does no I/O it waits
// for CPU work (see cpuonly.go).
func isSyncWait(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	r := blocking.RecvName(fn)
	return fn.Name() == "Wait" && (r == "WaitGroup" || r == "Cond")
}

// isTimerChan reports whether fn is time.After or time.Tick, whose channel
// blocks the receiver.
func isTimerChan(fn *types.Func) bool {
	return fn.Pkg() != nil && fn.Pkg().Path() == "time" && blocking.RecvName(fn) == "" &&
		(fn.Name() == "After" || fn.Name() == "Tick")
}

// fullName is fn in -long syntax (see blocking.FullName).
func fullName(fn *types.Func) string { return blocking.FullName(fn) }

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
	case st.isLong(fn) || isModelBlocking(fn):
		return &funcFact{Role: roleLong}
	case isSyncWait(fn) && st.syncWaitIsLong():
		return &funcFact{Role: roleLong, BlocksWait: true}
	}
	return nil
}
