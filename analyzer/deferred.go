package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
)

// deferredEvents returns the events of each deferred call, in source
// order; a deferred literal contributes what its summary says.
func (st *state) deferredEvents(defers []*ast.DeferStmt) [][]event {
	var out [][]event
	for _, d := range defers {
		if lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
			out = append(out, st.litEvents(lit, "func literal", d.Call.Pos(), d, nil))
			continue
		}
		out = append(out, st.callEvents(d.Call, d, nil))
	}
	return out
}

// runDefers applies u's deferred calls, last deferred first, to the exit
// state s, calling visit with each event and the state it runs in. It
// returns the state after them.
func (st *state) runDefers(u *unit, s lockSet, visit func(e *event, s lockSet)) lockSet {
	for i := len(u.deferred) - 1; i >= 0; i-- {
		for k := range u.deferred[i] {
			e := &u.deferred[i][k]
			if visit != nil {
				visit(e, s)
			}
			s = transfer(s, e)
		}
	}
	return s
}

// closureOf returns the literal a call's function expression denotes: a
// literal called in place, or a variable that only ever holds one literal.
func (st *state) closureOf(fun ast.Expr) (*ast.FuncLit, string) {
	switch x := ast.Unparen(fun).(type) {
	case *ast.FuncLit:
		return x, "func literal"
	case *ast.Ident:
		v, ok := st.pass.TypesInfo.Uses[x].(*types.Var)
		if !ok {
			return nil, ""
		}
		if lit := st.closures[v]; lit != nil && !st.notClosure[v] {
			return lit, x.Name
		}
	}
	return nil, ""
}

// noteClosure records, during the scan, that val is assigned to lhs:
// closureOf trusts a local variable assigned one literal and nothing else.
func (st *state) noteClosure(lhs, val ast.Expr) {
	ident, ok := lhs.(*ast.Ident)
	if !ok {
		return
	}
	v, ok := st.pass.TypesInfo.ObjectOf(ident).(*types.Var)
	if !ok || v.Parent() == st.pass.Pkg.Scope() {
		return
	}
	if _, isFunc := v.Type().Underlying().(*types.Signature); !isFunc {
		return
	}
	if st.closures == nil {
		st.closures = make(map[*types.Var]*ast.FuncLit)
		st.notClosure = make(map[*types.Var]bool)
	}
	lit, isLit := ast.Unparen(val).(*ast.FuncLit)
	if !isLit || st.closures[v] != nil {
		st.notClosure[v] = true
		return
	}
	st.closures[v] = lit
}

// litEvents appends what calling literal lit does, as a helper call named
// name at pos: from its summary (computed once).
func (st *state) litEvents(lit *ast.FuncLit, name string, pos token.Pos, stmt ast.Node, out []event) []event {
	lu := st.literal(lit)
	if lu == nil || lu.litBusy {
		return out
	}
	if name == "func literal" {
		name = lu.Name // Handler.User.func2: a reader finds it
	}
	out = append(out, event{kind: evInPlace, pos: pos, stmt: stmt, name: name, body: lit})
	return st.summaryEvents(event{pos: pos, stmt: stmt, name: name, fact: st.litSummary(lu)}, nil, out)
}

// litSummary is the summary of literal lu, for calls of it: computed once
// per round of summaries (check resets it). lu must not be litBusy.
func (st *state) litSummary(lu *unit) *funcFact {
	if lu.litSum == nil {
		lu.litBusy = true
		lu.litSum, _, _ = st.summaryOf(lu)
		lu.litBusy = false
	}
	return lu.litSum
}
