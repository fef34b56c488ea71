package analyzer

import (
	"go/types"
)

// isModelBlocking reports whether fn is a shipped model of a blocking call
// (models.txt).
func isModelBlocking(fn *types.Func) bool { return models.match(fn) }

// isSyncWait reports whether fn waits for other goroutines: WaitGroup.Wait
// and Cond.Wait. Such a wait is long in the user's own code, where the
// goroutines may do anything; in a dependency that does no I/O it waits
// for CPU work (see cpuonly.go).
func isSyncWait(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	r := recvName(fn)
	return fn.Name() == "Wait" && (r == "WaitGroup" || r == "Cond")
}

// isTimerChan reports whether fn is time.After or time.Tick, whose channel
// blocks the receiver.
func isTimerChan(fn *types.Func) bool {
	return fn.Pkg() != nil && fn.Pkg().Path() == "time" && recvName(fn) == "" &&
		(fn.Name() == "After" || fn.Name() == "Tick")
}

// recvName is the name of fn's receiver type without pointer, or "".
func recvName(fn *types.Func) string {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return ""
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// ptrRecv reports whether fn's receiver is a pointer.
func ptrRecv(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	_, ok = sig.Recv().Type().(*types.Pointer)
	return ok
}

// fullName is fn in -long syntax: "net/http.Get", "(*database/sql.DB).Query".
func fullName(fn *types.Func) string {
	if fn.Pkg() == nil {
		return fn.Name()
	}
	if r := recvName(fn); r != "" {
		star := ""
		if ptrRecv(fn) {
			star = "*"
		}
		return "(" + star + fn.Pkg().Path() + "." + r + ")." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// shortName is fn as written from package from: "fetchRates", "T.Get",
// "reports.Build", "store.DB.Load".
func shortName(fn *types.Func, from *types.Package) string {
	name := fn.Name()
	if r := recvName(fn); r != "" {
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
