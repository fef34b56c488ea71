package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/sessionlock/sessionlock/analyzer/internal/funcs"
	"github.com/sessionlock/sessionlock/analyzer/internal/report"
	"github.com/sessionlock/sessionlock/analyzer/internal/serving"
)

// The analyzer's parts, each an internal package with its own tests and
// none importing this one; arrows are imports:
//
//	blocking   what blocks: models of the standard library's and drivers'
//	           calls, the -long syntax, timers and waits
//	directive  the //sessionlock: directives a session library writes
//	funcs      the function bodies of a package and what types say of calls
//	httpshape  handlers, middleware, routers and framework contexts by shape
//	valueflow  where a package's values go          → funcs, httpshape
//	serving    in which lock mode each function runs → funcs, httpshape, valueflow
//	lockstate  the lock state through one function's control flow
//	fix        where a release fix goes, and its code → funcs, httpshape
//	report     the wording of findings and their de-duplication
//
// This package ties them together: it turns a function's calls into
// events (events.go), summarises functions into facts (summary.go,
// facts.go), feeds the serving model (served.go), checks each handler in
// its modes (check.go), and wires services behind interfaces across
// packages (iface.go, wiring.go).

// state is one run of the analyzer over one package.
type state struct {
	pass *analysis.Pass
	cfg  *Config

	roles   map[*types.Func]role      // directives declared in this package
	sums    map[*types.Func]*funcFact // summaries computed for this package's functions
	imports map[*types.Func]*funcFact // facts of other packages' functions (nil: none)

	units  []*unit
	inits  []*ast.GenDecl        // package-level var declarations
	funcs  funcs.Index           // the units' bodies (see declared, literal)
	unitOf map[*funcs.Func]*unit // ... and their units

	notHandler  map[*ast.FuncLit]bool // literals started by go or defer
	inPlaceDone map[*unit]bool        // literals run in place, checked as part of a held handler
	hasServe    bool                  // some code refers to a //sessionlock:serve wrapper

	fv     funcValues       // function-typed parameters and what is passed for them (funcvalue.go)
	served *serving.Model   // how the package serves its functions
	modes  map[*unit][]mode // the modes each handler is checked in

	blockingState // what blocks and what the fix needs (blockstate.go)

	ignore     map[*token.File]map[int]bool
	reported   report.Once[token.Pos]      // findings already reported (report.go)
	closures   map[*types.Var]*ast.FuncLit // local function variables and the literal assigned to them
	notClosure map[*types.Var]bool         // ... and those assigned something else too
}

// unit is a function body analysed on its own (funcs.Func) and what the
// analysis has learnt of it.
type unit struct {
	*funcs.Func
	nlits int // literals numbered so far in a declared function

	interesting bool          // calls something with a role or a fact, or blocks
	callsSource bool          // obtains the session: a handler
	releases    bool          // calls something that may release the lock
	callees     []*types.Func // functions of this package it calls
	passed      []*types.Func // functions of this package passed for parameters that are called (funcvalue.go)
	deps        []*types.Func // callees and passed, when there are passed

	blockPos []token.Pos // positions of the calls along the summary's Blocks trace
	writePos []token.Pos // same for Writes

	g      *cfg.CFG
	events [][]event // per CFG block, valid for the current summaries
	vars   []sessVar // session variables declared in the unit (lazy)
	varsOK bool
	fix    *fixFacts // what suggested fixes need, for the current events (lazy)

	deferred [][]event // events of each deferred call, in source order
	litSum   *funcFact // a literal's summary, for calls of it by name (lazy)
	litBusy  bool      // litSum is being computed
}

