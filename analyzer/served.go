package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/serving"
)

// The lock mode each function runs in is decided by the serving model
// (internal/serving). This file feeds it the package and the facts it
// asks for, and judges the handlers of other packages it finds served
// here, at their registration.

// mode is how a function runs with respect to the session lock.
type mode = serving.Mode

const (
	modeHeld     = serving.Held
	modeExplicit = serving.Explicit
	modeReadOnly = serving.ReadOnly
	modeHelper   = serving.Helper
	modeRemote   = serving.Remote
)

// serve runs the serving model over the package and judges, where they
// are registered, the handlers of other packages it serves.
func (st *state) serve() *serving.Model {
	sv := serving.Build(&serving.Package{
		Info:     st.pass.TypesInfo,
		Pkg:      st.pass.Pkg,
		Files:    st.pass.Files,
		Funcs:    &st.funcs,
		Facts:    servingFacts{st},
		Impls:    st.ifaceImpls,
		HasServe: st.hasServe,
	})
	for _, r := range sv.Registrations {
		name := shortName(r.Fn, st.pass.Pkg)
		f := st.factOf(r.Fn)
		switch r.Kind {
		case serving.Handler:
			st.judgeRemote(r.Fn, f, "handler "+name, r.Mode, r.At)
		case serving.Returns:
			if f != nil && f.Result != nil {
				st.judgeRemote(r.Fn, f.Result, "handler returned by "+name, r.Mode, r.At)
			}
		case serving.Registers:
			st.judgeRemote(r.Fn, f.Registers, "a handler registered by "+name, r.Mode, r.At)
		}
	}
	return sv
}

// judgeRemote judges, at its registration at, a handler of another
// package served in mode m, from its fact f; what names it in messages and
// fn starts the trace. A handler already checked in held mode where it is
// declared is not reported again for held mode.
func (st *state) judgeRemote(fn *types.Func, f *funcFact, what string, m mode, at ast.Expr) {
	if f == nil || f.Role != 0 {
		return
	}
	name := shortName(fn, st.pass.Pkg)
	switch m {
	case modeHeld:
		if f.Handler || len(f.Blocks) == 0 {
			break
		}
		if len(f.Sites) == 0 {
			tr := append([]string{name}, f.Blocks...)
			st.emit(finding{cat: CategoryLongCall, pos: at.Pos(), end: at.End(), name: what, trace: tr, rel: st.related(fn, true, tr)})
		}
		// One finding per blocking call in the handler, naming where it is.
		for _, s := range f.Sites {
			tr := append([]string{name}, s.Trace...)
			st.emit(finding{cat: CategoryLongCall, pos: at.Pos(), end: at.End(), name: what, at: s.At, trace: tr, rel: st.related(fn, true, tr)})
		}
	case modeExplicit, modeReadOnly:
		if len(f.Writes) > 0 && !(m == modeExplicit && f.AcquireFirst) {
			tr := append([]string{name}, f.Writes...)
			st.emit(finding{cat: CategoryWriteWithoutLock, pos: at.Pos(), end: at.End(), name: what, trace: tr, rel: st.related(fn, false, tr), mode: m})
		}
	}
}

// servingFacts answers the serving model's questions from directives and
// facts.
type servingFacts struct{ st *state }

func (sf servingFacts) Wrapper(fn *types.Func) (serving.Wrap, bool) {
	f := sf.st.factOf(fn)
	if f == nil {
		return serving.Wrap{}, false
	}
	if m := roleMode(f.Role); m != 0 {
		return serving.Wrap{Mode: m}, true
	}
	if f.Serve != 0 {
		return serving.Wrap{Mode: mode(f.Serve), Arg: int(f.ServeArg)}, true
	}
	return serving.Wrap{}, false
}

func (sf servingFacts) RegistersOn(fn *types.Func) int {
	if f := sf.st.factOf(fn); f != nil && f.Registers != nil && f.RegistersArg > 0 {
		return int(f.RegistersArg) - 1
	}
	return -1
}

func (sf servingFacts) Declared(fn *types.Func) bool { return sf.st.roles[fn] != 0 }

func roleMode(r role) mode {
	switch {
	case r&roleServeHeld != 0:
		return modeHeld
	case r&roleServeExplicit != 0:
		return modeExplicit
	case r&roleServeReadOnly != 0:
		return modeReadOnly
	}
	return 0
}
