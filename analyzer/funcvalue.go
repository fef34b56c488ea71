package analyzer

import (
	"go/ast"
	"go/types"
	"slices"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
)

// Calls of a function value a function is given. An app's adapter runs
// the handler it wraps:
//
//	func (h *Handler) User(f handlerFunc) http.HandlerFunc {
//		return func(w http.ResponseWriter, r *http.Request) {
//			... f(h.app, w, r) ...
//		}
//	}
//
// and routes pass it the handlers (h.User(viewLogin)). The call f(...)
// blocks when a function the package passes for that parameter blocks, as
// a call through an interface of the user's code blocks when one
// implementation in sight does. Only functions named as values are
// followed (a literal passed in is checked where it is written).
//
// A function that runs its parameter in its own body, as a helper does
// (withRetry(op) calling op()), blocks at each call for what that call
// passes: withRetry(slowOp) and withRetry(func() error {...}) block when
// the function or literal passed does, withRetry(fastOp) does not.
//
// In an adapter, the call itself is not reported: what is passed for the parameter runs
// in the mode of the code that calls it (the serving model serves it
// there) and is checked where it is written, so its blocking calls are
// reported there, not again at every adapter that runs it. The call still
// blocks for the code around it: a literal the adapter runs in place (its
// call is reported), and the handler the adapter returns.

// paramRef is parameter i of a function of this package.
type paramRef struct {
	fn *types.Func
	i  int
}

// funcValues is what the analysis knows of the package's function-typed
// parameters: their functions, the functions passed for them at static
// calls, the units that call them, and the parameters each function calls
// in its own body.
type funcValues struct {
	params map[*types.Var]paramRef
	args   map[paramRef][]*types.Func
	passes []passArg
	calls  []paramCall
	runs   map[*types.Func][]int
}

// passArg is target, passed by a call in u for parameter p.
type passArg struct {
	u      *unit
	target *types.Func
	p      paramRef
}

type paramCall struct {
	u *unit
	p paramRef
}

// noteFuncParams records the function-typed parameters of fn, declared
// by fd.
func (st *state) noteFuncParams(fd *ast.FuncDecl, fn *types.Func) {
	sig := fn.Type().(*types.Signature)
	for i := 0; i < sig.Params().Len(); i++ {
		p := sig.Params().At(i)
		if _, ok := p.Type().Underlying().(*types.Signature); !ok {
			continue
		}
		if st.fv.params == nil {
			st.fv.params = make(map[*types.Var]paramRef)
		}
		st.fv.params[p] = paramRef{fn, i}
	}
}

// noteFuncArgs records the functions a static call of fn, a function of
// this package, made in u, passes as values.
func (st *state) noteFuncArgs(u *unit, call *ast.CallExpr, fn *types.Func) {
	sig := fn.Type().(*types.Signature)
	n := sig.Params().Len()
	for i, a := range call.Args {
		j := i
		if sig.Variadic() && j >= n-1 {
			j = n - 1
		}
		if j >= n {
			break
		}
		pt := sig.Params().At(j).Type()
		if sig.Variadic() && j == n-1 {
			if sl, ok := pt.(*types.Slice); ok {
				pt = sl.Elem()
			}
		}
		if _, ok := pt.Underlying().(*types.Signature); !ok {
			continue // most arguments: not a function, nothing to look up
		}
		target := st.funcNamed(a)
		if target == nil {
			continue
		}
		k := paramRef{fn, j}
		st.fv.passes = append(st.fv.passes, passArg{u, target, k})
		if st.fv.args == nil {
			st.fv.args = make(map[paramRef][]*types.Func)
		}
		if !slices.Contains(st.fv.args[k], target) {
			st.fv.args[k] = append(st.fv.args[k], target)
		}
	}
}

// funcNamed returns the function e names as a value (viewLogin,
// pages.Report, h.view, handlerFunc(viewLogin)), or nil.
func (st *state) funcNamed(e ast.Expr) *types.Func {
	info := st.pass.TypesInfo
	if x, ok := ast.Unparen(e).(*ast.CallExpr); ok {
		if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
			return st.funcNamed(x.Args[0]) // a conversion
		}
		return nil
	}
	return funcs.Named(info, e)
}

// calledParam returns the function-typed parameter a call invokes (f(...)
// in the function that takes f, or in a literal within it).
func (st *state) calledParam(call *ast.CallExpr) (paramRef, bool) {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return paramRef{}, false
	}
	v, _ := st.pass.TypesInfo.Uses[id].(*types.Var)
	p, ok := st.fv.params[v]
	return p, ok
}

// scanParamCall notes, while scanning u, a call of a function-typed
// parameter, bound once the whole package is scanned (bindParamCalls).
func (st *state) scanParamCall(u *unit, call *ast.CallExpr) {
	if p, ok := st.calledParam(call); ok {
		st.fv.calls = append(st.fv.calls, paramCall{u, p})
	}
}

