package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"
)

type evKind uint8

const (
	evBlock   evKind = iota // a blocking call, direct or through a helper
	evWrite                 // a session write, direct or through a helper
	evRelease               // the lock is released
	evAcquire               // the lock is taken
	evEffect                // a helper changes the lock state as its fact says
	evGo                    // a go statement
	evOpaque                // a call the analyzer cannot see into (fixsafety.go)
	evInPlace               // a literal runs here (called, deferred, or a closure called by name)
)

// event is something a CFG node does to, or under, the session lock, in
// evaluation order.
type event struct {
	kind    evKind
	wait    bool // evBlock: waits for other goroutines rather than for I/O
	ctxDone bool // evBlock: a receive from a context's Done channel (ctxdone.go)

	pos   token.Pos // where to report
	stmt  ast.Node  // the CFG node holding the event
	name  string    // the callee as messages name it
	trace []string  // for helpers: callee name then the callee's own trace
	rel   []analysis.RelatedInformation
	fn    *types.Func
	fact  *funcFact
	spawn *ast.CallExpr // evGo: the call a go statement or time.AfterFunc runs concurrently
	lit   *ast.FuncLit  // evGo: the literal it runs, if any
	body  *ast.FuncLit  // evInPlace: the literal

	viaParam *types.Func // evBlock: a call of a function-typed parameter of this function; fn is the function passed for it (funcvalue.go)
}

// cfgOf builds u's control-flow graph on first use.
func (st *state) cfgOf(u *unit) *cfg.CFG {
	if u.g == nil {
		u.g = cfg.New(u.Body, st.mayReturn)
	}
	return u.g
}

// mayReturn treats panic as the only call that never returns; calls such as
// os.Exit merely end a path the analysis then still follows, which can only
// add findings on paths that never run after them.
func (st *state) mayReturn(call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "panic" {
		_, builtin := st.pass.TypesInfo.Uses[id].(*types.Builtin)
		return !builtin
	}
	return true
}

// eventsOf computes u's events per CFG block from the current summaries.
func (st *state) eventsOf(u *unit) [][]event {
	g := st.cfgOf(u)
	evs := make([][]event, len(g.Blocks))
	polled, ranges, defers := st.bodyShapes(u.Body)
	for i, b := range g.Blocks {
		if !b.Live {
			continue
		}
		for _, n := range b.Nodes {
			k := len(evs[i])
			evs[i] = st.nodeEvents(n, evs[i])
			if polled[n] {
				evs[i] = dropTimerReceives(evs[i], k)
			}
			if name := ranges[n]; name != "" {
				evs[i] = append(evs[i], event{kind: evBlock, pos: n.Pos(), stmt: n, name: name})
			}
		}
	}
	u.deferred = st.deferredEvents(defers)
	st.dropTimedDoneReceives(u.Body, evs)
	u.events = evs
	u.fix = nil
	return evs
}

// nodeEvents appends the events of one CFG node in evaluation order:
// arguments before the call that receives them. Function literals are
// units of their own; deferred calls run at return, after the body's flow.
func (st *state) nodeEvents(n ast.Node, out []event) []event {
	switch n := n.(type) {
	case *ast.GoStmt:
		lit, _ := ast.Unparen(n.Call.Fun).(*ast.FuncLit)
		return append(out, event{kind: evGo, pos: n.Pos(), stmt: n, spawn: n.Call, lit: lit})
	case *ast.DeferStmt:
		return out
	}
	var stack []ast.Node
	ast.Inspect(n, func(x ast.Node) bool {
		if x == nil {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			switch t := top.(type) {
			case *ast.CallExpr:
				out = st.callEvents(t, n, out)
			case *ast.UnaryExpr:
				if t.Op == token.ARROW {
					if name := st.timerRecv(t.X); name != "" {
						out = append(out, event{kind: evBlock, pos: t.Pos(), stmt: n, name: name})
					} else if call, ok := ast.Unparen(t.X).(*ast.CallExpr); ok && st.isCtxDone(call) {
						out = append(out, event{kind: evBlock, pos: t.Pos(), stmt: n, name: "<-" + types.ExprString(call), ctxDone: true})
					}
				}
			}
			return true
		}
		if _, ok := x.(*ast.FuncLit); ok {
			return false
		}
		stack = append(stack, x)
		return true
	})
	return out
}

