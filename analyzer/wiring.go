package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// Many apps wire handlers to their services only in main: the handlers
// call a UserService interface, whose implementation, in a package the
// handlers never import, queries the database. The handlers' package
// cannot see the implementation and the implementation's package cannot
// see the handlers, so neither reports. The handlers' package records, as
// a package fact, the calls its handlers make under the lock through an
// interface of the user's code without a visible implementation; a
// package that passes a value of a concrete type where such an interface
// is expected (a call argument, a struct literal field, an assignment)
// resolves them against that type, and reports the whole trace there.

// pendingFact lists a package's unresolved interface calls under the lock.
type pendingFact struct{ Calls []pendingCall }

// AFact marks pendingFact as an analysis.Fact.
func (*pendingFact) AFact() {}

// String lists the pending calls, for analysistest fact expectations:
// "pending(Handler.Profile → UserService.Find)".
func (f *pendingFact) String() string {
	out := "pending("
	for i, c := range f.Calls {
		if i > 0 {
			out += ", "
		}
		out += trace(c.Trace)
	}
	return out + ")"
}

// pendingCall is one call of Method through the interface Iface
// ("pkg/path.Type") made under the lock; Trace runs from the handler to
// the interface method ("Handler.Profile", "UserService.Find").
type pendingCall struct {
	Iface, Method string
	Trace         []string
}

// notePending records an opaque interface call made under the lock in a
// handler, when the interface has no implementation in sight.
func (st *state) notePending(u *unit, e *event) {
	m := e.fn
	if m == nil || st.isDependency() || st.factOf(m) != nil {
		return // a method with a fact is judged at the call already
	}
	sig, ok := m.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return
	}
	n, ok := types.Unalias(sig.Recv().Type()).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || len(st.ifaceImpls(n, m.Name())) > 0 {
		return
	}
	handler := "func literal"
	for w := u; w != nil; w = st.parentOf(w) {
		if w.Fn != nil {
			handler = shortName(w.Fn, st.pass.Pkg)
			break
		}
	}
	c := pendingCall{
		Iface:  n.Obj().Pkg().Path() + "." + n.Obj().Name(),
		Method: m.Name(),
		Trace:  []string{handler, shortName(m, st.pass.Pkg)},
	}
	for _, have := range st.pending {
		if have.Iface == c.Iface && have.Method == c.Method && have.Trace[0] == c.Trace[0] {
			return // checked in another mode, or called twice
		}
	}
	st.pending = append(st.pending, c)
}

// wiring exports this package's pending calls and resolves those of the
// packages it imports at the places it wires concrete values to their
// interfaces. It runs at the end of every run, whatever the run decided.
func (st *state) wiring() {
	st.exportedHandlersPending()
	if len(st.pending) > 0 {
		st.pass.ExportPackageFact(&pendingFact{Calls: st.pending})
	}
	if st.isDependency() {
		return
	}
	byIface := make(map[string][]pendingCall)
	for _, p := range st.pass.Pkg.Imports() {
		var pf pendingFact
		if st.pass.ImportPackageFact(p, &pf) {
			for _, c := range pf.Calls {
				byIface[c.Iface] = append(byIface[c.Iface], c)
			}
		}
	}
	if len(byIface) == 0 {
		return
	}
	info := st.pass.TypesInfo
	wire := func(dst types.Type, val ast.Expr) {
		n, ok := types.Unalias(dst).(*types.Named)
		if !ok || n.Obj().Pkg() == nil || !types.IsInterface(n) {
			return
		}
		calls := byIface[n.Obj().Pkg().Path()+"."+n.Obj().Name()]
		t := info.TypeOf(val)
		if len(calls) == 0 || t == nil || types.IsInterface(t) {
			return
		}
		for _, c := range calls {
			st.reportWired(c, t, val)
		}
	}
	for _, f := range st.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				sig, ok := info.TypeOf(x.Fun).(*types.Signature)
				if !ok {
					return true
				}
				for i, a := range x.Args {
					if p := paramType(sig, i); p != nil {
						wire(p, a)
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := x.Key.(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok && v.IsField() {
						wire(v.Type(), x.Value)
					}
				}
			case *ast.AssignStmt:
				if len(x.Lhs) == len(x.Rhs) {
					for i, l := range x.Lhs {
						if lt := info.TypeOf(l); lt != nil {
							wire(lt, x.Rhs[i])
						}
					}
				}
			}
			return true
		})
	}
}

// paramType is the type of the i-th argument's parameter of sig.
func paramType(sig *types.Signature, i int) types.Type {
	ps := sig.Params()
	switch {
	case sig.Variadic() && i >= ps.Len()-1:
		if s, ok := ps.At(ps.Len() - 1).Type().(*types.Slice); ok {
			return s.Elem()
		}
		return nil
	case i < ps.Len():
		return ps.At(i).Type()
	}
	return nil
}

// reportWired reports a pending call that blocks once the concrete type t,
// wired at val, implements the interface.
func (st *state) reportWired(c pendingCall, t types.Type, val ast.Expr) {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, c.Method)
	fn, ok := obj.(*types.Func)
	if !ok {
		return
	}
	fn = fn.Origin()
	f := st.factOf(fn)
	if !blocks(f) {
		return
	}
	tr := append(append([]string{}, c.Trace...), st.callTrace(fn, f)...)
	st.emit(finding{cat: CategoryLongCall, pos: val.Pos(), end: val.End(), name: "handler " + c.Trace[0], trace: tr, rel: st.related(fn, true, tr[len(c.Trace):])})
}

// exportedHandlersPending collects the pending calls of the exported
// handlers this package does not serve itself (another package registers
// them, so their mode is not known here): they are taken to run with the
// lock held from entry, as behind the usual middleware, unless they
// acquire it first.
func (st *state) exportedHandlersPending() {
	for _, u := range st.units {
		if u.Fn == nil || !u.Fn.Exported() || len(st.modes[u]) > 0 || !httpshape.HandlerParams(u.Sig(st.pass.TypesInfo)) || !st.obtains(u) {
			continue
		}
		if f := st.sums[u.Fn]; f != nil && f.AcquireFirst {
			continue
		}
		st.eventsOf(u)
		in := st.flow(u, sHeld)
		for i, evs := range u.events {
			s := in[i]
			for k := range evs {
				if e := &evs[k]; e.kind == evOpaque && s&sHeld != 0 {
					st.notePending(u, e)
				}
				s = transfer(s, &evs[k])
			}
		}
	}
}
