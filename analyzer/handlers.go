package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/httpshape"
	"github.com/sessionlock/sessionlock/analyzer/internal/serving"
)

// handlerModes decides, for every unit of the package, the modes it is
// checked in: those the serving model found, else, for a function that
// obtains the session and takes a handler's parameters, the mode its own
// code implies: held, as behind the runtime's default middleware, or
// explicit when it acquires first. A handler is judged in the package that
// declares it, exported or not, called by other code or not.
func (st *state) handlerModes(sv *serving.Model) map[*unit][]mode {
	out := make(map[*unit][]mode)
	for _, u := range st.units {
		if u.Fn != nil && st.roles[u.Fn] != 0 {
			continue // the library's own API: taken at its word
		}
		var ms []mode
		for _, m := range []mode{modeHeld, modeExplicit, modeReadOnly} {
			if sv.Modes[u.Func].Has(m) {
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
	return httpshape.HandlerParams(u.Sig(st.pass.TypesInfo))
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

// resultFact describes the handlers hs that exported function fn returns
// or registers, for importers to judge where they serve them: the first
// blocking call and the first write any of them reaches from entry, as
// fn's callers see them (what they pass for fn's parameters is theirs).
func (st *state) resultFact(fn *types.Func, hs []*funcs.Func) *funcFact {
	res := &funcFact{}
	for _, hf := range hs {
		h := st.unitOf[hf]
		f, _, _ := st.summaryFor(h, fn)
		if f.Blocks != nil {
			if res.Blocks == nil {
				res.Blocks = append([]string{h.Name}, f.Blocks...)
			}
			if !st.isDependency() && !st.heldHere(h) {
				for _, s := range st.sitesFor(h, fn) {
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

// declaredMode is the mode u's doc comment declares it served in, or 0.
func (st *state) declaredMode(u *unit) mode {
	if u.Decl == nil {
		return 0
	}
	return parseServed(u.Decl.Doc)
}
