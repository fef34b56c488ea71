package blocking

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// IsSyncWait reports whether fn waits for other goroutines: WaitGroup.Wait
// and Cond.Wait. Whether such a wait is long depends on what the
// goroutines do, which the caller judges.
func IsSyncWait(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	r := RecvName(fn)
	return fn.Name() == "Wait" && (r == "WaitGroup" || r == "Cond")
}

// IsJoin reports whether fn waits for goroutines to finish: a WaitGroup's
// Wait, or a Wait method of a group type (errgroup.Group).
func IsJoin(fn *types.Func) bool {
	if fn == nil || fn.Name() != "Wait" {
		return false
	}
	switch RecvName(fn) {
	case "WaitGroup", "Group":
		return true
	}
	return false
}

// IsTimerChan reports whether fn is time.After or time.Tick, whose channel
// blocks the receiver.
func IsTimerChan(fn *types.Func) bool {
	return isTimeFunc(fn) && (fn.Name() == "After" || fn.Name() == "Tick")
}

// IsTimerFunc reports whether fn makes a timer whose channel or callback
// a caller may follow: time.After, Tick, NewTimer, NewTicker and AfterFunc.
func IsTimerFunc(fn *types.Func) bool {
	if !isTimeFunc(fn) {
		return false
	}
	switch fn.Name() {
	case "After", "Tick", "NewTimer", "NewTicker", "AfterFunc":
		return true
	}
	return false
}

// IsAfterFunc reports whether fn is time.AfterFunc, whose callback runs in
// its own goroutine.
func IsAfterFunc(fn *types.Func) bool {
	return isTimeFunc(fn) && fn.Name() == "AfterFunc"
}

// isTimeFunc reports whether fn is a function (not a method) of package time.
func isTimeFunc(fn *types.Func) bool {
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "time" && RecvName(fn) == ""
}

// TimerRecv names the wait of a receive from channel expression ch when ch
// is a timer's: "<-time.After" for time.After(d) or time.Tick(d), and
// "<-(*time.Timer).C" or "<-(*time.Ticker).C" for the C field of a Timer
// or Ticker. It returns "" for other channels. info gives ch's types.
func TimerRecv(info *types.Info, ch ast.Expr) string {
	switch x := ast.Unparen(ch).(type) {
	case *ast.CallExpr:
		if fn := typeutil.StaticCallee(info, x); fn != nil && IsTimerChan(fn) {
			return "<-" + FullName(fn)
		}
	case *ast.SelectorExpr:
		if x.Sel.Name != "C" {
			return ""
		}
		t := info.TypeOf(x.X)
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" {
			if name := n.Obj().Name(); name == "Timer" || name == "Ticker" {
				return "<-(*time." + name + ").C"
			}
		}
	}
	return ""
}

// HasTimerCase reports whether a case of sel receives from a timer's
// channel (see TimerRecv): such a select waits at most until the timer
// fires.
func HasTimerCase(info *types.Info, sel *ast.SelectStmt) bool {
	for _, c := range sel.Body.List {
		if cc, ok := c.(*ast.CommClause); ok && cc.Comm != nil {
			if x := recvOperand(cc.Comm); x != nil && TimerRecv(info, x) != "" {
				return true
			}
		}
	}
	return false
}

// recvOperand returns ch in a case "<-ch", "v := <-ch" or "v = <-ch".
func recvOperand(s ast.Stmt) ast.Expr {
	var x ast.Expr
	switch s := s.(type) {
	case *ast.ExprStmt:
		x = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			x = s.Rhs[0]
		}
	}
	u, ok := ast.Unparen(x).(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return nil
	}
	return u.X
}