// bindParamCalls records, once the package is scanned, which functions
// run which of their parameters, and makes a function of this package
// passed for a parameter that is called something the summaries of the
// units involved read: the unit calling the parameter (an adapter's
// literal) and the unit passing the function (a helper's caller). Their
// summaries are then computed after its. A blocking function of another
// package makes those units worth analysing.
func (st *state) bindParamCalls() {
	if len(st.fv.calls) == 0 {
		return
	}
	type dep struct {
		u      *unit
		target *types.Func
	}
	seen := make(map[dep]bool)
	add := func(u *unit, target *types.Func) {
		if target.Pkg() != st.pass.Pkg {
			if blocks(st.factOf(target)) {
				u.interesting = true
			}
			return
		}
		for w := u; w != nil; w = st.parentOf(w) {
			if !seen[dep{w, target}] {
				seen[dep{w, target}] = true
				w.passed = append(w.passed, target)
			}
		}
	}
	called := make(map[paramRef]bool)
	type unitParam struct {
		u *unit
		p paramRef
	}
	done := make(map[unitParam]bool)
	for _, c := range st.fv.calls {
		called[c.p] = true
		if done[unitParam{c.u, c.p}] {
			continue
		}
		done[unitParam{c.u, c.p}] = true
		if c.u.Decl != nil && c.u.Fn == c.p.fn && !slices.Contains(st.fv.runs[c.p.fn], c.p.i) {
			if st.fv.runs == nil {
				st.fv.runs = make(map[*types.Func][]int)
			}
			st.fv.runs[c.p.fn] = append(st.fv.runs[c.p.fn], c.p.i)
		}
		for _, target := range st.fv.args[c.p] {
			add(c.u, target)
		}
	}
	for _, pa := range st.fv.passes {
		if called[pa.p] {
			add(pa.u, pa.target)
		}
	}
	for _, u := range st.units {
		if len(u.passed) > 0 {
			u.deps = append(u.callees[:len(u.callees):len(u.callees)], u.passed...)
		}
	}
}

// paramCallEvent is the blocking event of a call of a function-typed
// parameter, when a function passed for it blocks: the one with an I/O
// trace first, as for an interface's implementations.
func (st *state) paramCallEvent(call *ast.CallExpr) (event, bool) {
	p, ok := st.calledParam(call)
	if !ok {
		return event{}, false
	}
	best, bestFact := st.blockingOf(st.fv.args[p], false)
	if best == nil {
		return event{}, false
	}
	// Named after the parameter, as the call is written; the trace goes on
	// through the function passed for it.
	name := types.ExprString(call.Fun)
	tr := append([]string{name}, st.callTrace(best, bestFact)...)
	return event{
		kind: evBlock, pos: call.Pos(), name: name, fn: best, fact: bestFact, wait: bestFact.BlocksWait,
		trace: tr, rel: st.related(best, true, tr[1:]), viaParam: p.fn,
	}, true
}

// passedFuncEvents appends the blocking event of a static call of fn, a
// function that runs one of its parameters in its own body, when what the
// call passes for it blocks: a function named as a value, or a literal.
func (st *state) passedFuncEvents(call *ast.CallExpr, fn *types.Func, stmt ast.Node, out []event) []event {
	runs := st.fv.runs[fn]
	if len(runs) == 0 {
		return out
	}
	sig := fn.Type().(*types.Signature)
	for _, i := range runs {
		if i >= len(call.Args) || sig.Variadic() && i >= sig.Params().Len()-1 {
			continue
		}
		a := call.Args[i]
		var f *funcFact
		var name string
		var target *types.Func
		if lit, ok := ast.Unparen(a).(*ast.FuncLit); ok {
			lu := st.literal(lit)
			if lu == nil || lu.litBusy {
				continue
			}
			f, name = st.litSummary(lu), lu.Name
		} else if target = st.funcNamed(a); target != nil {
			if f = st.factOf(target); f != nil {
				name = st.callName(target, f)
			}
		}
		if !blocks(f) {
			continue
		}
		callee := st.callName(fn, &funcFact{})
		tr := []string{callee, sig.Params().At(i).Name(), name}
		if f.Role == 0 {
			tr = append(tr, f.Blocks...) // a literal has no call name of its own: name stands for it
		}
		// fn is the call's function: its summary has no positions to add.
		e := event{kind: evBlock, pos: call.Pos(), stmt: stmt, name: callee, fn: fn, wait: f.BlocksWait, trace: tr}
		if target != nil {
			e.rel = st.related(target, true, tr[2:])
		}
		return append(out, e)
	}
	return out
}
