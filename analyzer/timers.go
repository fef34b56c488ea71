package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/blocking"
)

// isTimerFunc reports whether fn makes a timer whose channel or callback
// the flow follows: time.After, Tick, NewTimer, NewTicker and AfterFunc.
func isTimerFunc(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != "time" || blocking.RecvName(fn) != "" {
		return false
	}
	switch fn.Name() {
	case "After", "Tick", "NewTimer", "NewTicker", "AfterFunc":
		return true
	}
	return false
}

// isAfterFunc reports whether fn is time.AfterFunc, whose callback runs in
// its own goroutine.
func isAfterFunc(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "time" && blocking.RecvName(fn) == "" && fn.Name() == "AfterFunc"
}

// timerRecv names the wait of a receive from channel expression ch when
// ch is a timer's: time.After(d), time.Tick(d), or the C field of a
// *time.Timer or *time.Ticker. It returns "" for other channels.
func (st *state) timerRecv(ch ast.Expr) string {
	switch x := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		if fn := st.calleeOf(x); fn != nil && isTimerChan(fn) {
			return "<-" + fullName(fn)
		}
	case *ast.SelectorExpr:
		if x.Sel.Name != "C" {
			return ""
		}
		t := st.pass.TypesInfo.TypeOf(x.X)
		for _, name := range []string{"Timer", "Ticker"} {
			if isNamedPtr(t, "time", name) || isNamed(t, "time", name) {
				return "<-(*time." + name + ").C"
			}
		}
	}
	return ""
}

// isJoin reports whether fn waits for goroutines to finish: a WaitGroup's
// Wait, or a Wait method of a group type (errgroup.Group).
func isJoin(fn *types.Func) bool {
	if fn == nil || fn.Name() != "Wait" {
		return false
	}
	switch blocking.RecvName(fn) {
	case "WaitGroup", "Group":
		return true
	}
	return false
}