func run(pass *analysis.Pass, c *Config) (any, error) {
	st := &state{
		pass:    pass,
		cfg:     c,
		roles:   make(map[*types.Func]role),
		sums:    make(map[*types.Func]*funcFact),
		imports: make(map[*types.Func]*funcFact),
		unitOf:  make(map[*funcs.Func]*unit),
	}
	defer st.wiring() // wiring.go: whatever the run decides below
	st.readDirectives()
	if len(st.roles) == 0 && !st.usesKnownFunc() {
		return nil, nil // the common case, decided without walking the syntax
	}
	st.scan()
	st.bindParamCalls()
	relevant := len(st.roles) > 0
	for _, u := range st.units {
		if u.interesting {
			relevant = true
			break
		}
	}
	if !relevant {
		return nil, nil // nothing in this package touches sessions or blocks
	}
	st.summarize()
	st.served = st.serve()
	st.modes = st.handlerModes(st.served)
	st.exportFacts()
	st.check()
	return nil, nil
}

// readDirectives records the roles declared on this package's functions.
func (st *state) readDirectives() {
	for _, f := range st.pass.Files {
		st.readInterfaceDirectives(f)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Doc == nil || !hasDirective(fd.Doc) {
				continue
			}
			fn, _ := st.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if fn == nil {
				continue
			}
			if r := parseDirectives(fd.Doc); r != 0 {
				st.roles[fn] = r
			}
		}
	}
}

func hasDirective(cg *ast.CommentGroup) bool {
	for _, c := range cg.List {
		if strings.HasPrefix(c.Text, directivePrefix) {
			return true
		}
	}
	return false
}

// usesKnownFunc reports whether the package refers to a function of
// another package that blocks or carries a fact. Without one, nothing in
// the package can matter to session locking.
func (st *state) usesKnownFunc() bool {
	for _, obj := range st.pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == st.pass.Pkg || fn.Pkg() == nil {
			continue
		}
		fn = fn.Origin()
		if st.factOf(fn) != nil || isTimerFunc(fn) {
			return true
		}
	}
	return false
}

// scan splits the package into units and records, per unit, the calls that
// matter. It resolves call targets from the type information only; no CFG
// is built here.
func (st *state) scan() {
	for _, f := range st.pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				// Package-level initialisers hold literals and registrations
				// (var h = m.Middleware(...)): their literals are units.
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
					st.inits = append(st.inits, gd)
					st.scanBody(&unit{Func: &funcs.Func{}}, gd)
				}
				continue
			}
			if fd.Body == nil {
				continue
			}
			u := &unit{Func: &funcs.Func{Decl: fd, Body: fd.Body, Name: fd.Name.Name}}
			if fn, ok := st.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
				u.Fn = fn
				u.Name = shortName(fn, st.pass.Pkg)
				st.noteFuncParams(fd, fn)
			}
			st.addUnit(u)
			st.scanBody(u, fd.Body)
		}
	}
}

func (st *state) scanBody(u *unit, body ast.Node) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok {
				st.deferredLits(lit)
			}
		case *ast.DeferStmt:
			if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok {
				st.deferredLits(lit)
			}
		case *ast.FuncLit:
			lu := &unit{Func: &funcs.Func{Lit: n, Body: n.Body, NotHandler: st.notHandler[n], Name: "func literal"}}
			if u.Decl != nil || u.Lit != nil {
				lu.Parent = u.Func
				top := st.unitOf[u.Top()]
				top.nlits++
				lu.Name = fmt.Sprintf("%s.func%d", top.Name, top.nlits)
			}
			st.addUnit(lu)
			st.scanBody(lu, n.Body)
			return false
		case *ast.UnaryExpr:
			// Only a receive from a timer waits; making one does not.
			if n.Op == token.ARROW && st.timerRecv(n.X) != "" {
				u.interesting = true
			}
		case *ast.RangeStmt:
			if st.timerRecv(n.X) != "" {
				u.interesting = true
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for i := range n.Lhs {
					st.noteClosure(n.Lhs[i], n.Rhs[i])
				}
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i := range n.Names {
					st.noteClosure(n.Names[i], n.Values[i])
				}
			}
		case *ast.CallExpr:
			fn := st.calleeOf(n)
			if fn == nil {
				st.scanIfaceCall(u, n)
				st.scanParamCall(u, n)
				return true
			}
			if fn.Pkg() == st.pass.Pkg {
				st.noteFuncArgs(u, n, fn)
				// A literal's callees count for its declared function too,
				// so that summaries are computed callees first.
				for w := u; w != nil; w = st.parentOf(w) {
					w.callees = append(w.callees, fn)
				}
			}
			if f := st.factOf(fn); f != nil {
				u.interesting = true
				if f.Role&roleSource != 0 || f.Obtains {
					u.callsSource = true
				}
				if f.Role&roleRelease != 0 || f.Releases {
					u.releases = true
				}
				if f.Role&roleServe != 0 || f.Serve != 0 {
					st.hasServe = true
				}
			}
			if isAfterFunc(fn) {
				u.interesting = true
				for _, a := range n.Args {
					if lit, ok := ast.Unparen(a).(*ast.FuncLit); ok {
						st.deferredLits(lit)
					}
				}
			}
		case *ast.SelectorExpr:
			// A wrapper passed as a value, as in r.Use(m.Middleware).
			if fn, ok := st.pass.TypesInfo.Uses[n.Sel].(*types.Func); ok {
				if f := st.factOf(fn.Origin()); f != nil && (f.Role&roleServe != 0 || f.Serve != 0) {
					u.interesting = true
					st.hasServe = true
				}
			}
		}
		return true
	})
}

