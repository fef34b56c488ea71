package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// deferredEvents returns the events of each call a body defers, in source
// order; a deferred literal contributes what its summary says.
func (st *state) deferredEvents(body *ast.BlockStmt) [][]event {
	var out [][]event
	inspectOwn(body, func(n ast.Node) {
		d, ok := n.(*ast.DeferStmt)
		if !ok {
			return
		}
		if lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
			out = append(out, st.litEvents(lit, "func literal", d.Call.Pos(), d, nil))
			return
		}
		out = append(out, st.callEvents(d.Call, d, nil))
	})
	return out
}

// runDefers applies u's deferred calls, last deferred first, to the exit
// state s, calling visit with each event and the state it runs in. It
// returns the state after them.
func (st *state) runDefers(u *unit, s uint8, visit func(e *event, s uint8)) uint8 {
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

// timerRanges maps the ranged expression of each for-range over a timer's
// channel in body to the wait's name (for range time.Tick(d)).
func (st *state) timerRanges(body *ast.BlockStmt) map[ast.Node]string {
	var out map[ast.Node]string
	inspectOwn(body, func(n ast.Node) {
		r, ok := n.(*ast.RangeStmt)
		if !ok {
			return
		}
		if name := st.timerRecv(r.X); name != "" {
			if out == nil {
				out = make(map[ast.Node]string)
			}
			out[r.X] = "for range " + strings.TrimPrefix(name, "<-")
		}
	})
	return out
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
		if st.closures == nil {
			st.indexClosures()
		}
		if lit := st.closures[v]; lit != nil {
			return lit, x.Name
		}
	}
	return nil, ""
}

// indexClosures finds the local variables assigned exactly one function
// literal and nothing else.
func (st *state) indexClosures() {
	st.closures = make(map[*types.Var]*ast.FuncLit)
	other := make(map[*types.Var]bool)
	note := func(id ast.Expr, val ast.Expr) {
		ident, ok := id.(*ast.Ident)
		if !ok {
			return
		}
		obj := st.pass.TypesInfo.ObjectOf(ident)
		v, ok := obj.(*types.Var)
		if !ok || v.Parent() == st.pass.Pkg.Scope() {
			return
		}
		lit, isLit := ast.Unparen(val).(*ast.FuncLit)
		if !isLit || st.closures[v] != nil {
			other[v] = true
			return
		}
		st.closures[v] = lit
	}
	for _, f := range st.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i := range n.Lhs {
						note(n.Lhs[i], n.Rhs[i])
					}
				}
			case *ast.ValueSpec:
				if len(n.Names) == len(n.Values) {
					for i := range n.Names {
						note(n.Names[i], n.Values[i])
					}
				}
			}
			return true
		})
	}
	for v := range other {
		delete(st.closures, v)
	}
}

// litEvents appends what calling literal lit does, as a helper call named
// name at pos: from its summary (computed once).
func (st *state) litEvents(lit *ast.FuncLit, name string, pos token.Pos, stmt ast.Node, out []event) []event {
	lu := st.byLit[lit]
	if lu == nil || lu.litBusy {
		return out
	}
	if lu.litSum == nil {
		lu.litBusy = true
		lu.litSum, _, _ = st.summaryOf(lu)
		lu.litBusy = false
	}
	f := lu.litSum
	base := event{pos: pos, stmt: stmt, name: name, fact: f}
	if len(f.Blocks) > 0 {
		e := base
		e.kind = evBlock
		e.trace = append([]string{name}, f.Blocks...)
		out = append(out, e)
	}
	if len(f.Writes) > 0 {
		e := base
		e.kind = evWrite
		e.trace = append([]string{name}, f.Writes...)
		out = append(out, e)
	}
	if f.Releases || f.Acquires {
		e := base
		e.kind = evEffect
		out = append(out, e)
	}
	return out
}
