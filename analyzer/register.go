package analyzer

import (
	"go/ast"
	"go/types"
)

// mode is how a function runs with respect to the session lock.
type mode uint8

const (
	modeHeld     mode = iota + 1 // implicit: held from entry
	modeExplicit                 // unlocked until it acquires
	modeReadOnly                 // never locked; writes are misuse
	modeHelper                   // entry state unknown: only its own releases count
	modeRemote                   // served in a mode only importers know (returned by an exported function)
)

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

// handlerModes decides, for every unit of the package, the modes it is
// checked in: those the serving model found, else, for a function that
// obtains the session and takes a handler's parameters, the mode its own
// code implies: held, as behind the runtime's default middleware, or
// explicit when it acquires first. A handler is judged in the package that
// declares it, exported or not, called by other code or not.
func (st *state) handlerModes(sv *serving) map[*unit][]mode {
	out := make(map[*unit][]mode)
	for _, u := range st.units {
		if u.Fn != nil && st.roles[u.Fn] != 0 {
			continue // the library's own API: taken at its word
		}
		var ms []mode
		for _, m := range []mode{modeHeld, modeExplicit, modeReadOnly} {
			if sv.units[u].has(m) {
				ms = append(ms, m)
			}
		}
		if len(ms) == 0 && st.presumedHandler(u) {
			ms = []mode{st.presumedMode(u)}
		}
		if len(ms) > 0 {
			out[u] = ms
		}
	}
	return out
}

// presumedMode is the mode a handler whose serving is out of sight runs
// in: the one its doc comment declares (//sessionlock:served), else
// explicit when it acquires the lock before anything else, else held.
func (st *state) presumedMode(u *unit) mode {
	if m := st.declaredMode(u); m != 0 {
		return m
	}
	if f, _, _ := st.summaryOf(u); f.AcquireFirst {
		return modeExplicit
	}
	return modeHeld
}

// presumedHandler reports whether u is a handler whose serving the package
// does not show: it obtains the session and takes a handler's parameters.
// Literals run by go or defer never are.
func (st *state) presumedHandler(u *unit) bool {
	if u.NotHandler || !st.obtains(u) {
		return false
	}
	return handlerParams(st.unitSig(u))
}

// handlerParams reports whether sig takes what a handler takes: a response
// writer, a request (w, r; app, w, r; a helper given the request runs
// within one), or a framework context that carries the request (echo.Context, *gin.Context,
// an app's context type embedding one) with no result but an error.
func handlerParams(sig *types.Signature) bool {
	if sig == nil {
		return false
	}
	for i := 0; i < sig.Params().Len(); i++ {
		t := sig.Params().At(i).Type()
		if isNamed(t, "", "ResponseWriter") || isNamedPtr(t, "", "Request") {
			return true
		}
	}
	return sig.Params().Len() == 1 && carriesRequest(sig.Params().At(0).Type()) && errorOnly(sig.Results())
}

// carriesRequest reports whether t is a framework context: a type with a
// Request() *http.Request method (echo) or a Request *http.Request field
// (gin), also through embedding.
func carriesRequest(t types.Type) bool {
	return requestSelector(t) != ""
}

// requestSelector is how a framework context carrying the request names
// it: ".Request()" for a method (echo, an app's context embedding one),
// ".Request" for gin's field, or the field of an app's own context struct
// that holds it (".R"); "" when t carries no request.
func requestSelector(t types.Type) string {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Request")
	switch obj := obj.(type) {
	case *types.Func:
		if sig, _ := obj.Type().(*types.Signature); sig != nil && sig.Params().Len() == 0 && sig.Results().Len() == 1 && isNamedPtr(sig.Results().At(0).Type(), "", "Request") {
			return ".Request()"
		}
		return ""
	case *types.Var:
		if isNamedPtr(obj.Type(), "", "Request") {
			return ".Request"
		}
		return ""
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if s, ok := t.Underlying().(*types.Struct); ok {
		for i := 0; i < s.NumFields(); i++ {
			if f := s.Field(i); f.Exported() && isNamedPtr(f.Type(), "net/http", "Request") {
				return "." + f.Name()
			}
		}
	}
	return ""
}

// errorOnly reports whether results are none or a single error.
func errorOnly(res *types.Tuple) bool {
	return res.Len() == 0 || res.Len() == 1 && isErrorType(res.At(0).Type())
}

// unitSig is the signature of a unit, or nil without type information.
func (st *state) unitSig(u *unit) *types.Signature {
	var t types.Type
	if u.Fn != nil {
		t = u.Fn.Type()
	} else {
		t = st.pass.TypesInfo.TypeOf(u.Lit)
	}
	sig, _ := t.(*types.Signature)
	return sig
}

// obtains reports whether u gets the request's session: from a source
// function, or through helpers that do.
func (st *state) obtains(u *unit) bool {
	if u.callsSource {
		return true
	}
	for _, c := range u.callees {
		if f := st.sums[c]; f != nil && f.Obtains {
			return true
		}
	}
	return false
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

// registered is what an exported function registers on its parameter arg.
type registered struct {
	arg   int
	units []*unit
}

// resultFact describes the handlers an exported function returns, for
// importers to judge where they serve them: the first blocking call and
// the first write any of them reaches from entry.
func (st *state) resultFact(hs []*unit) *funcFact {
	res := &funcFact{}
	for _, h := range hs {
		f, _, _ := st.summaryOf(h)
		if f.Blocks != nil {
			if res.Blocks == nil {
				res.Blocks = append([]string{h.Name}, f.Blocks...)
			}
			if !st.isDependency() && !st.heldHere(h) {
				for _, s := range st.sites(h) {
					res.Sites = append(res.Sites, site{At: s.At, Trace: append([]string{h.Name}, s.Trace...)})
				}
			}
		}
		if res.Writes == nil && f.Writes != nil {
			res.Writes = append([]string{h.Name}, f.Writes...)
			res.AcquireFirst = f.AcquireFirst
		}
	}
	if res.Blocks == nil && res.Writes == nil {
		return nil
	}
	return res
}

// heldHere reports whether u is checked in held mode in this package: its
// blocking calls are reported here, not again where it is served.
func (st *state) heldHere(u *unit) bool {
	if u == nil {
		return false
	}
	for _, m := range st.modes[u] {
		if m == modeHeld {
			return true
		}
	}
	return false
}

// isHandlerSig reports whether t is func(w, *Request) with no results: the
// shape of an HTTP handler, whatever package its request type comes from.
func isHandlerSig(t types.Type) bool {
	if t == nil {
		return false
	}
	sig, ok := t.Underlying().(*types.Signature)
	if !ok || sig.Params().Len() != 2 || sig.Results().Len() != 0 {
		return false
	}
	p, ok := types.Unalias(sig.Params().At(1).Type()).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Name() == "Request"
}

// inspectOwn visits the nodes of a unit's body, not those of nested
// function literals (units of their own).
func inspectOwn(body ast.Node, f func(ast.Node)) {
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if n != nil {
			f(n)
		}
		return true
	})
}

func (m mode) String() string {
	switch m {
	case modeHeld:
		return "held"
	case modeExplicit:
		return "explicit"
	case modeReadOnly:
		return "readonly"
	case modeHelper:
		return "helper"
	case modeRemote:
		return "remote"
	}
	return "none"
}

// declaredMode is the mode u's doc comment declares it served in, or 0.
func (st *state) declaredMode(u *unit) mode {
	if u.Decl == nil {
		return 0
	}
	return parseServed(u.Decl.Doc)
}