// addUnit records a unit of the package.
func (st *state) addUnit(u *unit) {
	st.units = append(st.units, u)
	st.funcs.Add(u.Func)
	st.unitOf[u.Func] = u
}

// deferredLits notes a literal that a go or defer statement runs: its
// lock state is not the request's at entry, so it is never a handler
// (its writes are judged by the goroutine rule instead).
func (st *state) deferredLits(lit *ast.FuncLit) {
	if st.notHandler == nil {
		st.notHandler = make(map[*ast.FuncLit]bool)
	}
	st.notHandler[lit] = true
}

// calleeOf returns the statically known function a call invokes, or nil
// (dynamic calls, interface methods, conversions, builtins).
func (st *state) calleeOf(call *ast.CallExpr) *types.Func {
	return funcs.Callee(st.pass.TypesInfo, call)
}

// dependsOn lists the functions whose summaries u's summary reads: those
// it calls, and those passed for function-typed parameters that are
// called (bindParamCalls).
func (u *unit) dependsOn() []*types.Func {
	if u.deps != nil {
		return u.deps
	}
	return u.callees
}

// declared is the unit of fn, a function declared in this package, or nil.
func (st *state) declared(fn *types.Func) *unit { return st.unitOf[st.funcs.ByFunc[fn]] }

// literal is the unit of a function literal of this package, or nil.
func (st *state) literal(lit *ast.FuncLit) *unit { return st.unitOf[st.funcs.ByLit[lit]] }

// parentOf is the unit a literal is written in, or nil.
func (st *state) parentOf(u *unit) *unit {
	if u.Parent == nil {
		return nil
	}
	return st.unitOf[u.Parent]
}

// factOf is what a call to fn means: a role, a summary, or nil for a
// function that does nothing the analyzer cares about.
func (st *state) factOf(fn *types.Func) *funcFact {
	if fn.Pkg() == st.pass.Pkg {
		if r, ok := st.roles[fn]; ok {
			return &funcFact{Role: r}
		}
		if st.isLong(fn) {
			return &funcFact{Role: roleLong}
		}
		return st.sums[fn]
	}
	if f, ok := st.imports[fn]; ok {
		return f
	}
	f := st.modelFact(fn)
	if f == nil && fn.Pkg() != nil {
		var imp funcFact
		if st.pass.ImportObjectFact(fn, &imp) {
			f = &imp
		}
	}
	st.imports[fn] = f
	return f
}

func (st *state) isLong(fn *types.Func) bool {
	return st.cfg.long.match(fn)
}

// callName is how messages name a call's target.
func (st *state) callName(fn *types.Func, f *funcFact) string {
	if f.Role&roleLong != 0 && fn.Pkg() != st.pass.Pkg && (isModelBlocking(fn) || isSyncWait(fn) || st.isLong(fn)) {
		return fullName(fn)
	}
	return shortName(fn, st.pass.Pkg)
}