// callEvents appends what a call does: it may block, write, and then change
// the lock state, in that order (a helper's facts describe what happens
// before its own release or acquire).
func (st *state) callEvents(call *ast.CallExpr, stmt ast.Node, out []event) []event {
	fn := st.calleeOf(call)
	if fn == nil {
		// A local closure called by name, or a literal called in place:
		// what it does happens here (release := func() {...}; release()).
		if lit, name := st.closureOf(call.Fun); lit != nil {
			pos := call.Pos()
			if _, inPlace := ast.Unparen(call.Fun).(*ast.FuncLit); inPlace {
				pos = call.Lparen // func() {...}(): the call is where the body ends
			}
			return st.litEvents(lit, name, pos, stmt, out)
		}
		return st.dynamicCallEvents(call, stmt, out)
	}
	if isAfterFunc(fn) {
		for _, a := range call.Args {
			if lit, ok := ast.Unparen(a).(*ast.FuncLit); ok {
				out = append(out, event{kind: evGo, pos: call.Pos(), stmt: stmt, spawn: call, lit: lit})
			}
		}
		return out
	}
	f := st.factOf(fn)
	if len(st.fv.runs) > 0 && (f == nil || f.Role == 0 && len(f.Blocks) == 0) {
		// A helper that runs the function it is given blocks when that
		// function does (funcvalue.go).
		out = st.passedFuncEvents(call, fn, stmt, out)
	}
	if f == nil {
		return st.unknownCallEvents(call, fn, stmt, out)
	}
	name := st.callName(fn, f)
	base := event{pos: call.Pos(), stmt: stmt, name: name, fn: fn, fact: f}
	if f.Role != 0 {
		if f.Role&roleLong != 0 {
			e := base
			e.kind = evBlock
			e.wait = f.BlocksWait
			out = append(out, e)
		}
		if f.Role&roleWrite != 0 {
			e := base
			e.kind = evWrite
			e.name = types.ExprString(call.Fun)
			out = append(out, e)
		}
		if f.Role&roleRelease != 0 {
			e := base
			e.kind = evRelease
			out = append(out, e)
		}
		if f.Role&roleAcquire != 0 {
			e := base
			e.kind = evAcquire
			out = append(out, e)
		}
		return out
	}
	return st.summaryEvents(base, fn, out)
}

// summaryEvents appends what a call does according to the callee's summary
// base.fact: it may block, write, and then change the lock state, in that
// order. fn, when known, gives the related positions of the traces.
func (st *state) summaryEvents(base event, fn *types.Func, out []event) []event {
	f := base.fact
	if len(f.Blocks) > 0 {
		e := base
		e.kind = evBlock
		e.wait = f.BlocksWait
		e.trace = append([]string{base.name}, f.Blocks...)
		if fn != nil {
			e.rel = st.related(fn, true, e.trace)
		}
		out = append(out, e)
	}
	if len(f.Writes) > 0 {
		e := base
		e.kind = evWrite
		e.trace = append([]string{base.name}, f.Writes...)
		if fn != nil {
			e.rel = st.related(fn, false, e.trace)
		}
		out = append(out, e)
	}
	if f.Releases || f.Acquires {
		e := base
		e.kind = evEffect
		out = append(out, e)
	}
	return out
}

// related describes the steps of a helper's trace tr (tr[0] names fn):
// each call on the way while it stays in this package, else the helper's
// declaration when the file set knows it.
func (st *state) related(fn *types.Func, blocks bool, tr []string) []analysis.RelatedInformation {
	var out []analysis.RelatedInformation
	if u := st.declared(fn); u != nil {
		ps := u.blockPos
		if !blocks {
			ps = u.writePos
		}
		for i, p := range ps {
			if i+1 < len(tr) && p.IsValid() {
				out = append(out, analysis.RelatedInformation{Pos: p, Message: fmt.Sprintf("%s calls %s here", tr[i], tr[i+1])})
			}
		}
		return out
	}
	if fn.Pos().IsValid() && st.pass.Fset.File(fn.Pos()) != nil && len(tr) > 0 {
		out = append(out, analysis.RelatedInformation{Pos: fn.Pos(), Message: tr[0] + " is declared here"})
	}
	return out
}

// bodyShapes walks a body once for what its events depend on: the
// communication clauses of selects with a default case (their receives do
// not wait), the for-range loops over timer channels (the ranged
// expression waits, named), and the defer statements.
func (st *state) bodyShapes(body *ast.BlockStmt) (polled map[ast.Node]bool, ranges map[ast.Node]string, defers []*ast.DeferStmt) {
	inspectOwn(body, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.DeferStmt:
			defers = append(defers, n)
		case *ast.RangeStmt:
			if name := st.timerRecv(n.X); name != "" {
				if ranges == nil {
					ranges = make(map[ast.Node]string)
				}
				ranges[n.X] = "for range " + strings.TrimPrefix(name, "<-")
			}
		case *ast.SelectStmt:
			hasDefault := false
			for _, c := range n.Body.List {
				if cc, ok := c.(*ast.CommClause); ok && cc.Comm == nil {
					hasDefault = true
				}
			}
			if !hasDefault {
				return
			}
			for _, c := range n.Body.List {
				if cc, ok := c.(*ast.CommClause); ok && cc.Comm != nil {
					if polled == nil {
						polled = make(map[ast.Node]bool)
					}
					polled[cc.Comm] = true
				}
			}
		}
	})
	return polled, ranges, defers
}

// dropTimerReceives removes timer-channel receives from evs[from:].
func dropTimerReceives(evs []event, from int) []event {
	out := evs[:from]
	for _, e := range evs[from:] {
		if e.kind == evBlock && e.fn == nil {
			continue // a receive (calls carry their function)
		}
		out = append(out, e)
	}
	return out
}
