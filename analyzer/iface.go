package analyzer

import (
	"go/ast"
	"go/types"
	"sort"

	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
)

// Calls through an interface. The call is long when the interface method
// is named by a model or -long entry or carries //sessionlock:long, or
// when every implementation the analysis can see blocks: the named types
// of this package, of the packages it imports directly, and of the
// interface's own package. An interface without a visible implementation
// is not followed (see doc.go, Limits).

// ifaceKey identifies a method of an interface type, as seen through the
// static type of the receiver.
type ifaceKey struct {
	t    types.Type
	name string
}

// ifaceMethodOf returns the interface method a call invokes and the static
// interface type of its receiver, or nil.
func (st *state) ifaceMethodOf(call *ast.CallExpr) (*types.Func, types.Type) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil
	}
	s := st.pass.TypesInfo.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal {
		return nil, nil
	}
	m, ok := s.Obj().(*types.Func)
	if !ok {
		return nil, nil
	}
	recv := s.Recv()
	if _, isParam := types.Unalias(recv).(*types.TypeParam); isParam || !types.IsInterface(recv) {
		return nil, nil
	}
	return m.Origin(), recv
}

// ifaceImpls returns the concrete methods that may run for method name of
// interface type t, sorted by name for stable messages. It is cached: it
// depends on types only.
func (st *state) ifaceImpls(t types.Type, name string) []*types.Func {
	k := ifaceKey{t, name}
	if impls, ok := st.implCache[k]; ok {
		return impls
	}
	var impls []*types.Func
	for _, ct := range st.implTypes(t) {
		obj, _, _ := types.LookupFieldOrMethod(ct, true, nil, name)
		if fn, ok := obj.(*types.Func); ok {
			impls = append(impls, fn.Origin())
		}
	}
	sort.Slice(impls, func(i, j int) bool { return fullName(impls[i]) < fullName(impls[j]) })
	if st.implCache == nil {
		st.implCache = make(map[ifaceKey][]*types.Func)
	}
	st.implCache[k] = impls
	return impls
}

// implTypes returns the concrete types in sight (T or *T) that implement
// interface type t: the named types of this package, of the packages it
// imports and of the interface's own package. It is computed once per
// interface, whichever of its methods are called.
func (st *state) implTypes(t types.Type) []types.Type {
	if cts, ok := st.implTypeCache[t]; ok {
		return cts
	}
	iface, _ := t.Underlying().(*types.Interface)
	var cts []types.Type
	if iface != nil && !iface.Empty() {
		pkgs := append([]*types.Package{st.pass.Pkg}, st.pass.Pkg.Imports()...)
		// An interface of the user's own code is implemented by the
		// user's types; a library type that happens to have the method
		// set (http.Header for a Get(string) string) is not a candidate.
		own := true
		if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil {
			pkgs = append(pkgs, n.Obj().Pkg())
			own = st.isUserPkg(n.Obj().Pkg())
		}
		seen := make(map[*types.Package]bool)
		for _, p := range pkgs {
			if seen[p] || own && !st.isUserPkg(p) {
				continue
			}
			seen[p] = true
			cts = appendImplTypes(cts, p, iface)
		}
	}
	if st.implTypeCache == nil {
		st.implTypeCache = make(map[types.Type][]types.Type)
	}
	st.implTypeCache[t] = cts
	return cts
}

func appendImplTypes(out []types.Type, p *types.Package, iface *types.Interface) []types.Type {
	scope := p.Scope()
	for _, n := range scope.Names() {
		tn, ok := scope.Lookup(n).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		nt, ok := tn.Type().(*types.Named)
		if !ok || nt.TypeParams().Len() > 0 || types.IsInterface(nt) || nt.NumMethods() == 0 && !hasEmbedded(nt) {
			continue
		}
		if types.Implements(nt, iface) {
			out = append(out, nt)
		} else if pt := types.NewPointer(nt); types.Implements(pt, iface) {
			out = append(out, pt)
		}
	}
	return out
}

// hasEmbedded reports whether a named struct type embeds a field, through
// which it may have methods of its own set.
func hasEmbedded(nt *types.Named) bool {
	s, ok := nt.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for i := 0; i < s.NumFields(); i++ {
		if s.Field(i).Embedded() {
			return true
		}
	}
	return false
}

// ifaceFact is what a call of interface method m (through static type t)
// means: the method's own fact (directive, model, -long), else a blocking
// fact when the implementations in sight block: any one of them for an
// interface of the user's code (the call may run it), every one for a
// library's interface (io.Writer has many quick implementations). An
// interface of the user's code with no implementation in sight whose
// method takes a context.Context is presumed to do I/O (presumedIO). It
// returns the implementation traced (an I/O trace before a wait), or nil
// when the fact is the method's own or presumed.
func (st *state) ifaceFact(m *types.Func, t types.Type) (*funcFact, *types.Func) {
	if f := st.factOf(m); f != nil {
		return f, nil
	}
	if st.isDependency() {
		return nil, nil // libraries are judged by their models and directives
	}
	impls := st.ifaceImpls(t, m.Name())
	if len(impls) == 0 {
		if st.presumedIO(m, t) {
			return &funcFact{Blocks: []string{"presumed to do I/O: it takes a context.Context and no implementation is in sight"}}, nil
		}
		return nil, nil
	}
	best, bestFact := st.blockingOf(impls, !st.ownInterface(t))
	if best == nil {
		return nil, nil
	}
	return &funcFact{Blocks: st.callTrace(best, bestFact), BlocksWait: bestFact.BlocksWait}, best
}

// blockingOf returns the function of fns, and its fact, that a call which
// may run any of them is traced through when it blocks: one with an I/O
// trace before one that waits for goroutines. With every set, the call
// blocks only when all of them do (a library's interface), else when one
// does; it returns nil when the call does not block.
func (st *state) blockingOf(fns []*types.Func, every bool) (*types.Func, *funcFact) {
	var best *types.Func
	var bestFact *funcFact
	for _, fn := range fns {
		f := st.factOf(fn)
		if !blocks(f) {
			if every {
				return nil, nil
			}
			continue
		}
		if best == nil || bestFact.BlocksWait && !f.BlocksWait {
			best, bestFact = fn, f
		}
	}
	return best, bestFact
}

// blocks reports whether a call with fact f blocks.
func blocks(f *funcFact) bool {
	return f != nil && (f.Role&roleLong != 0 || len(f.Blocks) > 0)
}

// callTrace is how a trace goes on through a blocking call of fn with
// fact f: its name, then, for a helper, the helper's own trace.
func (st *state) callTrace(fn *types.Func, f *funcFact) []string {
	tr := []string{st.callName(fn, f)}
	if f.Role == 0 {
		tr = append(tr, f.Blocks...)
	}
	return tr
}

// ownInterface reports whether t is an interface declared in the user's
// code (not the standard library's or another module's).
func (st *state) ownInterface(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && st.isUserPkg(n.Obj().Pkg())
}

// presumedIO reports whether a call of m through t, an interface of the
// user's code with no implementation in sight, is presumed to block: its
// method takes a context.Context, the mark of a service call (a store, a
// client) that apps wire only in main.
func (st *state) presumedIO(m *types.Func, t types.Type) bool {
	if !st.ownInterface(t) {
		return false
	}
	sig, ok := m.Type().(*types.Signature)
	if !ok {
		return false
	}
	for i := 0; i < sig.Params().Len(); i++ {
		if httpshape.IsNamed(sig.Params().At(i).Type(), "context", "Context") {
			return true
		}
	}
	return false
}

// dynamicCallEvents appends the events of a call without a static
// callee: through an interface (blocking when it blocks, see ifaceFact)
// or of a function value. Either may also be opaque to the fix.
func (st *state) dynamicCallEvents(call *ast.CallExpr, stmt ast.Node, out []event) []event {
	m, t := st.ifaceMethodOf(call)
	if m == nil {
		if st.isFuncValueCall(call) {
			out = append(out, event{kind: evOpaque, pos: call.Pos(), stmt: stmt})
			if e, ok := st.paramCallEvent(call); ok {
				e.stmt = stmt
				out = append(out, e)
			}
		}
		return out
	}
	f, impl := st.ifaceFact(m, t)
	presumed := f != nil && impl == nil && f.Role == 0 // presumedIO: reported here, nothing left for the wiring
	if !presumed && st.ifaceOpaque(m, t) {
		out = append(out, event{kind: evOpaque, pos: call.Pos(), stmt: stmt, fn: m})
	}
	if f == nil {
		return out
	}
	name := st.callName(m, f)
	e := event{kind: evBlock, pos: call.Pos(), stmt: stmt, name: name, fn: m, fact: f, wait: f.BlocksWait}
	switch {
	case impl != nil:
		e.trace = append([]string{name}, f.Blocks...)
		e.rel = st.related(impl, true, e.trace[1:])
	case presumed:
		e.trace = append([]string{name}, f.Blocks...) // the trace says why
	}
	return append(out, e)
}

// scanIfaceCall notes, while scanning u, a call through an interface: it
// makes u interesting when it may block, and makes the implementations in
// this package callees of u, so that u's summary is recomputed when
// theirs grows.
func (st *state) scanIfaceCall(u *unit, call *ast.CallExpr) {
	m, t := st.ifaceMethodOf(call)
	if m == nil {
		return
	}
	if f := st.factOf(m); f != nil {
		u.interesting = true
		return
	}
	if st.isDependency() {
		return
	}
	if st.isCtxDone(call) {
		u.interesting = true // <-ctx.Done() waits (ctxdone.go)
		return
	}
	if st.presumedIO(m, t) {
		u.interesting = true
	}
	for _, impl := range st.ifaceImpls(t, m.Name()) {
		if impl.Pkg() == st.pass.Pkg {
			u.callees = append(u.callees, impl) // its summary may still grow
			u.interesting = true
		} else if blocks(st.factOf(impl)) {
			u.interesting = true
		}
	}
}

// readInterfaceDirectives records //sessionlock:long (or any role) written
// on the methods of the interfaces declared in f.
func (st *state) readInterfaceDirectives(f *ast.File) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok {
				continue
			}
			it, ok := ts.Type.(*ast.InterfaceType)
			if !ok || it.Methods == nil {
				continue
			}
			for _, field := range it.Methods.List {
				if field.Doc == nil || len(field.Names) == 0 || !hasDirective(field.Doc) {
					continue
				}
				for _, id := range field.Names {
					if fn, ok := st.pass.TypesInfo.Defs[id].(*types.Func); ok {
						if r := parseDirectives(field.Doc); r != 0 {
							st.roles[fn] = r
						}
					}
				}
			}
		}
	}
}
